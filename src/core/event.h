/* event.h: the one record everything flows through, and the vocabulary it speaks. An
 * endpoint observes a Winsock call or message, the runner labels and checks it, the
 * transcript counts it and hands it to the formatters and views. What happened is an
 * EventWhat with typed arguments, never a string: names ("shutdown(SD_SEND)", "FD_CLOSE")
 * are rendered from it in one place (event.c), so no two views can disagree on them and
 * no consumer parses a name back. Portable: no Win32 types here. */
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
    EV_NOTE,    /* set-up and bookkeeping worth showing (listen address, watchdog) */
    EV_WIRE,    /* what went on the wire: inferred from a call (EW_WIRE_DATA, FIN, RST: wire.h),
                 * or a segment observed in a capture of the run (EW_SEGMENT: wirematch.h) */
    EV_SHOWED   /* what one step showed in this run, written from its events (facts.h): its
                 * end has moved on to another step, or the run is over */
} EventKind;

/* What happened. A call or message is itself; a step or a check names its subject (a
 * call, a message, one of the script's own actions, or the run as a whole). */
typedef enum EventWhat {
    EW_NONE,
    /* Winsock calls (EV_CALL; a step or check about the call) */
    EW_SOCKET,
    EW_BIND,           /* args: addr, port */
    EW_GETSOCKNAME,
    EW_LISTEN,
    EW_CONNECT,
    EW_ACCEPT,
    EW_ASYNCSELECT,    /* WSAAsyncSelect */
    EW_SEND,
    EW_RECV,
    EW_SHUTDOWN,       /* args: how */
    EW_SENDDISCONNECT, /* WSASendDisconnect */
    EW_LINGER,         /* setsockopt(SO_LINGER {1,linger_s}) */
    EW_DONTLINGER,     /* setsockopt(SO_DONTLINGER) */
    EW_SNDBUF,         /* setsockopt(SO_SNDBUF, amount): --sndbuf */
    EW_RCVBUF,         /* setsockopt(SO_RCVBUF, amount): --rcvbuf */
    EW_CLOSESOCKET,
    EW_CLOSE_LISTENER, /* closesocket on the set-up's listener */
    /* FD_* notifications (EV_MESSAGE) */
    EW_FD_READ,
    EW_FD_WRITE,
    EW_FD_OOB,
    EW_FD_ACCEPT,
    EW_FD_CONNECT,
    EW_FD_CLOSE,
    EW_FD_UNKNOWN,
    /* the script's own actions that are not one call (EV_STEP, EV_CHECK) */
    EW_SEND_BYTES,     /* send args.amount bytes, in as many send() calls as it takes */
    EW_SEND_FILL,      /* send until WSAEWOULDBLOCK */
    EW_READING,        /* the FD_READ handler reads (args.on) or not */
    EW_QUIET,          /* watch args.amount ms */
    EW_TCP_READ,       /* the tcp action: read this end's row of the TCP table */
    /* a TCP-table sample (EV_STATE) */
    EW_TCP_STATE,
    /* notes (EV_NOTE) */
    EW_LISTENING,      /* args: addr, port */
    EW_SKIPPED,        /* a line of this end left out by its condition */
    EW_CLOSE_ON_WORKER,/* a lingering closesocket handed to a worker thread: it may block */
    EW_TEARDOWN,       /* the tool closed what the lines left open */
    EW_TABLE_UNREADABLE,
    EW_STORM,          /* a benchmark's own FD_READs follow (--storm): not Winsock's */
    EW_HANDSHAKE,      /* the line two ShutdownLab processes exchange at connect (hello.h) */
    EW_CONNECTION,     /* the connection's two endpoints (args: the client's addr, port; the
                        * server's addr2, port2): a capture finds the run's segments by them */
    EW_CAPTURE,        /* a capture of the run (--wire): opened, unreadable, what it held */
    EW_WIRE_SEEN,      /* an inferred data, FIN or RST and the captured segment that carried it */
    EW_WIRE_NOT_SEEN,  /* an inferred one no captured segment carried */
    EW_WIRE_UNINFERRED,/* a captured FIN, RST or data that no call explains */
    /* what went on the wire, inferred (EV_WIRE; the side is the sender) */
    EW_WIRE_DATA,
    EW_WIRE_FIN,
    EW_WIRE_RST,
    /* what went on the wire, observed in a capture (EV_WIRE; the side is the sender) */
    EW_SEGMENT,
    /* what a step showed (EV_SHOWED) */
    EW_SHOWED,
    /* checks of the run as a whole (EV_CHECK) */
    EW_ORDER,          /* an order rule of the table */
    EW_BYTES_LOST,
    EW_LEFT_OPEN,      /* sockets the lines left open */
    EW_CONTENT,        /* received bytes against what the peer sent */
    EW_RUN,            /* the run as a whole ended */
    EW_COUNT
} EventWhat;

