/* test_recording.c: a recording read back (recording.h). jsonl written by the formatter
 * reads back to the same events: written again, it is the same bytes. Broken recordings
 * are refused with the line and column of what is wrong. Two recordings compare the same
 * when only timing differs, and differ, at the step, when what the OS reported differs.
 * Opened lazily (recording_open), a recording keeps its file's bytes and an index of them:
 * each event read from its line is the event recording_parse loads, each step found where
 * it begins, a large file's bad line named as a small one's, a capture's events joined in
 * time order among the lines. */
#include <stdlib.h>
#include <string.h>

#include "buffer.h"
#include "facts.h"
#include "format.h"
#include "recording.h"
#include "scenario.h"
#include "tap.h"

static const char scenario_text[] =
    "scenario rec\n"
    "title \"Recording test: \\\"quoted\\\"\"\n"
    "evidence tested \"docs/evidence.md#oracle-basics\"\n"
    "step 1 client shutdown SD_SEND explain=\"The client sends its FIN.\"\n"
    "step 2 server expect FD_CLOSE windows=WSAECONNABORTED other=WSAECONNRESET evidence=disputed "
    "source=\"a; b\" wine=0 why=\"Wine says 0\"\n"
    "step 3 server closesocket\n"
    "showed 3 \"The close took {call.ms} ms.\" if=call.ms>1\n";

static Event make(EventKind kind, Side side, EventWhat what, int64_t t, const char *step)
{
    Event ev;
    event_init(&ev, kind, side, what);
    ev.t_us = t;
    EVENT_SET(ev.step, step);
    return ev;
}

/* A run with one event of every kind, written as jsonl. */
static void write_run(const Scenario *sc, Buffer *b, int fd_close_error)
{
    Formatter f;
    RunInfo info;
    Summary sum;
    Event ev;
    Sink *s;
    memset(b, 0, sizeof *b);
    memset(&info, 0, sizeof info);
    info.sc = sc;
    info.local = SIDE_SERVER;
    info.payload = 4096;
    info.timeout_ms = 5000;
    info.on_wine = 1;
    strcpy(info.platform, "Wine 8.0");
    strcpy(info.os, "Windows 6.1.7601");
    info.version = "9.9.9";
    s = formatter_init(&f, FORMAT_JSONL, (Out){buf_write, b});
    s->begin(s, &info);
    ev = make(EV_NOTE, SIDE_SERVER, EW_LISTENING, 10, "");
    ev.args.addr = 0x7f000001;
    ev.args.port = 50123;
    s->event(s, &ev);
    ev = make(EV_STEP, SIDE_CLIENT, EW_SHUTDOWN, 100, "1");
    ev.args.how = 1;
    ev.op = 0;
    ev.explain = sc->ops[0].explain;
    s->event(s, &ev);
    ev = make(EV_CALL, SIDE_CLIENT, EW_SHUTDOWN, 120, "1");
    ev.args.how = 1;
    ev.has_result = 1;
    s->event(s, &ev);
    ev = make(EV_WIRE, SIDE_CLIENT, EW_WIRE_FIN, 120, "1");
    s->event(s, &ev);
    ev = make(EV_CALL, SIDE_SERVER, EW_RECV, 150, "");
    ev.has_result = 1;
    ev.result = ev.bytes = 4096;
    s->event(s, &ev);
    ev = make(EV_MESSAGE, SIDE_SERVER, EW_FD_CLOSE, 200, "2");
    ev.error = fd_close_error;
    s->event(s, &ev);
    ev = make(EV_CHECK, SIDE_SERVER, EW_FD_CLOSE, 210, "2");
    ev.op = 1;
    strcpy(ev.expected, "WSAECONNABORTED");
    strcpy(ev.other, "WSAECONNRESET");
    strcpy(ev.observed, fd_close_error ? "WSAECONNABORTED" : "0");
    ev.verdict = fd_close_error ? VERDICT_DISPUTED : VERDICT_KNOWN;
    ev.evidence = EVIDENCE_DISPUTED;
    ev.source = sc->ops[1].source;
    ev.why = fd_close_error ? NULL : sc->ops[1].why;
    s->event(s, &ev);
    ev = make(EV_STATE, SIDE_SERVER, EW_TCP_STATE, 230, "3");
    ev.tcp_state = TCP_STATE_LAST_ACK;
    ev.when = SAMPLE_AFTER_STEP;
    s->event(s, &ev);
    ev = make(EV_CALL, SIDE_SERVER, EW_CLOSESOCKET, 240, "3");
    ev.has_result = 1;
    ev.duration_us = 1500;
    s->event(s, &ev);
    {
        Event call = ev;
        ev = make(EV_SHOWED, SIDE_SERVER, EW_SHOWED, 250, "3");
        facts_init(&ev.facts, "3", SIDE_SERVER);
        facts_note(&ev.facts, &call);
        call = make(EV_CALL, SIDE_SERVER, EW_RECV, 245, "3");
        call.has_result = 1;
        call.result = call.bytes = 77;
        facts_note(&ev.facts, &call);
        ev.facts.state[SIDE_CLIENT] = TCP_STATE_TIME_WAIT;
        s->event(s, &ev);
    }
    memset(&sum, 0, sizeof sum);
    sum.checks = 1;
    sum.known_differences = !fd_close_error;
    sum.disputed = !!fd_close_error;
    sum.side[SIDE_CLIENT].bytes_sent = 4096;
    sum.side[SIDE_SERVER].bytes_received = 4096;
    s->end(s, &sum);
}

