/* wirematch.c: a capture's segments matched to a run (wirematch.h). */
#include "wirematch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"

void wirematch_init(WireMatch *m, const WireEnd ends[SIDE_COUNT], int64_t wall_t0_ns)
{
    memset(m, 0, sizeof *m);
    memcpy(m->end, ends, sizeof m->end);
    m->wall_t0_ns = wall_t0_ns;
    m->wscale[SIDE_CLIENT] = m->wscale[SIDE_SERVER] = -1;
}

void wirematch_free(WireMatch *m)
{
    free(m->seg);
    free(m->guess);
    memset(m, 0, sizeof *m);
}

static int is_end(const WireEnd *e, int family, const uint8_t *addr, uint16_t port)
{
    return e->family == family && e->port == port && !memcmp(e->addr, addr, family == 4 ? 4 : 16);
}

int wirematch_segment(WireMatch *m, const Segment *s)
{
    Side from;
    WireSeg *w;
    if (is_end(&m->end[SIDE_CLIENT], s->family, s->src, s->sport) &&
        is_end(&m->end[SIDE_SERVER], s->family, s->dst, s->dport))
        from = SIDE_CLIENT;
    else if (is_end(&m->end[SIDE_SERVER], s->family, s->src, s->sport) &&
             is_end(&m->end[SIDE_CLIENT], s->family, s->dst, s->dport))
        from = SIDE_SERVER;
    else {
        m->others++;
        return 0;
    }
    if (s->t_ns != INT64_MIN && m->wall_t0_ns && s->t_ns < m->wall_t0_ns - WIREMATCH_BEFORE_NS) {
        m->others++; /* the same ports, long before this run: an earlier connection's */
        return 0;
    }
    if (m->nseg >= WIREMATCH_MAX || GROW(m->seg, m->capseg, m->nseg + 1) < 0) {
        m->oom = 1;
        return 1;
    }
    if ((s->flags & TCPF_SYN) && !m->have_isn[from]) {
        m->isn[from] = s->seq;
        m->have_isn[from] = 1;
        m->wscale[from] = s->wscale;
    }
    w = &m->seg[m->nseg++];
    memset(w, 0, sizeof *w);
    w->from = from;
    w->t_us = s->t_ns == INT64_MIN ? INT64_MIN : (s->t_ns - m->wall_t0_ns) / 1000;
    /* relative when the ISNs it counts from are known: its own, and the other's for an ack */
    w->relative = m->have_isn[from] && (!(s->flags & TCPF_ACK) || m->have_isn[!from]);
    w->seq = m->have_isn[from] ? s->seq - m->isn[from] : s->seq;
    w->ack = (s->flags & TCPF_ACK) && m->have_isn[!from] ? s->ack - m->isn[!from] : s->ack;
    w->len = s->len;
    w->win = s->win;
    /* a SYN's own window is never scaled (RFC 7323 2.2) */
    w->scaled = !(s->flags & TCPF_SYN) && m->wscale[from] >= 0 && m->wscale[!from] >= 0;
    w->window = w->scaled ? (uint32_t)s->win << m->wscale[from] : s->win;
    w->flags = s->flags;
    w->offset = s->offset;
    w->pair = -1;
    return 1;
}

void wirematch_guess(WireMatch *m, const Event *ev)
{
    WireGuess *g;
    Side from = ev->side;
    if (ev->kind != EV_WIRE || ev->what == EW_SEGMENT || (unsigned)from >= SIDE_COUNT)
        return;
    if (m->nguess >= WIREMATCH_MAX || GROW(m->guess, m->capguess, m->nguess + 1) < 0) {
        m->oom = 1;
        return;
    }
    g = &m->guess[m->nguess++];
    memset(g, 0, sizeof *g);
    g->from = from;
    g->kind = ev->what == EW_WIRE_DATA ? WIRE_DATA : ev->what == EW_WIRE_FIN ? WIRE_FIN : WIRE_RST;
    g->t_us = ev->t_us;
    g->pair = -1;
    EVENT_SET(g->step, ev->step);
    g->cause = (EventWhat)ev->wire.cause;
    g->args = ev->args;
    if (g->kind == WIRE_DATA && ev->bytes > 0) { /* its bytes, in the order the sends were made */
        g->first = m->stream[from] + 1;
        m->stream[from] += ev->bytes;
        g->end = m->stream[from] + 1;
    }
}

/* Whether segment s carries guess g. */
static int carries(const WireSeg *s, const WireGuess *g)
{
    if (s->from != g->from)
        return 0;
    switch (g->kind) {
    case WIRE_FIN: return (s->flags & TCPF_FIN) != 0;
    case WIRE_RST: return (s->flags & TCPF_RST) != 0;
    case WIRE_DATA: /* its relative bytes [seq, seq + len) overlap the guess's */
        return s->len > 0 && s->relative && (int64_t)s->seq < g->end && (int64_t)s->seq + s->len > g->first;
    default: return 0;
    }
}