#define EVENT_STEP_MAX 8

/* The arguments a name is rendered from. */
typedef struct EventArgs {
    int how;         /* EW_SHUTDOWN: SD_RECEIVE 0, SD_SEND 1, SD_BOTH 2 */
    int linger_s;    /* EW_LINGER */
    int on;          /* EW_READING */
    int64_t amount;  /* EW_SEND_BYTES, EW_SNDBUF, EW_RCVBUF: bytes; EW_QUIET: milliseconds */
    uint32_t addr;   /* EW_BIND, EW_LISTENING, EW_CONNECTION (the client): IPv4 address, host order */
    uint16_t port;
    uint16_t port2;  /* EW_CONNECTION: the server's */
    uint32_t addr2;
} EventArgs;

/* One kind of call of a step (send or recv), as the step's end made them. Counts saturate. */
typedef struct CallFacts {
    uint32_t calls;      /* made */
    uint32_t moved;      /* ... that moved bytes (returned more than 0) */
    uint32_t zero;       /* ... that returned 0 (recv: the end of the peer's data) */
    uint32_t wouldblock; /* ... that failed with WSAEWOULDBLOCK (a full or empty buffer) */
    uint32_t failed;     /* ... that failed with another error */
    int32_t error;       /* the first such error */
    uint32_t min, max;   /* bytes per call that moved any (0 when none did) */
    int64_t bytes;       /* moved in all */
} CallFacts;

/* What one step showed in this run (facts.h), from the calls and messages its end made
 * and got under its label, and the TCP samples taken after it. */
typedef struct StepFacts {
    char label[EVENT_STEP_MAX];
    int32_t side;              /* the step's end (Side) */
    int64_t t_first, t_last;   /* its first and last call or message; -1 none */
    CallFacts send, recv;
    uint32_t fd_read, fd_write, fd_close;
    uint32_t stale;            /* messages for a socket already closed (dropped, not counted above) */
    int32_t close_error;       /* the first FD_CLOSE's error */
    int64_t after_close;       /* bytes recv returned after the step's first FD_CLOSE: it came
                                * before the last byte was read */
    int32_t call_what;         /* the step's last call other than send and recv (EW_NONE none) */
    EventArgs call_args;       /* its name's arguments (shutdown's how) */
    int32_t call_error;        /* its error (0: it succeeded) */
    int64_t call_result;       /* its return value */
    int64_t call_us;           /* how long it took, where that was measured (a lingering close); -1 not */
    uint8_t state[2];          /* each end's TCP state sampled after the step; 0 not sampled */
} StepFacts;

/* What went on the wire, beside a call's inference or from a capture: an observed segment
 * (EV_WIRE, EW_SEGMENT), an inferred one (EW_WIRE_DATA, FIN, RST: the call that sent it),
 * and the pairing of the two at the end of a captured run (EW_WIRE_SEEN, NOT_SEEN,
 * UNINFERRED notes). */