/* The recording written again as jsonl, as its own run would have written it. */
static void rewrite(const Recording *r, Buffer *b)
{
    Formatter f;
    Sink *s;
    memset(b, 0, sizeof *b);
    s = formatter_init(&f, FORMAT_JSONL, (Out){buf_write, b});
    s->begin(s, &r->info);
    for (size_t i = 0; i < r->n; i++)
        s->event(s, &r->events[i]);
    s->end(s, &r->sum);
}

static void test_round_trip(const Scenario *sc)
{
    static Buffer a, b;
    RecordingError err;
    Recording *r;
    write_run(sc, &a, 0);
    r = recording_parse(a.data, a.n, &err);
    if (!tap_ok(r != NULL, "the formatter's jsonl reads back (%d:%d: %s)", err.line, err.column, err.message))
        return;
    tap_is_int(r->n, 10, "every event is read back");
    tap_is_str(r->sc->name, "rec", "the scenario comes from the recording's own text");
    tap_ok(r->sc->nops == 3 && r->sc->ops[1].evidence == EVIDENCE_DISPUTED, "and parses as the scenario it ran");
    tap_is_str(r->info.os, "Windows 6.1.7601", "where it was recorded is kept");
    tap_ok(r->info.local == SIDE_SERVER && r->info.on_wine && r->info.payload == 4096, "the run's settings are kept");
    tap_ok(r->events[6].kind == EV_CHECK && r->events[6].verdict == VERDICT_KNOWN &&
               r->events[6].evidence == EVIDENCE_DISPUTED && !strcmp(r->events[6].other, "WSAECONNRESET") &&
               r->events[6].source && !strcmp(r->events[6].source, "a; b") && r->events[6].why &&
               !strcmp(r->events[6].why, "Wine says 0"),
           "a check keeps its verdict, grade, source, the other claim and why");
    tap_ok(r->events[3].kind == EV_WIRE && r->events[3].what == EW_WIRE_FIN, "a wire event is read back as one");
    tap_ok(r->events[9].kind == EV_SHOWED && r->events[9].facts.call_what == EW_CLOSESOCKET &&
               r->events[9].facts.call_us == 1500 && r->events[9].facts.recv.bytes == 77 &&
               r->events[9].facts.state[SIDE_CLIENT] == TCP_STATE_TIME_WAIT && !r->events[9].facts.state[SIDE_SERVER],
           "what a step showed is read back as its facts");
    tap_ok(strstr((const char *)a.data, "\"said\":\"The close took 1.5 ms.\"") != NULL,
           "a showed sentence whose condition holds is written, its value filled in");
    rewrite(r, &b);
    tap_ok(a.n == b.n && !memcmp(a.data, b.data, a.n), "written again, it is the same bytes (%lu and %lu)",
           (unsigned long)a.n, (unsigned long)b.n);
    recording_free(r);
}

static void expect_error(const char *text, int line, int column, const char *words, const char *what)
{
    RecordingError err;
    Recording *r = recording_parse(text, strlen(text), &err);
    tap_ok(!r && err.line == line && (column < 0 || err.column == column) && strstr(err.message, words),
           "%s: refused at %d:%d (%d:%d: %s)", what, line, column, err.line, err.column, r ? "parsed" : err.message);
    recording_free(r);
}

