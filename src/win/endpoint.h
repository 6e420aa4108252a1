/* endpoint.h: one end of the connection on a real socket, its FD_* notifications
 * delivered by WSAAsyncSelect to a window of the thread that owns the end. It makes the
 * calls its runner asks for and reports every call and message upward, through the
 * runner, to the transcript. Handlers are idempotent: FD_CLOSE twice, FD_READ after EOF
 * and messages for a socket already closed (reference/README.md, Wine fact 3) are
 * logged and otherwise dropped.
 *
 * It knows two narrow things, in PuTTY's Plug style, and nothing of who made it: its
 * owner (told when the end connected, completed a step, finished, or failed in its
 * set-up; asked whether the end is held) and its environment (the transcript, the
 * window, this run's socket message and generation, a way to read the TCP table). */
#ifndef SHUTDOWNLAB_ENDPOINT_H
#define SHUTDOWNLAB_ENDPOINT_H

#include <winsock2.h>
#include <windows.h>

#include "runner.h"

typedef struct EndpointOwner {
    void *ctx;
    /* The end is connected (both addresses known): its script begins. */
    void (*connected)(void *ctx, Side side, const struct sockaddr_in *me, const struct sockaddr_in *peer);
    /* The end completed a step (op), or connected (op NULL): the owner samples the TCP
     * table and may hold the end; it calls endpoint_resume when the holds are let go. */
    void (*stepped)(void *ctx, Side side, const Op *op);
    /* Whether the end is held (the owner keeps the count). */
    int (*held)(void *ctx, Side side);
    /* The end's script is over (finished, or stopped by a failure). */
    void (*finished)(void *ctx, Side side);
    /* The set-up failed before the script could start (already in the transcript). */
    void (*setup_failed)(void *ctx, Side side);
} EndpointOwner;

/* Whether the end greets the other end before its script (hello.h). */
typedef enum EndpointHello {
    HELLO_OFF,    /* the embedded peer: both ends are this program */
    HELLO_DETECT, /* facing another program: a ShutdownLab --peer says hello, anything else is not one */
    HELLO_OFFER   /* this is the --peer process: say hello, and play only if the answer is ok */
} EndpointHello;

#define ENDPOINT_BUF 262144

typedef struct EndpointEnv {
    Transcript *t;
    HWND hwnd;       /* the end's thread's window: its FD_* messages, timer and completions */
    UINT socket_msg; /* this run's WSAAsyncSelect message (messages.h) */
    UINT gen;        /* this run's generation */
    UINT_PTR timer;  /* the end's timer id on hwnd (messages.h) */
    unsigned char *buf; /* ENDPOINT_BUF bytes of its thread's, for one call at a time */
    EndpointHello hello;
    int64_t max_received; /* a bound on the bytes a remote peer may send (0: none) */
    int accept_ms;   /* listening: how long to wait for a client (0: no watchdog) */
    int sndbuf, rcvbuf; /* SO_SNDBUF and SO_RCVBUF to set on the end's socket before it connects
                         * or listens (an accepted socket inherits them); 0: the system's */
    /* The tcp action: reads this end's TCP state; the answer comes back to hwnd as
     * WM_SL_TCP_READ(tag, state). */
    void (*tcp_read)(void *ctx, const char *step, HWND notify, int side, WPARAM tag);
    void *tcp_ctx;
} EndpointEnv;

typedef struct Endpoint {
    Side side;
    EndpointOwner owner;
    EndpointEnv env;
    int attached;          /* endpoint_init has run: messages may be routed here */
    int torn_down;         /* endpoint_teardown has run: the run is over, its messages are dropped */
    SOCKET s;              /* the connection (client: connecting socket; server: accepted) */
    SOCKET listener;       /* server only, until it accepted */
    int s_closed;          /* closesocket called on s (or s never made) */
    int closing;           /* a lingering closesocket is running on a worker thread */
    int started;           /* the script has begun (connected or accepted); this thread only */
    uint32_t bind_addr;    /* the listener's address and port, host order (for its bind event) */
    unsigned short bind_port;
    enum { PEND_NONE, PEND_SEND, PEND_CLOSE, PEND_TCP } pending; /* the action under way */
    int reading;           /* the FD_READ handler calls recv */
    int linger_secs;       /* SO_LINGER {1,N} set with N > 0: closesocket may block */
    int64_t deadline_us;   /* when the end's timer is due (transcript time); -1 disarmed */
    int64_t send_left;     /* OP_SEND in progress: bytes still to send */
    int64_t send_done;     /* bytes this op sent */
    int64_t sent;          /* offset in this end's pattern stream */
    int64_t received;      /* offset in the peer's pattern stream */
    int content_reported;  /* one content error is enough */
    int greeting;          /* connected, waiting for the handshake (hello.h) before the script */
    int peeked;            /* the handshake peeked: one FD_READ with nothing to read may follow */
    int64_t first_read_us; /* while greeting: when its first FD_READ came (-1 none) */
    int ndeferred;         /* notifications that came while greeting: the script's, replayed */
    struct { long event; int error; int64_t t_us; } deferred[4];
    Runner runner;
} Endpoint;

/* Makes the end and its runner; the environment's transcript must be initialised. */
void endpoint_init(Endpoint *ep, Side side, const EndpointOwner *owner, const EndpointEnv *env);
/* Server: creates the listener on addr (127.0.0.1:0 for the embedded peer: an ephemeral
 * port); returns the port or 0. */
unsigned short endpoint_listen(Endpoint *ep, const struct sockaddr_in *addr);
/* Client: non-blocking connect to addr. */
void endpoint_connect(Endpoint *ep, const struct sockaddr_in *addr);
/* Server of a class (many connections, one listener that is not the end's): the end takes
 * a connection accepted by the listener's owner and plays its lines on it. */
void endpoint_adopt(Endpoint *ep, SOCKET s);
/* The tcp action's answer when no table is read (a class of many connections): the
 * state is said to be not observable. */
#define ENDPOINT_TCP_NOT_SAMPLED ((LPARAM)-1)
/* Gives up on the connection (a class's time limit for it): the check says why, the
 * connection is reset, the owner told. */
void endpoint_abort(Endpoint *ep, const char *expected, const char *observed, const char *text);
/* The generation a lingering close's completion (WM_SL_CLOSE_DONE's lParam) belongs to. */
UINT endpoint_close_gen(LPARAM lp);
/* Routes a window message of this end: socket notifications, the timer, a TCP read, a
 * lingering close's completion. Returns nonzero when it was this end's message. */
int endpoint_route(Endpoint *ep, UINT msg, WPARAM wp, LPARAM lp);
/* The owner let the end's holds go: its script goes on. */
void endpoint_resume(Endpoint *ep);
/* The student holds the other end: pause (0) or restart (1) this end's watchdog. */
void endpoint_watchdog(Endpoint *ep, int on);
/* Closes what is still open at the end (the listener; the connection, if the script
 * left it open); returns how many connections the script left open. */
int endpoint_teardown(Endpoint *ep);

#endif
