/* wirematch.h: a capture's segments matched to a run (issue 17: the wire, observed). The
 * run's connection is known by its two endpoints: its segments are picked out of
 * everything else in the capture (other connections, other protocols), each direction's
 * sequence numbers are made relative to its initial sequence number (the SYN's: 0; its
 * first data byte 1, as Wireshark counts), and capture times are put on the run's clock
 * (the run's t = 0 as a wall-clock time). Then each data, FIN and RST the run inferred
 * from its calls (wire.h) is paired with the observed segment that carries it, or said not
 * seen; an observed FIN or RST, or data, that no inference names is said too. Portable:
 * no Win32; the reader is capture.h. */
#ifndef SHUTDOWNLAB_WIREMATCH_H
#define SHUTDOWNLAB_WIREMATCH_H

#include <stddef.h>
#include <stdint.h>

#include "capture.h"
#include "event.h"
#include "wire.h"

typedef struct WireEnd {
    int family;      /* 4 or 6 */
    uint8_t addr[16];
    uint16_t port;
} WireEnd;

/* One observed segment of the run's connection. */
typedef struct WireSeg {
    Side from;
    int64_t t_us;        /* on the run's clock */
    uint32_t seq, ack;   /* relative to each direction's ISN (ack: to the other's); absolute if no SYN was seen */
    int relative;        /* both directions' ISNs were known */
    uint32_t len;
    uint16_t win;        /* the window field, as on the wire */
    uint32_t window;     /* the window in bytes: win scaled by the sender's SYN's window scale
                          * (RFC 7323) when both SYNs offered one; win when unknown */
    int scaled;          /* window was scaled (both SYNs were captured with the option) */
    uint8_t flags;
    int64_t offset;      /* its record in the capture file */
    int pair;            /* the inferred wire event it carries (index), -1 none */
} WireSeg;

/* One wire event the run inferred from a call. */
typedef struct WireGuess {
    Side from;
    WireKind kind;
    int64_t t_us;        /* when the call that sent it was made */
    int64_t first, end;  /* data: its bytes in the sender's stream, [first, end), counted from 1 */
    int pair;            /* the observed segment that carries it (the first), -1 not seen */
    char step[EVENT_STEP_MAX];
    EventWhat cause;     /* the call that sent it, and its arguments */
    EventArgs args;
} WireGuess;

typedef struct WireMatch {
    WireEnd end[SIDE_COUNT];
    int64_t wall_t0_ns;  /* the run's t = 0, ns since 1970 (UTC) */
    uint32_t isn[SIDE_COUNT];
    int have_isn[SIDE_COUNT];
    int wscale[SIDE_COUNT];  /* each end's SYN's window scale shift; -1 none or not seen */
    int64_t stream[SIDE_COUNT]; /* data bytes each end's inferred sends put in its stream */
    WireSeg *seg;
    size_t nseg, capseg;
    WireGuess *guess;
    size_t nguess, capguess;
    uint64_t others;     /* segments of other connections, left out */
    int oom;             /* something could not be kept: said by the caller */
    int calls_seen[SIDE_COUNT]; /* that end's calls are this run's (not another program's) */
    int on_wine;         /* an RST is one Wine 8 reports as a graceful close */
} WireMatch;

#define WIREMATCH_MAX 1000000 /* segments and guesses kept, at most (a capture is bounded too) */
/* A segment of the run's two endpoints captured this long before its t = 0 is an earlier
 * connection's that had the same ports (a capture file kept running across runs); clocks
 * of two machines closer than this still match. */
#define WIREMATCH_BEFORE_NS 10000000000LL

void wirematch_init(WireMatch *m, const WireEnd ends[SIDE_COUNT], int64_t wall_t0_ns);
void wirematch_free(WireMatch *m);
/* A segment of the capture: kept (1) when it is the run's connection's, in either
 * direction; 0 otherwise. */
int wirematch_segment(WireMatch *m, const Segment *s);
/* An EV_WIRE event the run inferred (others are ignored). */
void wirematch_guess(WireMatch *m, const Event *ev);
/* Pairs every guess with the first segment from the same end, not earlier than its call
 * by more than tolerance_us (the two clocks' distance), that carries it: a FIN with the
 * FIN flag, an RST with the RST flag, data with a segment whose bytes overlap its own.
 * Returns how many guesses were seen. */
size_t wirematch_pair(WireMatch *m, int64_t tolerance_us);
/* An observed segment nothing inferred, that matters: a FIN or RST, or data (1); a pure
 * ACK or the handshake is nobody's guess (0). */
int wirematch_unguessed(const WireMatch *m, size_t i);

/* The observed segment i as an event (EV_WIRE, EW_SEGMENT, the sender's side). */
void wirematch_segment_event(const WireMatch *m, size_t i, Event *ev);
/* After wirematch_pair: each guess beside the segment that carried it (EW_WIRE_SEEN) or not
 * (EW_WIRE_NOT_SEEN), and each observed FIN, RST or data no guess names (EW_WIRE_UNINFERRED),
 * as notes with a sentence, each to emit. */
void wirematch_report(const WireMatch *m, void (*emit)(void *ctx, const Event *ev), void *ctx);

#endif
