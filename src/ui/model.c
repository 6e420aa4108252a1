/* model.c: the session's sink and what the UI thread makes of its events. The sink runs
 * on three threads (both ends and the TCP sampler, under the transcript's lock): it only
 * copies the record into a locked queue and posts WM_SL_EVENT. The drain, on the UI
 * thread, feeds the table, the log, the ladder, the counters and the text transcript. */
#include "ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "messages.h"

static void push(App *a, const UiRec *r)
{
    int post = 0;
    EnterCriticalSection(&a->qlock);
    if (a->nqueue == a->capqueue) {
        size_t cap = a->capqueue ? a->capqueue * 2 : 256;
        UiRec *q = realloc(a->queue, cap * sizeof *q);
        if (!q) {
            LeaveCriticalSection(&a->qlock);
            return;
        }
        a->queue = q;
        a->capqueue = cap;
    }
    a->queue[a->nqueue++] = *r;
    LeaveCriticalSection(&a->qlock);
    /* A post keeps the UI thread's queue non-empty, and Wine, like Windows, makes WM_TIMER
     * only when the queue is empty: during an FD_READ storm (reference/README.md, Wine
     * fact 3) posting per event would starve the ends' own timers. So the UI thread's
     * own events wait for the drain timer, and other threads post at most every 25 ms. */
    if (GetCurrentThreadId() != a->ui_thread && (LONG)GetTickCount() - a->last_post_ms >= 25 &&
        InterlockedExchange(&a->posted, 1) == 0)
        post = 1;
    if (post) {
        InterlockedExchange(&a->last_post_ms, (LONG)GetTickCount());
        PostMessageW(a->hwnd, WM_SL_EVENT, 0, 0); /* never SendMessage: the sender holds the lock */
    }
}

static void sink_begin(Sink *s, const RunInfo *info)
{
    UiRec r;
    (void)info;
    memset(&r, 0, sizeof r);
    r.type = REC_BEGIN;
    push(((UiSink *)s)->app, &r);
}

static void sink_event(Sink *s, const Event *ev)
{
    UiRec r;
    r.type = REC_EVENT;
    r.ev = *ev;
    memset(&r.sum, 0, sizeof r.sum);
    push(((UiSink *)s)->app, &r);
}

static void sink_end(Sink *s, const Summary *sum)
{
    UiRec r;
    memset(&r, 0, sizeof r);
    r.type = REC_END;
    r.sum = *sum;
    push(((UiSink *)s)->app, &r);
}

Sink *ui_sink_init(App *a)
{
    a->sink.sink.begin = sink_begin;
    a->sink.sink.event = sink_event;
    a->sink.sink.end = sink_end;
    a->sink.app = a;
    return &a->sink.sink;
}

/* The text transcript for export: the core's own formatter, fed here on the UI thread. */
static void text_write(void *ctx, const char *s, size_t n)
{
    App *a = ctx;
    if (a->ntext + n + 1 > a->captext) {
        size_t cap = (a->ntext + n + 1) * 2;
        char *p = realloc(a->text, cap);
        if (!p)
            return;
        a->text = p;
        a->captext = cap;
    }
    memcpy(a->text + a->ntext, s, n);
    a->ntext += n;
    a->text[a->ntext] = '\0';
}

void ui_model_build_rows(App *a)
{
    int64_t payload = a->sc->payload;
    a->nrows = 0;
    for (size_t i = 0; i < a->sc->nops && a->nrows < UI_MAX_ROWS; i++) {
        const Op *op = &a->sc->ops[i];
        UiRow *r;
        if (!op->step[0] || !scenario_op_active(op, payload))
            continue;
        r = &a->rows[a->nrows++];
        memset(r, 0, sizeof *r);
        EVENT_SET(r->step, op->step);
        r->side = op->side;
        op_describe(op, payload, r->what, sizeof r->what);
        r->explain = op->explain;
    }
}

/* Drops what an earlier run left (its session is destroyed, so nothing else comes). */
void ui_model_reset(App *a)
{
    EnterCriticalSection(&a->qlock);
    a->nqueue = 0;
    LeaveCriticalSection(&a->qlock);
    ui_model_build_rows(a);
    a->current_row = -1;
    a->have_sum = 0;
    a->run_done = 0;
    memset(&a->sum, 0, sizeof a->sum);
    memset(a->tcp_state, 0, sizeof a->tcp_state);
    memset(a->sent, 0, sizeof a->sent);
    memset(a->received, 0, sizeof a->received);
    memset(a->fin_sent, 0, sizeof a->fin_sent);
    memset(a->linger0, 0, sizeof a->linger0);
    memset(a->closed, 0, sizeof a->closed);
    memset(a->blocking_since, 0, sizeof a->blocking_since);
    memset(a->held_step, 0, sizeof a->held_step);
    a->ntext = 0;
    if (a->text)
        a->text[0] = '\0';
    formatter_init(&a->textfmt, FORMAT_TEXT, (Out){text_write, a});
    ui_log_reset(a);
    ui_ladder_reset(a);
}

int ui_row_of_step(const App *a, const char *step, Side side)
{
    for (int i = 0; i < a->nrows; i++)
        if (a->rows[i].side == side && !strcmp(a->rows[i].step, step))
            return i;
    return -1;
}

