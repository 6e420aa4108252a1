/* transcript.c: counting, step times, checks and the end-of-run verdict (transcript.h).
 * Exit codes are SPEC section 4's: 0 all met (or known differences), 1 a mismatch,
 * 3 the environment failed. */
#include "transcript.h"

#include <stdio.h>
#include <string.h>

#include "group.h"

static void no_lock(void *ctx) { (void)ctx; }
static void emit_locked(Transcript *t, const Event *ev);

void transcript_init(Transcript *t, const RunInfo *info)
{
    memset(t, 0, sizeof *t);
    t->info = *info;
    t->lock = t->unlock = no_lock;
    infer_init(&t->infer, info->sc, info->local, info->payload, info->on_wine);
}

void transcript_add_sink(Transcript *t, Sink *s)
{
    if (t->nsinks < TRANSCRIPT_MAX_SINKS)
        t->sinks[t->nsinks++] = s;
}

int64_t transcript_now(Transcript *t)
{
    return t->clock_us ? t->clock_us(t->clock_ctx) - t->t0 : 0;
}

void transcript_begin(Transcript *t)
{
    int64_t w1 = t->wall_ns ? t->wall_ns(t->clock_ctx) : 0;
    t->t0 = t->clock_us ? t->clock_us(t->clock_ctx) : 0;
    if (t->wall_ns) { /* t = 0 between two readings of the wall clock: their middle, give or take half */
        int64_t w2 = t->wall_ns(t->clock_ctx);
        t->info.wall_t0_ns = w1 + (w2 - w1) / 2;
        t->info.wall_within_us = (w2 - w1 + 1999) / 2000;
    }
    for (size_t i = 0; i < t->nsinks; i++)
        if (t->sinks[i]->begin)
            t->sinks[i]->begin(t->sinks[i], &t->info);
}

int64_t transcript_drift_us(Transcript *t)
{
    int64_t w1, c, w2;
    if (!t->wall_ns || !t->clock_us || !t->info.wall_t0_ns)
        return 0;
    w1 = t->wall_ns(t->clock_ctx);
    c = t->clock_us(t->clock_ctx) - t->t0;
    w2 = t->wall_ns(t->clock_ctx);
    return (w1 + (w2 - w1) / 2 - t->info.wall_t0_ns) / 1000 - c;
}

void transcript_connection(Transcript *t, Side side, uint32_t client_addr, uint16_t client_port, uint32_t server_addr,
                           uint16_t server_port)
{
    Event ev;
    t->lock(t->lock_ctx);
    if (!t->connection_said) {
        t->connection_said = 1;
        event_init(&ev, EV_NOTE, side, EW_CONNECTION);
        ev.t_us = transcript_now(t);
        ev.args.addr = client_addr;
        ev.args.port = client_port;
        ev.args.addr2 = server_addr;
        ev.args.port2 = server_port;
        snprintf(ev.text, sizeof ev.text, "client %u.%u.%u.%u:%u, server %u.%u.%u.%u:%u", (unsigned)(client_addr >> 24),
                 (unsigned)(client_addr >> 16 & 255), (unsigned)(client_addr >> 8 & 255), (unsigned)(client_addr & 255),
                 (unsigned)client_port, (unsigned)(server_addr >> 24), (unsigned)(server_addr >> 16 & 255),
                 (unsigned)(server_addr >> 8 & 255), (unsigned)(server_addr & 255), (unsigned)server_port);
        emit_locked(t, &ev);
    }
    t->unlock(t->lock_ctx);
}

static void count(Transcript *t, const Event *ev)
{
    SideStats *st = &t->sum.side[ev->side];
    if (ev->kind == EV_CALL && ev->has_result && ev->result > 0) {
        if (ev->what == EW_SEND)
            st->bytes_sent += ev->result;
        else if (ev->what == EW_RECV)
            st->bytes_received += ev->result;
    }
    if (ev->kind == EV_CHECK) {
        t->sum.checks++;
        if (ev->what == EW_CONTENT && !verdict_ok(ev->verdict))
            st->content_errors++;
        if (ev->verdict == VERDICT_ENVIRONMENT)
            t->sum.environment++;
        else if (ev->verdict == VERDICT_KNOWN)
            t->sum.known_differences++;
        else if (ev->verdict == VERDICT_MISMATCH)
            t->sum.mismatches++;
        else if (ev->verdict == VERDICT_DISPUTED)
            t->sum.disputed++;
        else if (ev->verdict == VERDICT_UNOBSERVED)
            t->sum.not_observable++;
        else if (ev->verdict == VERDICT_INFERRED)
            t->sum.inferred++;
    }
    if (!ev->inferred) /* an inferred step's time is when this end saw the evidence, not when it happened */
        steps_note(&t->steps, ev);
}

