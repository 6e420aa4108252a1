/* test_pcapng.c: the pcapng writer (pcapng.h). A capture of segments with comments on two
 * interfaces, written into memory, reads back through capture.h with every field as
 * written; its bytes, walked as any pcapng reader walks them, have the section's
 * shb_userappl, each interface's if_tsresol and each packet's opt_comment, every block a
 * multiple of 4 with its two lengths equal. Comments are cut at 1000 bytes, never inside a
 * UTF-8 sequence; calls the format cannot hold are refused and write nothing. */
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "pcapng.h"
#include "tap.h"

/* ---- memory the writer writes to -------------------------------------------------------- */

typedef struct Mem {
    uint8_t b[1 << 16];
    size_t n;
    int overflow;
} Mem;

static void mem_write(void *ctx, const void *p, size_t n)
{
    Mem *m = ctx;
    if (m->n + n > sizeof m->b) {
        m->overflow = 1;
        return;
    }
    memcpy(m->b + m->n, p, n);
    m->n += n;
}

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static unsigned le16(const uint8_t *p)
{
    return (unsigned)(p[0] | p[1] << 8);
}

/* ---- frames ------------------------------------------------------------------------------ */

enum { LT_ETHERNET = 1, LT_RAW = 101 };

typedef struct Sent {
    uint32_t ifid, linktype;
    int64_t t_ns;
    uint8_t flags;
    uint32_t seq, ack, len;
    uint16_t win;
    uint32_t origlen;    /* the frame is snapped when it is above its caplen */
    const char *comment;
    uint8_t frame[128];
    uint32_t caplen;
} Sent;

/* An IPv4 TCP segment from 10.0.0.1:40000 to 10.0.0.2:80 (Ethernet or raw IP), with len
 * payload bytes of which only what fits in 128 bytes is captured. */
static void make_frame(Sent *s)
{
    uint8_t *p = s->frame;
    size_t at = 0, iplen = 40 + s->len, want;
    memset(p, 0, sizeof s->frame);
    if (s->linktype == LT_ETHERNET) {
        p[12] = 0x08; /* IPv4 */
        at = 14;
    }
    p[at] = 0x45, p[at + 2] = (uint8_t)(iplen >> 8), p[at + 3] = (uint8_t)iplen, p[at + 8] = 64, p[at + 9] = 6;
    p[at + 12] = 10, p[at + 15] = 1, p[at + 16] = 10, p[at + 19] = 2;
    at += 20;
    p[at] = 40000 >> 8, p[at + 1] = 40000 & 255, p[at + 3] = 80;
    for (int i = 0; i < 4; i++) {
        p[at + 4 + i] = (uint8_t)(s->seq >> (24 - 8 * i));
        p[at + 8 + i] = (uint8_t)(s->ack >> (24 - 8 * i));
    }
    p[at + 12] = 5 << 4, p[at + 13] = s->flags, p[at + 14] = (uint8_t)(s->win >> 8), p[at + 15] = (uint8_t)s->win;
    at += 20;
    want = at + s->len;
    s->origlen = (uint32_t)want;
    s->caplen = (uint32_t)(want < sizeof s->frame ? want : sizeof s->frame);
    for (size_t i = at; i < s->caplen; i++)
        p[i] = (uint8_t)('a' + i % 26);
}

/* ---- reading back -------------------------------------------------------------------------- */

typedef struct Read {
    Segment s[8];
    uint8_t frame[8][128];
    int n;
} Read;

static void got(void *ctx, const Segment *s)
{
    Read *r = ctx;
    if (r->n < 8) {
        r->s[r->n] = *s;
        memcpy(r->frame[r->n], s->frame, s->caplen < 128 ? s->caplen : 128);
        r->s[r->n].frame = NULL; /* valid only during this call */
        r->n++;
    }
}

/* The block at m->b[at]: its type and length, 0 when it is not whole or its lengths
 * differ. */
static uint32_t block_at(const Mem *m, size_t at, uint32_t *type)
{
    uint32_t len;
    if (at + 12 > m->n)
        return 0;
    *type = le32(m->b + at);
    len = le32(m->b + at + 4);
    if (len < 12 || at + len > m->n || le32(m->b + at + len - 4) != len)
        return 0;
    return len;
}

