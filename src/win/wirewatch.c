/* wirewatch.c: a capture of the run, read while it is written (wirewatch.h). The thread
 * polls the file every 10 ms: a capture is a file another program appends to, and a file
 * has no notification that works the same on Windows and under Wine. */
#include "wirewatch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "platform.h"
#include "wirematch.h"

#define POLL_MS 10
#define QUIET_AFTER_CAUGHT_UP_MS 50 /* the last ACKs follow the last FIN within microseconds */
/* Nothing new for this long: the capture has all it will get. tcpdump without
 * --immediate-mode hands packets over in blocks, up to libpcap's 1 s timeout later. */
#define QUIET_MS 1500
#define FINISH_MS 4000              /* and never longer than this */
#define TOLERANCE_US 2000           /* a segment may be stamped this much before its call (the clocks) */

struct WireWatch {
    Sink sink; /* first: the transcript hands it back */
    Transcript *t;
    wchar_t path[1024];
    char name[200];            /* the path as UTF-8, for sentences */
    HANDLE thread, wake;
    volatile LONG stop, have_tuple, finishing;
    CaptureReader reader;
    WireMatch match;           /* under the transcript's lock */
    HANDLE file;
    DWORD open_error;
    int failed;                /* the capture is not one: nothing more is read */
    char error[240];
    int64_t read_bytes;
    HWND hwnd;
    UINT msg;
    WPARAM wp;
    LPARAM lp;
    int done;
    unsigned char buf[1 << 16]; /* what one read takes */
};

static int64_t now_ms(void)
{
    return plat_clock_us(NULL) / 1000;
}

/* ---- the transcript's side: inferred wire events ------------------------------------ */

static void sink_event(Sink *s, const Event *ev)
{
    WireWatch *w = (WireWatch *)s;
    if (ev->kind == EV_WIRE && ev->what != EW_SEGMENT)
        wirematch_guess(&w->match, ev); /* the transcript's lock is held */
}

/* ---- the thread ------------------------------------------------------------------------ */

static void on_segment(void *ctx, const Segment *s)
{
    WireWatch *w = ctx;
    Event ev;
    size_t before;
    int kept;
    w->t->lock(w->t->lock_ctx);
    before = w->match.nseg;
    kept = wirematch_segment(&w->match, s) && w->match.nseg > before;
    if (kept)
        wirematch_segment_event(&w->match, before, &ev);
    w->t->unlock(w->t->lock_ctx);
    if (kept)
        transcript_emit(w->t, &ev);
}

static void note(WireWatch *w, const char *text)
{
    Event ev;
    event_init(&ev, EV_NOTE, w->t->info.local, EW_CAPTURE);
    ev.t_us = transcript_now(w->t);
    EVENT_SET(ev.text, text);
    transcript_emit(w->t, &ev);
}

