/* ladder_model.h: what the ladder (sequence) diagram shows, built from the run's events:
 * each end's calls and FD_* messages as items on its lane, in the order the ends stamped
 * them (a lane run of a burst is one item per (event, error): group.h decides, as for
 * every view), each end's TCP state when it changed, and the data / FIN / RST arrows the
 * transcript inferred from the calls (its EV_WIRE events, wire.h), each reaching the first
 * event of the other end that can report it; and, where a capture of the run was read, the
 * segments observed on the wire (EW_SEGMENT) at their capture time, one end's consecutive
 * data (or pure ACKs) as one item, each inferred arrow told when it was seen on the wire
 * (EW_WIRE_SEEN). Portable, tested natively; src/ui/ladder.c paints it. */
#ifndef SHUTDOWNLAB_LADDER_MODEL_H
#define SHUTDOWNLAB_LADDER_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "group.h"
#include "wire.h"

typedef enum LadderKind {
    LI_CALL,
    LI_MESSAGE,
    LI_STATE,   /* the end's TCP state changed */
    LI_BLOCKING, /* a lingering closesocket under way on a worker thread */
    LI_INFERRED, /* another program's step, inferred from what this end saw (infer.h): not observed */
    LI_SEGMENT   /* a segment observed in a capture (side: its sender), or one end's consecutive data
                  * segments (or pure ACKs) as one: an arrow of its own row, no words on a lane */
} LadderKind;

/* What an observed segment item holds (LI_SEGMENT). */
typedef struct LadderSeg {
    uint8_t flags;        /* TCPF_* (capture.h) of its first segment */
    uint8_t relative;     /* seq and ack are relative to each direction's SYN */
    uint16_t win;
    uint32_t seq, ack;    /* its first segment's */
    uint32_t ack_last;    /* pure ACKs: the last one's ack */
    int64_t seq_end;      /* data: one past its last byte (seq + len of the furthest) */
    int paired;           /* an inferred data, FIN or RST was seen on the wire in it (EW_WIRE_SEEN) */
} LadderSeg;

#define LADDER_TEXT_MAX 160

typedef struct LadderItem {
    LadderKind kind;
    Side side;
    int64_t t_us, t_last;
    char step[EVENT_STEP_MAX];
    EventWhat what;
    EventArgs args;      /* its name's arguments (shutdown's how, SO_LINGER's seconds) */
    int error;
    int64_t duration_us; /* a call that was timed (a lingering close); 0 unknown */
    int64_t count, bytes;
    int64_t result;      /* the (latest) call's return value */
    int eof;             /* a recv of it returned 0: the end of the peer's data */
    int tcp_state;       /* LI_STATE */
    uint64_t lane;       /* its lane run (group.h), for the events that join it */
    uint64_t serial;     /* which item it is, whatever its index (items move as others are inserted) */
    WireKind arrow;      /* what this call sent to the peer (inferred) */
    int seen;            /* ... and a capture saw it on the wire (EW_WIRE_SEEN) at seen_us */
    int64_t seen_us;
    LadderSeg seg;       /* LI_SEGMENT */
    int target;          /* the item the arrow reaches, -1 none yet (ladder_layout) */
    int row;             /* its row in the diagram (ladder_layout); -1 not shown (a pure ACK, hidden) */
    Verdict check;       /* a check about it that did not pass: KNOWN, MISMATCH or DISPUTED; OK none */
    char windows[EVENT_VALUE_MAX]; /* what Windows does, when a check says it differs */
    char text[LADDER_TEXT_MAX];    /* what was observed: "recv x3 = 65,536 B" */
} LadderItem;

/* A pairing (EW_WIRE_SEEN) not yet applied whole: its call or its segment may come after
 * it (a recording joined to a capture after the fact is in emit order, not time order). */
typedef struct LadderSeen {
    Side side;
    WireKind kind;
    int64_t guess_t_us, seg_t_us;
    int call, seg; /* found */
} LadderSeen;

typedef struct Ladder {
    LadderItem *items;
    size_t n, cap;
    size_t dropped;      /* items that could not be kept (out of memory): the view says so */
    int64_t t_max;       /* the latest call or message it holds */
    int rows;            /* rows in the diagram (ladder_layout) */
    Grouper group;       /* bursts and repeated states, decided as every view decides them */
    uint64_t serials;
    uint64_t last_call[SIDE_COUNT]; /* the item each end's latest call made or joined: its wire */
    size_t segments;     /* observed segments it holds (a capture was read) */
    LadderSeen *seen;    /* pairings waiting for their call or segment (ladder_layout applies them) */
    size_t nseen, capseen;
    int pure_acks;       /* pure ACK segments are shown (a view option, kept across resets) */
} Ladder;

void ladder_init(Ladder *l);
void ladder_reset(Ladder *l);
void ladder_free(Ladder *l);
/* One event of the run. */
void ladder_add(Ladder *l, const Event *ev);
/* Rows and arrow targets, after a batch of events. */
void ladder_layout(Ladder *l);
/* How many arrows of this kind it holds. */
int ladder_arrows(const Ladder *l, WireKind kind);
/* ... and how many of them a capture saw on the wire. */
int ladder_arrows_seen(const Ladder *l, WireKind kind);
/* Pure ACKs (flags ACK alone, no data) shown or not; lays the rows out again. */
void ladder_set_pure_acks(Ladder *l, int on);
/* An observed segment item that is a pure ACK (or several). */
int ladder_pure_ack(const LadderItem *it);
/* Observed segment items shown whose flags include any of mask (TCPF_*); mask 0: the
 * shown items that carry data. */
int ladder_segments(const Ladder *l, uint8_t mask);
/* An observed arrow's label: "FIN, ACK seq 1 ack 1", "PSH, ACK seq 1 len 16",
 * "data x37, seq 1-4038656", "ACK x12, ack 17-4038657" (x: the multiplication sign). */
void ladder_segment_label(const LadderItem *it, char *buf, size_t size);

#endif
