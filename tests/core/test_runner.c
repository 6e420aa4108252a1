/* test_runner.c: the step engine against a scripted host (the one place a mock is right:
 * the portable core's unit tests; the real endpoints are tested end to end under Wine).
 * Labels, checks, known differences, watchdogs, holds, late matches and the order rules. */
#include <stdlib.h>
#include <string.h>

#include "runner.h"
#include "scenario.h"
#include "tap.h"
#include "transcript.h"

/* ---- a sink that keeps everything, and a host that records the calls it is asked for -- */

#define MAX_EVENTS 256

typedef struct Capture {
    Sink sink;
    Event ev[MAX_EVENTS];
    int n;
    Summary sum;
    int ended;
} Capture;

static void cap_event(Sink *s, const Event *ev)
{
    Capture *c = (Capture *)s;
    if (c->n < MAX_EVENTS)
        c->ev[c->n++] = *ev;
}

static void cap_end(Sink *s, const Summary *sum)
{
    Capture *c = (Capture *)s;
    c->sum = *sum;
    c->ended = 1;
}

typedef struct Host {
    char acts[32][EVENT_NAME_MAX];
    int nacts;
    Outcome next;     /* what the next action reports */
    int pending;      /* the next action completes later */
    int64_t armed;    /* last arm() */
    int finished;
    int hold;         /* stepped() holds the script */
    int holds;        /* the holds not let go (the host keeps the one count) */
    int stepped;      /* how many steps were reported */
    int overdue;      /* how many calls the runner gave up on */
    int open;         /* socket_open() */
    int64_t payload;
} Host;

static ActResult host_act(void *ctx, const Op *op, Outcome *out)
{
    Host *h = ctx;
    if (h->nacts < 32)
        op_describe(op, h->payload, h->acts[h->nacts++], EVENT_NAME_MAX);
    *out = h->next;
    return h->pending ? ACT_PENDING : ACT_DONE;
}
static void host_arm(void *ctx, int64_t ms) { ((Host *)ctx)->armed = ms; }
static void host_stepped(void *ctx, const Op *op)
{
    Host *h = ctx;
    (void)op;
    h->stepped++;
    h->holds += h->hold;
}
static int host_held(void *ctx) { return ((Host *)ctx)->holds > 0; }
static void host_overdue(void *ctx) { ((Host *)ctx)->overdue++; }
static void host_finished(void *ctx) { ((Host *)ctx)->finished = 1; }
static int host_open(void *ctx) { return ((Host *)ctx)->open; }

typedef struct Fixture {
    Scenario *sc;
    Transcript t;
    Capture cap;
    Host host;
    Runner r;
} Fixture;

static int64_t fake_clock;
static int64_t clock_fn(void *ctx) { (void)ctx; return fake_clock += 10; }

static Fixture *setup(const char *text, Side side, int on_wine, int64_t payload)
{
    ScenarioError err;
    RunInfo info;
    Fixture *f = calloc(1, sizeof *f);
    RunnerHost rh = {.act = host_act, .arm = host_arm, .overdue = host_overdue, .stepped = host_stepped,
                     .held = host_held, .finished = host_finished, .socket_open = host_open};
    f->sc = scenario_parse(text, strlen(text), &err);
    if (!f->sc) {
        tap_diag("fixture does not parse: %d:%d: %s", err.line, err.column, err.message);
        exit(1);
    }
    memset(&info, 0, sizeof info);
    info.sc = f->sc;
    info.local = side;
    info.payload = payload;
    info.timeout_ms = 5000;
    info.on_wine = on_wine;
    transcript_init(&f->t, &info);
    f->t.clock_us = clock_fn;
    f->cap.sink.event = cap_event;
    f->cap.sink.end = cap_end;
    transcript_add_sink(&f->t, &f->cap.sink);
    transcript_begin(&f->t);
    f->host.open = 1;
    f->host.payload = payload;
    rh.ctx = &f->host;
    runner_init(&f->r, &f->t, side, &rh);
    return f;
}