/* The run with this line put second, after its run line. */
static void expect_line2(const Buffer *a, const char *line, int column, const char *words, const char *what)
{
    static char text[1 << 17];
    const char *second = strchr(a->data, '\n') + 1;
    snprintf(text, sizeof text, "%.*s%s\n%s", (int)(second - a->data), a->data, line, second);
    expect_error(text, 2, column, words, what);
}

static void test_errors(const Scenario *sc)
{
    static Buffer a;
    static char text[1 << 16];
    const char *second;
    size_t first_len;
    write_run(sc, &a, 0);
    second = strchr(a.data, '\n') + 1;
    first_len = (size_t)(second - a.data);
    expect_error("", 1, 1, "empty", "an empty file");
    expect_error("not json\n", 1, -1, "", "a line that is not JSON");
    snprintf(text, sizeof text, "%.*s{\"t_us\":5,\"side\":\"client\",\"kind\":\"call\",\"name\":\"send\"", (int)first_len,
             a.data);
    expect_error(text, 2, -1, "", "a line cut short");
    expect_line2(&a, "{\"t_us\":5,\"side\":\"client\",\"kind\":\"teleport\",\"name\":\"x\"}", 1, "teleport",
                 "an unknown kind of event");
    expect_line2(&a, "{\"t_us\":5,\"side\":\"client\",\"kind\":\"call\",\"name\":\"juggle(3)\"}", 1, "juggle",
                 "a call this version does not know");
    expect_line2(&a, "{\"t_us\":5,\"side\":\"peer\",\"kind\":\"call\",\"name\":\"send\"}", 1, "side",
                 "a side that is neither end");
    expect_line2(&a, "{\"t_us\":5,\"side\":\"client\",\"kind\":\"note\",\"name\":\"x\xff\"}", 50, "UTF-8",
                 "a byte that is not UTF-8 (written back it would read otherwise)");
    snprintf(text, sizeof text, "%s", a.data);
    *strstr(text, "\"jsonl_version\":1") = '\0';
    snprintf(text + strlen(text), sizeof text - strlen(text), "\"jsonl_version\":2%s",
             strstr(a.data, "\"jsonl_version\":1") + strlen("\"jsonl_version\":1"));
    expect_error(text, 1, -1, "version", "a later jsonl version");
    snprintf(text, sizeof text, "%.*s", (int)a.n - 1, a.data);
    *(strrchr(text, '\n') + 1) = '\0'; /* the summary line goes */
    expect_error(text, 11, -1, "summary", "no summary at the end");
    snprintf(text, sizeof text, "%s", second);
    expect_error(text, 1, -1, "run", "no run line first");
}

/* A growable Out: a large recording's jsonl. */
typedef struct Big {
    char *data;
    size_t n, cap;
} Big;

static void big_write(void *ctx, const char *s, size_t n)
{
    Big *b = ctx;
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 1 << 16;
        while (cap < b->n + n + 1)
            cap *= 2;
        if (!(b->data = realloc(b->data, cap)))
            abort();
        b->cap = cap;
    }
    memcpy(b->data + b->n, s, n);
    b->n += n;
    b->data[b->n] = '\0';
}

static char *copy_of(const char *s, size_t n)
{
    char *c = malloc(n + 1);
    memcpy(c, s, n);
    c[n] = '\0';
    return c;
}

/* Two events the same as a recording writes them: the same jsonl line. */
static int same_event(const Recording *r, const Event *x, const Event *y)
{
    static Buffer bx, by;
    Formatter f;
    Sink *s;
    memset(&bx, 0, sizeof bx);
    memset(&by, 0, sizeof by);
    s = formatter_init(&f, FORMAT_JSONL, (Out){buf_write, &bx});
    s->begin(s, &r->info);
    s->event(s, x);
    s = formatter_init(&f, FORMAT_JSONL, (Out){buf_write, &by});
    s->begin(s, &r->info);
    s->event(s, y);
    return bx.n == by.n && !memcmp(bx.data, by.data, bx.n);
}