typedef struct WireFacts {
    uint32_t seq, ack, len;  /* the segment's: seq and ack relative to each direction's SYN */
    uint16_t win;            /* the window field as on the wire */
    uint8_t flags;           /* TCP flags (capture.h's TCPF_*) */
    uint8_t relative;        /* seq and ack are relative (both SYNs were captured) */
    uint8_t scaled;          /* window is win scaled by the sender's window scale option */
    uint32_t window;         /* the window in bytes (win when it could not be scaled) */
    int32_t cause;           /* the call that sent the inferred one (EventWhat; its arguments in
                              * the event's args); EW_NONE none */
    int32_t guess;           /* the inferred one's what (EW_WIRE_DATA, FIN, RST); EW_NONE none */
    int64_t guess_t_us;      /* when that call was made; -1 none */
    int64_t seg_t_us;        /* when the segment was captured, on the run's clock; -1 none */
    int64_t first, end;      /* inferred data: its bytes in the sender's stream, [first, end) from 1 */
} WireFacts;

/* A check's verdict. */
typedef enum Verdict {
    VERDICT_OK,          /* met what Windows does */
    VERDICT_SHOWN,       /* windows=any: observed and shown, what Windows does is not checked */
    VERDICT_KNOWN,       /* a documented difference of this platform (with why): still exit 0 */
    VERDICT_MISMATCH,    /* unexplained: exit 1 */
    VERDICT_ENVIRONMENT, /* the environment failed, not the lesson: exit 3 */
    VERDICT_DISPUTED,    /* the sources disagree on what Windows does: shown beside both, never a
                          * pass or a failure */
    VERDICT_UNOBSERVED,  /* only the other end could report it, and the other end is another
                          * program (an external peer): never a pass, never a failure */
    VERDICT_INFERRED     /* another program's line, which what this end saw says it did (infer.h,
                          * the reason in text): never a pass, never a failure */
} Verdict;

/* How we know what Windows does (every check says): */
typedef enum Evidence {
    EVIDENCE_NONE,       /* not said (a scenario line: the file's default applies) */
    EVIDENCE_TESTED,     /* a conformance test run on real Windows */
    EVIDENCE_DOCUMENTED, /* Microsoft's documentation */
    EVIDENCE_DISPUTED,   /* the sources disagree: both cited */
    EVIDENCE_INFERRED    /* reasoned from RFCs or other checks */
} Evidence;

/* When a TCP-table sample was taken, when it is not a step's. */
typedef enum SampleWhen { SAMPLE_AFTER_STEP, SAMPLE_FIRST, SAMPLE_END } SampleWhen;

/* TCP states as MIB_TCP_STATE numbers them (the TCP table's dwState); a connection with
 * no row in the table is CLOSED. */
enum {
    TCP_STATE_CLOSED = 1, TCP_STATE_LISTEN, TCP_STATE_SYN_SENT, TCP_STATE_SYN_RCVD, TCP_STATE_ESTABLISHED,
    TCP_STATE_FIN_WAIT_1, TCP_STATE_FIN_WAIT_2, TCP_STATE_CLOSE_WAIT, TCP_STATE_CLOSING, TCP_STATE_LAST_ACK,
    TCP_STATE_TIME_WAIT, TCP_STATE_DELETE_TCB
};

#define EVENT_NAME_MAX 48

#define EVENT_TEXT_MAX 160
#define EVENT_VALUE_MAX 96

