/* model.c: the session's sink, its queue, and the drain: the one writer of what the views
 * show (model.h). */
#include "ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../res/resource.h"
#include "grow.h"

void ui_model_init(App *a)
{
    ViewModel *m = &a->model;
    InitializeCriticalSection(&m->qlock);
    m->ui_thread = GetCurrentThreadId();
    linelog_init(&a->log.lines);
    ladder_init(&a->ladder.model);
    a->ladder.model.pure_acks = a->opt.pure_acks; /* --pure-acks; View > Pure ACKs toggles it */
}

static void push(App *a, const UiRec *r)
{
    ViewModel *m = &a->model;
    int post = 0;
    EnterCriticalSection(&m->qlock);
    if (m->muted) {
        LeaveCriticalSection(&m->qlock);
        return;
    }
    if (GROW(m->queue, m->capqueue, m->nqueue + 1) < 0)
        m->queue_dropped++; /* said in the log when drained */
    else
        m->queue[m->nqueue++] = *r;
    LeaveCriticalSection(&m->qlock);
    /* A post keeps the UI thread's queue non-empty, and Wine, like Windows, makes WM_TIMER
     * only when the queue is empty: posting per event would starve the UI's timers. So a
     * drain is posted at most every 25 ms, from any thread. The UI thread's own events
     * too: during an FD_READ storm (reference/README.md, Wine fact 3) the queue is never
     * empty, the drain timer never comes, and the events would pile up (a kilobyte each,
     * 100 MB for a storm of 100,000) with the views frozen until it ends. */
    if ((LONG)GetTickCount() - m->last_post_ms >= 25 + 3 * m->drain_ms && InterlockedExchange(&m->posted, 1) == 0)
        post = 1; /* ... and at most a quarter of the UI thread's time goes to drains */
    if (post) {
        InterlockedExchange(&m->last_post_ms, (LONG)GetTickCount());
        PostMessageW(a->hwnd, WM_UI_EVENTS, 0, 0); /* never SendMessage: the sender holds the lock */
    }
}