static void test_lazy(const Scenario *sc)
{
    static Buffer a, b;
    RecordingError err;
    Recording *lazy, *loaded;
    Event e1, e2;
    size_t same = 0;
    write_run(sc, &a, 0);
    lazy = recording_open(copy_of(a.data, a.n), a.n, &err);
    loaded = recording_parse(a.data, a.n, &err);
    if (!tap_ok(lazy && loaded, "a recording opens lazily (%d:%d: %s)", err.line, err.column, err.message))
        goto done;
    tap_ok(lazy->events == NULL && lazy->n == 10, "opened, it keeps no event, only where each one's line is (%lu)",
           (unsigned long)lazy->n);
    for (size_t i = 0; i < lazy->n; i++)
        same += recording_event(lazy, i, &e1) == 0 && same_event(lazy, &e1, &loaded->events[i]) &&
                lazy->text[lazy->at[i]] == '{';
    tap_is_int(same, 10, "each event read from its line is the event recording_parse loads");
    tap_ok(recording_event(lazy, lazy->n, &e1) < 0, "there is no event after the last");
    tap_ok(lazy->nsteps == 1 && recording_step_at(lazy, 0) == 1 && recording_step_at(lazy, 1) == lazy->n,
           "the step is found where it begins (event 1), and after it the end");
    recording_event(lazy, 6, &e1);
    recording_event(lazy, 6, &e2);
    tap_ok(e1.why && e1.why == e2.why && e1.source == e2.source && !strcmp(e1.source, "a; b"),
           "a check read twice points at the one text kept (read again, an event costs nothing more)");
    recording_event(lazy, 1, &e1);
    tap_ok(e1.explain == lazy->sc->ops[0].explain, "a step's explain is its scenario line's");
    memset(&b, 0, sizeof b);
    {
        Formatter f;
        Sink *s = formatter_init(&f, FORMAT_JSONL, (Out){buf_write, &b});
        s->begin(s, &lazy->info);
        for (size_t i = 0; i < lazy->n; i++)
            if (recording_event(lazy, i, &e1) == 0)
                s->event(s, &e1);
        s->end(s, &lazy->sum);
    }
    tap_ok(a.n == b.n && !memcmp(a.data, b.data, a.n), "written again from its lines, it is the same bytes");
done:
    recording_free(lazy);
    recording_free(loaded);
}

/* CRLF line ends and blank lines: the index points past them as the reader does. */
static void test_lazy_crlf(const Scenario *sc)
{
    static Buffer a;
    static char text[1 << 17];
    RecordingError err;
    Recording *r, *loaded;
    Event ev;
    size_t k = 0, same = 0;
    write_run(sc, &a, 0);
    for (size_t i = 0; i < a.n; i++) {
        if (a.data[i] == '\n') {
            text[k++] = '\r';
            text[k++] = '\n';
            if (i == 0 || i % 3 == 0)
                text[k++] = '\n';
            continue;
        }
        text[k++] = a.data[i];
    }
    r = recording_open(copy_of(text, k), k, &err);
    loaded = recording_parse(a.data, a.n, &err);
    if (!tap_ok(r && loaded, "a recording with CRLF line ends and blank lines opens (%d:%d: %s)", err.line, err.column,
                err.message))
        goto done;
    for (size_t i = 0; i < r->n; i++)
        same += recording_event(r, i, &ev) == 0 && same_event(r, &ev, &loaded->events[i]);
    tap_ok(r->n == loaded->n && same == r->n, "and reads the same events (%lu of %lu)", (unsigned long)same,
           (unsigned long)r->n);
done:
    recording_free(r);
    recording_free(loaded);
}

/* A storm: FD_READs after the last step, as --storm 100000 records them. */
static void write_storm(const Scenario *sc, Big *b, size_t n)
{
    Formatter f;
    RunInfo info;
    Summary sum;
    Event ev;
    Sink *s;
    memset(&info, 0, sizeof info);
    info.sc = sc;
    info.local = SIDE_SERVER;
    info.timeout_ms = 5000;
    strcpy(info.platform, "Wine 8.0");
    info.version = "9.9.9";
    s = formatter_init(&f, FORMAT_JSONL, (Out){big_write, b});
    s->begin(s, &info);
    for (int k = 0; k < 3; k++) {
        ev = make(EV_STEP, k == 1 ? SIDE_SERVER : SIDE_CLIENT, k == 0 ? EW_SHUTDOWN : k == 1 ? EW_FD_CLOSE : EW_CLOSESOCKET,
                  10 + k, k == 0 ? "1" : k == 1 ? "2" : "3");
        ev.args.how = 1;
        ev.op = k;
        ev.side = sc->ops[k].side;
        s->event(s, &ev);
    }
    for (size_t i = 0; i < n; i++) {
        ev = make(EV_MESSAGE, SIDE_SERVER, EW_FD_READ, 100 + (int64_t)i, "");
        ev.stale = 1;
        s->event(s, &ev);
    }
    memset(&sum, 0, sizeof sum);
    s->end(s, &sum);
}