static void to_sinks(Transcript *t, const Event *ev)
{
    for (size_t i = 0; i < t->nsinks; i++)
        t->sinks[i]->event(t->sinks[i], ev);
}

/* What a step showed, said once its end has moved on (or the run is over). */
static void emit_showed(Transcript *t, const StepFacts *f)
{
    Event ev;
    event_init(&ev, EV_SHOWED, (Side)f->side, EW_SHOWED);
    ev.t_us = transcript_now(t);
    EVENT_SET(ev.step, f->label);
    ev.facts = *f;
    to_sinks(t, &ev);
}

/* Gathers what each step showed: a step of an end ends its previous one, whose facts are
 * said first; a call, message or sample under a label joins that step's facts. */
static void gather(Transcript *t, const Event *ev)
{
    StepFacts *f, evicted;
    int had = 0;
    Side side = ev->side;
    if (!ev->step[0] || (unsigned)side >= SIDE_COUNT)
        return;
    if (ev->kind == EV_STEP) {
        if (t->current[side][0] && strcmp(t->current[side], ev->step) != 0 &&
            openfacts_take(&t->facts, t->current[side], &evicted))
            emit_showed(t, &evicted);
        EVENT_SET(t->current[side], ev->step);
        if ((f = openfacts_get(&t->facts, ev->step, side, &evicted, &had)) != NULL && had)
            emit_showed(t, &evicted);
    } else if (ev->kind == EV_CALL || ev->kind == EV_MESSAGE) {
        f = openfacts_get(&t->facts, ev->step, side, &evicted, &had);
        if (had)
            emit_showed(t, &evicted);
        facts_note(f, ev);
    } else if (ev->kind == EV_STATE && (f = openfacts_find(&t->facts, ev->step)) != NULL) {
        facts_note(f, ev); /* a sample after the step, of either end's row */
    }
}

static int external(const Transcript *t)
{
    return t->info.peer != PEER_EMBEDDED;
}

/* Another program's step, inferred from what this end just saw. */
static void emit_inferred(void *ctx, const Event *step)
{
    to_sinks(ctx, step);
}

/* A call, then what it sent on the wire (inferred), right behind it; against another
 * program, then each of its steps that this settles (inferred). */
static void emit_locked(Transcript *t, const Event *ev)
{
    WireKind k;
    count(t, ev);
    gather(t, ev);
    to_sinks(t, ev);
    if (external(t) && !ev->inferred)
        infer_event(&t->infer, ev, emit_inferred, t);
    if ((k = wire_infer(&t->wire, ev)) != WIRE_NONE) {
        Event w;
        event_init(&w, EV_WIRE, ev->side, k == WIRE_DATA ? EW_WIRE_DATA : k == WIRE_FIN ? EW_WIRE_FIN : EW_WIRE_RST);
        w.t_us = ev->t_us;
        w.bytes = k == WIRE_DATA ? ev->bytes : -1;
        EVENT_SET(w.step, ev->step);
        memset(&w.wire, 0, sizeof w.wire);
        w.wire.cause = ev->what; /* the call that sent it, named with its arguments */
        w.args = ev->args;
        w.wire.guess = w.what;
        w.wire.guess_t_us = ev->t_us;
        w.wire.seg_t_us = -1;
        to_sinks(t, &w);
    }
}

/* The tool's own checks are not claims about Windows: what they rest on. */
static Claim tool_claim(EventWhat what)
{
    Claim c = {EVIDENCE_INFERRED, "ShutdownLab's own check: the set-up's calls (socket, bind, listen, connect, "
                                  "accept, WSAAsyncSelect) succeed on loopback on any working machine"};
    if (what == EW_CONTENT)
        c.source = "RFC 9293 section 3.10: TCP delivers the bytes in order and unchanged (a difference is the tool's bug)";
    else if (what == EW_LEFT_OPEN)
        c.source = "ShutdownLab's own check: a scenario's lines close every socket they use (closesocket frees it)";
    else if (what == EW_RUN)
        c.source = "ShutdownLab's own check: no run waits forever (every call and expectation has a watchdog)";
    return c;
}

