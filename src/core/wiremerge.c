/* wiremerge.c: a capture joined to a recording after the fact, and a run's segments
 * exported as pcapng with their causes (wiremerge.h). */
#include "wiremerge.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"

/* ---- merging ------------------------------------------------------------------------- */

typedef struct Merge {
    WireMatch *m;
    Event *add;          /* the events to join the recording's */
    size_t n, cap;
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
    for (size_t i = 0; i < r->n; i++) {
        const Event *ev = &r->events[i];
        if (ev->kind == EV_NOTE && ev->what == EW_CONNECTION) {
            uint32_t a[SIDE_COUNT] = {ev->args.addr, ev->args.addr2};
            uint16_t p[SIDE_COUNT] = {ev->args.port, ev->args.port2};
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

/* The events of r and the new ones, merged in time order (a stable merge: the new ones,
 * sorted, go after the recording's own of the same time). */
static int join(Recording *r, Merge *g)
{
    Event *all;
    size_t i = 0, j = 0, k = 0;
    qsort(g->add, g->n, sizeof *g->add, by_time);
    if (!(all = malloc((r->n + g->n) * sizeof *all + 1)))
        return -1;
    while (i < r->n || j < g->n)
        all[k++] = j >= g->n || (i < r->n && r->events[i].t_us <= g->add[j].t_us) ? r->events[i++] : g->add[j++];
    free(r->events);
    r->events = all;
    r->n = r->cap = k;
    return 0;
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
    ev.t_us = r->n ? r->events[r->n - 1].t_us : 0;
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
    for (size_t i = 0; i < r->n; i++)
        if (r->events[i].kind == EV_WIRE && r->events[i].what == EW_SEGMENT) {
            snprintf(err, errsize, "the recording holds a capture's segments already (it was made with --wire)");
            return -1;
        }
    wirematch_init(m, ends, r->info.wall_t0_ns);
    m->on_wine = r->info.on_wine;
    m->calls_seen[SIDE_CLIENT] = m->calls_seen[SIDE_SERVER] = 1;
    if (r->info.peer != PEER_EMBEDDED)
        m->calls_seen[!r->info.local] = 0;
    for (size_t i = 0; i < r->n; i++)
        wirematch_guess(m, &r->events[i]);
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
    return rc;
}

/* ---- export ---------------------------------------------------------------------------- */

typedef struct Export {
    const WireMatch *m;
    PcapngWriter w;
    uint32_t linktype[PCAPNG_MAX_INTERFACES];
    int ifid[PCAPNG_MAX_INTERFACES];
    uint32_t nlink;
    size_t index;        /* the connection's segments seen so far */
    int failed;
    char why[160];
} Export;

static int same_end(const WireEnd *e, int family, const uint8_t *addr, uint16_t port)
{
    return e->family == family && e->port == port && !memcmp(e->addr, addr, family == 4 ? 4 : 16);
}

/* "(1) shutdown(SD_SEND), client: FIN" */
static void cause_comment(const WireMatch *m, const WireSeg *s, char *buf, size_t size)
{
    const WireGuess *g;
    char call[EVENT_NAME_MAX];
    buf[0] = '\0';
    if (s->pair < 0) {
        if (s->flags & TCPF_SYN)
            snprintf(buf, size, "connect: the handshake, %s", side_name(s->from));
        else if (wirematch_unguessed(m, (size_t)(s - m->seg)))
            snprintf(buf, size, "no call of this run explains it (%s)",
                     m->calls_seen[s->from] ? side_name(s->from) : "the other program's");
        return;
    }
    g = &m->guess[s->pair];
    event_what_name(g->cause, &g->args, call, sizeof call);
    snprintf(buf, size, "%s%s%s%s, %s: %s", g->step[0] ? "(" : "", g->step, g->step[0] ? ") " : "", call,
             side_name(g->from), wire_name(g->kind));
}

static int iface(Export *x, uint32_t linktype)
{
    for (uint32_t k = 0; k < x->nlink; k++)
        if (x->linktype[k] == linktype)
            return x->ifid[k];
    if (x->nlink >= PCAPNG_MAX_INTERFACES)
        return -1;
    x->linktype[x->nlink] = linktype;
    x->ifid[x->nlink] = pcapng_interface(&x->w, linktype, 0);
    return x->ifid[x->nlink++];
}

static void export_segment(void *ctx, const Segment *s)
{
    Export *x = ctx;
    const WireMatch *m = x->m;
    char comment[200];
    int id;
    int ours = (same_end(&m->end[SIDE_CLIENT], s->family, s->src, s->sport) &&
                same_end(&m->end[SIDE_SERVER], s->family, s->dst, s->dport)) ||
               (same_end(&m->end[SIDE_SERVER], s->family, s->src, s->sport) &&
                same_end(&m->end[SIDE_CLIENT], s->family, s->dst, s->dport));
    if (!ours || x->failed || x->index >= m->nseg)
        return;
    cause_comment(m, &m->seg[x->index++], comment, sizeof comment);
    if ((id = iface(x, s->linktype)) < 0 ||
        pcapng_packet(&x->w, (uint32_t)id, s->t_ns < 0 ? 0 : s->t_ns, s->frame, s->caplen, s->origlen, comment) < 0) {
        x->failed = 1;
        snprintf(x->why, sizeof x->why, "the segment at byte %lld cannot be written as pcapng", (long long)s->offset);
    }
}

int wiremerge_export(const void *capture, size_t n, const WireMatch *m, const char *version, PcapngWrite write,
                     void *ctx, char *err, size_t errsize)
{
    Export *x = calloc(1, sizeof *x);
    CaptureReader reader;
    CaptureError ce;
    int rc = 0, fed;
    if (!x) {
        snprintf(err, errsize, "out of memory");
        return -1;
    }
    x->m = m;
    pcapng_init(&x->w, write, ctx);
    pcapng_section(&x->w, version);
    /* no capture_end: a capture still being written may end inside its last record */
    capture_init(&reader);
    fed = capture_feed(&reader, capture, n, export_segment, x, &ce);
    capture_free(&reader);
    if (fed < 0) {
        snprintf(err, errsize, "byte %lld: %s", (long long)ce.offset, ce.message);
        rc = -1;
    } else if (x->failed) {
        snprintf(err, errsize, "%s", x->why);
        rc = -1;
    }
    free(x);
    return rc;
}
