/* transcript.h: the hub both ends report into. It stamps nothing itself (the ends stamp
 * their events on the shared clock), counts bytes per side from the calls, keeps the
 * time of each step, checks the table's order at the end and hands every event to the
 * sinks (text, tap, jsonl formatters, the GUI's views) as it arrives: nothing is kept
 * per event, so memory stays bounded however long a burst is. */
#ifndef SHUTDOWNLAB_TRANSCRIPT_H
#define SHUTDOWNLAB_TRANSCRIPT_H

#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "facts.h"
#include "infer.h"
#include "scenario.h"
#include "steps.h"
#include "wire.h"

/* Who plays the other end. */
typedef enum PeerKind {
    PEER_EMBEDDED,   /* the embedded peer, in this process: both ends are observed */
    PEER_EXTERNAL,   /* another program (socat, a student's): only this end is observed */
    PEER_SHUTDOWNLAB /* ShutdownLab in another process (it said so in the handshake): only
                      * this end is observed, but it plays the scenario's lines and bytes */
} PeerKind;

typedef struct RunInfo {
    const Scenario *sc;
    Side local;           /* the end this program plays; the peer plays the other */
    PeerKind peer;        /* at the start EMBEDDED or EXTERNAL; a handshake may say SHUTDOWNLAB */
    char where[80];       /* an external peer: "listening on 127.0.0.1:5000", "connecting to ..." */
    int conn;             /* a class run (many connections): this connection's number, from 1 */
    int64_t payload;      /* bytes for `send payload` */
    int timeout_ms;       /* watchdog for each expected event */
    int sndbuf, rcvbuf;   /* SO_SNDBUF and SO_RCVBUF each end set before it connected (--sndbuf,
                           * --rcvbuf); 0: the system's own */
    int on_wine;          /* Wine's known differences apply */
    char platform[64];    /* "Wine 8.0", "Windows 10.0.19045" */
    char os[64];          /* the Windows version the system reports (under Wine, the one it plays) */
    const char *version;  /* ShutdownLab's version */
    /* The run's t = 0 on the wall clock (UTC), so a capture's times land on the run's
     * clock: ns since 1970, 0 when not read; and how far from the truth it can be (half
     * the time it took to read it, in us). */
    int64_t wall_t0_ns;
    int64_t wall_within_us;
} RunInfo;

typedef struct SideStats {
    int64_t bytes_sent;     /* accepted by send() */
    int64_t bytes_received; /* returned by recv() */
    int64_t bytes_lost;     /* sent by this end, never received by the other */
    int lost_counted;       /* bytes_lost was counted (not for another program's sends) */
    int64_t content_errors; /* received bytes that differ from what the peer sent */
} SideStats;

typedef struct Summary {
    SideStats side[SIDE_COUNT];
    int checks;
    int mismatches;        /* unexplained: exit 1 */
    int known_differences; /* documented for this platform: still exit 0 */
    int disputed;          /* the sources disagree on what Windows does: shown, never a failure */
    int environment;       /* a call failed unexpectedly or a watchdog expired: exit 3 */
    int sockets_left_open; /* after the run's teardown */
    int not_observable;    /* checks only the other end could make (an external peer's) */
    int inferred;          /* the other program's lines that what this end saw says it did */
    int refused;           /* the handshake with another ShutdownLab failed: exit 2 */
    PeerKind peer;
    int exit_code;
    int64_t t_us;
} Summary;

typedef struct Sink Sink;
struct Sink {
    void (*begin)(Sink *s, const RunInfo *info);
    void (*event)(Sink *s, const Event *ev);
    void (*end)(Sink *s, const Summary *sum);
};

#define TRANSCRIPT_MAX_SINKS 4

