/* endpoint.h: one end of the connection on a real socket, its FD_* notifications
 * delivered by WSAAsyncSelect to a window of the thread that owns the end. It makes the
 * calls its runner asks for and reports every call and message upward, through the
 * runner, to the transcript. Handlers are idempotent: FD_CLOSE twice, FD_READ after EOF
 * and messages for a socket already closed (reference/README.md, Wine fact 3) are
 * logged and otherwise dropped. */
#ifndef SHUTDOWNLAB_ENDPOINT_H
#define SHUTDOWNLAB_ENDPOINT_H

#include <winsock2.h>
#include <windows.h>

#include "runner.h"

struct Session;

typedef struct Endpoint {
    struct Session *session;
    Side side;
    HWND hwnd;             /* receives WM_SL_SOCKET and the end's timer */
    SOCKET s;              /* the connection (client: connecting socket; server: accepted) */
    SOCKET listener;       /* server only, until it accepted */
    int s_closed;          /* closesocket called on s (or s never made) */
    int closing;           /* a lingering closesocket is running on a worker thread */
    int started;           /* the script has begun (connected or accepted) */
    enum { PEND_NONE, PEND_SEND, PEND_CLOSE, PEND_TCP } pending; /* the action under way */
    int reading;           /* the FD_READ handler calls recv */
    int linger_secs;       /* SO_LINGER {1,N} set with N > 0: closesocket may block */
    int64_t send_left;     /* OP_SEND in progress: bytes still to send */
    int64_t send_done;     /* bytes this op sent */
    int64_t sent;          /* offset in this end's pattern stream */
    int64_t received;      /* offset in the peer's pattern stream */
    int content_reported;  /* one content error is enough */
    Runner runner;
    unsigned char buf[65536];
} Endpoint;

void endpoint_init(Endpoint *ep, struct Session *session, Side side, HWND hwnd);
/* Gives the end its runner; the session's transcript must be initialised. */
void endpoint_attach(Endpoint *ep);
/* Server: creates the listener on 127.0.0.1, an ephemeral port; returns the port or 0. */
unsigned short endpoint_listen(Endpoint *ep);
/* Client: non-blocking connect to 127.0.0.1:port. */
void endpoint_connect(Endpoint *ep, unsigned short port);
/* Routes a window message of this end: socket notifications, the timer, a lingering
 * close's completion. Returns nonzero when it was this end's message. */
int endpoint_handle(Endpoint *ep, UINT msg, WPARAM wp, LPARAM lp);
/* Closes what is still open at the end (the listener; the connection, if the script
 * left it open); returns how many connections the script left open. */
int endpoint_teardown(Endpoint *ep);

#endif
