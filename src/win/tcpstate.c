/* tcpstate.c: the TCP-table sampler thread (tcpstate.h). */
#include "tcpstate.h"

#include <iphlpapi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "messages.h"


typedef struct Request {
    char step[EVENT_STEP_MAX];
    SampleWhen when;
    HWND notify;
    WPARAM wp;
    LPARAM lp;
    int report_side; /* -1, or the end whose state goes back with WM_SL_TCP_READ */
} Request;

/* One snapshot of the IPv4 TCP table; NULL when it cannot be read. free() it. */
static MIB_TCPTABLE *read_table(void)
{
    DWORD size = 0;
    MIB_TCPTABLE *tab = NULL;
    for (int tries = 0; tries < 4; tries++) {
        DWORD r = GetExtendedTcpTable(tab, &size, FALSE, AF_INET, TCP_TABLE_BASIC_ALL, 0);
        if (r == NO_ERROR)
            return tab;
        free(tab);
        tab = NULL;
        if (r != ERROR_INSUFFICIENT_BUFFER)
            return NULL;
        size += 4096; /* rows may appear between the two calls */
        if (!(tab = malloc(size)))
            return NULL;
    }
    free(tab);
    return NULL;
}

static DWORD find_row(const MIB_TCPTABLE *tab, const struct sockaddr_in *local,
                      const struct sockaddr_in *remote)
{
    for (DWORD i = 0; i < tab->dwNumEntries; i++) {
        const MIB_TCPROW *row = &tab->table[i];
        /* ports sit in the low 16 bits, in network order, like sin_port */
        if (row->dwLocalAddr == local->sin_addr.s_addr && (u_short)row->dwLocalPort == local->sin_port &&
            row->dwRemoteAddr == remote->sin_addr.s_addr && (u_short)row->dwRemotePort == remote->sin_port)
            return row->dwState;
    }
    return 0;
}

/* Reads the table once and reports both ends; returns 0 when nothing could be read (no
 * connection yet, or the table read failed: said in the transcript). */
static int sample(TcpSampler *ts, const Request *rq, DWORD states[SIDE_COUNT])
{
    struct sockaddr_in ends[SIDE_COUNT];
    int known, remote;
    int64_t t;
    MIB_TCPTABLE *tab;
    EnterCriticalSection(&ts->lock);
    known = ts->tuple_known;
    remote = ts->remote_side;
    memcpy(ends, ts->ends, sizeof ends);
    LeaveCriticalSection(&ts->lock);
    if (!known)
        return 0; /* no connection yet */
    if (!(tab = read_table())) {
        Event ev;
        event_init(&ev, EV_NOTE, SIDE_CLIENT, EW_TABLE_UNREADABLE);
        ev.t_us = transcript_now(ts->t);
        EVENT_SET(ev.step, rq->step);
        EVENT_SET(ev.text, "could not be read (GetExtendedTcpTable failed): no states for this sample");
        transcript_emit(ts->t, &ev);
        return 0;
    }
    t = transcript_now(ts->t); /* after the read: a state is known once it has been read */
    for (int k = 0; k < SIDE_COUNT; k++) {
        Event ev;
        DWORD st;
        if (k == remote)
            continue; /* another machine's: not in this table */
        st = find_row(tab, &ends[k], &ends[!k]);
        states[k] = st;
        event_init(&ev, EV_STATE, (Side)k, EW_TCP_STATE);
        ev.t_us = t;
        EVENT_SET(ev.step, rq->step);
        ev.tcp_state = st ? (int)st : TCP_STATE_CLOSED;
        ev.when = rq->when;
        transcript_emit(ts->t, &ev);
    }
    free(tab);
    return 1;
}