/* The value of option code in the options p[0..n) (code 0 ends them); NULL when absent or
 * when an option runs past them. */
static const uint8_t *option(const uint8_t *p, size_t n, unsigned code, unsigned *len)
{
    size_t i = 0;
    while (i + 4 <= n) {
        unsigned c = le16(p + i), l = le16(p + i + 2);
        if (c == 0 || i + 4 + ((l + 3u) & ~3u) > n)
            return NULL;
        if (c == code) {
            *len = l;
            return p + i + 4;
        }
        i += 4 + ((l + 3u) & ~3u);
    }
    return NULL;
}

/* ---- tests ----------------------------------------------------------------------------------- */

static Sent sent[4] = {
    {.ifid = 0, .linktype = LT_ETHERNET, .t_ns = 1700000000123456789LL, .flags = TCPF_SYN, .seq = 4000000000u,
     .ack = 0, .len = 0, .win = 64240, .comment = "segment 1: the client's SYN"},
    {.ifid = 1, .linktype = LT_RAW, .t_ns = 1700000000123457001LL, .flags = TCPF_SYN | TCPF_ACK, .seq = 77,
     .ack = 4000000001u, .len = 0, .win = 65160, .comment = ""},
    {.ifid = 0, .linktype = LT_ETHERNET, .t_ns = 1700000001000000000LL, .flags = TCPF_ACK | TCPF_PSH,
     .seq = 4000000001u, .ack = 78, .len = 1000, .win = 502, .comment = "segment 3: données, ©"},
    {.ifid = 1, .linktype = LT_RAW, .t_ns = 1700000002999999999LL, .flags = TCPF_FIN | TCPF_ACK, .seq = 78,
     .ack = 4000001001u, .len = 0, .win = 510, .comment = NULL},
};

static void write_capture(Mem *m)
{
    PcapngWriter w;
    memset(m, 0, sizeof *m);
    pcapng_init(&w, mem_write, m);
    tap_is_int(pcapng_section(&w, "1.2.3"), 0, "a section header is written");
    tap_is_int(pcapng_interface(&w, LT_ETHERNET, 0), 0, "the first interface (Ethernet, no snapshot length) is 0");
    tap_is_int(pcapng_interface(&w, LT_RAW, 128), 1, "the second interface (raw IP, snapshot length 128) is 1");
    for (int k = 0; k < 4; k++) {
        char what[80];
        make_frame(&sent[k]);
        snprintf(what, sizeof what, "packet %d (%u of %u bytes) is written", k + 1, (unsigned)sent[k].caplen,
                 (unsigned)sent[k].origlen);
        tap_is_int(pcapng_packet(&w, sent[k].ifid, sent[k].t_ns, sent[k].frame, sent[k].caplen, sent[k].origlen,
                                 sent[k].comment), 0, what);
    }
    tap_ok(!m->overflow && w.bytes == m->n, "the writer counts what it wrote (%llu bytes, %zu in memory)",
           (unsigned long long)w.bytes, m->n);
}

static void test_read_back(const Mem *m)
{
    Read r = {.n = 0};
    CaptureError err;
    int rc = capture_read(m->b, m->n, got, &r, &err);
    tap_ok(rc == 0 && r.n == 4, "capture_read reads the written file: 4 segments (%s, %d)", rc ? err.message : "ok", r.n);
    for (int k = 0; k < r.n && k < 4; k++) {
        const Segment *s = &r.s[k];
        const Sent *w = &sent[k];
        tap_ok(s->t_ns == w->t_ns && s->ifindex == w->ifid && s->linktype == w->linktype,
               "segment %d: time %lld ns, interface %u, link type %u (wrote %lld, %u, %u)", k + 1, (long long)s->t_ns,
               (unsigned)s->ifindex, (unsigned)s->linktype, (long long)w->t_ns, (unsigned)w->ifid,
               (unsigned)w->linktype);
        tap_ok(s->flags == w->flags && s->seq == w->seq && s->ack == w->ack && s->len == w->len && s->win == w->win &&
                   s->sport == 40000 && s->dport == 80 && s->family == 4 && s->src[3] == 1 && s->dst[3] == 2,
               "segment %d: flags %02x, seq %u, ack %u, len %u, win %u, ports %u-%u (wrote %02x, %u, %u, %u, %u)", k + 1,
               s->flags, (unsigned)s->seq, (unsigned)s->ack, (unsigned)s->len, s->win, s->sport, s->dport, w->flags,
               (unsigned)w->seq, (unsigned)w->ack, (unsigned)w->len, w->win);
        tap_ok(s->caplen == w->caplen && s->origlen == w->origlen && memcmp(r.frame[k], w->frame, w->caplen) == 0,
               "segment %d: caplen %u, origlen %u, the frame's bytes %s (wrote %u, %u)", k + 1, (unsigned)s->caplen,
               (unsigned)s->origlen, memcmp(r.frame[k], w->frame, w->caplen) == 0 ? "the same" : "DIFFERENT",
               (unsigned)w->caplen, (unsigned)w->origlen);
    }
}

