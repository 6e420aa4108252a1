/* fuzz_format.c: libFuzzer harness for the transcript formatters (src/core/format.c).
 * The bytes become a run: a scenario name and title, a sequence of Events (kinds, sides,
 * names with any bytes, quotes, backslashes and control characters, huge numbers, steps,
 * bursts) and a summary, fed to the text, tap and jsonl formatters into memory. Then:
 * jsonl is one line per event and every line is a JSON object (json_check.h); text and
 * tap hold no NUL byte and end with a newline; tap, for strings a scenario file can
 * hold (no control characters: the parser rejects them), keeps its line structure. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "json_check.h"
#include "mem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* ---- the bytes as a source of values ------------------------------------------------ */

typedef struct Bytes {
    const uint8_t *p, *end;
} Bytes;

static unsigned u8(Bytes *b)
{
    return b->p < b->end ? *b->p++ : 0;
}

static int64_t i64(Bytes *b)
{
    static const int64_t special[] = {0, 1, -1, INT64_MAX, INT64_MIN, INT64_MIN + 1, 999, 1000, 65536, 8000000};
    unsigned sel = u8(b);
    uint64_t v = 0;
    if (sel < 160)
        return special[sel % (sizeof special / sizeof special[0])];
    for (int i = 0; i < 8; i++)
        v = v << 8 | u8(b);
    return (int64_t)v;
}

static int any_control; /* a string with a control character was made */

/* A string of up to `max` bytes: one of the names the engine uses, or bytes from input. */
static void str(Bytes *b, char *out, size_t size)
{
    static const char *const names[] = {"FD_READ", "FD_WRITE", "FD_CLOSE", "recv", "send", "shutdown(SD_SEND)",
                                        "closesocket", "content", "", "\"\\\"", "\xc3\xa9t\xc3\xa9"};
    unsigned sel = u8(b);
    size_t n, i;
    if (sel < 128) {
        snprintf(out, size, "%s", names[sel % (sizeof names / sizeof names[0])]);
        return;
    }
    n = u8(b);
    if (sel >= 250)
        n = n * 4; /* long strings, up to ~1 KiB */
    if (n >= size)
        n = size - 1;
    for (i = 0; i < n && b->p < b->end; i++) {
        char c = (char)u8(b);
        if (c == '\0')
            c = 'Z';
        if ((unsigned char)c < 0x20 || c == 0x7f)
            any_control = 1;
        out[i] = c;
    }
    out[i] = '\0';
}

#define FAIL(...) (fprintf(stderr, __VA_ARGS__), fputc('\n', stderr), abort())

static void check_jsonl(const Mem *m, size_t nevents)
{
    size_t lines = 0;
    const char *p = m->s, *end = m->s + m->len;
    if (!m->len || end[-1] != '\n')
        FAIL("jsonl output does not end with a newline");
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        const char *why;
        size_t at;
        if (!json_check_object(p, (size_t)(eol - p), &at, &why))
            FAIL("jsonl line %zu is not JSON (%s at byte %zu): %.*s", lines + 1, why, at, (int)(eol - p), p);
        lines++;
        p = eol + 1;
    }
    if (lines != nevents + 2)
        FAIL("jsonl: %zu lines for %zu events (want run line + one per event + summary)", lines, nevents);
}

static void check_lines(const Mem *m, FormatKind kind)
{
    const char *p = m->s, *end = m->s + m->len;
    long points = 0, plan = -1;
    if (memchr(m->s, '\0', m->len))
        FAIL("%s output holds a NUL byte", kind == FORMAT_TAP ? "tap" : "text");
    if (!m->len || end[-1] != '\n')
        FAIL("%s output does not end with a newline", kind == FORMAT_TAP ? "tap" : "text");
    /* the fixed lines start lines of their own, however long the ones before them */
    {
        static const char *const fixed[] = {"you play the ", "checks compare with", "client: sent ",
                                            "server: sent ", "result: "};
        char want[40];
        for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
            snprintf(want, sizeof want, "\n%s%s", kind == FORMAT_TAP ? "# " : "", fixed[i]);
            if (!strstr(m->s, want))
                FAIL("%s: '%s' does not start a line", kind == FORMAT_TAP ? "tap" : "text", fixed[i]);
        }
    }
    if (kind != FORMAT_TAP || any_control)
        return;
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        size_t n = (size_t)(eol - p);
        if (plan >= 0)
            FAIL("tap: a line after the plan: %.*s", (int)n, p);
        if (n >= 3 && memcmp(p, "ok ", 3) == 0)
            points++;
        else if (n >= 7 && memcmp(p, "not ok ", 7) == 0)
            points++;
        else if (n >= 3 && memcmp(p, "1..", 3) == 0)
            plan = strtol(p + 3, NULL, 10);
        else if (!(n >= 2 && memcmp(p, "# ", 2) == 0))
            FAIL("tap: a line that is not a test point, comment or plan: %.*s", (int)n, p);
        p = eol + 1;
    }
    if (plan != points)
        FAIL("tap: plan 1..%ld for %ld test points", plan, points);
}

/* ---- the run --------------------------------------------------------------------------- */

#define MAX_EVENTS 256