static void teardown(Fixture *f)
{
    scenario_free(f->sc);
    free(f);
}

/* The host lets one hold go, as the session does when a sample is in or a Step came. */
static void release(Fixture *f)
{
    if (f->host.holds > 0)
        f->host.holds--;
    runner_pump(&f->r);
}

/* The end's timer fires once its time is up (the clock moves on to it). */
static void timer(Fixture *f)
{
    fake_clock += f->host.armed > 0 ? f->host.armed * 1000 : 0;
    runner_timer(&f->r);
}

static Event message(Side side, EventWhat what, int error)
{
    Event ev;
    event_init(&ev, EV_MESSAGE, side, what);
    ev.error = error;
    return ev;
}

static void deliver(Fixture *f, EventWhat what, int error)
{
    Event ev = message(f->r.side, what, error);
    Outcome o = {.failed = error != 0, .error = error};
    ev.t_us = transcript_now(&f->t);
    runner_observe(&f->r, &ev, &o);
    runner_handler_done(&f->r);
    runner_pump(&f->r);
}

static const Event *find(const Fixture *f, EventKind kind, EventWhat what, const char *step)
{
    for (int i = 0; i < f->cap.n; i++)
        if (f->cap.ev[i].kind == kind && (what == EW_NONE || f->cap.ev[i].what == what) &&
            (!step || strcmp(f->cap.ev[i].step, step) == 0))
            return &f->cap.ev[i];
    return NULL;
}

static const char CLIENT_SIDE[] =
    "scenario t\n"
    "step 1 client shutdown SD_SEND explain=\"FIN\"\n"
    "step 2 server expect FD_CLOSE\n"
    "step 5' client expect FD_READ if=payload\n"
    "step 5 client expect FD_CLOSE windows=0\n"
    "step 6 client closesocket\n"
    "order 1 2 5 6\n"
    "order 5' 5\n";

static void test_walks_one_side(void)
{
    Fixture *f = setup(CLIENT_SIDE, SIDE_CLIENT, 0, 100);
    const Event *ev;
    runner_pump(&f->r);
    tap_is_int(f->host.nacts, 1, "the client's first action is made at once");
    tap_is_str(f->host.acts[0], "shutdown(SD_SEND)", "it is shutdown(SD_SEND), the server's line is skipped");
    ev = find(f, EV_STEP, EW_NONE, "1");
    tap_ok(ev && ev->explain && strcmp(ev->explain, "FIN") == 0, "step (1) is announced with its explanation");
    tap_ok(f->r.waiting && f->host.armed == 5000, "then it waits for FD_READ under a 5000 ms watchdog");
    deliver(f, EW_FD_WRITE, 0);
    tap_ok(f->r.waiting && !find(f, EV_STEP, EW_NONE, "5'"), "an FD_WRITE does not meet the FD_READ expectation");
    deliver(f, EW_FD_READ, 0);
    ev = find(f, EV_MESSAGE, EW_FD_READ, NULL);
    tap_ok(ev && strcmp(ev->step, "5'") == 0, "FD_READ is labelled (5')");
    deliver(f, EW_FD_READ, 0);
    tap_is_int(f->cap.ev[f->cap.n - 1].kind == EV_MESSAGE && strcmp(f->cap.ev[f->cap.n - 1].step, "5'") == 0, 1,
               "a second FD_READ keeps the label (5')");
    deliver(f, EW_FD_CLOSE, 0);
    tap_ok(find(f, EV_STEP, EW_NONE, "5") != NULL, "FD_CLOSE meets step (5)");
    tap_is_int(f->host.nacts, 2, "and the client then closes");
    tap_is_str(f->host.acts[1], "closesocket", "with closesocket");
    tap_ok(f->host.finished, "the client's script is over");
    tap_is_int(f->t.sum.mismatches + f->t.sum.environment, 0, "nothing mismatched");
    teardown(f);
}

