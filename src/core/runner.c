/* runner.c: one end's step engine (runner.h). The order of work for each message the
 * host handles: runner_observe (label, match, check, emit), the host's default handling
 * (recv on FD_READ, drain on FD_CLOSE), runner_handler_done, runner_pump. */
#include "runner.h"

#include <stdio.h>
#include <string.h>

#include "check.h"
#include "group.h"
#include "wsaerr.h"

void runner_init(Runner *r, Transcript *t, Side side, const RunnerHost *host)
{
    SL_ASSERT(host->act && host->arm && host->held);
    memset(r, 0, sizeof *r);
    r->t = t;
    r->sc = t->info.sc;
    r->side = side;
    r->host = *host;
    r->pc = 0;
}

static const Op *current(const Runner *r)
{
    return r->pc < r->sc->nops ? &r->sc->ops[r->pc] : NULL;
}

static int held(const Runner *r)
{
    return r->host.held(r->host.ctx);
}

static int op_applies(const Runner *r, const Op *op)
{
    if (op->side != r->side || !scenario_op_active(op, r->t->info.payload))
        return 0;
    return !(op->if_open && r->host.socket_open && !r->host.socket_open(r->host.ctx));
}

/* Moves pc to this side's next op that applies now. One of this end's own lines left out
 * by its condition is said, not silently dropped. */
static void skip_foreign(Runner *r)
{
    while (r->pc < r->sc->nops && !op_applies(r, &r->sc->ops[r->pc])) {
        const Op *op = &r->sc->ops[r->pc];
        if (op->side == r->side) {
            Event ev;
            event_init(&ev, EV_NOTE, r->side, EW_SKIPPED);
            EVENT_SET(ev.step, op->step);
            ev.t_us = transcript_now(r->t);
            snprintf(ev.text, sizeof ev.text, "line %d (%s): %s", op->line, op_verb_name(op->verb),
                     op->if_payload && r->t->info.payload == 0 ? "if=payload, and the payload is 0"
                                                              : "if=open, and this end's socket is already closed");
            transcript_emit(r->t, &ev);
        }
        r->pc++;
    }
}

static void emit_step(Runner *r, const Op *op, int64_t t_us)
{
    Event ev;
    EventWhat what;
    if (!op->step[0])
        return;
    if (strcmp(op->step, r->sticky_step) != 0) { /* a later step: earlier bursts end here */
        r->sticky_what = EW_NONE;
        r->sticky_step[0] = '\0';
    }
    EVENT_SET(r->last_step, op->step);
    op_subject(op, r->t->info.payload, &what, &ev.args);
    {
        EventArgs args = ev.args;
        event_init(&ev, EV_STEP, r->side, what);
        ev.args = args;
    }
    ev.op = (int)(op - r->sc->ops);
    EVENT_SET(ev.step, op->step);
    ev.t_us = t_us;
    ev.explain = op->explain;
    transcript_emit(r->t, &ev);
}

/* The script moved on past op: the other end's watchdog counts from here. */
static void advance(Runner *r, const Op *op)
{
    r->pc++;
    transcript_progress(r->t, r->side);
    if (op->step[0] && !op->no_sample && r->host.stepped)
        r->host.stepped(r->host.ctx, op); /* the host samples, and may hold the end */
}

static int64_t op_timeout(const Runner *r, const Op *op)
{
    return op->within_ms > 0 ? op->within_ms : r->t->info.timeout_ms;
}

/* A watchdog (an expectation's, or a call's under way): not while the other end is held. */
static void arm_watchdog(Runner *r, int64_t ms)
{
    if (!r->paused)
        r->host.arm(r->host.ctx, ms);
}

static void arm_wait(Runner *r, int64_t ms)
{
    r->wait_since_us = transcript_now(r->t);
    arm_watchdog(r, ms);
}