typedef struct Transcript {
    RunInfo info;
    Sink *sinks[TRANSCRIPT_MAX_SINKS];
    size_t nsinks;
    /* Both ends' threads emit: the platform layer supplies a lock (no-ops natively). */
    void (*lock)(void *ctx);
    void (*unlock)(void *ctx);
    void *lock_ctx;
    int64_t (*clock_us)(void *ctx); /* a monotonic clock in microseconds */
    void *clock_ctx;
    int64_t (*wall_ns)(void *ctx);  /* the wall clock, ns since 1970 UTC (NULL: none) */
    int64_t t0;
    Summary sum;
    StepTimes steps;
    Wire wire;           /* what the calls sent, inferred: EV_WIRE events after the calls */
    /* What each step showed, gathered until its end moves on to another step (or the run
     * ends), then said in an EV_SHOWED event; each end's current step. */
    OpenFacts facts;
    char current[SIDE_COUNT][EVENT_STEP_MAX];
    /* Against another program: its end, inferred from what this end saw (infer.h). */
    Inference infer;
    int waited_out[SIDE_COUNT]; /* transcript_waited_out */
    /* When each end's script last moved on (an action done, an expectation met, a quiet
     * over): a watchdog counts from the other end's last progress, not its own start. */
    int64_t progress_us[SIDE_COUNT];
    int connection_said;
} Transcript;

void transcript_init(Transcript *t, const RunInfo *info);
void transcript_add_sink(Transcript *t, Sink *s);
/* Starts the clock and tells the sinks. */
void transcript_begin(Transcript *t);
/* The run's clock against the wall clock now: how far they have drifted apart since t = 0
 * (us; 0 without a wall clock). */
int64_t transcript_drift_us(Transcript *t);
/* The connection is there: says its two endpoints once (a capture finds it by them). IPv4,
 * host order. */
void transcript_connection(Transcript *t, Side side, uint32_t client_addr, uint16_t client_port, uint32_t server_addr,
                           uint16_t server_port);
/* Microseconds since transcript_begin, on the one clock both ends share. */
int64_t transcript_now(Transcript *t);
/* Counts the event and hands it to every sink, under the lock. A check goes out with its
 * claim: the grade and source its emitter gave it (a scenario line's, an order rule's),
 * or, for the tool's own checks (content, set-up, a run that does not end), the tool's;
 * and when its sources disagree (disputed) its verdict is VERDICT_DISPUTED, whatever
 * this platform did. */
void transcript_emit(Transcript *t, const Event *ev);
/* A check event about the scenario's line `op`: its subject, step and index, stamped now. */
void transcript_check_about(Transcript *t, Event *ev, Side side, const Op *op);
/* Emits a check: compares `o` with the op's Windows expectation and, on this platform,
 * its known difference. Returns 1 when the observation is acceptable (matched Windows,
 * or matched a documented difference of this platform). */
int transcript_check(Transcript *t, Side side, const Op *op, const Outcome *o);
/* A content error: received bytes that differ from what the peer sent. */
void transcript_content_error(Transcript *t, Side side, int64_t offset, int got, int want);
/* The step's first time, or -1 if it has not happened. */
int64_t transcript_step_time(Transcript *t, const char *label);
/* Against another program: its TCP row as last read here (TCP_STATE_*), 0 when none was
 * (another machine's); *step the step after which it was read ("" another time). */
int transcript_peer_row(Transcript *t, char step[EVENT_STEP_MAX], int64_t *t_us);
/* This end waited for the other in vain (an expectation's watchdog expired): against
 * another program, what it never did can then be said (infer.h). */
void transcript_waited_out(Transcript *t, Side side);
/* The bytes this end's recv calls have returned so far. */
int64_t transcript_received(Transcript *t, Side side);
/* The end's script moved on; and when it last did (0: not since the run began). */
void transcript_progress(Transcript *t, Side side);
int64_t transcript_last_progress(Transcript *t, Side side);
/* The handshake said who the peer is (PEER_SHUTDOWNLAB) or that it is another program:
 * a note with text, and the peer kind the checks at the end go by. */
void transcript_set_peer(Transcript *t, Side side, PeerKind peer, const char *text);
/* The handshake failed (another scenario, version or role; or no answer): a note, and the
 * run exits 2 (bad usage: the two processes were not started to play together). */
void transcript_refuse(Transcript *t, Side side, const char *text);
/* End of run: byte losses, the table's order rules, sockets each end's lines left open
 * (a mismatch of the scenario, not of the environment), the summary line. With an external
 * peer, what only the other end could report (its lines' checks, an order between its
 * steps and this end's, what it received) is said to be not observable, never passed. */
void transcript_finish(Transcript *t, const int left_open[SIDE_COUNT]);

#endif