static void test_mismatch_and_known_difference(void)
{
    static const char text[] =
        "scenario t\n"
        "step 5 client expect FD_CLOSE windows=WSAECONNABORTED wine=0 why=\"Wine 8 reports the reset as graceful\"\n";
    Fixture *f = setup(text, SIDE_CLIENT, 0, 0);
    const Event *ev;
    runner_pump(&f->r);
    deliver(f, EW_FD_CLOSE, 0);
    ev = find(f, EV_CHECK, EW_FD_CLOSE, "5");
    tap_ok(ev && ev->verdict == VERDICT_MISMATCH, "on Windows, FD_CLOSE error 0 after a reset is a mismatch");
    tap_ok(ev && strcmp(ev->expected, "WSAECONNABORTED") == 0 && strcmp(ev->observed, "0") == 0,
           "the check says what Windows gives and what was observed");
    tap_is_int(f->t.sum.mismatches, 1, "and it counts as a mismatch");
    teardown(f);

    f = setup(text, SIDE_CLIENT, 1, 0);
    runner_pump(&f->r);
    deliver(f, EW_FD_CLOSE, 0);
    ev = find(f, EV_CHECK, EW_FD_CLOSE, "5");
    tap_ok(ev && ev->verdict == VERDICT_KNOWN && ev->why && strstr(ev->why, "Wine 8"),
           "under Wine the same observation is a known difference, with its evidence");
    tap_is_int(f->t.sum.mismatches, 0, "which is not a mismatch");
    tap_is_int(f->t.sum.known_differences, 1, "but is counted as a known difference");
    teardown(f);

    f = setup(text, SIDE_CLIENT, 1, 0);
    runner_pump(&f->r);
    deliver(f, EW_FD_CLOSE, 10053);
    ev = find(f, EV_CHECK, EW_FD_CLOSE, "5");
    tap_ok(ev && ev->verdict == VERDICT_OK, "a Wine that behaves like Windows simply passes");
    teardown(f);
}

static void test_watchdog(void)
{
    Fixture *f = setup(CLIENT_SIDE, SIDE_CLIENT, 0, 0);
    const Event *ev;
    runner_pump(&f->r);
    tap_ok(f->r.waiting, "payload 0: (5') is left out, the client waits for FD_CLOSE");
    timer(f);
    ev = find(f, EV_CHECK, EW_FD_CLOSE, "5");
    tap_ok(ev && ev->verdict == VERDICT_ENVIRONMENT && strstr(ev->text, "watchdog"),
           "the watchdog reports the missing FD_CLOSE");
    tap_ok(f->host.finished && f->r.failed, "and stops the script");
    tap_is_int(f->t.sum.environment, 1, "as an environment failure (exit 3)");
    transcript_finish(&f->t, (int[SIDE_COUNT]){0, 0});
    tap_is_int(f->cap.sum.exit_code, 3, "the run's exit code is 3");
    teardown(f);
}

/* FD_CLOSE and the end of the data (recv = 0) while the client waits for the response's
 * FD_READ: the FD_READ can never come, so (5') fails at once, saying what came instead;
 * the FD_CLOSE is (5), early, and the client goes on to (6): no watchdog is waited out. */
static void recv_call(Fixture *f, int64_t result, int error)
{
    Event c;
    Outcome o;
    event_init(&c, EV_CALL, f->r.side, EW_RECV);
    c.has_result = 1;
    c.result = result;
    c.error = error;
    c.t_us = transcript_now(&f->t);
    memset(&o, 0, sizeof o);
    o.failed = result < 0;
    o.value = result;
    o.error = error;
    runner_observe(&f->r, &c, &o);
}

