/* model.h: what the views show, and its one writer. The session's sink runs on three
 * threads (both ends and the TCP sampler, under the transcript's lock): it only copies
 * each record into a locked queue. The drain, on the UI thread, takes the queue and feeds
 * the table, the log, the ladder, the counters and the text transcript; the views only
 * read what the drain wrote. */
#ifndef SHUTDOWNLAB_MODEL_H
#define SHUTDOWNLAB_MODEL_H

#include <winsock2.h>
#include <windows.h>

#include "format.h"
#include "table_model.h"
#include "transcript.h"

struct App;

typedef enum UiRecType { REC_BEGIN, REC_EVENT, REC_END } UiRecType;
typedef struct UiRec {
    UiRecType type;
    Event ev;
    Summary sum;
} UiRec;

typedef struct UiSink {
    Sink sink;
    struct App *app;
} UiSink;

typedef struct ViewModel {
    /* the sink's queue (any thread, under qlock) */
    UiSink sink;
    CRITICAL_SECTION qlock;
    int muted;              /* a parked run's records are dropped (ui_sink_mute), under qlock */
    UiRec *queue;
    size_t nqueue, capqueue;
    size_t queue_dropped;   /* records the queue could not take (out of memory), under qlock */
    volatile LONG posted;
    volatile LONG last_post_ms;
    volatile LONG drain_ms;     /* how long the last drain took: drains are spaced by it */
    DWORD ui_thread;
    /* the drain's (UI thread only) */
    RunInfo info;
    TableModel table;
    int tcp_state[SIDE_COUNT];            /* each end's latest TCP state; 0 none yet */
    long long sent[SIDE_COUNT], received[SIDE_COUNT];
    int closed[SIDE_COUNT];               /* the end's socket is closed: it sees nothing more */
    int connected;                        /* the connection is made (an accept, or FD_CONNECT) */
    ULONGLONG blocking_since[SIDE_COUNT]; /* GetTickCount64 when a lingering close began; 0 none */
    Formatter textfmt;                    /* the transcript for export, the core's own */
    char *text;
    size_t ntext, captext;
    int text_dropped;                     /* the text could not all be kept (out of memory) */
    size_t records_dropped;               /* queue_dropped, as the drain took it: shown in the log */
} ViewModel;

void ui_model_init(struct App *a);
Sink *ui_sink(struct App *a);
/* While muted the sink drops what it is given and the queue is emptied: a run parked by a
 * switch (control.c) still runs its ends until it is ended, and none of it may reach the
 * views, which show the next scenario already. */
void ui_sink_mute(struct App *a, int muted);
/* Forgets an earlier run (its session is destroyed, so nothing else comes). */
void ui_model_reset(struct App *a);
/* Takes the queue and feeds every view; then asks them to repaint. */
void ui_drain(struct App *a);
/* Takes the queue into the views' model without asking them to show it (a layout and a
 * repaint request cost ~30 ms under Wine): a replay hands the sink a long step's events a
 * few hundred at a time, and one ui_drain shows them all. UI thread only. */
void ui_model_take(struct App *a);
/* The run shown (live or recorded) was against another program: only its own end is
 * observed, and what only the other end could report is not observable. */
int ui_other_program(const struct App *a);
/* The run's name as the title and the status say it: the scenario's, and against another
 * program where this end met it ("graceful-client, listening on 0.0.0.0:5000"). */
void ui_run_label(const struct App *a, wchar_t *buf, int size);

#endif
