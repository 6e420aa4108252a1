/* runner.c: one end's step engine (runner.h). The order of work for each message the
 * host handles: runner_observe (label, match, check, emit), the host's default handling
 * (recv on FD_READ, drain on FD_CLOSE), runner_handler_done, runner_pump. */
#include "runner.h"

#include <stdio.h>
#include <string.h>

void runner_init(Runner *r, Transcript *t, Side side, const RunnerHost *host)
{
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
            event_init(&ev, EV_NOTE, r->side, "skipped");
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
    if (!op->step[0])
        return;
    if (strcmp(op->step, r->sticky_step) != 0)
        r->sticky_name[0] = r->sticky_step[0] = '\0'; /* a later step: earlier bursts end here */
    event_init(&ev, EV_STEP, r->side, "");
    op_describe(op, r->t->info.payload, ev.name, sizeof ev.name);
    EVENT_SET(ev.step, op->step);
    ev.t_us = t_us;
    ev.explain = op->explain;
    transcript_emit(r->t, &ev);
}

/* After a step's call returned or its event arrived: the host may hold the script. */
static void step_done(Runner *r, const Op *op)
{
    if (op->step[0] && !op->no_sample && r->host.stepped && r->host.stepped(r->host.ctx, op->step))
        r->held++;
}

static int64_t op_timeout(const Runner *r, const Op *op)
{
    return op->within_ms > 0 ? op->within_ms : r->t->info.timeout_ms;
}

void runner_pause_watchdog(Runner *r)
{
    const Op *op = current(r);
    if ((r->waiting && op && op->verb == OP_EXPECT) || r->acting)
        r->host.arm(r->host.ctx, -1);
}

void runner_resume_watchdog(Runner *r)
{
    const Op *op = current(r);
    if (r->acting)
        r->host.arm(r->host.ctx, r->pending_budget); /* a call still under way */
    else if (r->waiting && op && op->verb == OP_EXPECT)
        r->host.arm(r->host.ctx, op_timeout(r, op));
}

void runner_release(Runner *r)
{
    if (!r->held)
        return;
    if (--r->held == 0)
        runner_pump(r);
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
    if (!op || op->verb != OP_EXPECT || !(r->waiting || r->held))
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

/* An expectation met by an event: step, check, next op. */
static void satisfy(Runner *r, const Op *op, const Event *ev, const Outcome *o)
{
    r->waiting = 0;
    r->host.arm(r->host.ctx, -1);
    EVENT_SET(r->sticky_name, op->what);
    EVENT_SET(r->sticky_step, op->step);
    emit_step(r, op, ev->t_us);
    transcript_check(r->t, r->side, op->step, op->what, op, o);
    r->pc++;
    step_done(r, op);
}

void runner_observe(Runner *r, Event *ev, const Outcome *o)
{
    const Op *op = current(r);
    const Op *want = awaited(r);
    int labelled = 0;
    if (r->acting && op && !ev->step[0]) {
        EVENT_SET(ev->step, op->step);
    } else if (want && strcmp(want->what, ev->name) == 0 && !ev->stale) {
        op = want;
        EVENT_SET(ev->step, op->step);
        if (ev->kind == EV_MESSAGE)
            EVENT_SET(r->handler_step, op->step);
        transcript_emit(r->t, ev);
        satisfy(r, op, ev, o);
        return;
    } else if (!ev->step[0]) {
        if (r->handler_step[0] && ev->kind == EV_CALL)
            EVENT_SET(ev->step, r->handler_step);
        else if (r->sticky_name[0] && strcmp(r->sticky_name, ev->name) == 0)
            EVENT_SET(ev->step, r->sticky_step);
        if (ev->kind == EV_MESSAGE && ev->step[0])
            EVENT_SET(r->handler_step, ev->step);
        labelled = ev->step[0] != '\0'; /* part of a step already met: no one else's */
    }
    if (r->waiting && op && op->verb == OP_QUIET && op->what[0] && strcmp(op->what, ev->name) == 0)
        r->quiet_hit = 1;
    if (!ev->stale && !labelled && (ev->kind == EV_MESSAGE || (ev->kind == EV_CALL && !r->acting))) {
        /* kept for an expectation this end has not reached yet */
        Recent *rc = &r->recent[r->nrecent % RUNNER_RECENT];
        EVENT_SET(rc->name, ev->name);
        rc->o = *o;
        rc->t_us = ev->t_us;
        r->nrecent++;
    }
    transcript_emit(r->t, ev);
}

void runner_handler_done(Runner *r)
{
    r->handler_step[0] = '\0';
}

/* An expectation reached after its event already happened (the other end was quicker
 * than this end's own actions): the oldest unmatched event of that name meets it. */
static int match_recent(Runner *r, const Op *op)
{
    size_t first = r->nrecent > RUNNER_RECENT ? r->nrecent - RUNNER_RECENT : 0;
    for (size_t i = first; i < r->nrecent; i++) {
        Recent *rc = &r->recent[i % RUNNER_RECENT];
        if (rc->name[0] && strcmp(rc->name, op->what) == 0) {
            Event ev;
            event_init(&ev, EV_NOTE, r->side, op->what);
            ev.t_us = rc->t_us;
            rc->name[0] = '\0';
            r->waiting = 1;
            satisfy(r, op, &ev, &rc->o);
            return 1;
        }
    }
    return 0;
}

void runner_start(Runner *r)
{
    r->nrecent = 0; /* the set-up's events (FD_CONNECT, FD_WRITE) are no one's expectation */
    runner_pump(r);
}

static void after_action(Runner *r, const Op *op, const Outcome *o)
{
    char name[EVENT_NAME_MAX];
    r->acting = 0;
    op_describe(op, r->t->info.payload, name, sizeof name);
    if (op->verb != OP_READING && !transcript_check(r->t, r->side, op->step, name, op, o) &&
        op->windows.kind == EXP_UNSET) {
        r->failed = 1; /* an unexpected failure: this end cannot go on meaningfully */
        finish(r);
        return;
    }
    r->pc++;
    step_done(r, op);
}

void runner_pump(Runner *r)
{
    while (!r->done && !r->waiting && !r->acting && !r->held) {
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
            r->waiting = 1;
            r->host.arm(r->host.ctx, op_timeout(r, op));
            return;
        }
        if (op->verb == OP_QUIET) {
            r->waiting = 1;
            r->quiet_hit = 0;
            emit_step(r, op, transcript_now(r->t)); /* before the events it explains */
            r->host.arm(r->host.ctx, op->arg);
            return;
        }
        emit_step(r, op, transcript_now(r->t));
        r->acting = 1;
        memset(&o, 0, sizeof o);
        if (r->host.act(r->host.ctx, op, &o) == ACT_PENDING) {
            /* a call still under way has a watchdog too: no run waits forever */
            r->pending_budget = o.budget_ms > 0 ? o.budget_ms : r->t->info.timeout_ms;
            r->host.arm(r->host.ctx, r->pending_budget);
            return;
        }
        after_action(r, op, &o);
    }
}