static void test_impossible_expectation(void)
{
    Fixture *f = setup(CLIENT_SIDE, SIDE_CLIENT, 0, 65536);
    const Event *ev, *close;
    runner_pump(&f->r);
    tap_ok(f->r.waiting && f->host.nacts == 1, "(1) is done, the client waits for (5') FD_READ");
    {
        Event m = message(SIDE_CLIENT, EW_FD_CLOSE, 0);
        Outcome o = {0};
        m.t_us = transcript_now(&f->t);
        runner_observe(&f->r, &m, &o);
    }
    close = find(f, EV_MESSAGE, EW_FD_CLOSE, NULL);
    tap_ok(close && !strcmp(close->step, "5"), "the FD_CLOSE that came is (5), labelled when it came (%s)",
           close ? close->step : "none");
    tap_ok(!find(f, EV_CHECK, EW_FD_READ, "5'"), "FD_CLOSE alone does not end the wait: data may still be unread");
    recv_call(f, 0, 0); /* the FD_CLOSE handler's recv: the end of the data */
    runner_handler_done(&f->r);
    runner_pump(&f->r);
    ev = find(f, EV_CHECK, EW_FD_READ, "5'");
    tap_ok(ev && ev->verdict == VERDICT_MISMATCH && strstr(ev->text, "closed without sending any data: 0 bytes before its FIN"),
           "(5') fails at once, saying what the server did (%s)", ev ? ev->text : "no check");
    tap_ok(ev && strstr(ev->observed, "the end of the data (recv = 0)"), "observed: the end of the data (%s)",
           ev ? ev->observed : "");
    tap_ok(find(f, EV_STEP, EW_NONE, "5") && f->host.nacts == 2 && f->host.finished,
           "the client goes on: (5) meets the FD_CLOSE that came, (6) closes");
    {
        int watchdogs = 0;
        for (int i = 0; i < f->cap.n; i++)
            watchdogs += f->cap.ev[i].kind == EV_CHECK && strstr(f->cap.ev[i].text, "watchdog") != NULL;
        tap_is_int(watchdogs, 0, "no watchdog was waited out");
    }
    transcript_finish(&f->t, (int[SIDE_COUNT]){0, 0});
    for (int i = 0; i < f->cap.n; i++)
        if (f->cap.ev[i].kind == EV_CHECK && f->cap.ev[i].what == EW_ORDER && !strcmp(f->cap.ev[i].step, "5") &&
            strstr(f->cap.ev[i].expected, "(5')"))
            tap_ok(strstr(f->cap.ev[i].observed, "without (5')") != NULL, "the order (5') before (5): (5) came without (5') (%s)",
                   f->cap.ev[i].observed);
    tap_is_int(f->cap.sum.exit_code, 1, "a deviation of the other end is a mismatch (exit 1), not a watchdog's (3)");
    teardown(f);

    /* a reset says so at once, without waiting for a recv */
    f = setup(CLIENT_SIDE, SIDE_CLIENT, 0, 65536);
    runner_pump(&f->r);
    deliver(f, EW_FD_CLOSE, 10053);
    ev = find(f, EV_CHECK, EW_FD_READ, "5'");
    tap_ok(ev && ev->verdict == VERDICT_MISMATCH && strstr(ev->text, "reset (WSAECONNABORTED (10053))"),
           "an FD_CLOSE with an error is a reset: (5') fails at once (%s)", ev ? ev->text : "no check");
    teardown(f);

    /* the data came, but only the FD_CLOSE handler read it (FD_CLOSE first, oracle #17) */
    f = setup(CLIENT_SIDE, SIDE_CLIENT, 0, 65536);
    runner_pump(&f->r);
    {
        Event m = message(SIDE_CLIENT, EW_FD_CLOSE, 0);
        Event c;
        Outcome o = {0};
        m.t_us = transcript_now(&f->t);
        runner_observe(&f->r, &m, &o);
        event_init(&c, EV_CALL, SIDE_CLIENT, EW_RECV);
        c.has_result = 1;
        c.result = c.bytes = 700;
        c.t_us = transcript_now(&f->t);
        o.value = 700;
        transcript_emit(&f->t, &c); /* counted as received */
    }
    recv_call(f, 0, 0);
    runner_handler_done(&f->r);
    runner_pump(&f->r);
    ev = find(f, EV_CHECK, EW_FD_READ, "5'");
    tap_ok(ev && strstr(ev->text, "FD_CLOSE came first and its handler read all 700 bytes"),
           "data read only by the FD_CLOSE handler is said so (%s)", ev ? ev->text : "no check");
    teardown(f);

    /* a message awaited on a socket this end already closed */
    f = setup("scenario t\nstep 1 client closesocket\nstep 2 client expect FD_CLOSE\n", SIDE_CLIENT, 0, 0);
    f->host.open = 0; /* the close closed it */
    runner_pump(&f->r);
    ev = find(f, EV_CHECK, EW_FD_CLOSE, "2");
    tap_ok(ev && ev->verdict == VERDICT_MISMATCH && strstr(ev->text, "this end has closed its socket") && f->host.finished,
           "an FD_CLOSE awaited after this end's own closesocket fails at once (%s)", ev ? ev->text : "no check");
    teardown(f);
}

