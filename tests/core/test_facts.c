/* test_facts.c: what a step showed (facts.h). Its words are true of the events they were
 * made from, whichever way the run went: each sentence is held both ways (a send that met
 * WSAEWOULDBLOCK and one that did not; FD_CLOSE before and after the last byte was read),
 * a scenario's `showed` line is said exactly when its condition holds, its placeholders are
 * the run's values, and its mistakes are refused with their column. The transcript says
 * what a step showed once its end has moved on, and at the end of the run. */
#include <stdlib.h>
#include <string.h>

#include "buffer.h"
#include "facts.h"
#include "format.h"
#include "scenario.h"
#include "steps.h"
#include "tap.h"
#include "transcript.h"

static Event call(Side side, EventWhat what, const char *step, int64_t t, int64_t result, int error)
{
    Event ev;
    event_init(&ev, EV_CALL, side, what);
    ev.t_us = t;
    EVENT_SET(ev.step, step);
    ev.has_result = 1;
    ev.result = result;
    ev.error = error;
    ev.bytes = result > 0 ? result : -1;
    return ev;
}

static Event message(Side side, EventWhat what, const char *step, int64_t t, int error)
{
    Event ev;
    event_init(&ev, EV_MESSAGE, side, what);
    ev.t_us = t;
    EVENT_SET(ev.step, step);
    ev.error = error;
    return ev;
}

static void note(StepFacts *f, Event ev)
{
    facts_note(f, &ev);
}

static void sentence(const StepFacts *f, char *buf)
{
    facts_sentence(f, buf, 768);
}

/* A bulk send the buffers held: no WSAEWOULDBLOCK, and the words say so, with the sizes. */
static void test_send_held(void)
{
    StepFacts f;
    char s[768];
    facts_init(&f, "3", SIDE_SERVER);
    for (int i = 0; i < 15; i++)
        note(&f, call(SIDE_SERVER, EW_SEND, "3", 100 + i, 262144, 0));
    note(&f, call(SIDE_SERVER, EW_SEND, "3", 200, 67840, 0));
    sentence(&f, s);
    tap_ok(strstr(s, "send accepted 4,000,000 bytes in 16 calls (67,840 to 262,144 per call)") != NULL,
           "a send's bytes, calls and sizes per call are the run's (%s)", s);
    tap_ok(strstr(s, "no call failed with WSAEWOULDBLOCK, so no FD_WRITE was needed") && !strstr(s, "failed with WSAEWOULDBLOCK:"),
           "a send that never had to wait says so, and not that it waited");
    tap_is_int(facts_value(&f, FACT_SEND_WOULDBLOCK), 0, "send.wouldblock is 0");
    tap_is_int(facts_value(&f, FACT_SEND_MAX), 262144, "send.max is the largest call");
    tap_is_int(facts_value(&f, FACT_MS), 100, "ms is the step's first to last event (in us)");
}

/* The same send on small buffers: WSAEWOULDBLOCK, then FD_WRITE resumed it. */
static void test_send_blocked(void)
{
    StepFacts f;
    char s[768];
    facts_init(&f, "3", SIDE_SERVER);
    note(&f, call(SIDE_SERVER, EW_SEND, "3", 100, 8192, 0));
    note(&f, call(SIDE_SERVER, EW_SEND, "3", 101, -1, 10035));
    note(&f, message(SIDE_SERVER, EW_FD_WRITE, "3", 150, 0));
    note(&f, call(SIDE_SERVER, EW_SEND, "3", 151, 8192, 0));
    note(&f, call(SIDE_SERVER, EW_SEND, "3", 152, -1, 10035));
    note(&f, message(SIDE_SERVER, EW_FD_WRITE, "3", 190, 0));
    note(&f, call(SIDE_SERVER, EW_SEND, "3", 191, 100, 0));
    sentence(&f, s);
    tap_ok(strstr(s, "2 calls failed with WSAEWOULDBLOCK: the buffers were full, and FD_WRITE came 2 times") != NULL,
           "a send that had to wait says how often, and that FD_WRITE resumed it (%s)", s);
    tap_ok(!strstr(s, "no call failed"), "and does not say that none waited");
    tap_ok(strstr(s, "send accepted 16,484 bytes in 3 calls (100 to 8,192 per call)") != NULL,
           "a failed call moves nothing and is not a call that moved bytes");
}

