/* scenario.h: the scenario model. A scenario is both ends' scripts in one list of
 * operations: actions (Winsock calls an end makes) and expectations (events an end waits
 * for), each with an optional step label of the documented table, the Windows
 * expectation, this platform's known difference with its evidence, and a sentence for
 * students. Built-ins and teachers' files share one text format (scenario_parse). */
#ifndef SHUTDOWNLAB_SCENARIO_H
#define SHUTDOWNLAB_SCENARIO_H

#include <stddef.h>
#include <stdint.h>

#include "event.h"

typedef enum OpVerb {
    OP_SEND,          /* send arg bytes of the side's pattern (arg -1: the run's payload) */
    OP_SEND_FILL,     /* send until WSAEWOULDBLOCK: data queued that the peer has not read */
    OP_SHUTDOWN,      /* shutdown(arg): SD_RECEIVE 0, SD_SEND 1, SD_BOTH 2 */
    OP_SENDDISCONNECT,/* WSASendDisconnect(s, NULL) */
    OP_LINGER,        /* setsockopt(SO_LINGER, {1, arg}) */
    OP_DONTLINGER,    /* setsockopt(SO_DONTLINGER, TRUE) */
    OP_CLOSESOCKET,
    OP_RECV,          /* one recv() call, whatever the FD_READ handler does */
    OP_READING,       /* arg 1/0: whether this end's FD_READ handler calls recv */
    OP_EXPECT,        /* wait (with a watchdog) for the event named `what` on this end */
    OP_QUIET,         /* watch for arg ms; `what`, if set, must not happen meanwhile */
    OP_TCP            /* read this end's row of the OS's TCP table; windows= names the state */
} OpVerb;

typedef enum ExpectKind {
    EXP_UNSET,  /* no expectation written */
    EXP_OK,     /* succeeded (a call returned no error, a message carried error 0) */
    EXP_VALUE,  /* succeeded with this value (recv returned 0, closesocket returned 0) */
    EXP_ERROR,  /* failed with this Winsock error (call) or carried it (message) */
    EXP_ANY,    /* anything: observed and shown, never a mismatch */
    EXP_STATE,  /* a TCP state (value: TCP_STATE_*), for the tcp action */
    EXP_ABSENT  /* expect: the event does not come (wine=none: Wine does not post it) */
} ExpectKind;

typedef struct Expect {
    ExpectKind kind;
    int64_t value; /* EXP_VALUE */
    int error;     /* EXP_ERROR */
} Expect;

/* What one call or message reported, in the terms expectations use. */
typedef struct Outcome {
    int failed;    /* call returned SOCKET_ERROR, or message carried an error */
    int64_t value; /* return value when not failed (the tcp action: a TCP_STATE_*) */
    int error;     /* WSAGetLastError() or WSAGETSELECTERROR() when failed */
    int is_state;  /* value is a TCP state */
    /* Nothing was reported because nothing could be asked: the call was not made (the
     * socket was already closed) or the table could not be read. Never a Windows answer. */
    const char *not_observed;
    int not_observed_env; /* ... because the environment failed (else: the scenario's lines) */
    int unobservable;     /* ... because only the other end, another program, could say */
    int64_t budget_ms;    /* ACT_PENDING: how long the call may take (0: the run's timeout) */
} Outcome;

#define SCENARIO_NAME_MAX 48

typedef struct Op {
    int line;   /* where it was written, for messages */
    Side side;
    OpVerb verb;
    char step[EVENT_STEP_MAX];
    EventWhat event;           /* OP_EXPECT: the awaited event; OP_QUIET: the forbidden one (or EW_NONE) */
    int64_t arg;
    int if_payload;            /* left out when the run's payload is 0 */
    int if_open;               /* left out when this end's socket is already closed */
    int no_sample;             /* sample=no: the step does not wait for a TCP-table sample */
    int64_t within_ms;         /* within=: this expectation's watchdog (0: the run's) */
    Expect windows;            /* documented and verified Windows behaviour */
    Evidence evidence;         /* how we know it (EVIDENCE_NONE: the file's default) */
    char *source;              /* where a reader can check it */
    Expect other;              /* evidence=disputed: what the other source says (EXP_UNSET: none) */
    Expect wine;               /* Wine 8's known difference (EXP_UNSET: none) */
    char *why;                 /* evidence for the difference */
    char *explain;             /* a sentence for students */
} Op;

/* How we know a claim about Windows: the grade and where a reader can check it. */
typedef struct Claim {
    Evidence evidence;
    const char *source; /* scenario-owned */
} Claim;

enum { LOST_UNCHECKED, LOST_NONE, LOST_SOME };

typedef struct OrderRule {
    char before[EVENT_STEP_MAX];
    char after[EVENT_STEP_MAX];
    Claim claim;               /* EVIDENCE_NONE: the file's default */
} OrderRule;

/* A `showed` line: a sentence about what a step showed in a run, said only when its
 * condition holds of the step's facts (facts.h), with {placeholders} for their values. */
