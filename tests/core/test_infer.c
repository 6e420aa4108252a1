/* test_infer.c: another program's end, inferred from what this end saw (infer.h). Each
 * kind of evidence settles the lines it can, with its reason, and no others: data means it
 * sent, the end of its data that it shut down or closed, a reset that it closed
 * abortively, a row still in CLOSE_WAIT at the end that it never closed; under Wine a reset
 * that reads as the end of the data is told by this end's own row leaving the table. */
#include <stdlib.h>
#include <string.h>

#include "infer.h"
#include "scenario.h"
#include "tap.h"

typedef struct Said {
    Event ev[16];
    int n;
} Said;

static void said(void *ctx, const Event *st)
{
    Said *s = ctx;
    if (s->n < 16)
        s->ev[s->n++] = *st;
}

static void feed(Inference *in, Said *s, EventKind kind, Side side, EventWhat what, int64_t t, int64_t result, int error)
{
    Event ev;
    event_init(&ev, kind, side, what);
    ev.t_us = t;
    ev.has_result = kind == EV_CALL;
    ev.result = result;
    ev.error = error;
    if (what == EW_SHUTDOWN)
        ev.args.how = 1;
    infer_event(in, &ev, said, s);
}

static void sample(Inference *in, Said *s, Side side, int state, int64_t t, const char *step)
{
    Event ev;
    event_init(&ev, EV_STATE, side, EW_TCP_STATE);
    ev.t_us = t;
    ev.tcp_state = state;
    ev.when = SAMPLE_AFTER_STEP;
    EVENT_SET(ev.step, step);
    infer_event(in, &ev, said, s);
}

/* The other end's line with this label (graceful-client: the server's). */
static const Op *line(const Scenario *sc, const char *step)
{
    for (size_t i = 0; i < sc->nops; i++)
        if (sc->ops[i].side == SIDE_SERVER && !strcmp(sc->ops[i].step, step))
            return &sc->ops[i];
    return NULL;
}

static InferState state(const Inference *in, const Scenario *sc, const char *step, char *why)
{
    return infer_op(in, line(sc, step), INFER_FINAL | INFER_WAITED, why, 320);
}

/* A server that closes at once: its FIN, and nothing before it. */
static void test_closes_at_once(const Scenario *sc)
{
    Inference in;
    Said s = {.n = 0};
    char why[320];
    infer_init(&in, sc, SIDE_CLIENT, 65536, 0);
    feed(&in, &s, EV_CALL, SIDE_CLIENT, EW_SHUTDOWN, 10, 0, 0);
    feed(&in, &s, EV_MESSAGE, SIDE_CLIENT, EW_FD_CLOSE, 20, 0, 0);
    tap_ok(s.n == 1 && s.ev[0].inferred && s.ev[0].side == SIDE_SERVER && !strcmp(s.ev[0].step, "4") &&
               s.ev[0].what == EW_SHUTDOWN && strstr(s.ev[0].text, "a FIN arrived (FD_CLOSE, error 0"),
           "FD_CLOSE error 0 is its FIN: its (4) shutdown is said inferred, at once, with the reason (%s)",
           s.n ? s.ev[0].text : "none");
    tap_is_int(state(&in, sc, "3", why), INFER_UNKNOWN, "but its response (3) may still be unread: nothing said yet");
    feed(&in, &s, EV_CALL, SIDE_CLIENT, EW_RECV, 21, 0, 0);
    tap_is_int(s.n, 1, "the end of the data says nothing new of (4)");
    tap_is_int(state(&in, sc, "3", why), INFER_NOT_DONE, "its (3) response: not done");
    tap_ok(strstr(why, "with 0 bytes: the server sent nothing") != NULL, "because nothing came before the FIN (%s)", why);
    tap_is_int(state(&in, sc, "4'", why), INFER_UNKNOWN, "its (4') closesocket after the shutdown: nothing here can say");
    tap_is_int(state(&in, sc, "2", why), INFER_UNKNOWN, "its (2) FD_CLOSE: no row was read, nothing here can say");
}

