/* test_capture.c: the capture reader (capture.h). The same TCP segments, written as pcap
 * (microseconds and nanoseconds, both byte orders) and as pcapng (both byte orders, with
 * its own timestamp resolution), over every link type it reads (Ethernet with and without
 * a VLAN tag, Linux cooked SLL and SLL2, raw IP, null and loop), in IPv4 and IPv6, read
 * back the same: whole, and a byte at a time as a capture being written is. Each segment
 * carries its frame as captured (bytes, captured and original length, link type), from
 * pcap and from pcapng's enhanced, obsolete and simple packet blocks. Packets that are not
 * TCP are skipped and counted; broken files are refused with the offset. */
#include <stdlib.h>
#include <string.h>

#include "buffer.h"
#include "capture.h"
#include "tap.h"

/* ---- bytes ------------------------------------------------------------------------------ */

typedef struct Bytes {
    uint8_t b[8192];
    size_t n;
    int big;
} Bytes;

static void put(Bytes *o, const void *p, size_t n)
{
    memcpy(o->b + o->n, p, n);
    o->n += n;
}

static void put8(Bytes *o, unsigned v)
{
    o->b[o->n++] = (uint8_t)v;
}

static void put16(Bytes *o, unsigned v, int big)
{
    if (big)
        put8(o, v >> 8), put8(o, v & 255);
    else
        put8(o, v & 255), put8(o, v >> 8);
}

static void put32(Bytes *o, uint32_t v, int big)
{
    if (big)
        put16(o, v >> 16, 1), put16(o, v & 0xffff, 1);
    else
        put16(o, v & 0xffff, 0), put16(o, v >> 16, 0);
}

/* A TCP segment in IPv4 or IPv6, with len payload bytes. */
static void ip_tcp(Bytes *o, int v6, uint16_t sport, uint16_t dport, uint32_t seq, uint32_t ack, uint8_t flags,
                   uint16_t win, size_t len)
{
    size_t start = o->n;
    if (!v6) {
        static const uint8_t src[4] = {127, 0, 0, 1}, dst[4] = {127, 0, 0, 2};
        put8(o, 0x45), put8(o, 0), put16(o, (unsigned)(20 + 20 + len), 1), put16(o, 1, 1), put16(o, 0x4000, 1);
        put8(o, 64), put8(o, 6), put16(o, 0, 1), put(o, src, 4), put(o, dst, 4);
    } else {
        uint8_t a[16] = {0};
        put32(o, 0x60000000u, 1), put16(o, (unsigned)(20 + len), 1), put8(o, 6), put8(o, 64);
        a[15] = 1;
        put(o, a, 16);
        a[15] = 2;
        put(o, a, 16);
    }
    put16(o, sport, 1), put16(o, dport, 1), put32(o, seq, 1), put32(o, ack, 1);
    put8(o, 5 << 4), put8(o, flags), put16(o, win, 1), put16(o, 0, 1), put16(o, 0, 1);
    for (size_t i = 0; i < len; i++)
        put8(o, (unsigned)i);
    (void)start;
}

enum { LT_NULL = 0, LT_ETH = 1, LT_RAW = 101, LT_LOOP = 108, LT_SLL = 113, LT_SLL2 = 276 };

/* The frame: the link header of lt, then the IP packet. vlan: an 802.1Q tag (Ethernet). */
static void frame(Bytes *o, int lt, int v6, int vlan, uint8_t flags, size_t len, uint32_t seq)
{
    unsigned et = v6 ? 0x86dd : 0x0800;
    static const uint8_t zero[20];
    switch (lt) {
    case LT_ETH:
        put(o, zero, 12);
        if (vlan)
            put16(o, 0x8100, 1), put16(o, 5, 1);
        put16(o, et, 1);
        break;
    case LT_NULL:
        put32(o, v6 ? 30 : 2, 0); /* host order of a little-endian capturer (Npcap's loopback) */
        break;
    case LT_LOOP:
        put32(o, v6 ? 24 : 2, 1);
        break;
    case LT_SLL:
        put(o, zero, 14);
        put16(o, et, 1);
        break;
    case LT_SLL2:
        put16(o, et, 1);
        put(o, zero, 18);
        break;
    default:
        break;
    }
    ip_tcp(o, v6, 50000, 5000, seq, 7, flags, 512, len);
}