void runner_pause_watchdog(Runner *r)
{
    const Op *op = current(r);
    r->paused = 1;
    if ((r->waiting && op && op->verb == OP_EXPECT) || r->acting)
        r->host.arm(r->host.ctx, -1);
}

void runner_resume_watchdog(Runner *r)
{
    const Op *op = current(r);
    r->paused = 0;
    if (r->acting)
        arm_watchdog(r, r->pending_budget); /* a call still under way */
    else if (r->waiting && op && op->verb == OP_EXPECT)
        arm_wait(r, op_timeout(r, op));
}

/* The expectation an event could meet now: the current op while waiting for it, or
 * while the script is held after a step (the event must not be missed meanwhile). */
static const Op *awaited(Runner *r)
{
    const Op *op;
    if (r->acting || r->done)
        return NULL;
    skip_foreign(r);
    op = current(r);
    if (!op || op->verb != OP_EXPECT || !(r->waiting || held(r)))
        return NULL;
    return op;
}

static void finish(Runner *r)
{
    if (r->done)
        return;
    r->done = 1;
    r->host.arm(r->host.ctx, -1);
    if (r->host.finished)
        r->host.finished(r->host.ctx);
}

int runner_over(const Runner *r)
{
    return r->done;
}

void runner_abandon(Runner *r)
{
    r->done = 1;
    r->acting = r->waiting = 0;
    r->host.arm(r->host.ctx, -1);
}

/* An expectation met by an event stamped t_us: step, check, next op. */
static void satisfy(Runner *r, const Op *op, int64_t t_us, const Outcome *o)
{
    r->waiting = 0;
    r->host.arm(r->host.ctx, -1);
    r->sticky_what = op->event;
    EVENT_SET(r->sticky_step, op->step);
    emit_step(r, op, t_us);
    transcript_check(r->t, r->side, op, o);
    advance(r, op);
}

/* Keeps an event no expectation has met yet, for one this end has not reached. */
static void remember(Runner *r, const Event *ev, const Outcome *o)
{
    Recent *rc = &r->recent[r->nrecent % RUNNER_RECENT];
    rc->what = ev->what;
    rc->o = *o;
    rc->t_us = ev->t_us;
    r->nrecent++;
}

/* The first later expectation of this end that an event of `what` meets: an event can come
 * before its end reaches the line that awaits it (the other end was quicker, or did
 * something else), and it is that line's step at once, not an unlabelled stray. */
static const Op *later_expectation(Runner *r, EventWhat what)
{
    for (size_t i = r->pc + 1; i < r->sc->nops; i++) {
        const Op *op = &r->sc->ops[i];
        if (op_applies(r, op) && op->verb == OP_EXPECT && op->event == what)
            return op;
    }
    return NULL;
}

/* The end of the peer's data, or a reset, as this end saw it: no data can come after it. */
static void note_data_over(Runner *r, const Event *ev)
{
    if (!ev->stale && ev->kind == EV_MESSAGE && ev->what == EW_FD_CLOSE && !r->saw_close) {
        r->saw_close = 1;
        r->close_us = ev->t_us;
    }
    if (ev->stale || r->data_over)
        return;
    if (ev->kind == EV_CALL && ev->what == EW_RECV && ev->has_result && ev->result == 0)
        r->data_over = 1;
    else if (ev->kind == EV_CALL && ev->what == EW_RECV && ev->has_result && ev->result < 0 &&
             (ev->error == 10053 || ev->error == 10054))
        r->data_over = 2;
    else if (ev->kind == EV_MESSAGE && ev->what == EW_FD_CLOSE && ev->error)
        r->data_over = 2;
    if (r->data_over) {
        r->over_error = r->data_over == 2 ? ev->error : 0;
        r->over_us = ev->t_us;
    }
}