void transcript_emit(Transcript *t, const Event *ev)
{
    Event check;
    if (ev->kind == EV_CHECK) {
        check = *ev;
        if (check.evidence == EVIDENCE_NONE) {
            Claim c = tool_claim(check.what);
            check.evidence = c.evidence;
            check.source = c.source;
        }
        /* a disputed claim with no alternative named: whatever happened agrees with one of
         * the sources, so it is shown, not judged (transcript_check judges those with one) */
        if (check.evidence == EVIDENCE_DISPUTED && !check.other[0] &&
            (check.verdict == VERDICT_OK || check.verdict == VERDICT_KNOWN || check.verdict == VERDICT_MISMATCH))
            check.verdict = VERDICT_DISPUTED;
        ev = &check;
    }
    t->lock(t->lock_ctx);
    emit_locked(t, ev);
    t->unlock(t->lock_ctx);
}

static void set_claim(Event *ev, Claim c)
{
    ev->evidence = c.evidence;
    ev->source = c.source;
}

/* Errors that say the other end reset or ended the connection (WSAECONNABORTED,
 * WSAECONNRESET, WSAENOTCONN, WSAESHUTDOWN). */
static int peer_broke(int error)
{
    return error == 10053 || error == 10054 || error == 10057 || error == 10058;
}

void transcript_check_about(Transcript *t, Event *ev, Side side, const Op *op)
{
    EventWhat what;
    EventArgs args;
    op_subject(op, t->info.payload, &what, &args);
    event_init(ev, EV_CHECK, side, what);
    ev->args = args;
    ev->op = (int)(op - t->info.sc->ops);
    EVENT_SET(ev->step, op->step);
    ev->t_us = transcript_now(t);
    set_claim(ev, scenario_op_claim(t->info.sc, op));
    if (op->other.kind != EXP_UNSET)
        expect_format(&op->other, ev->other, sizeof ev->other);
}

int transcript_check(Transcript *t, Side side, const Op *op, const Outcome *o)
{
    Event ev;
    transcript_check_about(t, &ev, side, op);
    expect_format(&op->windows, ev.expected, sizeof ev.expected);
    outcome_format(o, ev.observed, sizeof ev.observed);
    ev.explain = op->explain;
    if (ev.evidence == EVIDENCE_DISPUTED && op->other.kind != EXP_UNSET &&
        (expect_matches(&op->windows, o) || expect_matches(&op->other, o))) {
        /* what one source says Windows does: shown beside both, not judged */
        ev.verdict = VERDICT_DISPUTED;
    } else if (expect_matches(&op->windows, o)) {
        ev.verdict = op->windows.kind == EXP_ANY ? VERDICT_SHOWN : VERDICT_OK;
    } else if (t->info.on_wine && op->wine.kind != EXP_UNSET && expect_matches(&op->wine, o)) {
        ev.verdict = VERDICT_KNOWN;
        ev.why = op->why;
    } else if (o->unobservable) {
        ev.verdict = VERDICT_UNOBSERVED; /* only the other end, another program, could say */
    } else if (o->not_observed) {
        /* the environment could not answer, or else the scenario's lines asked the impossible */
        ev.verdict = o->not_observed_env ? VERDICT_ENVIRONMENT : VERDICT_MISMATCH;
    } else if (op->windows.kind == EXP_UNSET && external(t) && o->failed && peer_broke(o->error)) {
        /* another program ended the connection its own way: its doing, not the machine's */
        ev.verdict = VERDICT_MISMATCH;
        snprintf(ev.text, sizeof ev.text, "the %s, another program, did not play these lines: it ended the connection",
                 side_name((Side)!side));
    } else if (op->windows.kind == EXP_UNSET) {
        ev.verdict = VERDICT_ENVIRONMENT; /* a call the scenario did not expect to fail */
    } else {
        /* a disputed claim never fails a run: what neither source says is shown beside
         * both (a known difference of Wine's, above, is still one, whichever is right) */
        ev.verdict = ev.evidence == EVIDENCE_DISPUTED ? VERDICT_DISPUTED : VERDICT_MISMATCH;
    }
    transcript_emit(t, &ev);
    return verdict_acceptable(ev.verdict);
}