/* Whether segment i already carries a FIN or RST guess before guess k. */
static int flag_taken(const WireMatch *m, size_t k, size_t i)
{
    for (size_t j = 0; j < k; j++)
        if (m->guess[j].kind != WIRE_DATA && m->guess[j].pair == (int)i)
            return 1;
    return 0;
}

size_t wirematch_pair(WireMatch *m, int64_t tolerance_us)
{
    size_t seen = 0;
    for (size_t i = 0; i < m->nseg; i++)
        m->seg[i].pair = -1;
    for (size_t k = 0; k < m->nguess; k++) {
        WireGuess *g = &m->guess[k];
        g->pair = -1;
        for (size_t i = 0; i < m->nseg; i++) {
            WireSeg *s = &m->seg[i];
            if (!carries(s, g) || (s->t_us != INT64_MIN && s->t_us < g->t_us - tolerance_us))
                continue;
            /* a FIN or RST segment carries one FIN or RST guess (and maybe data too); data
             * may carry parts of several sends */
            if (g->kind != WIRE_DATA && flag_taken(m, k, i))
                continue;
            g->pair = (int)i;
            if (s->pair < 0 || g->kind != WIRE_DATA)
                s->pair = (int)k;
            seen++;
            break;
        }
    }
    /* a data segment whose bytes belong to a guess already carried by an earlier one (a
     * send split in two, a retransmission) is that guess's too */
    for (size_t i = 0; i < m->nseg; i++) {
        WireSeg *s = &m->seg[i];
        for (size_t k = 0; s->pair < 0 && s->len > 0 && k < m->nguess; k++)
            if (m->guess[k].kind == WIRE_DATA && carries(s, &m->guess[k]))
                s->pair = (int)k;
    }
    return seen;
}

int wirematch_unguessed(const WireMatch *m, size_t i)
{
    const WireSeg *s = &m->seg[i];
    return s->pair < 0 && ((s->flags & (TCPF_FIN | TCPF_RST)) || s->len > 0);
}

static void set_segment(Event *ev, const WireSeg *w)
{
    ev->wire.seq = w->seq;
    ev->wire.ack = w->ack;
    ev->wire.len = w->len;
    ev->wire.win = w->win;
    ev->wire.window = w->window;
    ev->wire.scaled = (uint8_t)w->scaled;
    ev->wire.flags = w->flags;
    ev->wire.relative = (uint8_t)w->relative;
    ev->wire.seg_t_us = w->t_us == INT64_MIN ? 0 : w->t_us;
}

void wirematch_segment_event(const WireMatch *m, size_t i, Event *ev)
{
    const WireSeg *w = &m->seg[i];
    event_init(ev, EV_WIRE, w->from, EW_SEGMENT);
    memset(&ev->wire, 0, sizeof ev->wire);
    set_segment(ev, w);
    ev->t_us = ev->wire.seg_t_us;
    ev->wire.guess_t_us = -1;
    if (w->len > 0)
        ev->bytes = w->len;
}

/* "FIN from the client's shutdown(SD_SEND)", "data from the server's send, bytes 1-65536" */
static void guess_words(const WireGuess *g, char *buf, size_t size)
{
    char call[EVENT_NAME_MAX];
    event_what_name(g->cause, &g->args, call, sizeof call);
    if (g->kind == WIRE_DATA)
        snprintf(buf, size, "data from the %s's %s, bytes %lld-%lld", side_name(g->from), call, (long long)g->first,
                 (long long)(g->end - 1));
    else
        snprintf(buf, size, "%s from the %s's %s", wire_name(g->kind), side_name(g->from), call);
}

