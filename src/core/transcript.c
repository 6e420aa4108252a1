/* transcript.c: counting, step times, checks and the end-of-run verdict (transcript.h).
 * Exit codes are SPEC section 4's: 0 all met (or known differences), 1 a mismatch,
 * 3 the environment failed. */
#include "transcript.h"

#include <stdio.h>
#include <string.h>

static void no_lock(void *ctx) { (void)ctx; }

void transcript_init(Transcript *t, const RunInfo *info)
{
    memset(t, 0, sizeof *t);
    t->info = *info;
    t->lock = t->unlock = no_lock;
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
    t->t0 = t->clock_us ? t->clock_us(t->clock_ctx) : 0;
    for (size_t i = 0; i < t->nsinks; i++)
        if (t->sinks[i]->begin)
            t->sinks[i]->begin(t->sinks[i], &t->info);
}

static void count(Transcript *t, const Event *ev)
{
    SideStats *st = &t->sum.side[ev->side];
    if (ev->kind == EV_CALL && ev->has_result && ev->result > 0) {
        if (strncmp(ev->name, "send", 4) == 0)
            st->bytes_sent += ev->result;
        else if (strcmp(ev->name, "recv") == 0)
            st->bytes_received += ev->result;
    }
    if (ev->kind == EV_CHECK) {
        t->sum.checks++;
        if (!ev->ok && strcmp(ev->name, "content") == 0)
            st->content_errors++;
        if (!ev->ok) {
            if (ev->environment)
                t->sum.environment++;
            else if (ev->known_difference)
                t->sum.known_differences++;
            else
                t->sum.mismatches++;
        }
    }
    if (ev->kind == EV_STEP && ev->step[0] && t->nsteps < TRANSCRIPT_MAX_STEPS) {
        for (size_t i = 0; i < t->nsteps; i++)
            if (strcmp(t->steps[i].label, ev->step) == 0)
                return;
        StepTime *s = &t->steps[t->nsteps++];
        EVENT_SET(s->label, ev->step);
        s->side = ev->side;
        s->t_us = ev->t_us;
    }
}

static void emit_locked(Transcript *t, const Event *ev)
{
    count(t, ev);
    for (size_t i = 0; i < t->nsinks; i++)
        t->sinks[i]->event(t->sinks[i], ev);
}

void transcript_emit(Transcript *t, const Event *ev)
{
    t->lock(t->lock_ctx);
    emit_locked(t, ev);
    t->unlock(t->lock_ctx);
}

int transcript_check(Transcript *t, Side side, const char *step, const char *name, const Op *op, const Outcome *o)
{
    static const Op implicit; /* no expectation written: the call must succeed */
    Event ev;
    const Op *x = op ? op : &implicit;
    event_init(&ev, EV_CHECK, side, name);
    EVENT_SET(ev.step, step);
    ev.t_us = transcript_now(t);
    expect_format(&x->windows, ev.expected, sizeof ev.expected);
    outcome_format(o, ev.observed, sizeof ev.observed);
    ev.explain = x->explain;
    if (expect_matches(&x->windows, o)) {
        ev.ok = 1;
    } else if (t->info.on_wine && x->wine.kind != EXP_UNSET && expect_matches(&x->wine, o)) {
        ev.known_difference = 1;
        ev.why = x->why;
    } else if (o->not_observed) {
        ev.environment = o->not_observed_env; /* else the scenario's lines asked the impossible */
    } else if (x->windows.kind == EXP_UNSET) {
        ev.environment = 1; /* a call the scenario did not expect to fail */
    }
    transcript_emit(t, &ev);
    return ev.ok || ev.known_difference;
}