typedef struct Strings {
    char why[1100], explain[1100];
} Strings;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static Event evs[MAX_EVENTS];
    static Strings strs[MAX_EVENTS];
    static Scenario sc;
    static char title[1100], platform_src[100];
    Bytes b = {data, data + size};
    RunInfo info;
    Summary sum;
    size_t n = 0;

    any_control = 0;
    memset(&sc, 0, sizeof sc);
    str(&b, sc.name, sizeof sc.name);
    str(&b, title, sizeof title);
    sc.title = u8(&b) & 1 ? title : NULL;
    memset(&info, 0, sizeof info);
    info.sc = &sc;
    info.local = (Side)(u8(&b) & 1);
    info.payload = i64(&b);
    info.timeout_ms = (int)i64(&b);
    info.on_wine = u8(&b) & 1;
    str(&b, platform_src, sizeof platform_src);
    EVENT_SET(info.platform, platform_src);
    info.version = u8(&b) & 1 ? "0.1.0" : NULL;

    while (b.p < b.end && n < MAX_EVENTS) {
        Event *ev = &evs[n];
        Strings *s = &strs[n];
        char tmp[200];
        unsigned flags, kind, side;
        unsigned what;
        kind = u8(&b) % 8; /* one read per statement: argument order is unspecified */
        side = u8(&b) & 1;
        what = u8(&b); /* any value, EW_COUNT and beyond too: the renderer must cope */
        event_init(ev, (EventKind)kind, (Side)side, (EventWhat)what);
        ev->args.how = (int)(int8_t)u8(&b);
        ev->args.linger_s = (int)i64(&b);
        ev->args.on = u8(&b) & 1;
        ev->args.amount = i64(&b);
        ev->args.addr = (uint32_t)i64(&b);
        ev->args.port = (uint16_t)u8(&b);
        ev->op = (int)(int8_t)u8(&b);
        flags = u8(&b);
        ev->t_us = flags & 1 ? i64(&b) : (int64_t)n * 1000;
        if (flags & 2)
            ev->duration_us = i64(&b);
        str(&b, tmp, sizeof tmp);
        EVENT_SET(ev->step, tmp);
        ev->has_result = (flags & 4) != 0;
        if (ev->has_result)
            ev->result = i64(&b);
        ev->error = flags & 8 ? (int)i64(&b) : (u8(&b) & 1 ? 10053 : 0);
        if (flags & 16)
            ev->bytes = i64(&b);
        ev->stale = (flags & 32) != 0;
        if (flags & 64) {
            ev->tcp_state = (int)(int8_t)u8(&b);
            ev->when = (SampleWhen)(u8(&b) % 4);
            str(&b, tmp, sizeof tmp);
            EVENT_SET(ev->text, tmp);
        }
        if (flags & 128) {
            unsigned more = u8(&b);
            str(&b, tmp, sizeof tmp);
            EVENT_SET(ev->expected, tmp);
            str(&b, tmp, sizeof tmp);
            EVENT_SET(ev->observed, tmp);
            ev->verdict = (Verdict)(more % 8);
            ev->inferred = (more & 32) != 0;
            if (more & 8) {
                str(&b, s->why, sizeof s->why);
                ev->why = s->why;
            }
            if (more & 16) {
                str(&b, s->explain, sizeof s->explain);
                ev->explain = s->explain;
            }
        }
        if (ev->kind == EV_SHOWED) { /* what a step showed: any facts at all, the words must cope */
            unsigned char *raw = (unsigned char *)&ev->facts;
            for (size_t k = 0; k < sizeof ev->facts; k++)
                raw[k] = (unsigned char)u8(&b);
        }
        n++;
    }
    memset(&sum, 0, sizeof sum);
    for (int k = 0; k < SIDE_COUNT; k++) {
        sum.side[k].bytes_sent = i64(&b);
        sum.side[k].bytes_received = i64(&b);
        sum.side[k].bytes_lost = i64(&b);
        sum.side[k].content_errors = i64(&b);
    }
    sum.checks = (int)i64(&b);
    sum.mismatches = (int)i64(&b);
    sum.known_differences = (int)u8(&b);
    sum.environment = (int)u8(&b);
    sum.sockets_left_open = (int)u8(&b);
    sum.exit_code = (int)(u8(&b) % 4);
    sum.t_us = i64(&b);

    for (int kind = FORMAT_TEXT; kind <= FORMAT_JSONL; kind++) {
        Formatter f;
        Mem m = {NULL, 0, 0};
        Out out = {mem_write, &m};
        Sink *sink = formatter_init(&f, (FormatKind)kind, out);
        sink->begin(sink, &info);
        for (size_t i = 0; i < n; i++)
            sink->event(sink, &evs[i]);
        sink->end(sink, &sum);
        if (kind == FORMAT_JSONL)
            check_jsonl(&m, n);
        else
            check_lines(&m, (FormatKind)kind);
        free(m.s);
    }
    /* one event's words and its name, into small buffers */
    for (size_t i = 0; i < n; i++) {
        char small[24];
        group_event_text(&evs[i], small, sizeof small);
        if (!memchr(small, 0, sizeof small))
            FAIL("group_event_text did not terminate its buffer");
        event_name(&evs[i], small, 7);
        if (!memchr(small, 0, 7))
            FAIL("event_name did not terminate its buffer");
    }
    return 0;
}