/* recv sizes, the end of file, and FD_CLOSE before the last byte was read, both ways. */
static void test_recv_and_close(void)
{
    StepFacts a, b;
    char s[768];
    facts_init(&a, "5", SIDE_CLIENT);
    note(&a, message(SIDE_CLIENT, EW_FD_CLOSE, "5", 10, 0));
    note(&a, call(SIDE_CLIENT, EW_RECV, "5", 11, 5000, 0));
    note(&a, call(SIDE_CLIENT, EW_RECV, "5", 12, 0, 0));
    sentence(&a, s);
    tap_ok(strstr(s, "FD_CLOSE came with error 0, before the last byte was read;") != NULL,
           "FD_CLOSE with data still unread says so (%s)", s);
    tap_is_int(facts_value(&a, FACT_AFTER_CLOSE), 5000, "after_close is the bytes read after it");
    tap_ok(strstr(s, "recv returned 5,000 bytes in 1 call, then 0 (the end of the peer's data)") != NULL,
           "and the end of file after them");
    facts_init(&b, "5", SIDE_CLIENT);
    note(&b, call(SIDE_CLIENT, EW_RECV, "5", 9, 700, 0));
    note(&b, message(SIDE_CLIENT, EW_FD_CLOSE, "5", 10, 10053));
    note(&b, call(SIDE_CLIENT, EW_RECV, "5", 12, -1, 10054));
    sentence(&b, s);
    tap_ok(strstr(s, "FD_CLOSE came with error WSAECONNABORTED (10053), after the last byte had been read") != NULL,
           "FD_CLOSE after the last byte says so, with its error (%s)", s);
    tap_ok(strstr(s, "1 call of recv failed with WSAECONNRESET (10054)") != NULL, "a recv that failed says its error");
    tap_is_int(facts_value(&b, FACT_AFTER_CLOSE), 0, "after_close is 0");
    tap_is_int(facts_value(&b, FACT_FD_CLOSE_ERROR), 10053, "FD_CLOSE.error is the first FD_CLOSE's");
}

/* Only the step's own end's calls count; a stale message is said apart; other steps' and
 * other ends' events are not this step's; a sample after the step gives both states. */
static void test_what_counts(void)
{
    StepFacts f;
    char s[768];
    Event st;
    facts_init(&f, "2", SIDE_SERVER);
    note(&f, call(SIDE_CLIENT, EW_RECV, "2", 5, 100, 0)); /* the other end's: not the server's step */
    note(&f, call(SIDE_SERVER, EW_RECV, "3", 6, 100, 0)); /* another step's */
    {
        Event m = message(SIDE_SERVER, EW_FD_READ, "2", 7, 0);
        m.stale = 1;
        note(&f, m);
    }
    tap_is_int(facts_value(&f, FACT_RECV), 0, "another end's or another step's recv is not counted");
    tap_is_int(facts_value(&f, FACT_FD_READ), 0, "a stale FD_READ is not counted as one");
    sentence(&f, s);
    tap_ok(strstr(s, "1 message came for a socket already closed (dropped)") != NULL, "it is said apart (%s)", s);
    facts_init(&f, "2", SIDE_SERVER);
    sentence(&f, s);
    tap_ok(strstr(s, "no call was made and no message came") != NULL, "a step with nothing says so (%s)", s);
    event_init(&st, EV_STATE, SIDE_CLIENT, EW_TCP_STATE);
    EVENT_SET(st.step, "2");
    st.when = SAMPLE_AFTER_STEP;
    st.tcp_state = TCP_STATE_FIN_WAIT_2;
    facts_note(&f, &st);
    st.side = SIDE_SERVER;
    st.tcp_state = TCP_STATE_CLOSE_WAIT;
    facts_note(&f, &st);
    sentence(&f, s);
    tap_ok(strstr(s, "the TCP table, read after it, showed the server in CLOSE_WAIT and the client in FIN_WAIT_2") != NULL,
           "the samples after the step give both ends' states, its own end first (%s)", s);
    tap_is_int(facts_value(&f, FACT_STATE), TCP_STATE_CLOSE_WAIT, "state is the step's own end's");
    tap_is_int(facts_value(&f, FACT_OTHER_STATE), TCP_STATE_FIN_WAIT_2, "other.state the other end's");
}