void transcript_content_error(Transcript *t, Side side, int64_t offset, int got, int want)
{
    Event ev;
    event_init(&ev, EV_CHECK, side, EW_CONTENT);
    ev.t_us = transcript_now(t);
    snprintf(ev.expected, sizeof ev.expected, "byte 0x%02x", want);
    snprintf(ev.observed, sizeof ev.observed, "byte 0x%02x", got);
    snprintf(ev.text, sizeof ev.text, "received byte %lld differs from what the peer sent", (long long)offset);
    ev.verdict = VERDICT_ENVIRONMENT; /* TCP does not corrupt data: this would be a bug in the tool */
    transcript_emit(t, &ev);
}

int64_t transcript_step_time(Transcript *t, const char *label)
{
    int64_t r;
    t->lock(t->lock_ctx);
    r = steps_time(&t->steps, label, NULL);
    t->unlock(t->lock_ctx);
    return r;
}

int transcript_peer_row(Transcript *t, char step[EVENT_STEP_MAX], int64_t *t_us)
{
    int r;
    t->lock(t->lock_ctx);
    r = infer_other_state(&t->infer, step, t_us);
    t->unlock(t->lock_ctx);
    return r;
}

void transcript_waited_out(Transcript *t, Side side)
{
    t->lock(t->lock_ctx);
    t->waited_out[side] = 1;
    t->unlock(t->lock_ctx);
}

int64_t transcript_received(Transcript *t, Side side)
{
    int64_t r;
    t->lock(t->lock_ctx);
    r = t->sum.side[side].bytes_received;
    t->unlock(t->lock_ctx);
    return r;
}

void transcript_progress(Transcript *t, Side side)
{
    int64_t now = transcript_now(t);
    t->lock(t->lock_ctx);
    t->progress_us[side] = now;
    t->unlock(t->lock_ctx);
}

int64_t transcript_last_progress(Transcript *t, Side side)
{
    int64_t r;
    t->lock(t->lock_ctx);
    r = t->progress_us[side];
    t->unlock(t->lock_ctx);
    return r;
}

/* Whether a step must happen: some op carries the label and takes part in this run (a
 * step left out by if=payload is not due; one under if=open may or may not happen). */
static int step_due(const Transcript *t, const char *label)
{
    const Scenario *sc = t->info.sc;
    for (size_t i = 0; i < sc->nops; i++)
        if (strcmp(sc->ops[i].step, label) == 0 && scenario_op_active(&sc->ops[i], t->info.payload) &&
            !sc->ops[i].if_open)
            return 1;
    return 0;
}

static void emit_unobservable(Transcript *t, Event *ev, const char *fmt, const char *a, const char *b)
{
    ev->verdict = VERDICT_UNOBSERVED;
    snprintf(ev->observed, sizeof ev->observed, fmt, a, b);
    transcript_emit(t, ev);
}

static void check_order(Transcript *t, const OrderRule *r)
{
    Event ev;
    Side side = SIDE_CLIENT;
    int64_t a, b;
    if (external(t) && !steps_rule_local(t->info.sc, r, t->info.local)) {
        /* one of the two steps is the other program's: no clock of this end saw it */
        event_init(&ev, EV_CHECK, t->info.local, EW_ORDER);
        set_claim(&ev, scenario_claim(t->info.sc, r->claim));
        EVENT_SET(ev.step, r->after);
        ev.t_us = transcript_now(t);
        snprintf(ev.expected, sizeof ev.expected, "(%s) before (%s)", r->before, r->after);
        emit_unobservable(t, &ev, "(%s) is a step of the %s, another program",
                          steps_side_of(t->info.sc, r->before) != t->info.local ? r->before : r->after,
                          side_name((Side)!t->info.local));
        return;
    }
    t->lock(t->lock_ctx);
    a = steps_time(&t->steps, r->before, NULL);
    b = steps_time(&t->steps, r->after, &side);
    t->unlock(t->lock_ctx);
    if ((a < 0 && !step_due(t, r->before)) || (b < 0 && !step_due(t, r->after)))
        return; /* an optional step that did not happen */
    event_init(&ev, EV_CHECK, side, EW_ORDER);
    set_claim(&ev, scenario_claim(t->info.sc, r->claim));
    EVENT_SET(ev.step, r->after);
    ev.t_us = transcript_now(t);
    snprintf(ev.expected, sizeof ev.expected, "(%s) before (%s)", r->before, r->after);
    if (a < 0 || b < 0) {
        if (a < 0 && b >= 0) /* what did happen, and what did not */
            snprintf(ev.observed, sizeof ev.observed, "(%s) at %lld us, without (%s): it never happened", r->after,
                     (long long)b, r->before);
        else
            snprintf(ev.observed, sizeof ev.observed, "(%s) never happened", a < 0 ? r->before : r->after);
        ev.verdict = VERDICT_MISMATCH;
    } else {
        ev.verdict = a <= b ? VERDICT_OK : VERDICT_MISMATCH;
        snprintf(ev.observed, sizeof ev.observed, "(%s) at %lld us, (%s) at %lld us", r->before, (long long)a,
                 r->after, (long long)b);
    }
    transcript_emit(t, &ev);
}