/* The file walked block by block as a pcapng reader does. */
static void test_bytes(const Mem *m)
{
    size_t at = 0;
    int blocks = 0, aligned = 1, packets = 0;
    uint32_t type = 0, len;
    unsigned n = 0;
    const uint8_t *v;
    len = block_at(m, 0, &type);
    tap_ok(len >= 28 && type == 0x0A0D0D0Au && le32(m->b + 8) == 0x1A2B3C4Du && le16(m->b + 12) == 1 &&
               le16(m->b + 14) == 0,
           "the file opens with a section header: type %08x, byte-order magic %08x, version %u.%u",
           (unsigned)type, len >= 16 ? (unsigned)le32(m->b + 8) : 0, len >= 16 ? le16(m->b + 12) : 0,
           len >= 16 ? le16(m->b + 14) : 0);
    v = len >= 28 ? option(m->b + 24, len - 28, 4, &n) : NULL;
    tap_ok(v && n == 17 && memcmp(v, "ShutdownLab 1.2.3", 17) == 0, "its shb_userappl is \"ShutdownLab 1.2.3\" (%.*s)",
           v ? (int)n : 6, v ? (const char *)v : "absent");
    while (at < m->n && (len = block_at(m, at, &type)) != 0) {
        blocks++;
        aligned &= len % 4 == 0;
        if (type == 1) {
            v = option(m->b + at + 16, len - 20, 9, &n);
            tap_ok(v && n == 1 && v[0] == 9, "interface %d: if_tsresol 9, nanoseconds (%s %u)", blocks - 2,
                   v ? "value" : "absent", v && n ? v[0] : 0);
        } else if (type == 6 && packets < 4) {
            const Sent *w = &sent[packets++];
            uint32_t caplen = le32(m->b + at + 20);
            size_t opts = 28 + ((caplen + 3u) & ~3u);
            const char *want = w->comment && *w->comment ? w->comment : NULL;
            v = opts + 4 <= len ? option(m->b + at + opts, len - 4 - opts, 1, &n) : NULL;
            if (want)
                tap_ok(v && n == strlen(want) && memcmp(v, want, n) == 0, "packet %d: opt_comment \"%s\" (read: %s "
                       "\"%.*s\")", packets, want, v ? "a comment" : "none", v ? (int)n : 0, v ? (const char *)v : "");
            else
                tap_ok(!v && opts + 4 == len, "packet %d: no comment, no options (read: %s, %u bytes after the frame)",
                       packets, v ? "a comment" : "none", (unsigned)(len - opts));
            if (want)
                tap_ok(le16(m->b + at + opts + 4 + ((n + 3u) & ~3u)) == 0 && le16(m->b + at + opts + 6 + ((n + 3u) & ~3u)) == 0,
                       "packet %d: its options end with opt_endofopt", packets);
        }
        at += len;
    }
    tap_ok(at == m->n && blocks == 7 && aligned, "7 blocks, every one's length a multiple of 4, end at the file's end "
           "(%d blocks, ended at %zu of %zu)", blocks, at, m->n);
}