static void test_lazy_large(const Scenario *sc)
{
    enum { N = 100000 };
    Big b = {NULL, 0, 0};
    RecordingError err;
    Recording *r;
    Event ev;
    size_t ok = 0;
    write_storm(sc, &b, N);
    r = recording_open(copy_of(b.data, b.n), b.n, &err);
    if (!tap_ok(r != NULL, "a recording of 100,003 events opens (%d:%d: %s)", err.line, err.column, err.message))
        goto bad;
    tap_ok(r->n == N + 3 && r->nsteps == 3 && recording_step_at(r, 2) == 2 && recording_step_at(r, 3) == r->n,
           "its index: every event, and its three steps where they begin");
    tap_ok(r->cap * sizeof *r->at <= 2 * 4 * r->n && !r->events,
           "the index takes 4 bytes an event (at most twice that while it grows: %lu bytes for %lu events)",
           (unsigned long)(r->cap * sizeof *r->at), (unsigned long)r->n);
    for (size_t i = N + 2; i >= 3 && i < N + 3; i -= 997) /* from the end, in strides: any order */
        ok += recording_event(r, i, &ev) == 0 && ev.what == EW_FD_READ && ev.stale && ev.t_us == (int64_t)(i + 97);
    tap_is_int(ok, (N + 2 - 3) / 997 + 1, "any event is read from its line, in any order");
    recording_free(r);
    /* a storm's line that is the one before but for its time is taken as that one: a time
     * that is not a number is still found, at its line (the storm's line i is line 5 + i) */
    {
        char *t = strstr(b.data, "{\"t_us\":50100,"), *copy;
        copy = copy_of(b.data, b.n);
        memcpy(copy + (t - b.data), "{\"t_us\":5x100,", 15);
        r = recording_open(copy, b.n, &err);
        tap_ok(t && !r && err.line == 50005 && err.column > 8,
               "a storm's line whose time is not a number is refused at its line and column (%d:%d: %s)", err.line,
               err.column, err.message);
        recording_free(r);
        copy = copy_of(b.data, b.n);
        memcpy(copy + (t - b.data), "{\"t_us\":050100", 15);
        r = recording_open(copy, b.n, &err);
        tap_ok(t && !r == (err.line == 50005), "one with a leading zero is read in full, as JSON says (%s)",
               r ? "taken" : err.message);
        recording_free(r);
    }
    /* the same storm with one bad line near its end: named by its line, as in a small file */
    {
        char *bad = strstr(b.data + b.n - 400, "\"FD_READ\"");
        memcpy(bad, "\"FD_REED\"", 9);
        r = recording_open(copy_of(b.data, b.n), b.n, &err);
        tap_ok(!r && err.line > N && strstr(err.message, "FD_REED"),
               "a bad line near the end of 100,000 is refused with its line (%d:%d: %s)", err.line, err.column,
               err.message);
        recording_free(r);
    }
bad:
    free(b.data);
}