typedef struct Event {
    int64_t t_us;        /* microseconds since the run started, one clock for both ends */
    int64_t duration_us; /* calls: how long the call took; -1 when not measured */
    Side side;
    EventKind kind;
    EventWhat what;
    EventArgs args;
    int op;                    /* a step or check about a scenario line: its index in ops; -1 */
    char step[EVENT_STEP_MAX]; /* the table's label ("1", "4'"), "" when none */
    int has_result;
    int64_t result; /* return value of a call */
    int error;      /* WSAGetLastError() after a failed call, or the FD_* error; 0 none */
    int64_t bytes;  /* bytes moved by this event; -1 when none moved or not applicable */
    int stale;      /* a message for a socket this end already closed (dropped, not trusted) */
    int inferred;   /* EV_STEP, EV_CHECK: another program's step, or a check of its line, inferred
                     * from what this end saw (the reason in text), never observed */
    /* EV_STATE */
    int tcp_state;        /* TCP_STATE_*: CLOSED when the connection has no row */
    SampleWhen when;
    /* EV_CHECK */
    Verdict verdict;
    union {
        struct {
            char expected[EVENT_VALUE_MAX]; /* what Windows does, e.g. "WSAECONNABORTED" */
            char observed[EVENT_VALUE_MAX]; /* what this platform reported */
            char other[EVENT_VALUE_MAX];    /* disputed: what the other source says Windows does ("" none) */
        };
        StepFacts facts;                    /* EV_SHOWED */
        WireFacts wire;                     /* EV_WIRE; the capture's EV_NOTEs */
    };
    Evidence evidence;    /* how we know what Windows does */
    const char *source;   /* where a reader can check it; static or scenario-owned */
    const char *why;      /* evidence for a known difference; static or scenario-owned */
    /* EV_STEP and EV_NOTE: a sentence for students; scenario-owned or copied to text */
    const char *explain;
    char text[EVENT_TEXT_MAX];
} Event;

const char *side_name(Side s);
/* "client" or "server" -> the side; SIDE_COUNT when it is neither. */
Side side_from_name(const char *s);
const char *event_kind_name(EventKind k);

/* An empty event of this kind, side and subject, with the "none" values set (-1 bytes,
 * no op). */
void event_init(Event *ev, EventKind kind, Side side, EventWhat what);

/* The event's name, rendered from what and its arguments: "shutdown(SD_SEND)", "FD_CLOSE",
 * "send 65536 bytes", "tcp". The only place names are made. */
void event_name(const Event *ev, char *buf, size_t size);
/* The same for a subject without an event. */
void event_what_name(EventWhat what, const EventArgs *args, char *buf, size_t size);
/* The event an `expect` line names ("FD_CLOSE", "recv"), of len bytes; EW_NONE when none. */
EventWhat event_what_from_name(const char *s, size_t len);
/* The renderer backwards, for a recording read back: the what and arguments of an event of
 * this kind named name ("shutdown(SD_SEND)", "send 65536 bytes"). 0, or -1 when no event
 * of that kind has that name. */
int event_parse_name(EventKind kind, const char *name, EventWhat *what, EventArgs *args);
/* EV_* of a kind's name ("call"); -1 when none. */
int event_kind_from_name(const char *s);
/* "SD_SEND" */
const char *shutdown_how_name(int64_t how);
/* "FIN_WAIT_2" for TCP_STATE_FIN_WAIT_2; "?" when out of range. */
const char *tcp_state_label(int64_t state);
/* TCP_STATE_* for a name of len bytes ("TIME_WAIT"); 0 when it is none. */
int tcp_state_from_name(const char *s, size_t len);

/* A TCP sample's words beside its state: "(no row in the table) at the end of the run". */
void event_state_note(const Event *ev, char *buf, size_t size);

/* Families of the vocabulary. */
int event_what_is_message(EventWhat what); /* an FD_* notification */
/* The call an action's check is about: EW_SEND for EW_SEND_BYTES and EW_SEND_FILL, the
 * what itself otherwise. */
EventWhat event_what_call(EventWhat what);
/* Whether a check passes (met Windows, or only shown), is acceptable (also a known
 * difference), and whether it is the environment's failure. */
int verdict_ok(Verdict v);
int verdict_acceptable(Verdict v);
/* "ok", "shown", "known_difference", "mismatch", "environment", "disputed", "not_observable" */
const char *verdict_name(Verdict v);
/* "tested", "documented", "disputed", "inferred" ("" for EVIDENCE_NONE) */
const char *evidence_name(Evidence e);
/* The grade of len bytes ("tested"); EVIDENCE_NONE when it is none. */
Evidence evidence_from_name(const char *s, size_t len);

/* Copies src into a fixed field, truncating and always NUL-terminating. */
void event_set(char *field, size_t size, const char *src);
#define EVENT_SET(field, src) event_set((field), sizeof(field), (src))

#endif