/* The first time a step label happened (a label can name several ops of one end), or
 * -1; *row gets the row that happened first. */
static int64_t first_time(const App *a, const char *step, int *row)
{
    int64_t t = -1;
    for (int i = 0; i < a->nrows; i++)
        if (a->rows[i].done && !strcmp(a->rows[i].step, step) && (t < 0 || a->rows[i].t_us < t)) {
            t = a->rows[i].t_us;
            *row = i;
        }
    return t;
}

/* The table's order rules, checked as the transcript does: on each label's first time,
 * as the ends stamped it (not the order events reached this thread). */
static void check_order(App *a)
{
    for (int i = 0; i < a->nrows; i++)
        a->rows[i].late = 0;
    for (size_t k = 0; k < a->sc->nrules; k++) {
        const OrderRule *ru = &a->sc->rules[k];
        int rb = -1, ra = -1;
        int64_t tb = first_time(a, ru->before, &rb), ta = first_time(a, ru->after, &ra);
        if (ta >= 0 && (tb < 0 || tb > ta))
            a->rows[ra].late = 1;
    }
}

static void on_step(App *a, const Event *ev)
{
    int i;
    for (i = 0; i < a->nrows; i++)
        if (!a->rows[i].done && a->rows[i].side == ev->side && !strcmp(a->rows[i].step, ev->step))
            break;
    if (i == a->nrows)
        return;
    a->rows[i].done = 1;
    a->rows[i].t_us = ev->t_us;
    a->current_row = i;
    EVENT_SET(a->held_step[ev->side], ev->step);
    check_order(a);
}

/* The row a check is about: its step on its side, and of those the op the check names
 * (a label can name several ops of one end: "closesocket" and "TCP table" in (3)). */
static int row_of_check(const App *a, const Event *ev)
{
    if (!ev->step[0] || !strcmp(ev->name, "order"))
        return -1;
    for (int i = 0; i < a->nrows; i++)
        if (a->rows[i].side == ev->side && !strcmp(a->rows[i].step, ev->step) && !strcmp(a->rows[i].what, ev->name))
            return i;
    return ui_row_of_step(a, ev->step, ev->side);
}

static void on_check(App *a, const Event *ev)
{
    int i = row_of_check(a, ev);
    UiRow *r;
    if (!ev->ok && strcmp(ev->name, "order"))
        ui_ladder_check(a, ev);
    if (i < 0)
        return;
    r = &a->rows[i];
    snprintf(r->check, sizeof r->check, "%s: Windows %s, observed %s", ev->name, ev->expected, ev->observed);
    r->check[sizeof r->check - 1] = '\0';
    r->check_state = ev->ok ? 1 : ev->known_difference ? 2 : 3;
    r->why = ev->why;
}

static void on_event(App *a, const Event *ev)
{
    Side s = ev->side;
    switch (ev->kind) {
    case EV_STEP:
        on_step(a, ev);
        break;
    case EV_STATE:
        EVENT_SET(a->tcp_state[s], ev->tcp_state);
        break;
    case EV_CHECK:
        on_check(a, ev);
        break;
    case EV_NOTE:
        /* the endpoint hands a lingering closesocket to a worker: blocked until it returns */
        if (!strcmp(ev->name, "closesocket"))
            a->blocking_since[s] = GetTickCount64();
        break;
    case EV_CALL:
        if (!strcmp(ev->name, "send") && ev->bytes > 0)
            a->sent[s] += ev->bytes;
        else if (!strcmp(ev->name, "recv") && ev->bytes > 0)
            a->received[s] += ev->bytes;
        else if (!strcmp(ev->name, "closesocket")) {
            a->blocking_since[s] = 0;
            a->closed[s] = 1;
        }
        break;
    case EV_MESSAGE:
        break;
    }
    ui_ladder_add(a, ev);
    ui_log_add(a, ev);
    ui_predict_observe(a, ev);
}

void ui_drain(App *a)
{
    UiRec *q;
    size_t n;
    InterlockedExchange(&a->posted, 0);
    EnterCriticalSection(&a->qlock);
    q = a->queue;
    n = a->nqueue;
    a->queue = NULL;
    a->nqueue = a->capqueue = 0;
    LeaveCriticalSection(&a->qlock);
    if (!n) {
        free(q);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        UiRec *r = &q[i];
        switch (r->type) {
        case REC_BEGIN:
            if (a->session)
                a->textfmt.sink.begin(&a->textfmt.sink, &a->session->t.info);
            break;
        case REC_EVENT:
            a->textfmt.sink.event(&a->textfmt.sink, &r->ev);
            on_event(a, &r->ev);
            break;
        case REC_END:
            a->textfmt.sink.end(&a->textfmt.sink, &r->sum);
            a->sum = r->sum;
            a->have_sum = 1;
            ui_log_end(a, &r->sum);
            break;
        }
    }
    free(q);
    ui_ladder_layout(a);
    ui_table_update(a);
    ui_log_sync(a);
    InvalidateRect(a->ladder, NULL, FALSE);
    InvalidateRect(a->explain, NULL, FALSE);
    ui_update_status(a);
}