/* Opens the file when it is there. */
static void try_open(WireWatch *w)
{
    if (w->file != INVALID_HANDLE_VALUE)
        return;
    w->file = CreateFileW(w->path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                          OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
    if (w->file == INVALID_HANDLE_VALUE)
        w->open_error = GetLastError();
}

/* Reads what the file has now; 1 when anything new came. */
static int read_more(WireWatch *w)
{
    DWORD got;
    int grew = 0;
    CaptureError err;
    try_open(w);
    if (w->file == INVALID_HANDLE_VALUE || w->failed || !w->have_tuple)
        return 0;
    while (ReadFile(w->file, w->buf, sizeof w->buf, &got, NULL) && got > 0) {
        grew = 1;
        w->read_bytes += got;
        if (capture_feed(&w->reader, w->buf, got, on_segment, w, &err) < 0) {
            w->failed = 1;
            snprintf(w->error, sizeof w->error, "%s: byte %lld: %s", w->name, (long long)err.offset, err.message);
            break;
        }
        if (w->stop)
            break;
    }
    return grew;
}

/* Whether the capture holds all the run sent: every inferred FIN and RST, and the last data
 * byte of each end's stream. */
static int caught_up(WireWatch *w)
{
    const WireMatch *m = &w->match;
    int64_t end[SIDE_COUNT] = {0, 0};
    int flags[SIDE_COUNT] = {0, 0};
    for (size_t i = 0; i < m->nseg; i++) {
        const WireSeg *s = &m->seg[i];
        flags[s->from] |= s->flags;
        if (s->relative && (int64_t)s->seq + s->len > end[s->from])
            end[s->from] = (int64_t)s->seq + s->len;
    }
    for (size_t k = 0; k < m->nguess; k++) {
        const WireGuess *g = &m->guess[k];
        if ((g->kind == WIRE_FIN && !(flags[g->from] & TCPF_FIN)) || (g->kind == WIRE_RST && !(flags[g->from] & TCPF_RST)))
            return 0;
    }
    for (int k = 0; k < SIDE_COUNT; k++)
        if (m->stream[k] > 0 && end[k] < m->stream[k] + 1 && !(flags[k] & TCPF_RST))
            return 0;
    return 1;
}

static void emit_report(void *ctx, const Event *ev)
{
    transcript_emit(ctx, ev);
}

/* The capture has what it will get: pair, say, and tell the front end. */
static void report(WireWatch *w)
{
    WireMatch *m = &w->match;
    char text[600];
    size_t seen = 0, finrst = 0, finrst_seen = 0;
    int64_t tol = TOLERANCE_US + w->t->info.wall_within_us, drift = transcript_drift_us(w->t);
    w->t->lock(w->t->lock_ctx);
    seen = wirematch_pair(m, tol + (drift < 0 ? -drift : drift));
    w->t->unlock(w->t->lock_ctx);
    if (w->failed || (w->file == INVALID_HANDLE_VALUE && w->have_tuple)) {
        if (!w->failed)
            snprintf(w->error, sizeof w->error, "%s: cannot open it (error %lu)%s", w->name, (unsigned long)w->open_error,
                     w->open_error == ERROR_FILE_NOT_FOUND || w->open_error == ERROR_PATH_NOT_FOUND
                         ? ": no capture was written there" : "");
        w->failed = 1;
        note(w, w->error);
    }
    if (!w->have_tuple) {
        note(w, "no connection was made, so the capture has nothing of this run");
        return;
    }
    wirematch_report(m, emit_report, w->t);
    for (size_t k = 0; k < m->nguess; k++)
        if (m->guess[k].kind != WIRE_DATA) {
            finrst++;
            finrst_seen += m->guess[k].pair >= 0;
        }
    snprintf(text, sizeof text, "%s held %lu segments of this connection (%llu of others left out); of %lu inferred "
             "FIN and RST, %lu on the wire; of %lu inferred sends, %lu on the wire%s",
             w->name, (unsigned long)m->nseg, (unsigned long long)m->others, (unsigned long)finrst,
             (unsigned long)finrst_seen, (unsigned long)(m->nguess - finrst), (unsigned long)(seen - finrst_seen),
             m->oom ? "; more than it could keep (the rest left out)" : "");
    note(w, text);
    snprintf(text, sizeof text, "the run's clock and the wall clock drifted %lld us apart over the run; t = 0 was read to "
             "within %lld us; a segment may be stamped up to %.1f ms before its call", (long long)drift,
             (long long)w->t->info.wall_within_us, (tol + (drift < 0 ? -drift : drift)) / 1000.0);
    note(w, text);
}

static DWORD WINAPI watch_thread(void *arg)
{
    WireWatch *w = arg;
    int64_t finish_start = 0, last_growth = 0;
    while (!w->stop) {
        WaitForSingleObject(w->wake, w->done ? INFINITE : POLL_MS);
        if (w->stop || w->done)
            continue;
        if (read_more(w))
            last_growth = now_ms();
        if (!w->finishing)
            continue;
        if (!finish_start)
            finish_start = last_growth = now_ms();
        {
            int64_t t = now_ms(), quiet = t - last_growth;
            int up;
            w->t->lock(w->t->lock_ctx);
            up = caught_up(w);
            w->t->unlock(w->t->lock_ctx);
            if (w->have_tuple && !w->failed && !(up && quiet >= QUIET_AFTER_CAUGHT_UP_MS) && quiet < QUIET_MS &&
                t - finish_start < FINISH_MS)
                continue;
        }
        report(w);
        w->done = 1;
        PostMessageW(w->hwnd, w->msg, w->wp, w->lp);
    }
    return 0;
}

/* ---- the front end's side -------------------------------------------------------------- */

WireWatch *wirewatch_start(const wchar_t *path, Transcript *t, char *err, size_t errsize)
{
    WireWatch *w = calloc(1, sizeof *w);
    const wchar_t *base;
    if (!w) {
        snprintf(err, errsize, "out of memory");
        return NULL;
    }
    w->sink.event = sink_event;
    w->t = t;
    w->file = INVALID_HANDLE_VALUE;
    wcsncpy(w->path, path, sizeof w->path / sizeof w->path[0] - 1);
    base = wcsrchr(path, L'\\') > wcsrchr(path, L'/') ? wcsrchr(path, L'\\') : wcsrchr(path, L'/');
    if (!WideCharToMultiByte(CP_UTF8, 0, base ? base + 1 : path, -1, w->name, sizeof w->name, NULL, NULL))
        snprintf(w->name, sizeof w->name, "the capture");
    capture_init(&w->reader);
    memset(&w->match, 0, sizeof w->match);
    w->match.on_wine = t->info.on_wine;
    w->match.calls_seen[SIDE_CLIENT] = w->match.calls_seen[SIDE_SERVER] = 1;
    if (!(w->wake = CreateEventW(NULL, FALSE, FALSE, NULL)) ||
        !(w->thread = CreateThread(NULL, 0, watch_thread, w, 0, NULL))) {
        snprintf(err, errsize, "cannot start the thread that reads the capture (error %lu)", GetLastError());
        if (w->wake)
            CloseHandle(w->wake);
        capture_free(&w->reader);
        free(w);
        return NULL;
    }
    return w;
}

Sink *wirewatch_sink(WireWatch *w)
{
    return &w->sink;
}

void wirewatch_calls_seen(WireWatch *w, Side side, int seen)
{
    w->match.calls_seen[side] = seen;
}

void wirewatch_connection(WireWatch *w, const struct sockaddr_in *client, const struct sockaddr_in *server)
{
    WireEnd ends[SIDE_COUNT];
    const struct sockaddr_in *a[SIDE_COUNT] = {client, server};
    int seen[SIDE_COUNT];
    memset(ends, 0, sizeof ends);
    for (int k = 0; k < SIDE_COUNT; k++) {
        ends[k].family = 4;
        memcpy(ends[k].addr, &a[k]->sin_addr, 4);
        ends[k].port = ntohs(a[k]->sin_port);
    }
    w->t->lock(w->t->lock_ctx); /* both ends say it, from their own threads: the first is taken */
    if (w->have_tuple) {
        w->t->unlock(w->t->lock_ctx);
        return;
    }
    memcpy(seen, w->match.calls_seen, sizeof seen);
    wirematch_free(&w->match); /* nothing kept yet but guesses made before the connection: none */
    wirematch_init(&w->match, ends, w->t->info.wall_t0_ns);
    memcpy(w->match.calls_seen, seen, sizeof seen);
    w->match.on_wine = w->t->info.on_wine;
    InterlockedExchange(&w->have_tuple, 1);
    w->t->unlock(w->t->lock_ctx);
    SetEvent(w->wake);
}

void wirewatch_finish(WireWatch *w, HWND hwnd, UINT msg, WPARAM wp, LPARAM lp)
{
    if (w->finishing)
        return;
    w->hwnd = hwnd;
    w->msg = msg;
    w->wp = wp;
    w->lp = lp;
    InterlockedExchange(&w->finishing, 1);
    SetEvent(w->wake);
}

const WireMatch *wirewatch_match(WireWatch *w)
{
    return &w->match;
}

int wirewatch_failed(WireWatch *w, char *msg, size_t size)
{
    if (!w->failed)
        return 0;
    snprintf(msg, size, "%s", w->error);
    return 1;
}

void wirewatch_stop(WireWatch *w)
{
    if (!w || !w->thread)
        return;
    InterlockedExchange(&w->stop, 1);
    SetEvent(w->wake);
    WaitForSingleObject(w->thread, INFINITE);
    CloseHandle(w->thread);
    w->thread = NULL;
}

void wirewatch_destroy(WireWatch *w)
{
    if (!w)
        return;
    wirewatch_stop(w);
    CloseHandle(w->wake);
    if (w->file != INVALID_HANDLE_VALUE)
        CloseHandle(w->file);
    capture_free(&w->reader);
    wirematch_free(&w->match);
    free(w);
}