/* A server that sends part of its response and closes: the line's bytes did not all come. */
static void test_sends_less(const Scenario *sc)
{
    Inference in;
    Said s = {.n = 0};
    char why[320];
    infer_init(&in, sc, SIDE_CLIENT, 65536, 0);
    feed(&in, &s, EV_CALL, SIDE_CLIENT, EW_RECV, 30, 100, 0);
    tap_ok(s.n == 1 && !strcmp(s.ev[0].step, "3"), "data: (3) is said inferred at once");
    feed(&in, &s, EV_CALL, SIDE_CLIENT, EW_RECV, 31, 0, 0);
    tap_is_int(state(&in, sc, "3", why), INFER_NOT_DONE, "at the end, 100 of its 65,536 bytes: (3) not done");
    tap_ok(strstr(why, "only 100 bytes came before its FIN, and this line sends 65,536") != NULL, "said so (%s)", why);
    infer_init(&in, sc, SIDE_CLIENT, 65536, 0);
    feed(&in, &s, EV_MESSAGE, SIDE_CLIENT, EW_FD_READ, 20, 0, 0);
    feed(&in, &s, EV_CALL, SIDE_CLIENT, EW_RECV, 30, -1, 10054);
    tap_is_int(state(&in, sc, "3", why), INFER_UNKNOWN,
               "a reset throws unread data away on Windows: nothing is said of what did not come");
}

/* A server that sends its response and closes gracefully. */
static void test_answers(const Scenario *sc)
{
    Inference in;
    Said s = {.n = 0};
    char why[320];
    infer_init(&in, sc, SIDE_CLIENT, 65536, 0);
    feed(&in, &s, EV_CALL, SIDE_CLIENT, EW_SHUTDOWN, 10, 0, 0);
    sample(&in, &s, SIDE_SERVER, TCP_STATE_CLOSE_WAIT, 15, "1");
    tap_ok(s.n == 1 && !strcmp(s.ev[0].step, "2") && strstr(s.ev[0].text, "its row was in CLOSE_WAIT"),
           "its row in CLOSE_WAIT after this end's FIN: (2) FD_CLOSE is inferred (%s)", s.n ? s.ev[0].text : "none");
    feed(&in, &s, EV_CALL, SIDE_CLIENT, EW_RECV, 30, 65536, 0);
    tap_ok(s.n == 2 && !strcmp(s.ev[1].step, "3") && strstr(s.ev[1].text, "recv returned 65,536 bytes"),
           "data: its (3) send is inferred (%s)", s.n > 1 ? s.ev[1].text : "none");
    feed(&in, &s, EV_CALL, SIDE_CLIENT, EW_RECV, 40, 0, 0);
    tap_ok(s.n == 3 && !strcmp(s.ev[2].step, "4"), "then its FIN: (4)");
    tap_is_int(state(&in, sc, "3", why), INFER_DONE, "at the end, (3) is done");
}

/* A server that reads until 0 and never closes: its row stays in CLOSE_WAIT. */
static void test_never_closes(const Scenario *sc)
{
    Inference in;
    Said s = {.n = 0};
    char why[320];
    infer_init(&in, sc, SIDE_CLIENT, 65536, 0);
    feed(&in, &s, EV_CALL, SIDE_CLIENT, EW_SHUTDOWN, 10, 0, 0);
    sample(&in, &s, SIDE_SERVER, TCP_STATE_CLOSE_WAIT, 15, "1");
    tap_is_int(infer_op(&in, line(sc, "4"), 0, why, sizeof why), INFER_UNKNOWN,
               "while the run goes on, a row in CLOSE_WAIT says nothing yet: it may still close");
    tap_is_int(state(&in, sc, "4", why), INFER_NOT_DONE, "at the end, (4) was not done");
    tap_ok(strstr(why, "still in CLOSE_WAIT") && strstr(why, "had this end's FIN and never shut down or closed"), "because its row stayed in "
           "CLOSE_WAIT (%s)", why);
    tap_is_int(state(&in, sc, "4'", why), INFER_NOT_DONE, "and neither was (4') closesocket");
    tap_is_int(state(&in, sc, "3", why), INFER_UNKNOWN, "its (3) send: nothing says it will not come");
    tap_is_int(infer_op(&in, line(sc, "4"), INFER_FINAL, why, sizeof why), INFER_UNKNOWN,
               "a run whose own lines were over first says nothing of a close the other end was not yet due to make");
}