static DWORD WINAPI sampler_main(void *arg)
{
    TcpSampler *ts = arg;
    MSG m;
    PeekMessageW(&m, NULL, WM_USER, WM_USER, PM_NOREMOVE); /* makes this thread's queue */
    SetEvent(ts->ready);
    while (GetMessageW(&m, NULL, 0, 0) > 0) {
        if (m.message == WM_SL_SAMPLE_REQUEST) {
            Request *rq = (Request *)m.lParam;
            DWORD states[SIDE_COUNT] = {0, 0};
            int read = sample(ts, rq, states);
            /* lParam 0: not read; otherwise the state, CLOSED for no row */
            if (rq->notify && rq->report_side >= 0)
                PostMessageW(rq->notify, WM_SL_TCP_READ, rq->wp,
                             !read                     ? 0
                             : states[rq->report_side] ? (LPARAM)states[rq->report_side]
                                                       : MIB_TCP_STATE_CLOSED);
            else if (rq->notify)
                PostMessageW(rq->notify, WM_SL_SAMPLED, rq->wp, rq->lp);
            free(rq);
        }
    }
    /* drop requests still queued */
    while (PeekMessageW(&m, NULL, WM_SL_SAMPLE_REQUEST, WM_SL_SAMPLE_REQUEST, PM_REMOVE))
        free((Request *)m.lParam);
    return 0;
}

int tcpsampler_start(TcpSampler *ts, Transcript *t)
{
    memset(ts, 0, sizeof *ts);
    ts->t = t;
    ts->remote_side = SIDE_COUNT;
    InitializeCriticalSection(&ts->lock);
    ts->lock_made = 1;
    if (!(ts->ready = CreateEventW(NULL, TRUE, FALSE, NULL)))
        return -1;
    if (!(ts->thread = CreateThread(NULL, 0, sampler_main, ts, 0, &ts->tid)))
        return -1;
    WaitForSingleObject(ts->ready, INFINITE);
    return 0;
}

void tcpsampler_set_tuple(TcpSampler *ts, const struct sockaddr_in *client, const struct sockaddr_in *server)
{
    EnterCriticalSection(&ts->lock);
    if (!ts->tuple_known) {
        ts->ends[SIDE_CLIENT] = *client;
        ts->ends[SIDE_SERVER] = *server;
        ts->tuple_known = 1;
    }
    LeaveCriticalSection(&ts->lock);
}

static int post_request(TcpSampler *ts, const char *step, SampleWhen when, HWND notify, WPARAM wp, LPARAM lp,
                        int report_side)
{
    Request *rq = calloc(1, sizeof *rq);
    if (!rq || !ts->thread) {
        free(rq);
        return 0;
    }
    EVENT_SET(rq->step, step);
    rq->notify = notify;
    rq->when = when;
    rq->wp = wp;
    rq->lp = lp;
    rq->report_side = report_side;
    if (PostThreadMessageW(ts->tid, WM_SL_SAMPLE_REQUEST, 0, (LPARAM)rq))
        return 1;
    free(rq);
    return 0;
}

void tcpsampler_remote(TcpSampler *ts, Side side)
{
    EnterCriticalSection(&ts->lock);
    ts->remote_side = side;
    LeaveCriticalSection(&ts->lock);
}

void tcpsampler_read(void *ctx, const char *step, HWND notify, int side, WPARAM tag)
{
    TcpSampler *ts = ctx;
    if (!post_request(ts, step, SAMPLE_AFTER_STEP, notify, tag, 0, side))
        PostMessageW(notify, WM_SL_TCP_READ, tag, 0); /* not read */
}

void tcpsampler_request(TcpSampler *ts, const char *step, SampleWhen when, HWND notify, WPARAM wp, LPARAM lp)
{
    if (post_request(ts, step, when, notify, wp, lp, -1))
        return;
    if (notify)
        PostMessageW(notify, WM_SL_SAMPLED, wp, lp);
}

void tcpsampler_stop(TcpSampler *ts)
{
    if (ts->thread) {
        PostThreadMessageW(ts->tid, WM_QUIT, 0, 0);
        WaitForSingleObject(ts->thread, INFINITE);
        CloseHandle(ts->thread);
        ts->thread = NULL;
    }
    if (ts->ready) {
        CloseHandle(ts->ready);
        ts->ready = NULL;
    }
    if (ts->lock_made) {
        DeleteCriticalSection(&ts->lock);
        ts->lock_made = 0;
    }
}
