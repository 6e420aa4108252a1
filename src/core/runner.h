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
    /* A step of the table was completed on this end. Returning nonzero holds the script
     * until runner_release: the host samples the TCP table first (so each step shows the
     * states it led to), or waits for the student's Step. */
    int (*stepped)(void *ctx, const char *step);
    /* The end's script is over (finished, or stopped by a failure). */
    void (*finished)(void *ctx);
    /* Whether this end's socket is still open (for if=open). */
    int (*socket_open)(void *ctx);
} RunnerHost;

#define RUNNER_RECENT 16

typedef struct Recent {
    char name[EVENT_NAME_MAX];
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
    int held;         /* steps waiting for the host's release (each holds the script) */
    int64_t pending_budget; /* the watchdog of the action under way */
    /* Events that follow a matched expectation keep its step until the next match
     * (every FD_READ of step 5' is step 5'); calls made while handling a labelled
     * message inherit its step. */
    char sticky_name[EVENT_NAME_MAX];
    char sticky_step[EVENT_STEP_MAX];
    char handler_step[EVENT_STEP_MAX];
    Recent recent[RUNNER_RECENT]; /* unmatched events, for an expectation reached late */
    size_t nrecent;
} Runner;

void runner_init(Runner *r, Transcript *t, Side side, const RunnerHost *host);
/* The end is connected: its script begins. Events before this are the set-up's. */
void runner_start(Runner *r);
/* Runs actions until the script waits or ends. Call after handling each message. */
void runner_pump(Runner *r);
/* Every call and message of this end goes through here: labelled, matched against the
 * current expectation, checked, and emitted. `o` is the event's outcome for checks. */
void runner_observe(Runner *r, Event *ev, const Outcome *o);
/* The end of one message's handling: calls made after it no longer inherit its step. */
void runner_handler_done(Runner *r);
/* While a student holds one end, the other end's watchdog must not count: pause stops the
 * timer of a waiting expectation or of a call under way; resume starts it again from the
 * full timeout. */
void runner_pause_watchdog(Runner *r);
void runner_resume_watchdog(Runner *r);
/* Lets a script held after a step go on. */
void runner_release(Runner *r);
/* A pending action made progress (a send moved bytes): its watchdog starts again. */
void runner_progress(Runner *r);
/* A pending action finished. */
void runner_complete(Runner *r, const Outcome *o);
/* The timer armed through host.arm fired: an expectation's or a pending call's watchdog,
 * or the end of a quiet period. */
void runner_timer(Runner *r);

#endif