/* A pcap file of three packets: a SYN, data of 10 bytes, a FIN; and one ARP-like frame
 * that is not IP, skipped (Ethernet only). */
static void make_pcap(Bytes *o, int big, int nanos, int lt, int v6, int vlan)
{
    Bytes f;
    memset(o, 0, sizeof *o);
    put32(o, nanos ? 0xa1b23c4du : 0xa1b2c3d4u, big);
    put16(o, 2, big), put16(o, 4, big), put32(o, 0, big), put32(o, 0, big), put32(o, 65535, big);
    put32(o, (uint32_t)lt, big);
    for (int k = 0; k < 4; k++) {
        memset(&f, 0, sizeof f);
        if (k == 3 && lt == LT_ETH) {
            static const uint8_t arp[28];
            static const uint8_t zero[12];
            put(&f, zero, 12), put16(&f, 0x0806, 1), put(&f, arp, 28);
        } else if (k == 3) {
            continue;
        } else {
            frame(&f, lt, v6, vlan, k == 0 ? TCPF_SYN : k == 1 ? TCPF_ACK | TCPF_PSH : TCPF_FIN | TCPF_ACK, k == 1 ? 10 : 0,
                  1000 + (uint32_t)k);
        }
        put32(o, 1700000000u + (uint32_t)k, big);
        put32(o, nanos ? 123456789u : 123456u, big);
        put32(o, (uint32_t)f.n, big), put32(o, (uint32_t)f.n, big);
        put(o, f.b, f.n);
    }
}

static void block(Bytes *o, uint32_t type, const Bytes *body, int big)
{
    uint32_t len = (uint32_t)(12 + ((body->n + 3) & ~(size_t)3));
    static const uint8_t pad[4];
    put32(o, type, big), put32(o, len, big);
    put(o, body->b, body->n);
    put(o, pad, ((body->n + 3) & ~(size_t)3) - body->n);
    put32(o, len, big);
}

/* The same packets as pcapng: a section, an interface with 10^-9 resolution, a name
 * resolution block (skipped), three enhanced packet blocks. */
static void make_pcapng(Bytes *o, int big, int lt, int v6)
{
    Bytes body, f;
    memset(o, 0, sizeof *o);
    memset(&body, 0, sizeof body);
    put32(&body, 0x1a2b3c4du, big), put16(&body, 1, big), put16(&body, 0, big);
    put32(&body, 0xffffffffu, big), put32(&body, 0xffffffffu, big);
    block(o, 0x0A0D0D0Au, &body, big);
    memset(&body, 0, sizeof body);
    put16(&body, (unsigned)lt, big), put16(&body, 0, big), put32(&body, 65535, big);
    put16(&body, 9, big), put16(&body, 1, big), put8(&body, 9), put8(&body, 0), put8(&body, 0), put8(&body, 0);
    put16(&body, 0, big), put16(&body, 0, big);
    block(o, 1, &body, big);
    memset(&body, 0, sizeof body);
    put16(&body, 0, big), put16(&body, 0, big); /* an empty name resolution block */
    block(o, 4, &body, big);
    for (int k = 0; k < 3; k++) {
        uint64_t ts = (1700000000ull + (uint64_t)k) * 1000000000ull + 123456789ull;
        memset(&f, 0, sizeof f);
        frame(&f, lt, v6, 0, k == 0 ? TCPF_SYN : k == 1 ? TCPF_ACK | TCPF_PSH : TCPF_FIN | TCPF_ACK, k == 1 ? 10 : 0,
              1000 + (uint32_t)k);
        memset(&body, 0, sizeof body);
        put32(&body, 0, big), put32(&body, (uint32_t)(ts >> 32), big), put32(&body, (uint32_t)ts, big);
        put32(&body, (uint32_t)f.n, big), put32(&body, (uint32_t)f.n, big);
        put(&body, f.b, f.n);
        while (body.n % 4)
            put8(&body, 0);
        block(o, 6, &body, big);
    }
}

/* ---- reading back ----------------------------------------------------------------------- */

typedef struct Got {
    Segment s[16];
    int n;
} Got;

static void got(void *ctx, const Segment *s)
{
    Got *g = ctx;
    if (g->n < 16)
        g->s[g->n++] = *s;
}