static void report_guess(const WireMatch *m, const WireGuess *g, void (*emit)(void *, const Event *), void *ctx)
{
    Event ev;
    char what[120], flags[48], text[400];
    guess_words(g, what, sizeof what);
    event_init(&ev, EV_NOTE, g->from, g->pair >= 0 ? EW_WIRE_SEEN : EW_WIRE_NOT_SEEN);
    memset(&ev.wire, 0, sizeof ev.wire);
    EVENT_SET(ev.step, g->step);
    ev.args = g->args;
    ev.wire.cause = g->cause;
    ev.wire.guess = g->kind == WIRE_DATA ? EW_WIRE_DATA : g->kind == WIRE_FIN ? EW_WIRE_FIN : EW_WIRE_RST;
    ev.wire.guess_t_us = g->t_us;
    ev.wire.seg_t_us = -1;
    ev.wire.first = g->first;
    ev.wire.end = g->end;
    if (g->pair < 0) {
        ev.t_us = g->t_us;
        snprintf(text, sizeof text, "wire: %s (inferred) is not in the capture", what);
    } else {
        const WireSeg *w = &m->seg[g->pair];
        set_segment(&ev, w);
        ev.t_us = ev.wire.seg_t_us;
        segment_flags(w->flags, flags, sizeof flags);
        snprintf(text, sizeof text, "wire: %s (inferred) on the wire at %.3f ms: %s seq %lu%s", what,
                 ev.wire.seg_t_us / 1000.0, flags, (unsigned long)w->seq,
                 g->kind == WIRE_RST && m->on_wine ? "; Wine 8 reports it as a graceful close" : "");
    }
    EVENT_SET(ev.text, text);
    emit(ctx, &ev);
}

/* The first RST segment from this end, or NULL. */
static const WireSeg *reset_from(const WireMatch *m, Side from)
{
    for (size_t i = 0; i < m->nseg; i++)
        if (m->seg[i].from == from && (m->seg[i].flags & TCPF_RST))
            return &m->seg[i];
    return NULL;
}

/* Sends of one end, k to j - 1, none of them on the wire: one note (a reset threw their
 * bytes away, or the capture missed them). */
static void report_unsent(const WireMatch *m, size_t k, size_t j, void (*emit)(void *, const Event *), void *ctx)
{
    const WireGuess *g = &m->guess[k], *last = &m->guess[j - 1];
    const WireSeg *rst = reset_from(m, g->from);
    Event ev;
    char text[400];
    event_init(&ev, EV_NOTE, g->from, EW_WIRE_NOT_SEEN);
    memset(&ev.wire, 0, sizeof ev.wire);
    EVENT_SET(ev.step, g->step);
    ev.t_us = g->t_us;
    ev.args = g->args;
    ev.wire.cause = g->cause;
    ev.wire.guess = EW_WIRE_DATA;
    ev.wire.guess_t_us = g->t_us;
    ev.wire.seg_t_us = -1;
    ev.wire.first = g->first;
    ev.wire.end = last->end;
    if (rst && rst->t_us != INT64_MIN && rst->t_us >= g->t_us)
        snprintf(text, sizeof text, "wire: bytes %lld-%lld of the %s's stream (%lu send%s accepted them) never went on "
                 "the wire: its RST at %.3f ms threw them away", (long long)g->first, (long long)(last->end - 1),
                 side_name(g->from), (unsigned long)(j - k), j - k == 1 ? "" : "s", rst->t_us / 1000.0);
    else
        snprintf(text, sizeof text, "wire: bytes %lld-%lld of the %s's stream (%lu send%s, inferred) are not in the "
                 "capture", (long long)g->first, (long long)(last->end - 1), side_name(g->from), (unsigned long)(j - k),
                 j - k == 1 ? "" : "s");
    EVENT_SET(ev.text, text);
    emit(ctx, &ev);
}

void wirematch_report(const WireMatch *m, void (*emit)(void *ctx, const Event *ev), void *ctx)
{
    for (size_t k = 0; k < m->nguess;) {
        const WireGuess *g = &m->guess[k];
        size_t j = k + 1;
        if (g->kind != WIRE_DATA || g->pair >= 0) {
            report_guess(m, g, emit, ctx);
            k++;
            continue;
        }
        /* the sends of this end that follow, unseen too */
        while (j < m->nguess && m->guess[j].kind == WIRE_DATA && m->guess[j].from == g->from && m->guess[j].pair < 0)
            j++;
        report_unsent(m, k, j, emit, ctx);
        k = j;
    }
    for (size_t i = 0; i < m->nseg; i++) {
        const WireSeg *w = &m->seg[i];
        Event ev;
        char flags[48], text[400];
        if (!wirematch_unguessed(m, i))
            continue;
        event_init(&ev, EV_NOTE, w->from, EW_WIRE_UNINFERRED);
        memset(&ev.wire, 0, sizeof ev.wire);
        ev.wire.guess_t_us = -1;
        set_segment(&ev, w);
        ev.t_us = ev.wire.seg_t_us;
        segment_flags(w->flags, flags, sizeof flags);
        snprintf(text, sizeof text, "wire: %s from the %s at %.3f ms (seq %lu, len %lu): %s", flags,
                 side_name(w->from), ev.t_us / 1000.0, (unsigned long)w->seq, (unsigned long)w->len,
                 m->calls_seen[w->from] ? "no call of this run explains it"
                                        : "the other program's (its calls are not observed here)");
        EVENT_SET(ev.text, text);
        emit(ctx, &ev);
    }
}