void runner_progress(Runner *r)
{
    if (r->acting)
        r->host.arm(r->host.ctx, r->pending_budget);
}

void runner_complete(Runner *r, const Outcome *o)
{
    const Op *op = current(r);
    if (!r->acting || !op)
        return;
    r->host.arm(r->host.ctx, -1);
    after_action(r, op, o);
    runner_pump(r);
}

void runner_timer(Runner *r)
{
    const Op *op = current(r);
    if (r->acting && op) {
        /* a call that never completed: a send the peer never drained, a close that never
         * returned, a TCP-table read that never came back */
        Event ev;
        char name[EVENT_NAME_MAX];
        op_describe(op, r->t->info.payload, name, sizeof name);
        event_init(&ev, EV_CHECK, r->side, name);
        EVENT_SET(ev.step, op->step);
        ev.t_us = transcript_now(r->t);
        snprintf(ev.expected, sizeof ev.expected, "completes");
        snprintf(ev.observed, sizeof ev.observed, "still under way after %lld ms", (long long)r->pending_budget);
        snprintf(ev.text, sizeof ev.text, "watchdog: %s did not complete within %lld ms (line %d)", name,
                 (long long)r->pending_budget, op->line);
        ev.environment = 1;
        transcript_emit(r->t, &ev);
        r->acting = 0;
        r->failed = 1;
        finish(r);
        return;
    }
    if (!r->waiting || !op)
        return;
    r->waiting = 0;
    if (op->verb == OP_QUIET) {
        if (op->what[0]) {
            Outcome o = {.value = r->quiet_hit};
            Event ev;
            event_init(&ev, EV_CHECK, r->side, op->what);
            EVENT_SET(ev.step, op->step);
            ev.t_us = transcript_now(r->t);
            snprintf(ev.expected, sizeof ev.expected, "no %s", op->what);
            snprintf(ev.observed, sizeof ev.observed, "%s", o.value ? op->what : "none");
            ev.ok = !r->quiet_hit;
            transcript_emit(r->t, &ev);
        }
        r->pc++;
        step_done(r, op);
        runner_pump(r);
        return;
    }
    /* The watchdog: the expected event did not come. Where a platform is documented not to
     * post it (wine=none), that is a known difference and the script goes on. */
    if (r->t->info.on_wine && op->wine.kind == EXP_ABSENT) {
        Event ev;
        event_init(&ev, EV_CHECK, r->side, op->what);
        EVENT_SET(ev.step, op->step);
        ev.t_us = transcript_now(r->t);
        expect_format(&op->windows, ev.expected, sizeof ev.expected);
        snprintf(ev.observed, sizeof ev.observed, "no %s in %lld ms", op->what, (long long)op_timeout(r, op));
        ev.known_difference = 1;
        ev.why = op->why;
        ev.explain = op->explain;
        transcript_emit(r->t, &ev);
        r->pc++;
        runner_pump(r);
        return;
    }
    {
        Event ev;
        event_init(&ev, EV_CHECK, r->side, op->what);
        EVENT_SET(ev.step, op->step);
        ev.t_us = transcript_now(r->t);
        snprintf(ev.expected, sizeof ev.expected, "%s", op->what);
        snprintf(ev.observed, sizeof ev.observed, "nothing in %lld ms", (long long)op_timeout(r, op));
        snprintf(ev.text, sizeof ev.text, "watchdog: %s did not arrive within %lld ms (line %d)", op->what,
                 (long long)op_timeout(r, op), op->line);
        ev.environment = 1;
        transcript_emit(r->t, &ev);
    }
    r->failed = 1;
    finish(r);
}
