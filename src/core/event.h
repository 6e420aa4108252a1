/* event.h: the one record everything flows through. An endpoint observes a Winsock call
 * or message, the runner labels and checks it, the transcript counts it and hands it to
 * the formatters and views. Portable: no Win32 types here. */
#ifndef SHUTDOWNLAB_EVENT_H
#define SHUTDOWNLAB_EVENT_H

#include <stddef.h>
#include <stdint.h>

typedef enum Side { SIDE_CLIENT = 0, SIDE_SERVER = 1, SIDE_COUNT = 2 } Side;

typedef enum EventKind {
    EV_CALL,    /* a Winsock call made by one end: stamped when made, before it returns */
    EV_MESSAGE, /* an FD_* notification: stamped when taken from the queue */
    EV_STATE,   /* the end's TCP state as the OS's TCP table reports it */
    EV_CHECK,   /* an observation compared with the documented Windows behaviour */
    EV_STEP,    /* a step of the scenario's table happened */
    EV_NOTE     /* set-up and bookkeeping worth showing (listen address, watchdog) */
} EventKind;

#define EVENT_NAME_MAX 48
#define EVENT_STEP_MAX 8
#define EVENT_TEXT_MAX 160
#define EVENT_VALUE_MAX 96

typedef struct Event {
    int64_t t_us;        /* microseconds since the run started, one clock for both ends */
    int64_t duration_us; /* calls: how long the call took; -1 when not measured */
    Side side;
    EventKind kind;
    char name[EVENT_NAME_MAX]; /* "shutdown(SD_SEND)", "FD_CLOSE", "recv", "tcp" */
    char step[EVENT_STEP_MAX]; /* the table's label ("1", "4'"), "" when none */
    int has_result;
    int64_t result; /* return value of a call */
    int error;      /* WSAGetLastError() after a failed call, or the FD_* error; 0 none */
    int64_t bytes;  /* bytes moved by this event; -1 when none moved or not applicable */
    int stale;      /* a message for a socket this end already closed (dropped, not trusted) */
    char tcp_state[16]; /* EV_STATE: "ESTABLISHED", "FIN_WAIT_2", "CLOSED" (no row) ... */
    /* EV_CHECK */
    char expected[EVENT_VALUE_MAX]; /* what Windows does, e.g. "WSAECONNABORTED" */
    char observed[EVENT_VALUE_MAX]; /* what this platform reported */
    int ok;
    int known_difference; /* mismatch documented for this platform (with why) */
    int environment;      /* a failure of the environment, not of the lesson (exit 3) */
    const char *why;      /* evidence for a known difference; static or scenario-owned */
    /* EV_STEP and EV_NOTE: a sentence for students; scenario-owned or copied to text */
    const char *explain;
    char text[EVENT_TEXT_MAX];
} Event;

const char *side_name(Side s);
const char *event_kind_name(EventKind k);

/* An empty event of this kind and side, with the "none" values set (-1 bytes etc.). */
void event_init(Event *ev, EventKind kind, Side side, const char *name);

/* Copies src into a fixed field, truncating and always NUL-terminating. */
void event_set(char *field, size_t size, const char *src);
#define EVENT_SET(field, src) event_set((field), sizeof(field), (src))

#endif