/* The three segments, as written. */
static int same(const Got *g, int v6, int64_t frac_ns, char *why, size_t size)
{
    if (g->n != 3)
        return snprintf(why, size, "%d segments", g->n), 0;
    for (int k = 0; k < 3; k++) {
        const Segment *s = &g->s[k];
        uint8_t want = k == 0 ? TCPF_SYN : k == 1 ? (TCPF_ACK | TCPF_PSH) : (TCPF_FIN | TCPF_ACK);
        if (s->family != (v6 ? 6 : 4) || s->sport != 50000 || s->dport != 5000 || s->seq != 1000u + (uint32_t)k ||
            s->ack != 7 || s->flags != want || s->win != 512 || s->len != (k == 1 ? 10u : 0u) ||
            s->t_ns != (1700000000LL + k) * 1000000000LL + frac_ns || (v6 ? s->dst[15] : s->dst[3]) != 2)
            return snprintf(why, size, "segment %d: family %d, ports %u-%u, seq %u, flags %02x, len %u, t %lld", k,
                            s->family, s->sport, s->dport, s->seq, s->flags, s->len, (long long)s->t_ns), 0;
    }
    return 1;
}

/* Whole, and fed a byte at a time. */
static void read_both_ways(const Bytes *file, int v6, int64_t frac_ns, const char *what)
{
    Got whole = {.n = 0}, drip = {.n = 0};
    CaptureError err;
    CaptureReader r;
    char why[200] = "";
    int rc = capture_read(file->b, file->n, got, &whole, &err), rc2 = 0;
    tap_ok(rc == 0 && same(&whole, v6, frac_ns, why, sizeof why), "%s: its three TCP segments are read (%s%s)", what,
           rc ? err.message : "", why);
    capture_init(&r);
    for (size_t i = 0; i < file->n && rc2 == 0; i++)
        rc2 = capture_feed(&r, file->b + i, 1, got, &drip, &err);
    if (rc2 == 0)
        rc2 = capture_end(&r, &err);
    why[0] = '\0';
    tap_ok(rc2 == 0 && same(&drip, v6, frac_ns, why, sizeof why), "%s: and the same, fed a byte at a time (%s%s)",
           what, rc2 ? err.message : "", why);
    capture_free(&r);
}

static void test_formats_and_links(void)
{
    static const struct { int lt; const char *name; } links[] = {
        {LT_ETH, "Ethernet"}, {LT_NULL, "null (Npcap loopback)"}, {LT_LOOP, "loop"}, {LT_SLL, "Linux SLL"},
        {LT_SLL2, "Linux SLL2 (tcpdump -i any)"}, {LT_RAW, "raw IP"}};
    Bytes f;
    char what[128];
    for (size_t l = 0; l < sizeof links / sizeof links[0]; l++)
        for (int v6 = 0; v6 < 2; v6++) {
            snprintf(what, sizeof what, "pcap, %s, IPv%d", links[l].name, v6 ? 6 : 4);
            make_pcap(&f, 0, 0, links[l].lt, v6, 0);
            read_both_ways(&f, v6, 123456000, what);
            snprintf(what, sizeof what, "pcapng, %s, IPv%d", links[l].name, v6 ? 6 : 4);
            make_pcapng(&f, 0, links[l].lt, v6);
            read_both_ways(&f, v6, 123456789, what);
        }
    make_pcap(&f, 1, 0, LT_ETH, 0, 0);
    read_both_ways(&f, 0, 123456000, "pcap, big-endian");
    make_pcap(&f, 0, 1, LT_ETH, 0, 0);
    read_both_ways(&f, 0, 123456789, "pcap, nanoseconds");
    make_pcap(&f, 1, 1, LT_ETH, 1, 0);
    read_both_ways(&f, 1, 123456789, "pcap, nanoseconds, big-endian, IPv6");
    make_pcap(&f, 0, 0, LT_ETH, 0, 1);
    read_both_ways(&f, 0, 123456000, "pcap, Ethernet with a VLAN tag");
    make_pcapng(&f, 1, LT_ETH, 0);
    read_both_ways(&f, 0, 123456789, "pcapng, big-endian");
}

static void test_counts(void)
{
    Bytes f;
    CaptureReader r;
    CaptureError err;
    Got g = {.n = 0};
    make_pcap(&f, 0, 0, LT_ETH, 0, 0);
    capture_init(&r);
    tap_ok(capture_feed(&r, f.b, f.n, got, &g, &err) == 0 && capture_end(&r, &err) == 0, "a capture with a frame that "
           "is not IP reads");
    tap_ok(r.packets == 4 && r.segments == 3 && r.skipped == 1, "the frame is counted and skipped (%llu packets, %llu "
           "segments, %llu skipped)", (unsigned long long)r.packets, (unsigned long long)r.segments,
           (unsigned long long)r.skipped);
    capture_free(&r);
}