#define SHOWED_MAX_TERMS 4
typedef enum ShowedCmp { CMP_TRUE, CMP_FALSE, CMP_EQ, CMP_NE, CMP_GT, CMP_LT, CMP_GE, CMP_LE } ShowedCmp;
typedef struct ShowedTerm {
    int fact;       /* FactName */
    ShowedCmp cmp;  /* CMP_TRUE: the value is not 0; CMP_FALSE: it is 0; else against value */
    int64_t value;  /* milliseconds for a time, TCP_STATE_* for a state, an error number */
} ShowedTerm;
typedef struct Showed {
    int line;
    char step[EVENT_STEP_MAX];
    ShowedTerm term[SHOWED_MAX_TERMS];
    int nterms;     /* all must hold; none: always */
    char *text;
} Showed;

typedef struct Scenario {
    char name[SCENARIO_NAME_MAX];
    char *title;
    char *about;
    char *source;
    int64_t payload;           /* default payload (bytes) for `send payload` */
    int lost[SIDE_COUNT];      /* LOST_*: what the end of the run checks of each side's loss */
    Claim lost_claim[SIDE_COUNT];
    Claim claim;               /* the file's default, for checks with no evidence of their own */
    char **strings;            /* strings the claims point into (freed with the scenario) */
    size_t nstrings;
    char *text;                /* the text it was parsed from (a recording carries it) */
    size_t text_len;
    Op *ops;
    size_t nops;
    OrderRule *rules;
    size_t nrules;
    Showed *showed;
    size_t nshowed;
} Scenario;

/* Limits that keep any input bounded (a teacher's file or a fuzzer's bytes). */
#define SCENARIO_MAX_BYTES (1u << 20)
#define SCENARIO_MAX_LINE 4096
#define SCENARIO_MAX_OPS 2000
#define SCENARIO_MAX_RULES 256
#define SCENARIO_MAX_SHOWED 256
#define SCENARIO_MAX_SEND INT64_C(1000000000)

typedef struct ScenarioError {
    int line;   /* 1-based; 0 when the error is about the whole file */
    int column; /* 1-based byte column */
    char message[200];
} ScenarioError;

/* Parses text (len bytes, need not be NUL-terminated). Returns a scenario owned by the
 * caller (scenario_free), or NULL with *err filled. Never reads past len. */
Scenario *scenario_parse(const char *text, size_t len, ScenarioError *err);
void scenario_free(Scenario *sc);

/* The built-in scenarios, compiled in from scenarios/ *.scn. */
size_t scenario_builtin_count(void);
const char *scenario_builtin_name(size_t i);
const char *scenario_builtin_text(size_t i, size_t *len);
/* Parses built-in `name`; NULL when there is none of that name. */
Scenario *scenario_builtin(const char *name);

/* Whether the op takes part in a run with this payload. */
int scenario_op_active(const Op *op, int64_t payload);

/* A bound on a whole run of the scenario (or on one connection of a class), past the
 * watchdogs its lines can meet: each expectation's (its `within`, else timeout_ms), each
 * call's that may wait (a send for FD_WRITE, a TCP-table read, a lingering close: its
 * end's linger time too), each quiet period, a second for every other line (a call that
 * does not wait, and a step's TCP sample), and a minute for the set-up. One exception, on
 * purpose: a send's watchdog starts again at each chunk that goes out, while the bound
 * counts one timeout per send, so a send that keeps trickling is cut when the bound comes:
 * a peer cannot stretch a run, or a connection of a class, without end. */
int64_t scenario_limit_ms(const Scenario *sc, int64_t timeout_ms);

/* The claim behind a check: the line's own, else the file's default, else inferred with
 * the source saying the file gives none (SCENARIO_NO_SOURCE). */
#define SCENARIO_NO_SOURCE "not given in the scenario file"
Claim scenario_claim(const Scenario *sc, Claim own);
Claim scenario_op_claim(const Scenario *sc, const Op *op);

/* The verb as a scenario file writes it ("send", "shutdown"), for messages. */
const char *op_verb_name(OpVerb v);
/* What the op is about, in the events' vocabulary: its step's and its check's subject
 * (EW_SHUTDOWN with how, EW_SEND_BYTES with the payload resolved, the awaited event). */
void op_subject(const Op *op, int64_t payload, EventWhat *what, EventArgs *args);
/* The subject's name, as the transcript shows it: "shutdown(SD_SEND)", "send 65536 bytes",
 * "FD_CLOSE", "setsockopt(SO_LINGER {1,0})". */
void op_describe(const Op *op, int64_t payload, char *buf, size_t size);
/* "0", "WSAECONNABORTED", "ok", "any", "65536" */
void expect_format(const Expect *e, char *buf, size_t size);
void outcome_format(const Outcome *o, char *buf, size_t size);
int expect_matches(const Expect *e, const Outcome *o);

#endif
