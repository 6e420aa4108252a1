/* wireexport.c: a run's segments as pcapng, each with its cause as its comment
 * (wiremerge.h). */
#include "wiremerge.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