static const char lesson[] =
    "scenario facts\n"
    "step 3 server send payload\n"
    "step 5 client expect FD_CLOSE\n"
    "showed 3 \"The buffers filled {send.wouldblock} times; FD_WRITE resumed it {FD_WRITE} times.\" if=send.wouldblock\n"
    "showed 3 \"The buffers held all {send.bytes} bytes: no {{WSAEWOULDBLOCK}}.\" if=!send.wouldblock\n"
    "showed 5 \"The client ended in {state}.\" if=state=TIME_WAIT,FD_CLOSE.error=0\n"
    "showed 5 \"Reset: {FD_CLOSE.error}.\" if=FD_CLOSE.error=WSAECONNABORTED\n";

/* A `showed` line is said exactly when its condition holds, with the run's values. */
static void test_showed_lines(void)
{
    ScenarioError err;
    Scenario *sc = scenario_parse(lesson, strlen(lesson), &err);
    StepFacts f;
    char s[768];
    if (!tap_ok(sc != NULL, "a scenario with showed lines parses (%d:%d: %s)", err.line, err.column, err.message))
        return;
    tap_is_int(sc->nshowed, 4, "every showed line is kept");
    facts_init(&f, "3", SIDE_SERVER);
    note(&f, call(SIDE_SERVER, EW_SEND, "3", 1, 65536, 0));
    note(&f, call(SIDE_SERVER, EW_SEND, "3", 2, 65536, 0));
    facts_said(sc, &f, s, sizeof s);
    tap_is_str(s, "The buffers held all 131,072 bytes: no {WSAEWOULDBLOCK}.", "without WSAEWOULDBLOCK, only its sentence");
    note(&f, call(SIDE_SERVER, EW_SEND, "3", 3, -1, 10035));
    note(&f, message(SIDE_SERVER, EW_FD_WRITE, "3", 4, 0));
    facts_said(sc, &f, s, sizeof s);
    tap_is_str(s, "The buffers filled 1 times; FD_WRITE resumed it 1 times.", "with WSAEWOULDBLOCK, only the other");
    facts_init(&f, "5", SIDE_CLIENT);
    note(&f, message(SIDE_CLIENT, EW_FD_CLOSE, "5", 1, 0));
    facts_said(sc, &f, s, sizeof s);
    tap_is_str(s, "", "a condition on a state that was not sampled does not hold");
    f.state[SIDE_CLIENT] = TCP_STATE_TIME_WAIT;
    facts_said(sc, &f, s, sizeof s);
    tap_is_str(s, "The client ended in TIME_WAIT.", "every condition of a line must hold, and then it is said");
    f.close_error = 10053;
    facts_said(sc, &f, s, sizeof s);
    tap_is_str(s, "Reset: WSAECONNABORTED (10053).", "an error compares by name and is written as one");
    scenario_free(sc);
}

static void expect_error(const char *line, int column, const char *words)
{
    char text[512];
    ScenarioError err;
    Scenario *sc;
    snprintf(text, sizeof text, "scenario bad\nstep 3 server send 10\n%s\n", line);
    sc = scenario_parse(text, strlen(text), &err);
    tap_ok(!sc && err.line == 3 && err.column == column && strstr(err.message, words),
           "'%s' is refused at 3:%d with '%s' (%d:%d: %s)", line, column, words, err.line, err.column,
           sc ? "parsed" : err.message);
    scenario_free(sc);
}

static void test_showed_errors(void)
{
    expect_error("showed 3 \"x\" if=sends", 17, "unknown fact 'sends'");
    expect_error("showed 3 \"x\" if=send>lots", 22, "send compares with a whole number");
    expect_error("showed 3 \"x\" if=state=TIMEWAIT", 23, "a TCP state");
    expect_error("showed 3 \"x\" if=!send>1", 17, "'!' goes with a fact alone");
    expect_error("showed 3 \"x\" if=send,,FD_READ", 22, "an empty condition");
    expect_error("showed 3 \"x\" if=send~1", 21, "expected =, !=, >, <, >= or <=");
    expect_error("showed 3 \"took {send.ms} ms\"", 17, "unknown fact '{send.ms}'");
    expect_error("showed 3 \"took {send ms\"", 16, "unclosed '{'");
    expect_error("showed 3 \"a } b\"", 13, "a lone '}'");
    expect_error("showed 3", 9, "needs its sentence");
    expect_error("showed 3 \"x\" when=send", 14, "if=CONDITION");
    expect_error("showed 3 \"x\" if=send if=FD_READ", 22, "if= given twice");
    expect_error("showed 9 \"x\"", 8, "showed names step 9, which no line has");
}