/* ---- the frame as captured ---------------------------------------------------------- */

typedef struct Frames {
    const Bytes *file;
    size_t head;         /* the record's header before its frame: pcap 16, pcapng blocks 28 or 12 */
    Segment s[4];
    int n, same_bytes;   /* same_bytes: every frame is the file's bytes at its record */
} Frames;

/* Checks the frame while it is valid (during the call), keeps the rest. */
static void got_frame(void *ctx, const Segment *s)
{
    Frames *f = ctx;
    size_t at = (size_t)s->offset + f->head;
    if (!s->frame || at + s->caplen > f->file->n || memcmp(s->frame, f->file->b + at, s->caplen) != 0)
        f->same_bytes = 0;
    if (f->n < 4)
        f->s[f->n++] = *s;
}

/* The first segment of file, whole and fed a byte at a time: its frame's bytes, caplen,
 * origlen and link type. */
static void expect_frame(const Bytes *file, size_t head, uint32_t caplen, uint32_t origlen, uint32_t linktype,
                         const char *what)
{
    for (int drip = 0; drip < 2; drip++) {
        Frames f = {.file = file, .head = head, .n = 0, .same_bytes = 1};
        CaptureError err;
        CaptureReader r;
        int rc = 0;
        capture_init(&r);
        for (size_t i = 0; i < file->n && rc == 0; i += drip ? 1 : file->n)
            rc = capture_feed(&r, file->b + i, drip ? 1 : file->n, got_frame, &f, &err);
        if (rc == 0)
            rc = capture_end(&r, &err);
        capture_free(&r);
        tap_ok(rc == 0 && f.n >= 1 && f.same_bytes && f.s[0].caplen == caplen && f.s[0].origlen == origlen &&
                   f.s[0].linktype == linktype,
               "%s%s: frame of the record's bytes %s, caplen %u, origlen %u, link type %u (read: %s, %d segments, "
               "caplen %u, origlen %u, link type %u)", what, drip ? ", a byte at a time" : "",
               f.same_bytes ? "yes" : "NO", (unsigned)caplen, (unsigned)origlen, (unsigned)linktype,
               rc ? err.message : "ok", f.n, f.n ? (unsigned)f.s[0].caplen : 0, f.n ? (unsigned)f.s[0].origlen : 0,
               f.n ? (unsigned)f.s[0].linktype : 0);
    }
}

static void set32(Bytes *f, size_t at, uint32_t v, int big)
{
    size_t n = f->n;
    f->n = at;
    put32(f, v, big);
    f->n = n;
}

static void test_frames(void)
{
    Bytes f, body, fr;
    enum { EPB1 = 28 + 32 + 16 }; /* make_pcapng: section, interface, name block, then packets */
    make_pcap(&f, 0, 0, LT_ETH, 0, 0);
    set32(&f, 24 + 12, 1514, 0); /* the first record's original length */
    expect_frame(&f, 16, 54, 1514, LT_ETH, "pcap, a record cut to 54 of 1514 bytes");
    make_pcap(&f, 1, 1, LT_SLL2, 1, 0);
    expect_frame(&f, 16, 20 + 40 + 20, 80, LT_SLL2, "pcap, big-endian, Linux SLL2, IPv6");
    make_pcapng(&f, 0, LT_SLL, 0);
    set32(&f, EPB1 + 24, 2000, 0);
    expect_frame(&f, 28, 16 + 40, 2000, LT_SLL, "pcapng enhanced packet block, Linux SLL");
    make_pcapng(&f, 1, LT_RAW, 0);
    expect_frame(&f, 28, 40, 40, LT_RAW, "pcapng enhanced packet block, big-endian, raw IP");
    make_pcapng(&f, 0, LT_ETH, 0);
    set32(&f, EPB1, 2, 0); /* the obsolete packet block: interface and drops in 16 bits each, as 0 here */
    set32(&f, EPB1 + 24, 60, 0);
    expect_frame(&f, 28, 54, 60, LT_ETH, "pcapng obsolete packet block");
    /* a simple packet block: an interface with a snapshot length of 54, a frame of 64 */
    memset(&f, 0, sizeof f);
    memset(&body, 0, sizeof body);
    put32(&body, 0x1a2b3c4du, 0), put16(&body, 1, 0), put16(&body, 0, 0);
    put32(&body, 0xffffffffu, 0), put32(&body, 0xffffffffu, 0);
    block(&f, 0x0A0D0D0Au, &body, 0);
    memset(&body, 0, sizeof body);
    put16(&body, LT_ETH, 0), put16(&body, 0, 0), put32(&body, 54, 0);
    block(&f, 1, &body, 0);
    memset(&fr, 0, sizeof fr);
    frame(&fr, LT_ETH, 0, 0, TCPF_ACK | TCPF_PSH, 10, 1000);
    memset(&body, 0, sizeof body);
    put32(&body, (uint32_t)fr.n, 0), put(&body, fr.b, 54);
    block(&f, 3, &body, 0);
    expect_frame(&f, 12, 54, 64, LT_ETH, "pcapng simple packet block, snapshot length 54 (not its padding)");
}

