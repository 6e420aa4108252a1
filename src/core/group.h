/* group.h: how a run's events become lines, one module for every view, so the text
 * transcript, the GUI's log and the ladder cannot disagree:
 * - a burst is one end's run of data events in one step: FD_READ with the recv calls its
 *   handler makes, or FD_WRITE with the sends it resumes. It becomes one line that counts
 *   each (event, error) it holds, at most BURST_ENTRIES of them, and the bytes moved
 *   ("FD_READ x2,048, recv x2,048, 8,000,000 bytes"); counts saturate, never wrap. A new
 *   step, a new kind of data or any other line, of either end, closes it, so lines stay
 *   close to the order things happened;
 * - a lane run is what one end's lane (the ladder) shows as one: the bursts of one end in
 *   one step that only lines off its lane split (the other end's, and steps, checks,
 *   notes and samples, which the lane does not show);
 * - a TCP-table sample is shown only when that end's state changed;
 * - every other event is a line of its own.
 * Lines are handed out as they are finished; the open bursts can be read as they grow.
 * Memory is bounded by one open burst per end, however long a storm is. */
#ifndef SHUTDOWNLAB_GROUP_H
#define SHUTDOWNLAB_GROUP_H

#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "scenario.h"

#define BURST_ENTRIES 3
#define GROUP_TEXT_MAX 768

typedef struct GroupLine {
    int64_t t0, t1;      /* the first and last event's time (equal for one event) */
    Side side;
    EventKind kind;      /* the (first) event's kind */
    char step[EVENT_STEP_MAX];
    int bad;             /* 0; 1 an error worth colouring, or a known difference; 2 a failed check;
                          * 3 a disputed check, 4 one not observable (both neither a pass nor a
                          * failure), 5 inferred (another program's step or line, from what
                          * this end saw) */
    int count;           /* how many events the line stands for (saturated) */
    const Event *ev;     /* the event, when the line is one event; only during the callback */
    char text[GROUP_TEXT_MAX];
} GroupLine;

typedef void (*GroupOut)(void *ctx, const GroupLine *line);

typedef struct BurstEntry {
    EventWhat what;
    int error;
    int stale;           /* messages for a socket already closed (Wine's late FD_READs): their own entry */
    int64_t count;
    int64_t bytes;       /* moved by this entry's events */
    int64_t last_result; /* the latest call's return value (recv 0: end of file) */
} BurstEntry;

typedef struct Burst {
    int open;
    uint64_t id;         /* tells one burst from the next */
    uint64_t lane;       /* its lane run: bursts of one end and step split only by the other end */
    int family;          /* 1 FD_READ/recv, 2 FD_WRITE/send */
    char step[EVENT_STEP_MAX];
    int64_t t_first, t_last;
    int64_t events;
    int64_t bytes;
    BurstEntry e[BURST_ENTRIES];
    int n;
    Event first;         /* shown as itself when the burst holds one event */
} Burst;

typedef struct Grouper {
    GroupOut out;
    void *ctx;
    const Scenario *sc;  /* the run's: its `showed` sentences join a step's line of what it showed */
    Burst burst[SIDE_COUNT];
    int shown_state[SIDE_COUNT]; /* the TCP state each end's last shown sample had; 0 none */
    uint64_t next_id;
    /* each end's last burst, when a line off its lane closed it: the next one may go on
     * in its lane run */
    struct {
        int open;
        uint64_t lane;
        int family;
        char step[EVENT_STEP_MAX];
    } lane[SIDE_COUNT];
    /* each end's run of captured data segments (no SYN, FIN or RST): one line, "on the
     * wire: data x58 ...", when the run ends. Captured segments come late, read from a
     * file, so they neither close nor split the calls' bursts. */
    struct {
        int open;
        int64_t t0, t1, count, bytes;
        uint32_t seq, end;
        int relative;
        Event first;
    } segs[SIDE_COUNT];
} Grouper;

/* What became of an event. */
typedef enum GroupFate {
    GROUP_LINE,   /* a line of its own (handed out now, after any burst it closed) */
    GROUP_BURST,  /* it joined (or opened) its end's burst: ref says which and where */
    GROUP_HIDDEN  /* a TCP sample that repeats its end's state: no line */
} GroupFate;

typedef struct GroupRef {
    uint64_t burst; /* the burst's id */
    uint64_t lane;  /* its lane run's */
    int entry;      /* index of its (event, error) entry in the burst */
} GroupRef;

void grouper_init(Grouper *g, GroupOut out, void *ctx);
/* The run's scenario (borrowed), for the `showed` sentences of an EV_SHOWED line. */
void grouper_set_scenario(Grouper *g, const Scenario *sc);
/* One event; finished lines go to out. ref may be NULL. */
GroupFate grouper_event(Grouper *g, const Event *ev, GroupRef *ref);
/* Closes both ends' bursts (the end of the run). */
void grouper_flush(Grouper *g);
/* The end's open burst as its line reads now; 0 when none is open. */
int grouper_peek(const Grouper *g, Side side, GroupLine *line);
/* An open burst's entry, for a view that follows it (NULL when ref is not open). */
const BurstEntry *grouper_entry(const Grouper *g, Side side, const GroupRef *ref);

/* One event's words, as a line of its own says them (no time, side or step). */
void group_event_text(const Event *ev, char *buf, size_t size);
/* What a step showed (EV_SHOWED): "-> (3) this run: " and the tool's sentence, then the
 * scenario's `showed` sentences that hold (none when sc is NULL). */
/* A captured segment's line: "on the wire: FIN, ACK to the server, seq 1 ack 1 len 0 win 512
 * (captured)". */
void group_segment_text(const Event *ev, char *buf, size_t size);
void group_showed_text(const Event *ev, const Scenario *sc, char *buf, size_t size);
/* "65,536" */
char *format_thousands(long long v, char *buf, size_t size);

#endif