/* The transcript says what a step showed when its end moves on, and at the end. */
typedef struct Seen {
    Event ev[32];
    int n;
} Seen;

static void seen_event(Sink *s, const Event *ev)
{
    Seen *seen = (Seen *)((char *)s + sizeof(Sink));
    if (seen->n < 32)
        seen->ev[seen->n++] = *ev;
}

typedef struct SeenSink {
    Sink sink;
    Seen seen;
} SeenSink;

static Event step_event(Side side, const char *label, int64_t t)
{
    Event ev;
    event_init(&ev, EV_STEP, side, EW_RECV);
    ev.t_us = t;
    EVENT_SET(ev.step, label);
    return ev;
}

static void test_transcript(void)
{
    static SeenSink sink;
    static Transcript t;
    ScenarioError err;
    Scenario *sc = scenario_parse(lesson, strlen(lesson), &err);
    RunInfo info;
    int left[SIDE_COUNT] = {0, 0};
    Event ev;
    int showed = 0, first = -1, second = -1, new_step = -1;
    memset(&info, 0, sizeof info);
    info.sc = sc;
    memset(&sink, 0, sizeof sink);
    sink.sink.event = seen_event;
    transcript_init(&t, &info);
    transcript_add_sink(&t, &sink.sink);
    transcript_begin(&t);
    ev = step_event(SIDE_SERVER, "3", 10);
    transcript_emit(&t, &ev);
    ev = call(SIDE_SERVER, EW_SEND, "3", 11, 65536, 0);
    transcript_emit(&t, &ev);
    ev = call(SIDE_CLIENT, EW_RECV, "5", 12, 700, 0); /* early: the client is not at (5) yet */
    transcript_emit(&t, &ev);
    ev = step_event(SIDE_SERVER, "7", 20); /* the server moves on: (3) is said */
    transcript_emit(&t, &ev);
    transcript_finish(&t, left);
    for (int i = 0; i < sink.seen.n; i++) {
        if (sink.seen.ev[i].kind == EV_SHOWED) {
            showed++;
            if (!strcmp(sink.seen.ev[i].step, "3"))
                first = i;
            else if (!strcmp(sink.seen.ev[i].step, "5"))
                second = i;
        }
        if (sink.seen.ev[i].kind == EV_STEP && !strcmp(sink.seen.ev[i].step, "7"))
            new_step = i;
    }
    tap_is_int(showed, 3, "three steps showed something: (3), (5) and (7)");
    tap_ok(first >= 0 && first < new_step, "(3) is said when its end moves on, before the next step's line");
    tap_ok(first >= 0 && sink.seen.ev[first].facts.send.bytes == 65536 && sink.seen.ev[first].side == SIDE_SERVER,
           "with its own end's facts");
    tap_ok(second > new_step && sink.seen.ev[second].facts.recv.bytes == 700 && sink.seen.ev[second].side == SIDE_CLIENT,
           "an event early for a step is that step's, said at the end of the run");
    scenario_free(sc);
}

/* ---- every built-in sentence both ways ------------------------------------------------ */

/* Sets the fact a name reads (the inverse of facts_value), for facts made to order. */
static void set_fact(StepFacts *f, FactName n, int64_t v)
{
    int me = f->side == SIDE_SERVER;
    uint32_t u = v < 0 ? 0 : v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
    switch (n) {
    case FACT_SEND: f->send.calls = u; break;
    case FACT_SEND_BYTES: f->send.bytes = v; break;
    case FACT_SEND_MIN: f->send.min = u; break;
    case FACT_SEND_MAX: f->send.max = u; break;
    case FACT_SEND_WOULDBLOCK: f->send.wouldblock = u; break;
    case FACT_SEND_FAILED: f->send.failed = u; break;
    case FACT_RECV: f->recv.calls = u; break;
    case FACT_RECV_BYTES: f->recv.bytes = v; break;
    case FACT_RECV_MIN: f->recv.min = u; break;
    case FACT_RECV_MAX: f->recv.max = u; break;
    case FACT_RECV_WOULDBLOCK: f->recv.wouldblock = u; break;
    case FACT_RECV_FAILED: f->recv.failed = u; break;
    case FACT_RECV_EOF: f->recv.zero = u; break;
    case FACT_FD_READ: f->fd_read = u; break;
    case FACT_FD_WRITE: f->fd_write = u; break;
    case FACT_FD_CLOSE: f->fd_close = u; break;
    case FACT_FD_CLOSE_ERROR: f->close_error = (int32_t)v; break;
    case FACT_AFTER_CLOSE: f->after_close = v; break;
    case FACT_MS: f->t_first = 0, f->t_last = v; break;
    case FACT_CALL_MS: f->call_us = v; break;
    case FACT_CALL_ERROR: f->call_error = (int32_t)v; break;
    case FACT_STATE: f->state[me] = (uint8_t)(v > 0 && v < 13 ? v : 0); break;
    case FACT_OTHER_STATE: f->state[!me] = (uint8_t)(v > 0 && v < 13 ? v : 0); break;
    default: break;
    }
}