void runner_observe(Runner *r, Event *ev, const Outcome *o)
{
    const Op *op = current(r);
    const Op *want = awaited(r);
    const Op *later;
    int labelled = 0, early = 0;
    note_data_over(r, ev);
    if (r->acting && op && !ev->step[0]) {
        EVENT_SET(ev->step, op->step);
    } else if (want && want->event == ev->what && !ev->stale) {
        EVENT_SET(ev->step, want->step);
        if (ev->kind == EV_MESSAGE)
            EVENT_SET(r->handler_step, want->step);
        transcript_emit(r->t, ev);
        satisfy(r, want, ev->t_us, o);
        return;
    } else if (!ev->step[0]) {
        if (r->handler_step[0] && ev->kind == EV_CALL)
            EVENT_SET(ev->step, r->handler_step);
        else if (r->sticky_what != EW_NONE && r->sticky_what == ev->what)
            EVENT_SET(ev->step, r->sticky_step);
        else if (ev->kind == EV_MESSAGE && !ev->stale && (later = later_expectation(r, ev->what)) != NULL &&
                 later->step[0]) {
            EVENT_SET(ev->step, later->step); /* early: that line takes it when its end gets there */
            early = 1;
        } else if (r->last_step[0] && (ev->kind == EV_MESSAGE || ev->kind == EV_CALL) && !ev->stale) {
            EVENT_SET(ev->step, r->last_step); /* it came during that step: still no line's match */
            early = 1;
        }
        if (ev->kind == EV_MESSAGE && ev->step[0])
            EVENT_SET(r->handler_step, ev->step);
        labelled = ev->step[0] != '\0' && !early; /* part of a step already met: no one else's */
    }
    if (r->waiting && op && op->verb == OP_QUIET && op->event != EW_NONE && op->event == ev->what)
        r->quiet_hit = 1;
    if (!ev->stale && !labelled && (ev->kind == EV_MESSAGE || (ev->kind == EV_CALL && !r->acting)))
        remember(r, ev, o);
    transcript_emit(r->t, ev);
}

void runner_handler_done(Runner *r)
{
    r->handler_step[0] = '\0';
}

/* An expectation that can no longer be met fails at once, with what came instead: data
 * awaited after the end of the peer's data or a reset, a message awaited on a socket this
 * end has closed. No watchdog is waited out for what cannot come; the end goes on with its
 * next line, and the events that did come keep their own steps. Returns 1 when it failed. */
static int fail_impossible(Runner *r, const Op *op)
{
    Event ev;
    char name[EVENT_NAME_MAX], all[32], since[32], err[64], obs[2 * EVENT_VALUE_MAX], text[2 * EVENT_TEXT_MAX];
    const char *other = side_name((Side)!r->side);
    int closed = r->host.socket_open && !r->host.socket_open(r->host.ctx), data = op->event == EW_FD_READ && r->data_over;
    int64_t got, after;
    if (op->verb != OP_EXPECT || !(data || (closed && event_what_is_message(op->event))))
        return 0;
    transcript_check_about(r->t, &ev, r->side, op);
    event_name(&ev, name, sizeof name);
    snprintf(ev.expected, sizeof ev.expected, "%s", name);
    got = transcript_received(r->t, r->side);
    after = got - r->wait_received;
    format_thousands(got, all, sizeof all);
    format_thousands(after, since, sizeof since);
    if (!data) {
        snprintf(obs, sizeof obs, "this end's socket is closed");
        snprintf(text, sizeof text, "%s of (%s) cannot come: this end has closed its socket, and Winsock posts "
                 "nothing for a closed socket (line %d)", name, op->step, op->line);
    } else if (r->data_over == 2) {
        wsaerr_format(r->over_error, err, sizeof err);
        snprintf(obs, sizeof obs, "a reset (%s) at %.3f ms, after %s bytes", err, r->over_us / 1000.0, all);
        snprintf(text, sizeof text, "the connection was reset (%s) after %s bytes from the %s: no more data can come, so "
                 "the %s of (%s) never will", err, all, other, name, op->step);
    } else if (after > 0) {
        snprintf(obs, sizeof obs, "FD_CLOSE first: its recv read %s bytes, then 0", since);
        snprintf(text, sizeof text, "the data came, but FD_CLOSE came first and its handler read all %s bytes, so no %s "
                 "came for them (oracle #17)", since, name);
    } else {
        snprintf(obs, sizeof obs, "the end of the data (recv = 0) at %.3f ms, after %s bytes",
                 r->over_us / 1000.0, all);
        if (got == 0 && r->t->info.on_wine) /* Wine 8 reads a reset as recv = 0 too (reference fact 1) */
            snprintf(text, sizeof text, "the %s ended its data with 0 bytes (recv = 0: its FIN, or under Wine 8 a "
                     "reset), so the %s of (%s) can no longer come", other, name, op->step);
        else if (got == 0)
            snprintf(text, sizeof text, "the %s closed without sending any data: 0 bytes before its FIN, so the %s of "
                     "(%s) can no longer come", other, name, op->step);
        else
            snprintf(text, sizeof text, "the %s's FIN came after %s bytes in all and none since this line began: the %s "
                     "of (%s) can no longer come", other, all, name, op->step);
    }
    EVENT_SET(ev.observed, obs);
    EVENT_SET(ev.text, text);
    ev.verdict = VERDICT_MISMATCH;
    transcript_emit(r->t, &ev);
    r->waiting = 0;
    r->host.arm(r->host.ctx, -1);
    r->pc++; /* no step happened, so none is sampled: the end goes on */
    transcript_progress(r->t, r->side);
    return 1;
}