void transcript_set_peer(Transcript *t, Side side, PeerKind peer, const char *text)
{
    Event ev;
    t->lock(t->lock_ctx);
    t->info.peer = peer;
    t->unlock(t->lock_ctx);
    event_init(&ev, EV_NOTE, side, EW_HANDSHAKE);
    ev.t_us = transcript_now(t);
    EVENT_SET(ev.text, text);
    transcript_emit(t, &ev);
}

void transcript_refuse(Transcript *t, Side side, const char *text)
{
    t->lock(t->lock_ctx);
    t->sum.refused = 1;
    t->unlock(t->lock_ctx);
    transcript_set_peer(t, side, t->info.peer, text);
}

/* The bytes the other end's lines send when every call does what Windows does (-1: a
 * `send fill`, as many as the buffers took, or a conditional line). */
static int64_t lines_send(const Transcript *t, Side side)
{
    int64_t n = 0;
    const Scenario *sc = t->info.sc;
    for (size_t i = 0; i < sc->nops; i++) {
        const Op *op = &sc->ops[i];
        if (op->side != side || !scenario_op_active(op, t->info.payload))
            continue;
        if (op->verb == OP_SEND_FILL || op->if_open)
            return -1;
        if (op->verb == OP_SEND && op->windows.kind != EXP_ERROR) /* one Windows fails sends nothing */
            n += op->arg < 0 ? t->info.payload : op->arg;
    }
    return n;
}

/* With an external peer, each check only the other end could make: what this end saw says
 * it did it, or did not (inferred, with the reason), or nothing here can say (not
 * observable). */
static void other_end_checks(Transcript *t)
{
    const Scenario *sc = t->info.sc;
    Side other = (Side)!t->info.local;
    for (size_t i = 0; i < sc->nops; i++) {
        const Op *op = &sc->ops[i];
        Event ev;
        char reason[2 * EVENT_TEXT_MAX];
        InferState st;
        if (op->side != other || !scenario_op_active(op, t->info.payload) || op->verb == OP_READING ||
            (op->verb == OP_QUIET && op->event == EW_NONE))
            continue;
        transcript_check_about(t, &ev, other, op);
        expect_format(&op->windows, ev.expected, sizeof ev.expected);
        ev.explain = op->explain;
        t->lock(t->lock_ctx);
        st = infer_op(&t->infer, op, INFER_FINAL | (t->waited_out[t->info.local] ? INFER_WAITED : 0), reason,
                      sizeof reason);
        t->unlock(t->lock_ctx);
        if (st != INFER_UNKNOWN) {
            /* inferred, not observed: what the other program did, not what Windows reported */
            snprintf(ev.observed, sizeof ev.observed, "%s (inferred)", st == INFER_DONE ? "done" : "not done");
            EVENT_SET(ev.text, reason);
            ev.inferred = 1;
            ev.verdict = st == INFER_DONE ? VERDICT_INFERRED : VERDICT_MISMATCH;
            transcript_emit(t, &ev);
            continue;
        }
        emit_unobservable(t, &ev, "only the %s could report it: it is another program%s", side_name(other),
                          op->if_open ? " (and the line is conditional)" : "");
    }
}

/* What the other end sent, as this end can judge it: the bytes the scenario's lines send
 * when the peer is ShutdownLab, nothing when it is another program. */