/* Facts for which every term of sh holds (want 1), or for which they do not all hold (want
 * 0): each fact named gets the first of a few candidate values that does it. */
static int make_facts(const Showed *sh, StepFacts *f, int want)
{
    for (int i = 0; i < sh->nterms; i++) {
        FactName n = (FactName)sh->term[i].fact;
        int64_t scale = facts_type(n) == FACT_MILLIS ? 1000 : 1, w = sh->term[i].value * scale;
        int64_t cand[] = {w, w + scale, w - scale, 0, scale, TCP_STATE_TIME_WAIT, TCP_STATE_CLOSE_WAIT, 10053};
        int found = 0;
        for (size_t c = 0; c < sizeof cand / sizeof cand[0] && !found; c++) {
            Showed only = *sh;
            set_fact(f, n, cand[c]);
            if (want) { /* every term about this fact holds */
                only.nterms = 0;
                for (int k = 0; k < sh->nterms; k++)
                    if (sh->term[k].fact == (int)n)
                        only.term[only.nterms++] = sh->term[k];
                found = facts_holds(&only, f);
            } else { /* the first term fails, whatever the rest */
                only.term[0] = sh->term[i];
                only.nterms = 1;
                found = !facts_holds(&only, f);
            }
        }
        if (!found)
            return 0;
        if (!want)
            return 1;
    }
    return 1;
}

static void test_builtins_both_ways(void)
{
    int lines = 0, ok = 1;
    for (size_t b = 0; b < scenario_builtin_count(); b++) {
        Scenario *sc = scenario_builtin(scenario_builtin_name(b));
        for (size_t i = 0; sc && i < sc->nshowed; i++) {
            const Showed *sh = &sc->showed[i];
            StepFacts yes, no;
            char said[1024], want[512];
            Side side = steps_side_of(sc, sh->step);
            if (!sh->nterms)
                continue;
            lines++;
            facts_init(&yes, sh->step, side);
            facts_init(&no, sh->step, side);
            if (!make_facts(sh, &yes, 1) || !facts_holds(sh, &yes) || !make_facts(sh, &no, 0) || facts_holds(sh, &no)) {
                tap_diag("%s line %d: no facts make it hold and not hold", sc->name, sh->line);
                ok = 0;
                continue;
            }
            {
                /* its own words with these facts' values: the line alone, without its condition */
                Showed bare = *sh;
                Scenario one = *sc;
                bare.nterms = 0;
                one.showed = &bare;
                one.nshowed = 1;
                facts_said(&one, &yes, want, sizeof want);
                facts_said(sc, &yes, said, sizeof said);
                if (!want[0] || !strstr(said, want)) {
                    tap_diag("%s line %d: holds, but '%s' is not said: '%s'", sc->name, sh->line, want, said);
                    ok = 0;
                }
                facts_said(&one, &no, want, sizeof want);
                facts_said(sc, &no, said, sizeof said);
                if (strstr(said, want)) {
                    tap_diag("%s line %d: does not hold, yet '%s' is said", sc->name, sh->line, want);
                    ok = 0;
                }
            }
        }
        scenario_free(sc);
    }
    tap_ok(lines >= 20 && ok, "each of the built-ins' %d conditional showed sentences is said when it holds, and only then",
           lines);
}

int main(void)
{
    test_send_held();
    test_send_blocked();
    test_recv_and_close();
    test_what_counts();
    test_showed_lines();
    test_showed_errors();
    test_transcript();
    test_builtins_both_ways();
    return tap_done();
}
