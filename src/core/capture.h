/* capture.h: the TCP segments of a packet capture (issue 17: the wire, observed). Reads
 * pcap (microsecond and nanosecond timestamps, either byte order) and pcapng (section
 * header, interface description, enhanced, simple and the old packet blocks; other blocks
 * are skipped), over the link types a classroom's captures have: Ethernet, Linux cooked
 * capture (SLL and SLL2: tcpdump -i any), raw IP, and the null and loop link types (BSD
 * loopback, as Npcap's loopback adapter writes); IPv4 and IPv6; TCP only. A capture is
 * input a user hands over: any bytes give segments or one error with the byte offset where
 * the file is wrong, never a crash; every size is bounded. The reader is fed bytes as they
 * come, so a capture still being written (tcpdump -U -w) is read as it grows: a record cut
 * short waits for the rest. Portable: no Win32, tested natively and fuzzed. */
#ifndef SHUTDOWNLAB_CAPTURE_H
#define SHUTDOWNLAB_CAPTURE_H

#include <stddef.h>
#include <stdint.h>

/* TCP flags, as the header carries them. */
enum { TCPF_FIN = 0x01, TCPF_SYN = 0x02, TCPF_RST = 0x04, TCPF_PSH = 0x08, TCPF_ACK = 0x10, TCPF_URG = 0x20 };

typedef struct Segment {
    int64_t t_ns;        /* when it was captured, ns since 1970 (UTC); INT64_MIN: the record has none */
    int64_t offset;      /* where its record starts in the file */
    int family;          /* 4 or 6 */
    uint8_t src[16], dst[16]; /* IPv4 addresses in the first 4 bytes */
    uint16_t sport, dport;
    uint32_t seq, ack;   /* as on the wire (absolute) */
    uint16_t win;        /* the window field, unscaled */
    int8_t wscale;       /* a SYN's window scale option: the shift (0..14); -1 none */
    uint8_t flags;       /* TCPF_* */
    uint32_t len;        /* TCP payload bytes, from the IP length (a short snapshot does not shrink it) */
    uint32_t ifindex;    /* pcapng: the interface it was captured on; pcap: 0 (not `interface`: the Windows headers define that) */
    /* The frame as captured, so a writer can emit it again (pcapng.h): */
    const uint8_t *frame; /* caplen bytes from the link header on; valid only during the SegmentOut call */
    uint32_t caplen;     /* bytes captured (a snapshot length may have cut the packet) */
    uint32_t origlen;    /* the packet's length on the wire, as the record says it */
    uint32_t linktype;   /* the link type of the record's file (pcap) or interface (pcapng) */
} Segment;

typedef void (*SegmentOut)(void *ctx, const Segment *seg);

#define CAPTURE_MAX_RECORD (16u << 20) /* a block or record larger than this is an error */
#define CAPTURE_MAX_INTERFACES 64

typedef struct CaptureError {
    int64_t offset;      /* the byte where the file is wrong */
    char message[160];
} CaptureError;

typedef struct CaptureInterface {
    uint32_t linktype;
    int tsresol_pow2;    /* if_tsresol: 1 when the resolution is 2^-tsresol, 0 when 10^-tsresol */
    uint32_t tsresol;
    int64_t tsoffset;    /* if_tsoffset, seconds */
    uint32_t snaplen;    /* 0: no limit; a simple packet block holds min(snaplen, its original length) */
} CaptureInterface;

typedef struct CaptureReader {
    int format;          /* 0 not known yet, 1 pcap, 2 pcapng */
    int big;             /* the file (pcap) or the section (pcapng) is big-endian */
    int nanos;           /* pcap: nanosecond timestamps */
    uint32_t linktype;   /* pcap */
    CaptureInterface ifs[CAPTURE_MAX_INTERFACES];
    uint32_t nifs;
    uint8_t *buf;        /* bytes fed and not yet taken as a whole record */
    size_t n, cap;
    int64_t consumed;    /* the file offset of buf[0] */
    int failed;          /* an error was said: nothing more is read */
    uint64_t packets, segments, skipped; /* records read; TCP segments found; other packets */
} CaptureReader;

void capture_init(CaptureReader *r);
void capture_free(CaptureReader *r);
/* Feeds the next n bytes of the file; each whole TCP segment goes to out. 0, or -1 with
 * *err (and every later call fails too). */
int capture_feed(CaptureReader *r, const void *data, size_t n, SegmentOut out, void *ctx, CaptureError *err);
/* The file has ended: 0, or -1 when it ends inside a record or before any header. */
int capture_end(CaptureReader *r, CaptureError *err);
/* Reads a whole capture in memory. */
int capture_read(const void *data, size_t n, SegmentOut out, void *ctx, CaptureError *err);

/* "127.0.0.1:5000" or "[::1]:5000" for a segment's source (dst = 0) or destination. */
void segment_endpoint(const Segment *s, int dst, char *buf, size_t size);
/* "FIN, ACK": the flags as a reader says them. */
void segment_flags(uint8_t flags, char *buf, size_t size);

#endif