/* An expectation reached after its event already happened (the other end was quicker
 * than this end's own actions): the oldest unmatched event of that kind meets it. */
static int match_recent(Runner *r, const Op *op)
{
    size_t first = r->nrecent > RUNNER_RECENT ? r->nrecent - RUNNER_RECENT : 0;
    for (size_t i = first; i < r->nrecent; i++) {
        Recent *rc = &r->recent[i % RUNNER_RECENT];
        if (rc->what != EW_NONE && rc->what == op->event) {
            rc->what = EW_NONE;
            r->waiting = 1;
            satisfy(r, op, rc->t_us, &rc->o);
            return 1;
        }
    }
    return 0;
}

void runner_start(Runner *r)
{
    r->nrecent = 0; /* the set-up's events (FD_CONNECT, FD_WRITE) are no one's expectation */
    transcript_progress(r->t, r->side);
    runner_pump(r);
}

static void after_action(Runner *r, const Op *op, const Outcome *o)
{
    r->acting = 0;
    if (op->verb != OP_READING && !transcript_check(r->t, r->side, op, o) && op->windows.kind == EXP_UNSET) {
        r->failed = 1; /* an unexpected failure: this end cannot go on meaningfully */
        finish(r);
        return;
    }
    advance(r, op);
}

void runner_pump(Runner *r)
{
    /* what the last message did may have made the awaited event impossible */
    if (!r->done && r->waiting && current(r) && current(r)->verb == OP_EXPECT)
        fail_impossible(r, current(r));
    while (!r->done && !r->waiting && !r->acting && !held(r)) {
        const Op *op;
        Outcome o;
        skip_foreign(r);
        if (!(op = current(r))) {
            finish(r);
            return;
        }
        if (op->verb == OP_EXPECT) {
            if (match_recent(r, op))
                continue;
            r->wait_received = transcript_received(r->t, r->side);
            if (fail_impossible(r, op))
                continue;
            r->waiting = 1;
            arm_wait(r, op_timeout(r, op));
            return;
        }
        if (op->verb == OP_QUIET) {
            r->waiting = 1;
            r->quiet_hit = 0;
            emit_step(r, op, transcript_now(r->t)); /* before the events it explains */
            r->wait_since_us = transcript_now(r->t);
            r->host.arm(r->host.ctx, op->arg); /* the end's own time: it runs while paused too */
            return;
        }
        emit_step(r, op, transcript_now(r->t));
        r->acting = 1;
        memset(&o, 0, sizeof o);
        if (r->host.act(r->host.ctx, op, &o) == ACT_PENDING) {
            if (r->done)
                return; /* the host gave up on the connection during the call (runner_abandon) */
            /* a call still under way has a watchdog too: no run waits forever */
            r->pending_budget = o.budget_ms > 0 ? o.budget_ms : r->t->info.timeout_ms;
            arm_watchdog(r, r->pending_budget);
            return;
        }
        if (r->done)
            return; /* abandoned during the call: nothing of it is judged */
        after_action(r, op, &o);
    }
}