static void test_late_match_and_hold(void)
{
    static const char text[] =
        "scenario t\n"
        "step 1 client shutdown SD_SEND\n"
        "step 2 client expect FD_CLOSE\n"
        "step 3 client closesocket\n";
    Fixture *f = setup(text, SIDE_CLIENT, 0, 0);
    f->host.hold = 1;
    runner_pump(&f->r);
    tap_is_int(f->host.holds, 1, "after step (1) the host holds the script");
    deliver(f, EW_FD_CLOSE, 0);
    tap_ok(find(f, EV_STEP, EW_NONE, "2") != NULL, "an FD_CLOSE that arrives while held still meets step (2)");
    tap_is_int(f->host.nacts, 1, "nothing else happens while held");
    f->host.hold = 0;
    release(f);
    tap_is_int(f->host.nacts, 1, "one release of two holds is not enough");
    release(f);
    tap_ok(f->host.nacts == 2 && f->host.finished, "the second release lets the client close");
    teardown(f);

    f = setup("scenario t\nclient send 10\nstep 2 client expect FD_CLOSE\n", SIDE_CLIENT, 0, 0);
    f->host.pending = 1;
    runner_pump(&f->r);
    deliver(f, EW_FD_CLOSE, 0); /* arrives while the send is still pending */
    tap_ok(!find(f, EV_STEP, EW_NONE, "2"), "an event during a pending action is not matched yet");
    {
        Outcome o = {.value = 10};
        runner_complete(&f->r, &o);
    }
    tap_ok(find(f, EV_STEP, EW_NONE, "2") != NULL && f->host.finished,
           "but meets the expectation once the script reaches it (late match)");
    teardown(f);
}

static void test_unexpected_failure_and_conditions(void)
{
    Fixture *f = setup("scenario t\nclient shutdown SD_SEND\nclient closesocket\n", SIDE_CLIENT, 0, 0);
    const Event *ev;
    f->host.next.failed = 1;
    f->host.next.error = 10057;
    runner_pump(&f->r);
    ev = find(f, EV_CHECK, EW_SHUTDOWN, NULL);
    tap_ok(ev && ev->verdict == VERDICT_ENVIRONMENT && strcmp(ev->observed, "WSAENOTCONN") == 0,
           "a call that fails where nothing was expected is an environment failure, named");
    tap_ok(f->host.finished && f->host.nacts == 1, "and the end stops");
    teardown(f);

    f = setup("scenario t\nclient closesocket windows=WSAEWOULDBLOCK wine=0 why=\"blocks\"\n"
              "client dontlinger if=open\nclient closesocket if=open\n",
              SIDE_CLIENT, 1, 0);
    f->host.open = 0; /* Wine closed the socket on the first call */
    runner_pump(&f->r);
    tap_is_int(f->host.nacts, 1, "if=open lines are left out once the socket is closed");
    tap_ok(f->t.sum.known_differences == 1 && f->host.finished, "the close itself is a known difference under Wine");
    teardown(f);
}

