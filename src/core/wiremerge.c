/* wiremerge.c: a capture joined to a recording after the fact (wiremerge.h). The export
 * is wireexport.c's: the GUI, which joins, does not carry it. */
#include "wiremerge.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"

/* ---- merging ------------------------------------------------------------------------- */

typedef struct Merge {
    WireMatch *m;
    Event *add;          /* the segments to join the recording's events by time */
    size_t n, cap;
    Event *notes;        /* the pairings and what the capture held: after them, as a live run says them */
    size_t nnotes, capnotes;
    int oom;
} Merge;

static void keep_segment(void *ctx, const Segment *s)
{
    Merge *g = ctx;
    (void)wirematch_segment(g->m, s);
}

static void keep_event(void *ctx, const Event *ev)
{
    Merge *g = ctx;
    if (ev->kind == EV_NOTE) {
        if (GROW(g->notes, g->capnotes, g->nnotes + 1) < 0)
            g->oom = 1;
        else
            g->notes[g->nnotes++] = *ev;
        return;
    }
    if (GROW(g->add, g->cap, g->n + 1) < 0) {
        g->oom = 1;
        return;
    }
    g->add[g->n++] = *ev;
}

static int by_time(const void *a, const void *b)
{
    const Event *x = a, *y = b;
    return x->t_us < y->t_us ? -1 : x->t_us > y->t_us;
}

/* The recording's connection note: its two endpoints; 0, or -1 none. */
static int recorded_ends(const Recording *r, WireEnd ends[SIDE_COUNT])
{
    Event ev;
    for (size_t i = 0; i < r->n; i++) {
        if (recording_event(r, i, &ev) < 0)
            return -1;
        if (ev.kind == EV_NOTE && ev.what == EW_CONNECTION) {
            uint32_t a[SIDE_COUNT] = {ev.args.addr, ev.args.addr2};
            uint16_t p[SIDE_COUNT] = {ev.args.port, ev.args.port2};
            memset(ends, 0, sizeof(WireEnd) * SIDE_COUNT);
            for (int k = 0; k < SIDE_COUNT; k++) {
                ends[k].family = 4;
                ends[k].addr[0] = (uint8_t)(a[k] >> 24);
                ends[k].addr[1] = (uint8_t)(a[k] >> 16);
                ends[k].addr[2] = (uint8_t)(a[k] >> 8);
                ends[k].addr[3] = (uint8_t)a[k];
                ends[k].port = p[k];
            }
            return 0;
        }
    }
    return -1;
}

/* The events of r and the segments, each segment (in time order) before the first of the
 * recording's events stamped later than it: a recording is in the order its two ends
 * reported, which is nearly, not exactly, their time order; then the notes, at the end, as
 * a live run says them once the capture has caught up (recording_join: the recording's
 * own events stay in its file's lines). */
static int join(Recording *r, Merge *g)
{
    qsort(g->add, g->n, sizeof *g->add, by_time);
    return recording_join(r, g->add, g->n, g->notes, g->nnotes);
}

static void capture_note(Merge *g, const Recording *r, const char *name, size_t seen)
{
    const WireMatch *m = g->m;
    size_t finrst = 0, finrst_seen = 0;
    Event ev;
    char text[400];
    for (size_t k = 0; k < m->nguess; k++)
        if (m->guess[k].kind != WIRE_DATA) {
            finrst++;
            finrst_seen += m->guess[k].pair >= 0;
        }
    event_init(&ev, EV_NOTE, r->info.local, EW_CAPTURE);
    ev.t_us = r->sum.t_us;
    snprintf(text, sizeof text, "%s held %lu segments of this connection (%llu of others left out); of %lu inferred FIN "
             "and RST, %lu on the wire; of %lu inferred sends, %lu on the wire%s", name, (unsigned long)m->nseg,
             (unsigned long long)m->others, (unsigned long)finrst, (unsigned long)finrst_seen,
             (unsigned long)(m->nguess - finrst), (unsigned long)(seen - finrst_seen),
             m->oom ? "; more than it could keep (the rest left out)" : "");
    EVENT_SET(ev.text, text);
    keep_event(g, &ev);
}

int wiremerge_recording(Recording *r, const void *capture, size_t n, const char *name, WireMatch *m, char *err,
                        size_t errsize)
{
    WireEnd ends[SIDE_COUNT];
    Merge g;
    CaptureError ce;
    size_t seen;
    int rc = 0;
    memset(m, 0, sizeof *m);
    if (recorded_ends(r, ends) < 0 || !r->info.wall_t0_ns) {
        snprintf(err, errsize, "the recording names no connection or no wall clock at t = 0 (it was made by a "
                 "ShutdownLab that could not join captures): record it again");
        return -1;
    }
    for (size_t i = 0; i < r->n; i++) {
        Event ev;
        if (recording_event(r, i, &ev) < 0) {
            snprintf(err, errsize, "out of memory reading the recording");
            return -1;
        }
        if (ev.kind == EV_WIRE && ev.what == EW_SEGMENT) {
            snprintf(err, errsize, "the recording holds a capture's segments already (it was made with --wire)");
            return -1;
        }
    }
    wirematch_init(m, ends, r->info.wall_t0_ns);
    m->on_wine = r->info.on_wine;
    m->calls_seen[SIDE_CLIENT] = m->calls_seen[SIDE_SERVER] = 1;
    if (r->info.peer != PEER_EMBEDDED)
        m->calls_seen[!r->info.local] = 0;
    for (size_t i = 0; i < r->n; i++) {
        Event ev;
        if (recording_event(r, i, &ev) < 0) {
            snprintf(err, errsize, "out of memory reading the recording");
            return -1;
        }
        wirematch_guess(m, &ev);
    }
    memset(&g, 0, sizeof g);
    g.m = m;
    if (capture_read(capture, n, keep_segment, &g, &ce) < 0) {
        snprintf(err, errsize, "%s: byte %lld: %s", name, (long long)ce.offset, ce.message);
        return -1;
    }
    seen = wirematch_pair(m, WIREMERGE_TOLERANCE_US + r->info.wall_within_us);
    for (size_t i = 0; i < m->nseg; i++) {
        Event ev;
        wirematch_segment_event(m, i, &ev);
        keep_event(&g, &ev);
    }
    wirematch_report(m, keep_event, &g);
    capture_note(&g, r, name, seen);
    if (g.oom || join(r, &g) < 0) {
        snprintf(err, errsize, "out of memory joining the capture to the recording");
        rc = -1;
    }
    free(g.add);
    free(g.notes);
    return rc;
}