void runner_progress(Runner *r)
{
    if (!r->acting)
        return;
    arm_watchdog(r, r->pending_budget);
    transcript_progress(r->t, r->side);
}

void runner_complete(Runner *r, const Outcome *o)
{
    const Op *op = current(r);
    SL_ASSERT(r->acting && op); /* one pending action at a time, and this is it */
    r->host.arm(r->host.ctx, -1);
    after_action(r, op, o);
    runner_pump(r);
}

/* A call that never completed: a send the peer never drained, a close that never
 * returned, a TCP-table read that never came back. */
static void call_overdue(Runner *r, const Op *op)
{
    Event ev;
    char name[EVENT_NAME_MAX];
    transcript_check_about(r->t, &ev, r->side, op);
    event_name(&ev, name, sizeof name);
    snprintf(ev.expected, sizeof ev.expected, "completes");
    snprintf(ev.observed, sizeof ev.observed, "still under way after %lld ms", (long long)r->pending_budget);
    snprintf(ev.text, sizeof ev.text, "watchdog: %s did not complete within %lld ms (line %d)", name,
             (long long)r->pending_budget, op->line);
    ev.verdict = VERDICT_ENVIRONMENT;
    transcript_emit(r->t, &ev);
    r->acting = 0;
    r->failed = 1;
    if (r->host.overdue)
        r->host.overdue(r->host.ctx); /* a completion that still comes finds nothing pending */
    finish(r);
}

static void quiet_over(Runner *r, const Op *op)
{
    if (op->event != EW_NONE) {
        Event ev;
        char name[EVENT_NAME_MAX];
        transcript_check_about(r->t, &ev, r->side, op);
        ev.what = op->event; /* the check is about the event that must not come */
        event_name(&ev, name, sizeof name);
        snprintf(ev.expected, sizeof ev.expected, "no %s", name);
        snprintf(ev.observed, sizeof ev.observed, "%s", r->quiet_hit ? name : "none");
        ev.verdict = r->quiet_hit ? VERDICT_MISMATCH : VERDICT_OK;
        transcript_emit(r->t, &ev);
    }
    advance(r, op);
    runner_pump(r);
}

/* The other end may be slow for good reasons (a storm it is draining, a long quiet): an
 * expectation's watchdog counts from the later of its own start and the other end's last
 * progress. Returns 1 when it was armed again for the rest. */
static int wait_longer(Runner *r, const Op *op)
{
    int64_t budget = op_timeout(r, op) * 1000, now = transcript_now(r->t);
    int64_t other = transcript_last_progress(r->t, (Side)!r->side);
    int64_t from = other > r->wait_since_us ? other : r->wait_since_us;
    if (now - from >= budget)
        return 0;
    r->host.arm(r->host.ctx, (budget - (now - from) + 999) / 1000);
    return 1;
}

