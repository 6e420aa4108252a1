/* runner.h: the step engine for one end. It walks that end's lines of the scenario: an
 * action asks the host (the Winsock endpoint) to make the call; an expectation waits,
 * under a watchdog, for the event the host observes, labels it with its step and checks
 * it against Windows. Each end has its own runner on its own thread, so the two ends
 * are as independent as two programs; they meet only in the transcript. */
#ifndef SHUTDOWNLAB_RUNNER_H
#define SHUTDOWNLAB_RUNNER_H

#include "scenario.h"
#include "transcript.h"

typedef enum ActResult { ACT_DONE, ACT_PENDING } ActResult;

typedef struct RunnerHost {
    void *ctx;
    /* Makes the op's call(s), reporting each call event through runner_observe. Returns
     * ACT_DONE with *out filled, or ACT_PENDING and later calls runner_complete (a send
     * that waits for FD_WRITE, a closesocket that lingers on a worker thread). */
    ActResult (*act)(void *ctx, const Op *op, Outcome *out);
    /* Arms the one timer of this end (watchdog or quiet period) for ms; ms < 0 disarms. */
    void (*arm)(void *ctx, int64_t ms);
    /* The action under way overran its watchdog: the runner has given up on it, so its
     * completion, if it still comes, is no longer awaited (optional). */
    void (*overdue)(void *ctx);
    /* The op, a step of the table, was completed on this end: the host samples the TCP
     * table (so the step shows the states it led to) and may hold the end meanwhile, or
     * for the student's Step. */
    void (*stepped)(void *ctx, const Op *op);
    /* Whether the end is held: the host keeps the one count of holds, and calls
     * runner_pump once they are let go. Held, the script waits, but an event still meets
     * the expectation it is waiting at (it must not be missed). */
    int (*held)(void *ctx);
    /* The end's script is over (finished, or stopped by a failure). */
    void (*finished)(void *ctx);
    /* Whether this end's socket is still open (for if=open). */
    int (*socket_open)(void *ctx);
} RunnerHost;

#define RUNNER_RECENT 16

typedef struct Recent {
    EventWhat what;
    Outcome o;
    int64_t t_us;
} Recent;

typedef struct Runner {
    Transcript *t;
    const Scenario *sc;
    Side side;
    RunnerHost host;
    size_t pc;        /* index into sc->ops of the current op (only this side's count) */
    int waiting;      /* the current op is an expect or quiet waiting for its event/timer */
    int acting;       /* the current op is an action in progress */
    int done;         /* script over */
    int failed;       /* stopped by an environment failure */
    int quiet_hit;    /* a forbidden event arrived during quiet */
    int paused;       /* the student holds the other end: no watchdog counts meanwhile */
    int64_t wait_since_us;  /* when the current expectation began to wait */
    int64_t pending_budget; /* the watchdog of the action under way */
    /* Events that follow a matched expectation keep its step until the next match
     * (every FD_READ of step 5' is step 5'); calls made while handling a labelled
     * message inherit its step. */
    EventWhat sticky_what;
    char sticky_step[EVENT_STEP_MAX];
    char handler_step[EVENT_STEP_MAX];
    char last_step[EVENT_STEP_MAX]; /* this end's latest step: its events belong to it until the next */
    Recent recent[RUNNER_RECENT]; /* unmatched events, for an expectation reached late */
    size_t nrecent;
    /* The peer's data is over: this end saw the end of it (recv returned 0) or a reset (a
     * recv failed with WSAECONNRESET or WSAECONNABORTED, or FD_CLOSE carried an error). An
     * expectation of data can no longer be met; it fails at once, saying so. */
    int data_over;      /* 0; 1 the end of the data; 2 a reset */
    int over_error;     /* the reset's error */
    int64_t over_us;    /* when */
    int64_t wait_received; /* the bytes this end had received when the current expectation began */
    int saw_close;         /* an FD_CLOSE of this end's socket came (the other end's FIN or reset)... */
    int64_t close_us;      /* ... then */
} Runner;

void runner_init(Runner *r, Transcript *t, Side side, const RunnerHost *host);
/* The end is connected: its script begins. Events before this are the set-up's. */
void runner_start(Runner *r);
/* Runs actions until the script waits, is held or ends. Call after handling each
 * message, and when the host lets its holds go. */
void runner_pump(Runner *r);
/* Every call and message of this end goes through here: labelled, matched against the
 * current expectation, checked, and emitted. `o` is the event's outcome for checks. */
void runner_observe(Runner *r, Event *ev, const Outcome *o);
/* The end of one message's handling: calls made after it no longer inherit its step. */
void runner_handler_done(Runner *r);
/* While a student holds one end, the other end's watchdog must not count: pause stops the
 * timer of a waiting expectation or of a call under way, and keeps any new one from
 * starting; resume starts it again from the full timeout. Quiet periods go on. */
void runner_pause_watchdog(Runner *r);
void runner_resume_watchdog(Runner *r);
/* A pending action made progress (a send moved bytes): its watchdog starts again, and
 * the other end's counts from here. */
void runner_progress(Runner *r);
/* The pending action finished. Only while one is under way: the host drops a completion
 * of an earlier run, or of a call its watchdog gave up on (host.overdue), before it gets
 * here; anything else is a bug, and asserted. */
void runner_complete(Runner *r, const Outcome *o);
/* The timer armed through host.arm fired: an expectation's or a pending call's watchdog,
 * or the end of a quiet period. */
void runner_timer(Runner *r);
/* The set-up failed before the script could start: the end is over without a script. */
void runner_abandon(Runner *r);

/* What the end does next: its next op with a step label that applies, or NULL. */
const Op *runner_next_step(Runner *r);
/* Whether the end stopped on an environment failure (already reported). */
/* The script is over (finished, failed, or abandoned by its host). */
int runner_over(const Runner *r);
int runner_failed(const Runner *r);

#endif
