/* pcapng.c: the pcapng writer (pcapng.h). Format:
 * https://datatracker.ietf.org/doc/draft-ietf-opsawg-pcapng/ : section header (0x0A0D0D0A),
 * interface description (1) and enhanced packet (6) blocks, options as code, length, value
 * padded to 32 bits, closed by opt_endofopt. Written little-endian whatever the host. */
#include "pcapng.h"

#include <string.h>

#include "capture.h"

enum {
    BLOCK_SHB = 0x0A0D0D0A, BLOCK_IDB = 1, BLOCK_EPB = 6,
    OPT_ENDOFOPT = 0, OPT_COMMENT = 1, OPT_SHB_USERAPPL = 4, OPT_IF_TSRESOL = 9
};

static const uint8_t zeros[4];

static size_t pad4(size_t n)
{
    return (n + 3) & ~(size_t)3;
}

static void out(PcapngWriter *w, const void *p, size_t n)
{
    if (n) {
        w->write(w->ctx, p, n);
        w->bytes += n;
    }
}

static void out16(PcapngWriter *w, unsigned v)
{
    uint8_t b[2] = {(uint8_t)v, (uint8_t)(v >> 8)};
    out(w, b, 2);
}

static void out32(PcapngWriter *w, uint32_t v)
{
    uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    out(w, b, 4);
}

/* One option: code, length, the value and its padding to 32 bits. */
static void out_option(PcapngWriter *w, unsigned code, const void *value, size_t n)
{
    out16(w, code);
    out16(w, (unsigned)n);
    out(w, value, n);
    out(w, zeros, pad4(n) - n);
}

/* The bytes an option of n value bytes takes. */
static size_t option_size(size_t n)
{
    return 4 + pad4(n);
}

void pcapng_init(PcapngWriter *w, PcapngWrite write, void *ctx)
{
    memset(w, 0, sizeof *w);
    w->write = write;
    w->ctx = ctx;
}

size_t pcapng_utf8_cut(const char *s, size_t n, size_t max)
{
    if (n <= max)
        return n;
    /* s[max] is the first byte left out: while it continues a sequence (10xxxxxx), the
     * sequence began inside what is kept, so that beginning goes too */
    while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
        max--;
    return max;
}

int pcapng_section(PcapngWriter *w, const char *version)
{
    char appl[12 + PCAPNG_MAX_VERSION + 1] = "ShutdownLab";
    size_t n = strlen(appl), len;
    if (version && *version) {
        size_t v = pcapng_utf8_cut(version, strlen(version), PCAPNG_MAX_VERSION);
        appl[n++] = ' ';
        memcpy(appl + n, version, v);
        n += v;
    }
    len = 28 + option_size(n) + 4;
    out32(w, BLOCK_SHB);
    out32(w, (uint32_t)len);
    out32(w, 0x1A2B3C4Du); /* byte-order magic */
    out16(w, 1);           /* version 1.0 */
    out16(w, 0);
    out32(w, 0xFFFFFFFFu); /* section length: not known (-1) */
    out32(w, 0xFFFFFFFFu);
    out_option(w, OPT_SHB_USERAPPL, appl, n);
    out_option(w, OPT_ENDOFOPT, NULL, 0);
    out32(w, (uint32_t)len);
    w->section = 1;
    w->nifs = 0;
    return 0;
}

int pcapng_interface(PcapngWriter *w, uint32_t linktype, uint32_t snaplen)
{
    static const uint8_t nanoseconds = 9; /* if_tsresol: 10^-9 s */
    size_t len = 16 + option_size(1) + option_size(0) + 4;
    if (!w->section || linktype > 0xFFFF || w->nifs >= PCAPNG_MAX_INTERFACES)
        return -1;
    out32(w, BLOCK_IDB);
    out32(w, (uint32_t)len);
    out16(w, (unsigned)linktype);
    out16(w, 0); /* reserved */
    out32(w, snaplen);
    out_option(w, OPT_IF_TSRESOL, &nanoseconds, 1);
    out_option(w, OPT_ENDOFOPT, NULL, 0);
    out32(w, (uint32_t)len);
    w->snaplen[w->nifs] = snaplen;
    return (int)w->nifs++;
}

int pcapng_packet(PcapngWriter *w, uint32_t ifid, int64_t t_ns, const uint8_t *frame, uint32_t caplen,
                  uint32_t origlen, const char *comment)
{
    size_t clen = comment ? pcapng_utf8_cut(comment, strlen(comment), PCAPNG_MAX_COMMENT) : 0;
    size_t len = 28 + pad4(caplen) + (clen ? option_size(clen) + option_size(0) : 0) + 4;
    uint64_t ts = (uint64_t)t_ns;
    if (ifid >= w->nifs || caplen > CAPTURE_MAX_RECORD || caplen > origlen ||
        (w->snaplen[ifid] && caplen > w->snaplen[ifid]) || t_ns < 0 || (caplen && !frame))
        return -1;
    out32(w, BLOCK_EPB);
    out32(w, (uint32_t)len);
    out32(w, ifid);
    out32(w, (uint32_t)(ts >> 32)); /* in the interface's units: nanoseconds */
    out32(w, (uint32_t)ts);
    out32(w, caplen);
    out32(w, origlen);
    out(w, frame, caplen);
    out(w, zeros, pad4(caplen) - caplen);
    if (clen) { /* a block without options has no opt_endofopt either */
        out_option(w, OPT_COMMENT, comment, clen);
        out_option(w, OPT_ENDOFOPT, NULL, 0);
    }
    out32(w, (uint32_t)len);
    return 0;
}