static void test_order_and_loss(void)
{
    static const char text[] =
        "scenario t\nlost client 0\nlost server some\n"
        "step 1 client shutdown SD_SEND\nstep 2 server expect FD_CLOSE\norder 1 2\n";
    Fixture *f = setup(text, SIDE_SERVER, 0, 0);
    Event ev;
    const Event *c;
    /* (2) happens, (1) is stamped later: the order rule must catch it */
    runner_pump(&f->r);
    deliver(f, EW_FD_CLOSE, 0);
    event_init(&ev, EV_STEP, SIDE_CLIENT, EW_SHUTDOWN);
    ev.args.how = 1;
    EVENT_SET(ev.step, "1");
    ev.t_us = transcript_now(&f->t);
    transcript_emit(&f->t, &ev);
    event_init(&ev, EV_CALL, SIDE_SERVER, EW_SEND);
    ev.has_result = 1;
    ev.result = 500;
    transcript_emit(&f->t, &ev);
    transcript_finish(&f->t, (int[SIDE_COUNT]){0, 0});
    c = find(f, EV_CHECK, EW_ORDER, "2");
    tap_ok(c && c->verdict == VERDICT_MISMATCH, "a step that came before its cause is reported");
    c = find(f, EV_CHECK, EW_BYTES_LOST, NULL);
    tap_ok(c && c->side == SIDE_CLIENT && c->verdict == VERDICT_OK, "lost client 0 holds");
    tap_is_int(f->cap.sum.side[SIDE_SERVER].bytes_lost, 500, "the server lost the 500 bytes nobody received");
    tap_is_int(f->cap.sum.mismatches, 1, "only the order is a mismatch (lost server some holds)");
    tap_is_int(f->cap.sum.exit_code, 1, "exit code 1");
    teardown(f);
}

static void test_start_absence_and_sampling(void)
{
    static const char text[] =
        "scenario t\n"
        "client shutdown SD_SEND\n"
        "client expect FD_CLOSE windows=0\n"
        "step 3 client expect FD_READ within=250 windows=ok wine=none why=\"Wine waits for the unread data (#17)\"\n"
        "step 4 client quiet 100 sample=no\n"
        "client closesocket\n";
    Fixture *f = setup(text, SIDE_CLIENT, 1, 0);
    const Event *ev;
    int i;
    deliver(f, EW_FD_WRITE, 0); /* set-up: before the script starts */
    f->host.holds = 1;          /* held for the first TCP sample */
    runner_start(&f->r);
    deliver(f, EW_FD_CLOSE, 0); /* the peer was quicker than this end's first action */
    f->host.hold = 0;
    release(f);
    tap_is_int(f->host.nacts, 1, "the first action runs after the release");
    ev = find(f, EV_CHECK, EW_FD_CLOSE, NULL);
    tap_ok(ev && ev->verdict == VERDICT_OK, "an FD_CLOSE that came while the end was held before its first action still counts");
    tap_ok(f->r.waiting && f->host.armed == 250, "within= gives that expectation its own watchdog (250 ms)");
    timer(f);
    ev = find(f, EV_CHECK, EW_FD_READ, "3");
    tap_ok(ev && ev->verdict == VERDICT_KNOWN && strstr(ev->observed, "no FD_READ in 250 ms"),
           "wine=none: the missing event is a known difference under Wine (%s)", ev ? ev->observed : "no check");
    tap_is_int(f->t.sum.environment, 0, "and not an environment failure");
    for (i = 0; i < f->cap.n; i++)
        if (f->cap.ev[i].kind == EV_STEP && strcmp(f->cap.ev[i].step, "4") == 0)
            break;
    tap_ok(i < f->cap.n && f->r.waiting, "a quiet step is announced when it begins, before what it explains");
    f->host.hold = 1;
    timer(f);
    tap_ok(f->host.finished && f->host.holds == 0, "sample=no: the step does not wait for a sample");
    teardown(f);

    f = setup(text, SIDE_CLIENT, 0, 0);
    runner_pump(&f->r);
    deliver(f, EW_FD_CLOSE, 0);
    timer(f);
    ev = find(f, EV_CHECK, EW_FD_READ, "3");
    tap_ok(ev && ev->verdict == VERDICT_ENVIRONMENT, "on Windows the same absence is a watchdog failure");
    teardown(f);

    f = setup("scenario t\nclient expect FD_WRITE\n", SIDE_CLIENT, 0, 0);
    {
        Event w = message(SIDE_CLIENT, EW_FD_WRITE, 0); /* the set-up's, before the script */
        Outcome o = {.value = 0};
        runner_observe(&f->r, &w, &o);
        runner_handler_done(&f->r);
    }
    runner_start(&f->r);
    tap_ok(f->r.waiting && !f->host.finished, "an FD_WRITE of the set-up does not meet a later expectation");
    teardown(f);
}