/* A server that resets (SO_LINGER {1,0}): a reset, not a FIN; under Wine it reads as the
 * end of the data, and this end's row leaving the table at once tells it apart. */
static void test_resets(const Scenario *sc)
{
    Inference in;
    Said s = {.n = 0};
    char why[320];
    infer_init(&in, sc, SIDE_CLIENT, 65536, 0);
    feed(&in, &s, EV_CALL, SIDE_CLIENT, EW_RECV, 30, -1, 10054);
    tap_is_int(state(&in, sc, "4", why), INFER_NOT_DONE, "a reset instead of its FIN: (4) shutdown was not done");
    tap_ok(strstr(why, "a reset came, not a FIN (WSAECONNRESET (10054)") && strstr(why, "abortively"), "said so (%s)", why);
    infer_init(&in, sc, SIDE_CLIENT, 65536, 1);
    s.n = 0;
    feed(&in, &s, EV_CALL, SIDE_CLIENT, EW_SHUTDOWN, 10, 0, 0);
    sample(&in, &s, SIDE_CLIENT, TCP_STATE_FIN_WAIT_2, 15, "1"); /* this end closed first */
    feed(&in, &s, EV_CALL, SIDE_CLIENT, EW_RECV, 30, 0, 0);
    tap_is_int(s.n, 0, "under Wine the end of the data alone says nothing yet: a reset reads so too");
    tap_is_int(state(&in, sc, "4", why), INFER_DONE, "at the end with nothing more, a FIN is the likelier reading");
    tap_ok(strstr(why, "under Wine 8 a reset reads so too") != NULL, "and says a reset would read so too (%s)", why);
    sample(&in, &s, SIDE_CLIENT, TCP_STATE_CLOSED, 40, "5");
    tap_is_int(s.n, 0, "this end's row gone before it closed: a reset, and nothing is said done");
    tap_is_int(state(&in, sc, "4", why), INFER_NOT_DONE, "(4) shutdown was not done: a reset came instead");
    tap_ok(strstr(why, "left the TCP table at once"), "said so (%s)", why);
    infer_init(&in, sc, SIDE_CLIENT, 65536, 1);
    s.n = 0;
    feed(&in, &s, EV_CALL, SIDE_CLIENT, EW_SHUTDOWN, 10, 0, 0);
    feed(&in, &s, EV_CALL, SIDE_CLIENT, EW_RECV, 30, 0, 0);
    sample(&in, &s, SIDE_CLIENT, TCP_STATE_CLOSED, 40, "1");
    sample(&in, &s, SIDE_SERVER, TCP_STATE_CLOSED, 40, "1");
    tap_is_int(state(&in, sc, "4", why), INFER_NOT_DONE, "both rows gone in one reading, no TIME_WAIT anywhere: a reset");
    infer_init(&in, sc, SIDE_CLIENT, 65536, 1);
    s.n = 0;
    feed(&in, &s, EV_CALL, SIDE_CLIENT, EW_RECV, 8, 0, 0); /* its FIN first: this end is the passive closer */
    feed(&in, &s, EV_CALL, SIDE_CLIENT, EW_SHUTDOWN, 10, 0, 0);
    sample(&in, &s, SIDE_CLIENT, TCP_STATE_CLOSED, 40, "1");
    sample(&in, &s, SIDE_SERVER, TCP_STATE_TIME_WAIT, 40, "1");
    tap_is_int(state(&in, sc, "4", why), INFER_DONE, "a passive close leaves no row here, and TIME_WAIT there: no reset");
    infer_init(&in, sc, SIDE_CLIENT, 65536, 1);
    s.n = 0;
    feed(&in, &s, EV_CALL, SIDE_CLIENT, EW_SHUTDOWN, 10, 0, 0);
    feed(&in, &s, EV_CALL, SIDE_CLIENT, EW_RECV, 30, 0, 0);
    sample(&in, &s, SIDE_CLIENT, TCP_STATE_TIME_WAIT, 40, "5");
    tap_ok(s.n == 1 && !strcmp(s.ev[0].step, "4") && !strstr(s.ev[0].text, "reset"),
           "under Wine, this end's row kept in TIME_WAIT confirms a FIN: (4) is said then (%s)", s.n ? s.ev[0].text : "none");
}