static void test_utf8_cut(void)
{
    static char c[1100];
    Mem m;
    PcapngWriter w;
    Read r = {.n = 0};
    CaptureError err;
    uint8_t f[54];
    size_t opts;
    unsigned n = 0;
    const uint8_t *v;
    int rc;
    memset(c, 'a', 999);
    memcpy(c + 999, "\xc3\xa9z", 4); /* "é" at bytes 999 and 1000: byte 1000 is its second */
    tap_is_int(pcapng_utf8_cut(c, strlen(c), 1000), 999, "1002 bytes whose byte 1000 is inside an 'é': cut at 999");
    tap_is_int(pcapng_utf8_cut(c, 1000, 1000), 1000, "what is not longer than the limit is kept whole");
    tap_is_int(pcapng_utf8_cut("\xe2\x82\xac\xe2\x82\xac", 6, 4), 3, "'€€' in 4 bytes: the first '€', 3 bytes");
    tap_is_int(pcapng_utf8_cut("\xf0\x9f\x98\x80", 4, 3), 0, "a 4-byte emoji in 3 bytes: nothing");
    memset(f, 0, sizeof f);
    f[12] = 0x08, f[14] = 0x45, f[17] = 40, f[23] = 6, f[14 + 20 + 12] = 5 << 4, f[14 + 20 + 13] = TCPF_ACK;
    memset(&m, 0, sizeof m);
    pcapng_init(&w, mem_write, &m);
    pcapng_section(&w, NULL);
    pcapng_interface(&w, LT_ETHERNET, 0);
    tap_is_int(pcapng_packet(&w, 0, 5, f, sizeof f, sizeof f, c), 0, "a packet with a comment of 1002 bytes is written");
    /* the section (24, "ShutdownLab" in 16, opt_endofopt, its length: 48), the interface (32),
     * the packet's 28 bytes and its frame padded to 56 */
    opts = 48 + 32 + 28 + 56;
    v = option(m.b + opts, m.n - opts - 4, 1, &n);
    tap_ok(v && n == 999 && v[998] == 'a', "its opt_comment holds 999 bytes, not half an 'é' (%u bytes)", v ? n : 0);
    rc = capture_read(m.b, m.n, got, &r, &err);
    tap_ok(rc == 0 && r.n == 1 && r.s[0].t_ns == 5, "and the file reads back: 1 segment at 5 ns (%s, %d segments, "
           "%lld ns)", rc ? err.message : "ok", r.n, r.n ? (long long)r.s[0].t_ns : -1LL);
}

static void test_refused(void)
{
    Mem m;
    PcapngWriter w;
    uint8_t f[40] = {0x45};
    size_t before;
    memset(&m, 0, sizeof m);
    pcapng_init(&w, mem_write, &m);
    tap_is_int(pcapng_interface(&w, LT_ETHERNET, 0), -1, "an interface before any section is refused");
    tap_is_int(m.n, 0, "and writes nothing");
    pcapng_section(&w, "x");
    tap_is_int(pcapng_interface(&w, 70000, 0), -1, "a link type above 65535 is refused");
    tap_is_int(pcapng_packet(&w, 0, 0, f, sizeof f, sizeof f, NULL), -1, "a packet on an interface not described is refused");
    for (int i = 0; i < PCAPNG_MAX_INTERFACES; i++)
        pcapng_interface(&w, LT_RAW, 40);
    tap_is_int(pcapng_interface(&w, LT_RAW, 0), -1, "a 65th interface is refused");
    before = m.n;
    tap_is_int(pcapng_packet(&w, 0, 0, f, sizeof f, 20, NULL), -1, "a caplen above the original length is refused");
    tap_is_int(pcapng_packet(&w, 0, -1, f, sizeof f, sizeof f, NULL), -1, "a time before 1970 is refused");
    tap_is_int(pcapng_packet(&w, 0, 0, NULL, 10, 10, NULL), -1, "no frame for 10 bytes is refused");
    tap_is_int(pcapng_packet(&w, 0, 0, f, 41, 41, NULL), -1, "41 bytes on an interface of snapshot length 40 are refused");
    tap_is_int(pcapng_packet(&w, 0, 0, f, CAPTURE_MAX_RECORD + 1, CAPTURE_MAX_RECORD + 1, NULL), -1,
               "a frame above 16 MiB is refused");
    tap_is_int(m.n - before, 0, "and the refused packets wrote nothing");
    tap_is_int(pcapng_section(&w, "x"), 0, "a new section");
    tap_is_int(pcapng_interface(&w, LT_RAW, 0), 0, "starts its interfaces from 0 again");
}

int main(void)
{
    static Mem m;
    write_capture(&m);
    test_read_back(&m);
    test_bytes(&m);
    test_utf8_cut();
    test_refused();
    return tap_done();
}