static void expect_error(const Bytes *f, int64_t offset, const char *words, const char *what)
{
    CaptureError err;
    int rc;
    memset(&err, 0, sizeof err);
    rc = capture_read(f->b, f->n, NULL, NULL, &err);
    tap_ok(rc < 0 && err.offset == offset && strstr(err.message, words), "%s: refused at byte %lld (%lld: %s)", what,
           (long long)offset, (long long)err.offset, rc < 0 ? err.message : "read");
}

static void test_errors(void)
{
    Bytes f;
    memset(&f, 0, sizeof f);
    put(&f, "scenario x\n", 11);
    expect_error(&f, 0, "not a packet capture", "a text file");
    f.n = 0;
    expect_error(&f, 0, "empty", "an empty file");
    make_pcap(&f, 0, 0, LT_ETH, 0, 0);
    f.n -= 5;
    expect_error(&f, 24 + 16 + 54 + 16 + 64 + 16 + 54, "ends inside a record", "a pcap cut short");
    make_pcap(&f, 0, 0, LT_ETH, 0, 0);
    f.b[4] = 3;
    expect_error(&f, 4, "pcap version 3.4", "a pcap of another version");
    make_pcap(&f, 0, 0, 147, 0, 0);
    expect_error(&f, 20, "link type 147", "a pcap of a link type it does not read");
    make_pcap(&f, 0, 0, LT_ETH, 0, 0);
    f.b[24 + 8 + 3] = 0x7f; /* the first record claims 2 GB */
    expect_error(&f, 24 + 8, "more than", "a record of 2 GB");
    make_pcap(&f, 0, 0, LT_ETH, 0, 0);
    f.b[24 + 4] = 0x40, f.b[24 + 5] = 0x42, f.b[24 + 6] = 0x0f, f.b[24 + 7] = 0; /* 1,000,000 us */
    expect_error(&f, 24 + 4, "not below one second", "a timestamp fraction of a whole second");
    make_pcapng(&f, 0, LT_ETH, 0);
    f.b[4] = 27; /* the section header's length: not a multiple of 4 */
    expect_error(&f, 4, "multiple of 4", "a pcapng block of a broken length");
    make_pcapng(&f, 0, LT_ETH, 0);
    f.b[28 + 32 - 4] = 0xff; /* the interface's closing length */
    expect_error(&f, 28 + 32 - 4, "closing length", "a pcapng block whose two lengths differ");
    make_pcapng(&f, 0, LT_ETH, 0);
    f.b[28 + 32 + 16 + 8] = 5; /* the first packet names interface 5 */
    expect_error(&f, 28 + 32 + 16 + 8, "interface 5", "a packet of an interface no block describes");
    make_pcapng(&f, 0, LT_ETH, 0);
    f.b[8] = 0; /* the byte-order magic */
    expect_error(&f, 8, "byte-order magic", "a section header without its byte-order magic");
    make_pcapng(&f, 0, LT_ETH, 0);
    f.b[28 + 8 + 8 + 4] = 0x7f; /* if_tsresol 10^-127 */
    expect_error(&f, 28 + 8 + 8 + 4, "finer than any clock", "an interface finer than any clock");
}

int main(void)
{
    test_formats_and_links();
    test_counts();
    test_frames();
    test_errors();
    return tap_done();
}
