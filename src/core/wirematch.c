/* wirematch.c: a capture's segments matched to a run (wirematch.h). */
#include "wirematch.h"

#include <stdlib.h>
#include <string.h>

#include "grow.h"

void wirematch_init(WireMatch *m, const WireEnd ends[SIDE_COUNT], int64_t wall_t0_ns)
{
    memset(m, 0, sizeof *m);
    memcpy(m->end, ends, sizeof m->end);
    m->wall_t0_ns = wall_t0_ns;
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
    if (m->nseg >= WIREMATCH_MAX || GROW(m->seg, m->capseg, m->nseg + 1) < 0) {
        m->oom = 1;
        return 1;
    }
    if ((s->flags & TCPF_SYN) && !m->have_isn[from]) {
        m->isn[from] = s->seq;
        m->have_isn[from] = 1;
    }
    w = &m->seg[m->nseg++];
    memset(w, 0, sizeof *w);
    w->from = from;
    w->t_us = s->t_ns == INT64_MIN ? INT64_MIN : (s->t_ns - m->wall_t0_ns) / 1000;
    w->relative = m->have_isn[SIDE_CLIENT] && m->have_isn[SIDE_SERVER];
    w->seq = m->have_isn[from] ? s->seq - m->isn[from] : s->seq;
    w->ack = (s->flags & TCPF_ACK) && m->have_isn[!from] ? s->ack - m->isn[!from] : s->ack;
    w->len = s->len;
    w->win = s->win;
    w->flags = s->flags;
    w->offset = s->offset;
    w->pair = -1;
    return 1;
}

void wirematch_guess(WireMatch *m, const Event *ev)
{
    WireGuess *g;
    Side from = ev->side;
    if (ev->kind != EV_WIRE || (unsigned)from >= SIDE_COUNT)
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
            /* a FIN or RST segment carries one guess; data may carry parts of several */
            if (g->kind != WIRE_DATA && s->pair >= 0)
                continue;
            g->pair = (int)i;
            if (s->pair < 0)
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