static void sink_begin(Sink *s, const RunInfo *info)
{
    UiRec r;
    memset(&r, 0, sizeof r);
    r.type = REC_BEGIN;
    ((UiSink *)s)->app->model.info = *info; /* before any event, on the thread that starts the run */
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

void ui_sink_mute(App *a, int muted)
{
    ViewModel *m = &a->model;
    EnterCriticalSection(&m->qlock);
    m->muted = muted;
    if (muted)
        m->nqueue = 0; /* what the parked run said before: not for the views either */
    LeaveCriticalSection(&m->qlock);
}

Sink *ui_sink(App *a)
{
    a->model.sink.sink.begin = sink_begin;
    a->model.sink.sink.event = sink_event;
    a->model.sink.sink.end = sink_end;
    a->model.sink.app = a;
    return &a->model.sink.sink;
}

/* The text transcript for export: the core's own formatter, fed here on the UI thread. */
static void text_write(void *ctx, const char *s, size_t n)
{
    App *a = ctx;
    ViewModel *m = &a->model;
    if (GROW(m->text, m->captext, m->ntext + n + 1) < 0) {
        m->text_dropped = 1; /* the export says it is incomplete */
        return;
    }
    memcpy(m->text + m->ntext, s, n);
    m->ntext += n;
    m->text[m->ntext] = '\0';
}

void ui_model_reset(App *a)
{
    ViewModel *m = &a->model;
    EnterCriticalSection(&m->qlock);
    m->nqueue = 0;
    m->queue_dropped = 0;
    LeaveCriticalSection(&m->qlock);
    m->records_dropped = 0;
    table_build(&m->table, a->run.sc, a->run.sc->payload);
    a->run.have_sum = 0;
    a->run.run_done = 0;
    memset(&a->run.sum, 0, sizeof a->run.sum);
    memset(m->tcp_state, 0, sizeof m->tcp_state);
    memset(m->sent, 0, sizeof m->sent);
    memset(m->received, 0, sizeof m->received);
    memset(m->closed, 0, sizeof m->closed);
    m->connected = 0;
    memset(m->blocking_since, 0, sizeof m->blocking_since);
    m->ntext = 0;
    m->text_dropped = 0;
    if (m->text)
        m->text[0] = '\0';
    formatter_init(&m->textfmt, FORMAT_TEXT, (Out){text_write, a});
    ui_log_reset(a);
    ladder_reset(&a->ladder.model);
}

/* The counters and states the views show beside the table, the log and the ladder. */
static void count(ViewModel *m, const Event *ev)
{
    Side s = ev->side;
    if (ev->kind == EV_STATE)
        m->tcp_state[s] = ev->tcp_state;
    else if (ev->kind == EV_NOTE && ev->what == EW_CLOSE_ON_WORKER)
        m->blocking_since[s] = GetTickCount64(); /* blocked until the close returns */
    else if (ev->kind == EV_CALL && ev->what == EW_SEND && ev->bytes > 0)
        m->sent[s] += ev->bytes;
    else if (ev->kind == EV_CALL && ev->what == EW_RECV && ev->bytes > 0)
        m->received[s] += ev->bytes;
    else if (ev->kind == EV_CALL && ev->what == EW_CLOSESOCKET) {
        m->blocking_since[s] = 0;
        m->closed[s] = 1;
    } else if (!ev->error && ((ev->kind == EV_CALL && ev->what == EW_ACCEPT) ||
                              (ev->kind == EV_MESSAGE && ev->what == EW_FD_CONNECT)))
        m->connected = 1;
}

static void on_event(App *a, const Event *ev)
{
    a->model.textfmt.sink.event(&a->model.textfmt.sink, ev);
    table_event(&a->model.table, ev);
    count(&a->model, ev);
    linelog_event(&a->log.lines, ev);
    ladder_add(&a->ladder.model, ev);
    ui_predict_observe(a, ev);
}

static void on_record(App *a, const UiRec *r)
{
    switch (r->type) {
    case REC_BEGIN:
        /* against another program the table judges only this end's own steps */
        table_set_peer(&a->model.table, a->model.info.local, a->model.info.peer != PEER_EMBEDDED);
        a->model.textfmt.sink.begin(&a->model.textfmt.sink, &a->model.info);
        break;
    case REC_EVENT:
        on_event(a, &r->ev);
        break;
    case REC_END:
        a->model.textfmt.sink.end(&a->model.textfmt.sink, &r->sum);
        a->run.sum = r->sum;
        a->run.have_sum = 1;
        ui_log_end(a, &r->sum);
        break;
    }
}

int ui_other_program(const App *a)
{
    return a->model.info.peer != PEER_EMBEDDED;
}

void ui_run_label(const App *a, wchar_t *buf, int size)
{
    if (ui_other_program(a) && a->model.info.where[0])
        ui_format(buf, (size_t)size, IDS_RUN_AT, a->run.sc->name, a->model.info.where);
    else
        ui_wide(a->run.sc->name, buf, size);
}

/* Takes the queue and feeds every record to the model; how many there were. */
static size_t take(App *a)
{
    ViewModel *m = &a->model;
    UiRec *q;
    size_t n;
    InterlockedExchange(&m->posted, 0);
    EnterCriticalSection(&m->qlock);
    q = m->queue;
    n = m->nqueue;
    m->queue = NULL;
    m->nqueue = m->capqueue = 0;
    m->records_dropped += m->queue_dropped;
    m->queue_dropped = 0;
    LeaveCriticalSection(&m->qlock);
    for (size_t i = 0; i < n; i++)
        on_record(a, &q[i]);
    free(q);
    return n;
}

void ui_model_take(App *a)
{
    take(a);
}

void ui_drain(App *a)
{
    ViewModel *m = &a->model;
    DWORD t0 = GetTickCount();
    if (!take(a))
        return;
    ladder_layout(&a->ladder.model);
    ui_table_update(a);
    ui_log_sync(a);
    InvalidateRect(a->ladder.hwnd, NULL, FALSE);
    InvalidateRect(a->explain.hwnd, NULL, FALSE);
    ui_update_status(a);
    InterlockedExchange(&m->drain_ms, (LONG)(GetTickCount() - t0)); /* spaces the next (push) */
}
