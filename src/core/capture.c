/* capture.c: pcap and pcapng, read for their TCP segments (capture.h). Formats:
 * pcap: https://datatracker.ietf.org/doc/draft-ietf-opsawg-pcap/ ; pcapng:
 * https://datatracker.ietf.org/doc/draft-ietf-opsawg-pcapng/ ; link types:
 * https://www.tcpdump.org/linktypes.html . */
#include "capture.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    LT_NULL = 0, LT_ETHERNET = 1, LT_RAW_OLD = 12, LT_RAW_OPENBSD = 14, LT_RAW = 101, LT_LOOP = 108,
    LT_LINUX_SLL = 113, LT_IPV4 = 228, LT_IPV6 = 229, LT_LINUX_SLL2 = 276
};

#define PCAPNG_SHB 0x0A0D0D0Au
#define PCAPNG_IDB 1u
#define PCAPNG_PB 2u  /* the obsolete packet block */
#define PCAPNG_SPB 3u
#define PCAPNG_EPB 6u

static uint16_t rd16(const uint8_t *p, int big)
{
    return big ? (uint16_t)(p[0] << 8 | p[1]) : (uint16_t)(p[1] << 8 | p[0]);
}

static uint32_t rd32(const uint8_t *p, int big)
{
    return big ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]
               : (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static int fail(CaptureReader *r, CaptureError *err, int64_t offset, const char *fmt, ...)
{
    va_list ap;
    r->failed = 1;
    if (err) {
        err->offset = offset;
        va_start(ap, fmt);
        vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
    }
    return -1;
}

void capture_init(CaptureReader *r)
{
    memset(r, 0, sizeof *r);
}

void capture_free(CaptureReader *r)
{
    free(r->buf);
    memset(r, 0, sizeof *r);
}

/* ---- one packet: link layer, IP, TCP --------------------------------------------------- */

/* The TCP segment in an IP packet of n captured bytes; 0 when it is none (or not whole
 * enough to read its header). */
/* A SYN's window scale option (RFC 7323: kind 3, length 3, the shift, at most 14) among
 * its n bytes of options; -1 none (or cut off by the snapshot). */
static int window_scale(const uint8_t *o, size_t n)
{
    for (size_t i = 0; i < n;) {
        if (o[i] == 0)
            break;
        if (o[i] == 1) {
            i++;
            continue;
        }
        if (i + 1 >= n || o[i + 1] < 2 || i + o[i + 1] > n)
            break;
        if (o[i] == 3 && o[i + 1] == 3)
            return o[i + 2] > 14 ? 14 : o[i + 2];
        i += o[i + 1];
    }
    return -1;
}

static int ip_tcp(const uint8_t *p, size_t n, Segment *s)
{
    size_t ihl, iplen, at;
    unsigned proto;
    if (n < 1)
        return 0;
    if (p[0] >> 4 == 4) {
        if (n < 20 || (ihl = (size_t)(p[0] & 15) * 4) < 20 || n < ihl)
            return 0;
        if ((rd16(p + 6, 1) & 0x3fff) != 0)
            return 0; /* a fragment: not a whole segment */
        iplen = rd16(p + 2, 1);
        proto = p[9];
        s->family = 4;
        memcpy(s->src, p + 12, 4);
        memcpy(s->dst, p + 16, 4);
        if (iplen < ihl)
            return 0;
        iplen -= ihl;
        at = ihl;
    } else if (p[0] >> 4 == 6) {
        unsigned next;
        if (n < 40)
            return 0;
        iplen = rd16(p + 4, 1);
        next = p[6];
        s->family = 6;
        memcpy(s->src, p + 8, 16);
        memcpy(s->dst, p + 24, 16);
        at = 40;
        /* extension headers: hop-by-hop, routing, destination options (a fragment: none) */
        for (int k = 0; k < 8 && (next == 0 || next == 43 || next == 60); k++) {
            size_t len;
            if (n < at + 8)
                return 0;
            len = ((size_t)p[at + 1] + 1) * 8;
            if (len > iplen)
                return 0;
            next = p[at];
            at += len;
            iplen -= len;
        }
        proto = next;
    } else {
        return 0;
    }
    if (proto != 6 || n < at + 20) {
        return 0;
    } else {
        const uint8_t *t = p + at;
        size_t thl = (size_t)(t[12] >> 4) * 4;
        if (thl < 20 || thl > iplen)
            return 0;
        s->sport = rd16(t, 1);
        s->dport = rd16(t + 2, 1);
        s->seq = rd32(t + 4, 1);
        s->ack = rd32(t + 8, 1);
        s->flags = t[13];
        s->win = rd16(t + 14, 1);
        s->len = (uint32_t)(iplen - thl);
        s->wscale = (s->flags & TCPF_SYN) && thl > 20 ? (int8_t)window_scale(t + 20, (n - at < thl ? n - at : thl) - 20) : -1;
        return 1;
    }
}

/* The IP packet inside a frame of this link type; NULL when it holds none. */
static const uint8_t *link_ip(uint32_t linktype, const uint8_t *p, size_t n, size_t *left)
{
    size_t at;
    uint32_t af;
    unsigned type;
    switch (linktype) {
    case LT_ETHERNET:
        if (n < 14)
            return NULL;
        type = rd16(p + 12, 1);
        at = 14;
        if ((type == 0x8100 || type == 0x88a8) && n >= 18) { /* one VLAN tag */
            type = rd16(p + 16, 1);
            at = 18;
        }
        if (type != 0x0800 && type != 0x86dd)
            return NULL;
        break;
    case LT_NULL:
    case LT_LOOP:
        if (n < 4)
            return NULL;
        /* the family, in the byte order of the machine that captured (NULL) or network order
         * (LOOP): 2 is IPv4; 10, 24, 28 or 30 IPv6 (Linux, NetBSD/OpenBSD, FreeBSD, macOS) */
        af = linktype == LT_LOOP ? rd32(p, 1) : rd32(p, 0) < 256 ? rd32(p, 0) : rd32(p, 1);
        if (af != 2 && af != 10 && af != 24 && af != 28 && af != 30)
            return NULL;
        at = 4;
        break;
    case LT_LINUX_SLL:
        if (n < 16)
            return NULL;
        type = rd16(p + 14, 1);
        if (type != 0x0800 && type != 0x86dd)
            return NULL;
        at = 16;
        break;
    case LT_LINUX_SLL2:
        if (n < 20)
            return NULL;
        type = rd16(p, 1);
        if (type != 0x0800 && type != 0x86dd)
            return NULL;
        at = 20;
        break;
    case LT_RAW:
    case LT_RAW_OLD:
    case LT_RAW_OPENBSD:
    case LT_IPV4:
    case LT_IPV6:
        at = 0;
        break;
    default:
        return NULL;
    }
    *left = n - at;
    return p + at;
}

static int known_linktype(uint32_t lt)
{
    return lt == LT_NULL || lt == LT_ETHERNET || lt == LT_RAW_OLD || lt == LT_RAW_OPENBSD || lt == LT_RAW ||
           lt == LT_LOOP || lt == LT_LINUX_SLL || lt == LT_IPV4 || lt == LT_IPV6 || lt == LT_LINUX_SLL2;
}

/* One record's frame: p[0..n) as captured, origlen as the record says the packet was. */
static void packet(CaptureReader *r, uint32_t linktype, const uint8_t *p, size_t n, uint32_t origlen, int64_t t_ns,
                   int64_t offset, uint32_t ifindex, SegmentOut out, void *ctx)
{
    Segment s;
    size_t left = 0;
    const uint8_t *ip = link_ip(linktype, p, n, &left);
    r->packets++;
    memset(&s, 0, sizeof s);
    if (!ip || !ip_tcp(ip, left, &s)) {
        r->skipped++;
        return;
    }
    s.t_ns = t_ns;
    s.offset = offset;
    s.ifindex = ifindex;
    s.frame = p;
    s.caplen = (uint32_t)n; /* every record is bounded by CAPTURE_MAX_RECORD */
    s.origlen = origlen;
    s.linktype = linktype;
    r->segments++;
    if (out)
        out(ctx, &s);
}

/* ---- pcap ------------------------------------------------------------------------------ */

/* The global header (24 bytes). Returns 24, 0 for more bytes, -1 an error. */
static int pcap_header(CaptureReader *r, const uint8_t *p, size_t n, CaptureError *err)
{
    uint32_t magic;
    if (n < 24)
        return 0;
    magic = rd32(p, 0);
    r->big = magic == 0xd4c3b2a1u || magic == 0x4d3cb2a1u;
    r->nanos = magic == 0xa1b23c4du || magic == 0x4d3cb2a1u;
    if (rd16(p + 4, r->big) != 2)
        return fail(r, err, 4, "pcap version %u.%u: this reader knows 2.4", rd16(p + 4, r->big), rd16(p + 6, r->big));
    r->linktype = rd32(p + 20, r->big) & 0x0fffffffu; /* the high bits say FCS, not the type */
    if (!known_linktype(r->linktype))
        return fail(r, err, 20, "link type %u is not one this reader knows (Ethernet 1, Linux cooked 113 or 276, raw "
                    "IP 101, null/loopback 0 or 108)", (unsigned)r->linktype);
    r->format = 1;
    return 24;
}

/* One record; returns its size, 0 for more bytes, -1 an error. */
static int64_t pcap_record(CaptureReader *r, const uint8_t *p, size_t n, SegmentOut out, void *ctx, CaptureError *err)
{
    uint32_t sec, frac, incl;
    int64_t t;
    if (n < 16)
        return 0;
    sec = rd32(p, r->big);
    frac = rd32(p + 4, r->big);
    incl = rd32(p + 8, r->big);
    if (incl > CAPTURE_MAX_RECORD)
        return fail(r, err, r->consumed + 8, "a record of %u bytes: more than %u", (unsigned)incl,
                    (unsigned)CAPTURE_MAX_RECORD);
    if (frac >= (r->nanos ? 1000000000u : 1000000u))
        return fail(r, err, r->consumed + 4, "a timestamp's fraction of %u is not below one second", (unsigned)frac);
    if (n < 16 + (size_t)incl)
        return 0;
    t = (int64_t)sec * 1000000000 + (int64_t)frac * (r->nanos ? 1 : 1000);
    packet(r, r->linktype, p + 16, incl, rd32(p + 12, r->big), t, r->consumed, 0, out, ctx);
    return 16 + (int64_t)incl;
}

/* ---- pcapng ---------------------------------------------------------------------------- */

/* 10^-resol or 2^-resol seconds per unit, as nanoseconds. */
static int64_t units_to_ns(const CaptureInterface *ifc, uint64_t ts)
{
    if (ifc->tsresol_pow2) {
        long double ns = (long double)ts * 1e9L;
        for (uint32_t i = 0; i < ifc->tsresol; i++)
            ns /= 2;
        return ns > (long double)INT64_MAX / 2 ? INT64_MAX / 2 : (int64_t)ns;
    }
    if (ifc->tsresol <= 9) {
        uint64_t mul = 1;
        for (uint32_t i = ifc->tsresol; i < 9; i++)
            mul *= 10;
        return ts > (uint64_t)(INT64_MAX / 2) / mul ? INT64_MAX / 2 : (int64_t)(ts * mul);
    }
    for (uint32_t i = 9; i < ifc->tsresol && ts; i++)
        ts /= 10;
    return ts > (uint64_t)(INT64_MAX / 2) ? INT64_MAX / 2 : (int64_t)ts;
}

/* An interface description's options: if_tsresol (9) and if_tsoffset (14). */
static int idb_options(CaptureReader *r, CaptureInterface *ifc, const uint8_t *p, size_t n, int64_t at,
                       CaptureError *err)
{
    size_t i = 0;
    while (i + 4 <= n) {
        unsigned code = rd16(p + i, r->big), len = rd16(p + i + 2, r->big);
        size_t padded = (len + 3u) & ~3u;
        if (code == 0)
            return 0; /* opt_endofopt */
        if (i + 4 + padded > n)
            return fail(r, err, at + (int64_t)i, "an option of %u bytes runs past its block", len);
        if (code == 9 && len == 1) {
            uint8_t v = p[i + 4];
            ifc->tsresol_pow2 = v >> 7;
            ifc->tsresol = v & 0x7f;
            if ((!ifc->tsresol_pow2 && ifc->tsresol > 18) || (ifc->tsresol_pow2 && ifc->tsresol > 63))
                return fail(r, err, at + (int64_t)i + 4, "if_tsresol %u is finer than any clock", v);
        } else if (code == 14 && len == 8) { /* a 64-bit integer in the section's byte order */
            uint64_t v = r->big ? (uint64_t)rd32(p + i + 4, 1) << 32 | rd32(p + i + 8, 1)
                                : (uint64_t)rd32(p + i + 8, 0) << 32 | rd32(p + i + 4, 0);
            ifc->tsoffset = (int64_t)v;
            if (ifc->tsoffset > 4000000000LL || ifc->tsoffset < -4000000000LL)
                return fail(r, err, at + (int64_t)i + 4, "if_tsoffset of %lld s is out of range",
                            (long long)ifc->tsoffset);
        }
        i += 4 + padded;
    }
    return 0;
}

/* One block: returns its size, 0 for more bytes, -1 an error. */
static int64_t pcapng_block(CaptureReader *r, const uint8_t *p, size_t n, SegmentOut out, void *ctx, CaptureError *err)
{
    uint32_t type, len;
    int64_t at = r->consumed;
    if (n < 12)
        return 0;
    type = rd32(p, r->big);
    if (type == PCAPNG_SHB) { /* a new section: its own byte order and interfaces */
        uint32_t bom = rd32(p + 8, 0);
        if (bom != 0x1a2b3c4du && bom != 0x4d3c2b1au)
            return fail(r, err, at + 8, "a section header without the byte-order magic 1A2B3C4D");
        r->big = bom == 0x4d3c2b1au;
        r->nifs = 0;
    }
    len = rd32(p + 4, r->big);
    if (len < 12 || len % 4)
        return fail(r, err, at + 4, "a block length of %u: at least 12 and a multiple of 4", (unsigned)len);
    if (len > CAPTURE_MAX_RECORD)
        return fail(r, err, at + 4, "a block of %u bytes: more than %u", (unsigned)len, (unsigned)CAPTURE_MAX_RECORD);
    if (n < len)
        return 0;
    if (rd32(p + len - 4, r->big) != len)
        return fail(r, err, at + len - 4, "the block's closing length %u is not its opening %u",
                    (unsigned)rd32(p + len - 4, r->big), (unsigned)len);
    if (type == PCAPNG_SHB) {
        if (len < 28)
            return fail(r, err, at, "a section header of %u bytes: at least 28", (unsigned)len);
        if (rd16(p + 12, r->big) != 1)
            return fail(r, err, at + 12, "pcapng version %u: this reader knows 1", rd16(p + 12, r->big));
    } else if (r->format != 2) {
        return fail(r, err, at, "a block before the section header");
    } else if (type == PCAPNG_IDB) {
        CaptureInterface *ifc;
        if (len < 20)
            return fail(r, err, at, "an interface description of %u bytes: at least 20", (unsigned)len);
        if (r->nifs == CAPTURE_MAX_INTERFACES)
            return fail(r, err, at, "more than %d interfaces", CAPTURE_MAX_INTERFACES);
        ifc = &r->ifs[r->nifs++];
        memset(ifc, 0, sizeof *ifc);
        ifc->linktype = rd16(p + 8, r->big);
        ifc->snaplen = rd32(p + 12, r->big);
        ifc->tsresol = 6;
        if (idb_options(r, ifc, p + 16, len - 20, at + 16, err) < 0)
            return -1;
    } else if (type == PCAPNG_EPB || type == PCAPNG_PB) {
        uint32_t ifn = type == PCAPNG_EPB ? rd32(p + 8, r->big) : rd16(p + 8, r->big);
        uint64_t ts = (uint64_t)rd32(p + 12, r->big) << 32 | rd32(p + 16, r->big);
        uint32_t caplen = rd32(p + 20, r->big), origlen = rd32(p + 24, r->big);
        const CaptureInterface *ifc;
        if (len < 32)
            return fail(r, err, at, "a packet block of %u bytes: at least 32", (unsigned)len);
        if (ifn >= r->nifs)
            return fail(r, err, at + 8, "a packet of interface %u, which no interface description names",
                        (unsigned)ifn);
        if (caplen > len - 32)
            return fail(r, err, at + 20, "a packet of %u bytes in a block of %u", (unsigned)caplen, (unsigned)len);
        ifc = &r->ifs[ifn];
        if (known_linktype(ifc->linktype))
            packet(r, ifc->linktype, p + 28, caplen, origlen, units_to_ns(ifc, ts) + ifc->tsoffset * 1000000000, at,
                   ifn, out, ctx);
        else
            r->packets++, r->skipped++; /* an interface of a kind this reader does not read */
    } else if (type == PCAPNG_SPB) {
        uint32_t orig = rd32(p + 8, r->big), caplen = len - 16;
        if (!r->nifs)
            return fail(r, err, at, "a simple packet block before any interface description");
        if (orig < caplen)
            caplen = orig;
        if (r->ifs[0].snaplen && r->ifs[0].snaplen < caplen) /* the rest is the block's padding */
            caplen = r->ifs[0].snaplen;
        if (known_linktype(r->ifs[0].linktype))
            packet(r, r->ifs[0].linktype, p + 12, caplen, orig, INT64_MIN, at, 0, out, ctx);
    }
    if (type == PCAPNG_SHB)
        r->format = 2;
    return len; /* other blocks (names, statistics, custom) carry no segment */
}

/* ---- feeding --------------------------------------------------------------------------- */

/* Takes every whole record at the front of p[0..n): returns the bytes taken, -1 an error. */
static int64_t take(CaptureReader *r, const uint8_t *p, size_t n, SegmentOut out, void *ctx, CaptureError *err)
{
    size_t done = 0;
    for (;;) {
        int64_t k;
        if (r->format == 0) {
            uint32_t magic;
            if (n - done < 4)
                break;
            magic = rd32(p + done, 0);
            if (magic == PCAPNG_SHB)
                k = pcapng_block(r, p + done, n - done, out, ctx, err);
            else if (magic == 0xa1b2c3d4u || magic == 0xa1b23c4du || magic == 0xd4c3b2a1u || magic == 0x4d3cb2a1u)
                k = pcap_header(r, p + done, n - done, err);
            else
                return fail(r, err, 0, "not a packet capture: it starts with %02x %02x %02x %02x, neither pcap "
                            "(a1 b2 c3 d4) nor pcapng (0a 0d 0d 0a)", p[done], p[done + 1], p[done + 2], p[done + 3]);
        } else if (r->format == 1) {
            k = pcap_record(r, p + done, n - done, out, ctx, err);
        } else {
            k = pcapng_block(r, p + done, n - done, out, ctx, err);
        }
        if (k < 0)
            return -1;
        if (k == 0)
            break;
        done += (size_t)k;
        r->consumed += k;
    }
    return (int64_t)done;
}

int capture_feed(CaptureReader *r, const void *data, size_t n, SegmentOut out, void *ctx, CaptureError *err)
{
    const uint8_t *p = data;
    int64_t k;
    if (r->failed)
        return fail(r, err, r->consumed, "the capture was already refused");
    while (n) {
        size_t piece;
        if (!r->n) { /* nothing held back: read straight from the caller's bytes */
            if ((k = take(r, p, n, out, ctx, err)) < 0)
                return -1;
            p += k;
            n -= (size_t)k;
            if (!n)
                break;
        }
        /* a record cut short: keep it, and add the bytes that follow a piece at a time */
        piece = n < 65536 ? n : 65536;
        if (r->n + piece > r->cap) {
            size_t cap = r->cap ? r->cap : 4096;
            uint8_t *b;
            while (cap < r->n + piece)
                cap *= 2;
            if (!(b = realloc(r->buf, cap)))
                return fail(r, err, r->consumed, "out of memory");
            r->buf = b;
            r->cap = cap;
        }
        memcpy(r->buf + r->n, p, piece);
        r->n += piece;
        p += piece;
        n -= piece;
        if ((k = take(r, r->buf, r->n, out, ctx, err)) < 0)
            return -1;
        memmove(r->buf, r->buf + k, r->n - (size_t)k);
        r->n -= (size_t)k;
        if (r->n > CAPTURE_MAX_RECORD + 64) /* cannot happen: every record is bounded; a guard */
            return fail(r, err, r->consumed, "a record longer than %u bytes", (unsigned)CAPTURE_MAX_RECORD);
    }
    return 0;
}

int capture_end(CaptureReader *r, CaptureError *err)
{
    if (r->failed)
        return -1;
    if (r->format == 0)
        return fail(r, err, r->consumed, r->n ? "the capture ends inside its header" : "the capture is empty");
    if (r->n)
        return fail(r, err, r->consumed, "the capture ends inside a %s (%zu of its bytes are there)",
                    r->format == 1 ? "record" : "block", r->n);
    return 0;
}

int capture_read(const void *data, size_t n, SegmentOut out, void *ctx, CaptureError *err)
{
    CaptureReader r;
    int rc;
    capture_init(&r);
    rc = capture_feed(&r, data, n, out, ctx, err);
    if (rc == 0)
        rc = capture_end(&r, err);
    capture_free(&r);
    return rc;
}

/* ---- words ----------------------------------------------------------------------------- */

void segment_endpoint(const Segment *s, int dst, char *buf, size_t size)
{
    const uint8_t *a = dst ? s->dst : s->src;
    unsigned port = dst ? s->dport : s->sport;
    if (s->family == 4) {
        snprintf(buf, size, "%u.%u.%u.%u:%u", a[0], a[1], a[2], a[3], port);
        return;
    }
    {
        char h[48];
        size_t k = 0;
        for (int i = 0; i < 16; i += 2)
            k += (size_t)snprintf(h + k, sizeof h - k, "%s%x", i ? ":" : "", (unsigned)(a[i] << 8 | a[i + 1]));
        snprintf(buf, size, "[%s]:%u", h, port);
    }
}

void segment_flags(uint8_t flags, char *buf, size_t size)
{
    static const struct { uint8_t bit; const char *name; } names[] = {
        {TCPF_SYN, "SYN"}, {TCPF_FIN, "FIN"}, {TCPF_RST, "RST"}, {TCPF_PSH, "PSH"}, {TCPF_ACK, "ACK"}, {TCPF_URG, "URG"}};
    size_t k = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < sizeof names / sizeof names[0] && k < size; i++)
        if (flags & names[i].bit)
            k += (size_t)snprintf(buf + k, size - k, "%s%s", k ? ", " : "", names[i].name);
}