/* A call whose watchdog gave up: the host is told, so its late completion is dropped (the
 * runner asserts any completion it does not wait for). */
static void test_overdue_call(void)
{
    Fixture *f = setup("scenario t\nclient send 100000\nclient closesocket\n", SIDE_CLIENT, 0, 0);
    const Event *ev;
    f->host.pending = 1;
    runner_pump(&f->r);
    tap_ok(f->r.acting && f->host.armed == 5000, "a send that waits for FD_WRITE is under a 5000 ms watchdog");
    timer(f);
    ev = find(f, EV_CHECK, EW_SEND_BYTES, NULL);
    tap_ok(ev && ev->verdict == VERDICT_ENVIRONMENT && strstr(ev->text, "did not complete within 5000 ms"),
           "the watchdog reports the call that never completed (%s)", ev ? ev->text : "no check");
    tap_ok(f->host.overdue == 1 && !f->r.acting && f->host.finished, "the host is told it was given up, and the end stops");
    teardown(f);
}

/* An expectation's watchdog counts from the later of its own start and the other end's
 * last progress: a slow other end (a long storm, a long quiet) is not this end's failure. */
static void test_watchdog_follows_the_other_end(void)
{
    Fixture *f = setup("scenario t\nclient expect FD_CLOSE\nclient closesocket\n", SIDE_CLIENT, 0, 0);
    const Event *ev;
    int64_t t0;
    runner_pump(&f->r);
    t0 = fake_clock;
    fake_clock = t0 + 4000 * 1000;            /* 4 s into the wait... */
    transcript_progress(&f->t, SIDE_SERVER); /* ...the server moves on */
    fake_clock = t0 + 5000 * 1000;            /* the timer fires 5 s after the wait began */
    runner_timer(&f->r);
    tap_ok(f->r.waiting && !find(f, EV_CHECK, EW_FD_CLOSE, NULL),
           "the watchdog does not fire 1 s after the other end's last progress");
    tap_ok(f->host.armed > 0 && f->host.armed <= 4000, "it is armed for the rest, counted from then (%lld ms)",
           (long long)f->host.armed);
    timer(f);
    ev = find(f, EV_CHECK, EW_FD_CLOSE, NULL);
    tap_ok(ev && ev->verdict == VERDICT_ENVIRONMENT && strstr(ev->text, "the server last moved on at 4."),
           "5 s after it, it fires, and says when the other end last moved on (%s)", ev ? ev->text : "no check");
    teardown(f);
}

/* While the student holds the other end, no watchdog of this end counts, not even one of
 * an expectation it reaches meanwhile; resume arms it afresh. A quiet period still runs. */
static void test_pause(void)
{
    Fixture *f = setup("scenario t\nclient quiet 100\nclient expect FD_CLOSE\nclient closesocket\n", SIDE_CLIENT, 0, 0);
    runner_pump(&f->r);
    tap_is_int(f->host.armed, 100, "a quiet period is armed");
    runner_pause_watchdog(&f->r);
    tap_is_int(f->host.armed, 100, "and pausing does not stop it: it is the end's own time");
    timer(f);
    tap_ok(f->r.waiting && f->host.armed == 100, "the expectation it reaches while paused gets no watchdog");
    runner_resume_watchdog(&f->r);
    tap_is_int(f->host.armed, 5000, "resume arms it afresh");
    teardown(f);
}