/* Only another program's end is inferred, and only lines that take part. */
static void test_only_the_other_end(const Scenario *sc)
{
    Inference in;
    Said s = {.n = 0};
    char why[320];
    infer_init(&in, sc, SIDE_CLIENT, 0, 0);
    feed(&in, &s, EV_CALL, SIDE_CLIENT, EW_RECV, 30, 0, 0);
    tap_is_int(state(&in, sc, "3", why), INFER_UNKNOWN, "payload 0: (3) takes no part, nothing is inferred of it");
    tap_is_int(infer_op(&in, &sc->ops[0], INFER_FINAL, why, sizeof why), INFER_UNKNOWN, "this end's own lines are never inferred");
    feed(&in, &s, EV_CALL, SIDE_SERVER, EW_RECV, 31, 100, 0);
    tap_is_int(in.received, 0, "the other end's events are not this end's evidence");
}

/* Where the other end's lines close abortively (abortive-linger0's client: SO_LINGER {1,0}),
 * the reset is what they make, and a FIN is the deviation. */
static void test_expected_reset(void)
{
    Scenario *sc = scenario_builtin("abortive-linger0");
    Inference in;
    Said s = {.n = 0};
    char why[320];
    const Op *close = NULL;
    for (size_t i = 0; sc && i < sc->nops; i++)
        if (sc->ops[i].side == SIDE_CLIENT && sc->ops[i].verb == OP_CLOSESOCKET)
            close = &sc->ops[i];
    if (!tap_ok(close != NULL, "abortive-linger0 has the client's closesocket"))
        return;
    infer_init(&in, sc, SIDE_SERVER, 0, 0);
    feed(&in, &s, EV_MESSAGE, SIDE_SERVER, EW_FD_CLOSE, 30, 0, 10053);
    tap_is_int(infer_op(&in, close, INFER_FINAL, why, sizeof why), INFER_DONE, "a reset: its abortive close, done");
    tap_ok(strstr(why, "the abortive close its lines make") != NULL, "said so (%s)", why);
    infer_init(&in, sc, SIDE_SERVER, 0, 0);
    feed(&in, &s, EV_CALL, SIDE_SERVER, EW_RECV, 30, 0, 0);
    tap_is_int(infer_op(&in, close, INFER_FINAL, why, sizeof why), INFER_NOT_DONE, "a FIN instead: not the close its "
               "lines make");
    tap_ok(strstr(why, "not the reset its lines make") != NULL, "said so (%s)", why);
    scenario_free(sc);
}

int main(void)
{
    Scenario *sc = scenario_builtin("graceful-client");
    if (!tap_ok(sc != NULL, "graceful-client parses"))
        return tap_done();
    test_closes_at_once(sc);
    test_answers(sc);
    test_sends_less(sc);
    test_never_closes(sc);
    test_resets(sc);
    test_only_the_other_end(sc);
    test_expected_reset();
    scenario_free(sc);
    return tap_done();
}