static int lost_observable(Transcript *t, int k, Event *ev)
{
    Summary *s = &t->sum;
    int64_t want;
    char n[32];
    if (!external(t))
        return 1;
    if (k == (int)t->info.local) {
        format_thousands(s->side[k].bytes_sent, n, sizeof n);
        emit_unobservable(t, ev, "sent %s bytes; what the %s received is not observable", n, side_name((Side)!k));
        return 0;
    }
    want = lines_send(t, (Side)k);
    if (t->info.peer != PEER_SHUTDOWNLAB || want < 0) {
        format_thousands(s->side[!k].bytes_received, n, sizeof n);
        emit_unobservable(t, ev, "received %s bytes%s", n,
                          t->info.peer != PEER_SHUTDOWNLAB ? " (another program's: counted, not checked)"
                                                           : " (it sends until its buffers are full)");
        return 0;
    }
    t->lock(t->lock_ctx);
    s->side[k].bytes_sent = want; /* what ShutdownLab's lines send, byte for byte (checked) */
    s->side[k].bytes_lost = want > s->side[!k].bytes_received ? want - s->side[!k].bytes_received : 0;
    s->side[k].lost_counted = 1;
    t->unlock(t->lock_ctx);
    return 1;
}

void transcript_finish(Transcript *t, const int left_open[SIDE_COUNT])
{
    Summary *s = &t->sum;
    const Scenario *sc = t->info.sc;
    StepFacts f;
    t->lock(t->lock_ctx);
    while (openfacts_take_oldest(&t->facts, &f)) /* the steps still open: the run is over */
        emit_showed(t, &f);
    t->unlock(t->lock_ctx);
    if (external(t))
        other_end_checks(t);
    for (size_t i = 0; i < sc->nrules; i++)
        check_order(t, &sc->rules[i]);
    t->lock(t->lock_ctx);
    for (int k = 0; k < SIDE_COUNT && !external(t); k++) {
        int64_t lost = s->side[k].bytes_sent - s->side[!k].bytes_received;
        s->side[k].bytes_lost = lost > 0 ? lost : 0;
        s->side[k].lost_counted = 1;
    }
    t->unlock(t->lock_ctx);
    for (int k = 0; k < SIDE_COUNT; k++) {
        Event ev;
        if (sc->lost[k] == LOST_UNCHECKED)
            continue;
        event_init(&ev, EV_CHECK, (Side)k, EW_BYTES_LOST);
        set_claim(&ev, scenario_claim(sc, sc->lost_claim[k]));
        ev.t_us = transcript_now(t);
        snprintf(ev.expected, sizeof ev.expected, "%s", sc->lost[k] == LOST_NONE ? "0" : "some");
        snprintf(ev.text, sizeof ev.text, "bytes the %s sent that the %s never received", side_name((Side)k),
                 side_name((Side)!k));
        if (!lost_observable(t, k, &ev))
            continue;
        snprintf(ev.observed, sizeof ev.observed, "%lld", (long long)s->side[k].bytes_lost);
        ev.verdict = (sc->lost[k] == LOST_NONE ? s->side[k].bytes_lost == 0 : s->side[k].bytes_lost > 0)
                         ? VERDICT_OK
                         : VERDICT_MISMATCH;
        transcript_emit(t, &ev);
    }
    for (int k = 0; k < SIDE_COUNT; k++) {
        Event ev;
        if (!left_open[k])
            continue;
        /* the scenario never closed it (or Windows refused to, and no if=open line retried) */
        event_init(&ev, EV_CHECK, (Side)k, EW_LEFT_OPEN);
        ev.verdict = VERDICT_MISMATCH;
        ev.t_us = transcript_now(t);
        snprintf(ev.expected, sizeof ev.expected, "0");
        snprintf(ev.observed, sizeof ev.observed, "%d", left_open[k]);
        snprintf(ev.text, sizeof ev.text, "the %s's lines never closed it: add '%s closesocket' (the tool closed it at "
                 "the end)", side_name((Side)k), side_name((Side)k));
        transcript_emit(t, &ev);
    }
    t->lock(t->lock_ctx);
    s->sockets_left_open = left_open[SIDE_CLIENT] + left_open[SIDE_SERVER];
    s->t_us = transcript_now(t);
    s->peer = t->info.peer;
    s->exit_code = s->refused ? 2 : s->environment ? 3 : s->mismatches ? 1 : 0;
    for (size_t i = 0; i < t->nsinks; i++)
        if (t->sinks[i]->end)
            t->sinks[i]->end(t->sinks[i], s);
    t->unlock(t->lock_ctx);
}