void transcript_content_error(Transcript *t, Side side, int64_t offset, int got, int want)
{
    Event ev;
    event_init(&ev, EV_CHECK, side, "content");
    ev.t_us = transcript_now(t);
    snprintf(ev.expected, sizeof ev.expected, "byte 0x%02x", want);
    snprintf(ev.observed, sizeof ev.observed, "byte 0x%02x", got);
    snprintf(ev.text, sizeof ev.text, "received byte %lld differs from what the peer sent", (long long)offset);
    ev.environment = 1; /* TCP does not corrupt data: this would be a bug in the tool */
    transcript_emit(t, &ev);
}

int64_t transcript_step_time(Transcript *t, const char *label)
{
    int64_t r = -1;
    t->lock(t->lock_ctx);
    for (size_t i = 0; i < t->nsteps; i++)
        if (strcmp(t->steps[i].label, label) == 0)
            r = t->steps[i].t_us;
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

static void check_order(Transcript *t, const OrderRule *r)
{
    Event ev;
    int64_t a, b;
    a = transcript_step_time(t, r->before);
    b = transcript_step_time(t, r->after);
    if ((a < 0 && !step_due(t, r->before)) || (b < 0 && !step_due(t, r->after)))
        return; /* an optional step that did not happen */
    event_init(&ev, EV_CHECK, SIDE_CLIENT, "order");
    for (size_t i = 0; i < t->nsteps; i++)
        if (strcmp(t->steps[i].label, r->after) == 0)
            ev.side = t->steps[i].side;
    EVENT_SET(ev.step, r->after);
    ev.t_us = transcript_now(t);
    snprintf(ev.expected, sizeof ev.expected, "(%s) before (%s)", r->before, r->after);
    if (a < 0 || b < 0) {
        snprintf(ev.observed, sizeof ev.observed, "(%s) never happened", a < 0 ? r->before : r->after);
    } else {
        ev.ok = a <= b;
        snprintf(ev.observed, sizeof ev.observed, "(%s) at %lld us, (%s) at %lld us", r->before, (long long)a,
                 r->after, (long long)b);
    }
    transcript_emit(t, &ev);
}

void transcript_finish(Transcript *t, const int left_open[SIDE_COUNT])
{
    Summary *s = &t->sum;
    const Scenario *sc = t->info.sc;
    for (size_t i = 0; i < sc->nrules; i++)
        check_order(t, &sc->rules[i]);
    t->lock(t->lock_ctx);
    for (int k = 0; k < SIDE_COUNT; k++) {
        int64_t lost = s->side[k].bytes_sent - s->side[!k].bytes_received;
        s->side[k].bytes_lost = lost > 0 ? lost : 0;
    }
    t->unlock(t->lock_ctx);
    for (int k = 0; k < SIDE_COUNT; k++) {
        Event ev;
        if (sc->lost[k] == LOST_UNCHECKED)
            continue;
        event_init(&ev, EV_CHECK, (Side)k, "bytes lost");
        ev.t_us = transcript_now(t);
        snprintf(ev.expected, sizeof ev.expected, "%s", sc->lost[k] == LOST_NONE ? "0" : "some");
        snprintf(ev.observed, sizeof ev.observed, "%lld", (long long)s->side[k].bytes_lost);
        ev.ok = sc->lost[k] == LOST_NONE ? s->side[k].bytes_lost == 0 : s->side[k].bytes_lost > 0;
        snprintf(ev.text, sizeof ev.text, "bytes the %s sent that the %s never received", side_name((Side)k),
                 side_name((Side)!k));
        transcript_emit(t, &ev);
    }
    for (int k = 0; k < SIDE_COUNT; k++) {
        Event ev;
        if (!left_open[k])
            continue;
        /* the scenario never closed it (or Windows refused to, and no if=open line retried) */
        event_init(&ev, EV_CHECK, (Side)k, "sockets left open");
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
    s->exit_code = s->environment ? 3 : s->mismatches ? 1 : 0;
    for (size_t i = 0; i < t->nsinks; i++)
        if (t->sinks[i]->end)
            t->sinks[i]->end(t->sinks[i], s);
    t->unlock(t->lock_ctx);
}
