/* capdump.c: a test tool, not a test: reads a capture with capture.h and prints one line per
 * TCP segment, and with --pcapng OUT writes every segment again with pcapng.h (its frame,
 * link type and lengths, the comment "segment N"), so tests/e2e/test_captures.py can hold
 * the reader and the writer to tcpdump, editcap, mergecap and tshark. Native only.
 * usage: capdump FILE [--pcapng OUT]
 * line:  T_NS SRC > DST [FLAGS] seq=N ack=N len=N win=N caplen=N origlen=N linktype=N */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "capture.h"
#include "pcapng.h"

typedef struct Dump {
    PcapngWriter w;
    FILE *out;            /* --pcapng's file, or NULL */
    uint32_t key[PCAPNG_MAX_INTERFACES][2]; /* a (reader interface, link type) and ... */
    int ifid[PCAPNG_MAX_INTERFACES];        /* ... the writer's interface for it */
    int nkeys;
    unsigned long n;
    int failed;
} Dump;

static void file_write(void *ctx, const void *p, size_t n)
{
    Dump *d = ctx;
    if (fwrite(p, 1, n, d->out) != n)
        d->failed = 1;
}

/* The writer's interface for a segment's interface and link type, described on first use. */
static int interface_for(Dump *d, const Segment *s)
{
    for (int i = 0; i < d->nkeys; i++)
        if (d->key[i][0] == s->ifindex && d->key[i][1] == s->linktype)
            return d->ifid[i];
    if (d->nkeys == PCAPNG_MAX_INTERFACES)
        return -1;
    d->key[d->nkeys][0] = s->ifindex;
    d->key[d->nkeys][1] = s->linktype;
    d->ifid[d->nkeys] = pcapng_interface(&d->w, s->linktype, 0);
    return d->ifid[d->nkeys++];
}

static void segment(void *ctx, const Segment *s)
{
    Dump *d = ctx;
    char src[64], dst[64], flags[64];
    segment_endpoint(s, 0, src, sizeof src);
    segment_endpoint(s, 1, dst, sizeof dst);
    segment_flags(s->flags, flags, sizeof flags);
    d->n++;
    printf("%" PRId64 " %s > %s [%s] seq=%" PRIu32 " ack=%" PRIu32 " len=%" PRIu32 " win=%u caplen=%" PRIu32
           " origlen=%" PRIu32 " linktype=%" PRIu32 "\n", s->t_ns, src, dst, flags, s->seq, s->ack, s->len,
           (unsigned)s->win, s->caplen, s->origlen, s->linktype);
    if (d->out) {
        char comment[32];
        int ifid = interface_for(d, s);
        snprintf(comment, sizeof comment, "segment %lu", d->n);
        if (ifid < 0 || pcapng_packet(&d->w, (uint32_t)ifid, s->t_ns == INT64_MIN ? 0 : s->t_ns, s->frame, s->caplen,
                                      s->origlen, comment) < 0) {
            fprintf(stderr, "capdump: segment %lu could not be written (interface %d)\n", d->n, ifid);
            d->failed = 1;
        }
    }
}

int main(int argc, char **argv)
{
    static Dump d;
    static uint8_t buf[1 << 16];
    CaptureReader r;
    CaptureError err;
    FILE *in;
    size_t n;
    int rc = 0;
    if (argc != 2 && !(argc == 4 && strcmp(argv[2], "--pcapng") == 0)) {
        fprintf(stderr, "usage: capdump FILE [--pcapng OUT]\n");
        return 2;
    }
    if (!(in = fopen(argv[1], "rb"))) {
        perror(argv[1]);
        return 1;
    }
    if (argc == 4) {
        if (!(d.out = fopen(argv[3], "wb"))) {
            perror(argv[3]);
            fclose(in);
            return 1;
        }
        pcapng_init(&d.w, file_write, &d);
        pcapng_section(&d.w, "capdump");
    }
    capture_init(&r);
    while (rc == 0 && (n = fread(buf, 1, sizeof buf, in)) > 0)
        rc = capture_feed(&r, buf, n, segment, &d, &err);
    if (rc == 0 && ferror(in))
        rc = -1, snprintf(err.message, sizeof err.message, "read error"), err.offset = r.consumed;
    if (rc == 0)
        rc = capture_end(&r, &err);
    capture_free(&r);
    fclose(in);
    if (d.out && fclose(d.out) != 0)
        d.failed = 1;
    if (rc < 0) {
        fprintf(stderr, "capdump: %s: at byte %" PRId64 ": %s\n", argv[1], err.offset, err.message);
        return 1;
    }
    if (d.failed) {
        fprintf(stderr, "capdump: %s could not be written whole\n", argv[3]);
        return 1;
    }
    return 0;
}