/* A disputed claim (the sources disagree) never fails a run: what this platform did is
 * shown beside both claims; a known difference of Wine's stays one, whichever source is
 * right. */
static void test_disputed(void)
{
    static const char text[] =
        "scenario t\n"
        "step 5 client expect FD_CLOSE windows=WSAECONNABORTED other=WSAECONNRESET evidence=disputed "
        "source=\"oracle #19; the WSAAsyncSelect page\" wine=0 why=\"Wine reports a reset as graceful\"\n"
        "step 6 client closesocket evidence=tested source=\"oracle #14\"\n";
    const int observed[3] = {10054, 0, 0}, on_wine[3] = {0, 1, 0};
    const Verdict want[3] = {VERDICT_DISPUTED, VERDICT_KNOWN, VERDICT_DISPUTED};
    static const char *const say[3] = {
        "WSAECONNRESET where the sources say WSAECONNABORTED or WSAECONNRESET: disputed, with both claims",
        "error 0 under Wine, where neither source says 0: the known difference, graded disputed",
        "error 0 elsewhere, where neither source says 0: still disputed, never a mismatch"};
    for (int k = 0; k < 3; k++) {
        Fixture *f = setup(text, SIDE_CLIENT, on_wine[k], 0);
        const Event *ev;
        runner_pump(&f->r);
        deliver(f, EW_FD_CLOSE, observed[k]);
        ev = find(f, EV_CHECK, EW_FD_CLOSE, "5");
        tap_ok(ev && ev->verdict == want[k] && ev->evidence == EVIDENCE_DISPUTED && !strcmp(ev->other, "WSAECONNRESET") &&
                   strstr(ev->source, "oracle #19"),
               "%s", say[k]);
        if (k == 0) {
            ev = find(f, EV_CHECK, EW_CLOSESOCKET, "6");
            tap_ok(ev && ev->verdict == VERDICT_OK && ev->evidence == EVIDENCE_TESTED, "the next check keeps its own grade");
            transcript_finish(&f->t, (int[SIDE_COUNT]){0, 0});
            tap_ok(f->cap.sum.disputed == 1 && f->cap.sum.mismatches == 0 && f->cap.sum.exit_code == 0,
                   "a disputed check is counted as disputed, and the run exits 0");
        }
        teardown(f);
    }
}

/* The transcript says what each call sent on the wire, inferred, right behind the call. */
static void test_wire_events(void)
{
    Fixture *f = setup("scenario t\nclient shutdown SD_SEND\nclient closesocket\n", SIDE_CLIENT, 0, 0);
    Event ev;
    int i;
    event_init(&ev, EV_CALL, SIDE_CLIENT, EW_SHUTDOWN);
    ev.args.how = 1;
    ev.has_result = 1;
    ev.t_us = 77;
    EVENT_SET(ev.step, "1");
    transcript_emit(&f->t, &ev);
    for (i = 0; i < f->cap.n && f->cap.ev[i].kind != EV_WIRE; i++)
        ;
    tap_ok(i == 1 && f->cap.ev[1].what == EW_WIRE_FIN && f->cap.ev[1].side == SIDE_CLIENT && f->cap.ev[1].t_us == 77 &&
               !strcmp(f->cap.ev[1].step, "1"),
           "shutdown(SD_SEND) is followed by its FIN, the client's, at the call's time and step");
    teardown(f);
}

int main(void)
{
    test_walks_one_side();
    test_mismatch_and_known_difference();
    test_watchdog();
    test_impossible_expectation();
    test_late_match_and_hold();
    test_unexpected_failure_and_conditions();
    test_order_and_loss();
    test_start_absence_and_sampling();
    test_overdue_call();
    test_watchdog_follows_the_other_end();
    test_pause();
    test_disputed();
    test_wire_events();
    return tap_done();
}