/* Events in no line (a capture's), joined among the lines by time, and the tail after. */
static void test_join(const Scenario *sc)
{
    static Buffer a;
    RecordingError err;
    Recording *lazy, *loaded;
    Event add[2], tail, ev;
    int64_t t_prev = -1;
    size_t ordered = 0, same = 0;
    write_run(sc, &a, 0);
    lazy = recording_open(copy_of(a.data, a.n), a.n, &err);
    loaded = recording_parse(a.data, a.n, &err);
    if (!tap_ok(lazy && loaded, "recordings to join open"))
        goto done;
    add[0] = make(EV_WIRE, SIDE_CLIENT, EW_SEGMENT, 5, "");
    add[1] = make(EV_WIRE, SIDE_CLIENT, EW_SEGMENT, 125, "");
    tail = make(EV_NOTE, SIDE_SERVER, EW_CAPTURE, 300, "");
    if (!tap_ok(recording_join(lazy, add, 2, &tail, 1) == 0 && recording_join(loaded, add, 2, &tail, 1) == 0,
                "a capture's events join a recording, opened or loaded"))
        goto done;
    for (size_t i = 0; i + 1 < lazy->n; i++) {
        recording_event(lazy, i, &ev);
        ordered += ev.t_us >= t_prev;
        t_prev = ev.t_us;
    }
    tap_ok(lazy->n == 13 && ordered == 12, "each in time order among the recording's (%lu events)",
           (unsigned long)lazy->n);
    recording_event(lazy, 0, &ev);
    tap_ok(ev.what == EW_SEGMENT && ev.t_us == 5, "one stamped before every event comes first");
    recording_event(lazy, 5, &ev);
    tap_ok(ev.what == EW_SEGMENT && ev.t_us == 125, "one stamped later comes after the last event stamped earlier");
    recording_event(lazy, 12, &ev);
    tap_ok(ev.what == EW_CAPTURE, "the tail comes last");
    tap_ok(lazy->nsteps == 1 && recording_step_at(lazy, 0) == 2, "the step moved one on, and the index says where");
    for (size_t i = 0; i < lazy->n; i++)
        same += recording_event(lazy, i, &ev) == 0 && same_event(lazy, &ev, &loaded->events[i]);
    tap_ok(same == 13 && loaded->n == 13, "joined, the opened and the loaded recording read the same events");
done:
    recording_free(lazy);
    recording_free(loaded);
}

static int compare(const Recording *a, const Recording *b, Buffer *out)
{
    memset(out, 0, sizeof *out);
    return recording_compare(a, b, "a.jsonl", "b.jsonl", &(Out){buf_write, out});
}

static void test_compare(const Scenario *sc)
{
    static Buffer a, b, c, out;
    RecordingError err;
    Recording *ra, *rb, *rc;
    write_run(sc, &a, 0);
    write_run(sc, &c, 10053);
    /* the same run later: other times, other port, bytes moved in another split */
    memcpy(&b, &a, sizeof b);
    for (char *p = b.data; (p = strstr(p, "\"t_us\":2")); p += 8)
        p[7] = '3';
    ra = recording_parse(a.data, a.n, &err);
    rb = recording_parse(b.data, b.n, &err);
    rc = recording_parse(c.data, c.n, &err);
    if (!tap_ok(ra && rb && rc, "the recordings to compare read back (%d:%d: %s)", err.line, err.column, err.message))
        goto done;
    tap_is_int(compare(ra, ra, &out), 0, "a recording compares the same as itself");
    if (!tap_ok(strstr(out.data, "0 differences") != NULL, "and says so"))
        tap_diag("%s", out.data);
    tap_is_int(compare(ra, rb, &out), 0, "times are not differences");
    if (!tap_ok(compare(ra, rc, &out) == 6, "an FD_CLOSE's other error is a difference: the message and its check in "
                                            "each, the summary's two counts"))
        tap_diag("%s", out.data);
    tap_ok(strstr(out.data, "A: a.jsonl (rec as server, recorded on Wine 8.0 (Windows 6.1.7601))") &&
               strstr(out.data, "server (2)   only in A: FD_CLOSE, error 0") &&
               strstr(out.data, "server (2)   only in B: FD_CLOSE, error WSAECONNABORTED (10053)") &&
               strstr(out.data, "summary: disputed 0 in A, 1 in B"),
           "each difference is shown at its step, end and recording");
    tap_ok(strstr(out.data, "client the same") != NULL, "the end that did the same says so");
done:
    recording_free(ra);
    recording_free(rb);
    recording_free(rc);
}

int main(void)
{
    ScenarioError err;
    Scenario *sc = scenario_parse(scenario_text, sizeof scenario_text - 1, &err);
    if (!tap_ok(sc != NULL, "the test's scenario parses (%d:%d: %s)", err.line, err.column, err.message))
        return tap_done();
    test_round_trip(sc);
    test_errors(sc);
    test_compare(sc);
    test_lazy(sc);
    test_lazy_crlf(sc);
    test_lazy_large(sc);
    test_join(sc);
    scenario_free(sc);
    return tap_done();
}
