/* pcapng.h: writes a pcapng capture (issue 17: the wire, observed): one section, its
 * interfaces (nanosecond timestamps) and enhanced packet blocks with an optional comment,
 * so a run's segments open in Wireshark beside what it showed. Little-endian, every block a
 * multiple of 4 bytes. Bytes go out through a callback (a file on Windows, memory in tests);
 * every size is bounded, and a refused call writes nothing. Portable: no Win32. */
#ifndef SHUTDOWNLAB_PCAPNG_H
#define SHUTDOWNLAB_PCAPNG_H

#include <stddef.h>
#include <stdint.h>

#define PCAPNG_MAX_INTERFACES 64  /* as many as capture.h reads back */
#define PCAPNG_MAX_COMMENT 1000   /* bytes of a packet's comment; longer is cut at a UTF-8 boundary */
#define PCAPNG_MAX_VERSION 64     /* bytes of the version in shb_userappl */

typedef void (*PcapngWrite)(void *ctx, const void *p, size_t n);

typedef struct PcapngWriter {
    PcapngWrite write;
    void *ctx;
    int section;         /* a section header was written */
    uint32_t nifs;       /* interfaces described in it */
    uint32_t snaplen[PCAPNG_MAX_INTERFACES]; /* each one's, 0: no limit */
    uint64_t bytes;      /* written so far */
} PcapngWriter;

void pcapng_init(PcapngWriter *w, PcapngWrite write, void *ctx);
/* A section header: byte-order magic, version 1.0, length unknown, and shb_userappl
 * "ShutdownLab VERSION" ("ShutdownLab" when version is NULL or empty; a version longer
 * than PCAPNG_MAX_VERSION is cut). Starts a new section: its interfaces start from 0.
 * Returns 0. */
int pcapng_section(PcapngWriter *w, const char *version);
/* An interface of this link type (at most 65535, as the block holds it) and snapshot
 * length (0: none), with if_tsresol 9 (nanoseconds). Returns its id, or -1: no section
 * yet, a link type too large, PCAPNG_MAX_INTERFACES already described. */
int pcapng_interface(PcapngWriter *w, uint32_t linktype, uint32_t snaplen);
/* An enhanced packet block: the frame's caplen bytes captured at t_ns (ns since 1970, not
 * negative) on interface ifid, origlen long on the wire, and comment (UTF-8, NULL or ""
 * for none) as opt_comment. Returns 0, or -1: an interface not described, caplen above
 * CAPTURE_MAX_RECORD (16 MiB), the interface's snaplen or origlen, a negative time, or no
 * frame while caplen > 0. */
int pcapng_packet(PcapngWriter *w, uint32_t ifid, int64_t t_ns, const uint8_t *frame, uint32_t caplen,
                  uint32_t origlen, const char *comment);
/* How many bytes of s (n of them) to keep so that at most max are kept and a UTF-8
 * sequence is never cut. */
size_t pcapng_utf8_cut(const char *s, size_t n, size_t max);

#endif
