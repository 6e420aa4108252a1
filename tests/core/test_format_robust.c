/* test_format_robust.c: regressions the fuzzer (tests/fuzz/fuzz_format.c) found in the
 * transcript formatters, one test per fix: jsonl that stays JSON whatever the bytes,
 * lines that keep their newline however long, numbers at the edges of int64. The
 * reproducers are in tests/fuzz/corpus/format/. Pure C: runs natively and under Wine. */
#include "tap.h"
#include "format.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct Mem {
    char s[65536];
    size_t len;
} Mem;

static void mem_write(void *ctx, const char *s, size_t n)
{
    Mem *m = ctx;
    if (n > sizeof m->s - 1 - m->len)
        n = sizeof m->s - 1 - m->len;
    memcpy(m->s + m->len, s, n);
    m->len += n;
    m->s[m->len] = '\0';
}

static Mem mem;
static Scenario sc;

/* Runs events through one formatter into `mem`. */
static void run(FormatKind kind, const Event *evs, size_t n)
{
    Formatter f;
    Out out = {mem_write, &mem};
    RunInfo info;
    Summary sum;
    Sink *s = formatter_init(&f, kind, out);
    memset(&info, 0, sizeof info);
    memset(&sum, 0, sizeof sum);
    snprintf(sc.name, sizeof sc.name, "robust");
    info.sc = &sc;
    info.version = "test";
    mem.len = 0;
    mem.s[0] = '\0';
    s->begin(s, &info);
    for (size_t i = 0; i < n; i++)
        s->event(s, &evs[i]);
    s->end(s, &sum);
}

static size_t count_lines(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

/* The line of out that holds needle (up to its newline), or "" */
static const char *line_with(const char *out, const char *needle, char *buf, size_t size)
{
    const char *at = strstr(out, needle), *bol, *eol;
    if (!at) {
        buf[0] = '\0';
        return buf;
    }
    for (bol = at; bol > out && bol[-1] != '\n'; bol--)
        ;
    eol = strchr(at, '\n');
    snprintf(buf, size, "%.*s", (int)((eol ? eol : at + strlen(at)) - bol), bol);
    return buf;
}

int main(void)
{
    static char why[2100], line[4096];
    Event ev[2];

    /* corpus/format/json-not-utf8: a byte that is not UTF-8 made a jsonl line invalid (a
     * name cannot hold one any more, names are rendered: a note's text still can) */
    event_init(&ev[0], EV_NOTE, SIDE_CLIENT, EW_TEARDOWN);
    EVENT_SET(ev[0].text, "caf\xe9 \xc3\xa9");
    run(FORMAT_JSONL, ev, 1);
    tap_ok(strstr(mem.s, "\"text\":\"caf\\ufffd \xc3\xa9\"") != NULL,
           "jsonl: a byte that is not UTF-8 becomes \\ufffd, UTF-8 stays as written");
    tap_is_int((long long)count_lines(mem.s), 3, "jsonl: run line, one event, summary");

    /* a long why= was cut at ~600 bytes: machine-complete means whole */
    memset(why, 'w', sizeof why - 1);
    why[sizeof why - 1] = '\0';
    event_init(&ev[0], EV_CHECK, SIDE_SERVER, EW_FD_CLOSE);
    ev[0].verdict = VERDICT_KNOWN;
    ev[0].why = why;
    EVENT_SET(ev[0].expected, "WSAECONNABORTED");
    EVENT_SET(ev[0].observed, "0");
    run(FORMAT_JSONL, ev, 1);
    tap_ok(strstr(line_with(mem.s, "\"why\"", line, sizeof line), why) != NULL, "jsonl: a 2100-byte why= is whole");

    /* a TAP line over 1 KiB lost its newline, and the plan ran into it */
    run(FORMAT_TAP, ev, 1);
    tap_ok(strstr(mem.s, why) != NULL && strstr(mem.s, "\n1..1\n") != NULL,
           "tap: a known difference with a 2100-byte why= keeps its line and the plan its own");

    /* corpus/format/thousands-llong-min: -LLONG_MIN overflowed */
    tap_is_str(format_thousands(INT64_MIN, line, sizeof line), "-9,223,372,036,854,775,808", "format_thousands(INT64_MIN)");
    tap_is_str(format_thousands(INT64_MAX, line, sizeof line), "9,223,372,036,854,775,807", "format_thousands(INT64_MAX)");
    tap_is_str(format_thousands(-1000, line, sizeof line), "-1,000", "format_thousands(-1000)");

    /* corpus/format/burst-bytes-overflow: a burst's byte total overflowed int64 */
    event_init(&ev[0], EV_MESSAGE, SIDE_CLIENT, EW_FD_READ);
    ev[0].bytes = INT64_MAX;
    event_init(&ev[1], EV_MESSAGE, SIDE_CLIENT, EW_FD_READ);
    ev[1].bytes = 6;
    run(FORMAT_TEXT, ev, 2);
    tap_ok(strstr(mem.s, "FD_READ x2, 9,223,372,036,854,775,807 bytes") != NULL,
           "text: a burst's byte total saturates at INT64_MAX");
    return tap_done();
}