static void expectation_overdue(Runner *r, const Op *op)
{
    Event ev;
    char name[EVENT_NAME_MAX];
    int64_t now = transcript_now(r->t), other = transcript_last_progress(r->t, (Side)!r->side);
    transcript_check_about(r->t, &ev, r->side, op);
    event_name(&ev, name, sizeof name);
    if (r->t->info.on_wine && op->wine.kind == EXP_ABSENT) {
        /* a platform documented not to post it (wine=none): a known difference, go on */
        expect_format(&op->windows, ev.expected, sizeof ev.expected);
        snprintf(ev.observed, sizeof ev.observed, "no %s in %lld ms", name, (long long)op_timeout(r, op));
        ev.verdict = VERDICT_KNOWN;
        ev.why = op->why;
        ev.explain = op->explain;
        transcript_emit(r->t, &ev);
        r->pc++;
        transcript_progress(r->t, r->side);
        runner_pump(r);
        return;
    }
    snprintf(ev.expected, sizeof ev.expected, "%s", name);
    snprintf(ev.observed, sizeof ev.observed, "nothing in %lld ms", (long long)op_timeout(r, op));
    {
        char text[2 * EVENT_TEXT_MAX];
        char step[EVENT_STEP_MAX];
        int row = r->t->info.peer != PEER_EMBEDDED && !r->saw_close ? transcript_peer_row(r->t, step, NULL) : 0;
        if (r->saw_close && r->t->info.peer != PEER_EMBEDDED && op->event != EW_FD_CLOSE) /* it had closed */
            snprintf(text, sizeof text, "watchdog: no %s within %lld ms; FD_CLOSE came at %.3f ms: the %s had closed, "
                     "and no %s came", name, (long long)op_timeout(r, op), r->close_us / 1000.0,
                     side_name((Side)!r->side), name);
        else if (row == TCP_STATE_CLOSE_WAIT || row == TCP_STATE_ESTABLISHED) /* what its row says it did */
            snprintf(text, sizeof text, "watchdog: no %s within %lld ms; the %s's row was in %s%s%s%s: %s",
                     name, (long long)op_timeout(r, op), side_name((Side)!r->side), tcp_state_label(row),
                     step[0] ? " after (" : "", step, step[0] ? ")" : "",
                     row == TCP_STATE_CLOSE_WAIT ? (op->event == EW_FD_READ ? "it had this end's FIN, and has sent "
                                                                               "nothing since and not closed"
                                                                             : "it had this end's FIN and has not closed")
                     : op->event == EW_FD_READ ? "it has sent nothing since and not shut down or closed"
                                               : "it has not shut down or closed");
        else if (r->t->info.peer != PEER_EMBEDDED) /* another program's doing: it did not play its lines */
            snprintf(text, sizeof text, "watchdog: %s did not arrive within %lld ms: the %s, another program, did not "
                     "do what its lines say (line %d)", name, (long long)op_timeout(r, op), side_name((Side)!r->side),
                     op->line);
        else
            snprintf(text, sizeof text,
                     "watchdog: %s did not arrive within %lld ms (waited %.3f s from %.3f s; the %s last moved on at "
                     "%.3f s; line %d)",
                     name, (long long)op_timeout(r, op), (now - r->wait_since_us) / 1e6, r->wait_since_us / 1e6,
                     side_name((Side)!r->side), other / 1e6, op->line);
        EVENT_SET(ev.text, text);
    }
    ev.verdict = r->t->info.peer != PEER_EMBEDDED ? VERDICT_MISMATCH : VERDICT_ENVIRONMENT;
    transcript_emit(r->t, &ev);
    transcript_waited_out(r->t, r->side);
    r->failed = 1;
    finish(r);
}

void runner_timer(Runner *r)
{
    const Op *op = current(r);
    if (r->acting && op) {
        call_overdue(r, op);
        return;
    }
    if (!r->waiting || !op)
        return;
    if (op->verb == OP_QUIET) {
        r->waiting = 0;
        quiet_over(r, op);
        return;
    }
    if (wait_longer(r, op))
        return;
    r->waiting = 0;
    expectation_overdue(r, op);
}

const Op *runner_next_step(Runner *r)
{
    for (size_t i = r->pc; i < r->sc->nops; i++) {
        const Op *op = &r->sc->ops[i];
        if (op->step[0] && op_applies(r, op))
            return op;
    }
    return NULL;
}

int runner_failed(const Runner *r)
{
    return r->failed;
}
