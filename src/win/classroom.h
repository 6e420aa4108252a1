/* classroom.h: a class at once. One listener on the front end's window plays the server's
 * lines of a scenario with every client that connects (--listen with --max-connections N),
 * each connection with its own endpoint, runner, transcript and verdict, all on the one
 * WSAAsyncSelect window and thread. Everything a remote peer controls is bounded: how many
 * connect (N in all, CLASS_CONCURRENT_MAX at once), the bytes each may send, how long each
 * may take (its watchdogs, and a limit on the whole), and so the memory (a connection's
 * state is fixed in size; the receive buffer is the thread's, shared). No TCP table is
 * read: a tcp line's state is said to be not observable.
 *
 * Why CLASS_CONCURRENT_MAX: Windows keeps at most 10,000 posted messages per thread
 * (USERPostMessageLimit; a PostMessage beyond it fails: docs/evidence.md#ms-postmessage).
 * A connection has at most six queued at once: FD_READ, FD_WRITE and FD_CLOSE are each
 * re-enabled only by the call that handles the one before (docs/evidence.md
 * #ms-wsaasyncselect), so at most one of each waits, a storm included; one more FD_READ
 * may be left by the handshake's MSG_PEEK; one completion (a TCP read or a lingering
 * close: one action at a time); and its WM_SL_CONN_DONE. 1,500 x 6 = 9,000 stays under
 * the limit with room for the timers' and the front end's own; a client beyond that waits
 * in the listen backlog until one ends. Wine has no such limit, so it is reasoned, not
 * measured; a lost WM_SL_CONN_DONE is caught by the once-a-second tick anyway. */
#ifndef SHUTDOWNLAB_CLASSROOM_H
#define SHUTDOWNLAB_CLASSROOM_H

#include <winsock2.h>
#include <windows.h>

#include "format.h"
#include "transcript.h"

#define CLASS_MAX_CONNECTIONS 4096
#define CLASS_CONCURRENT_MAX 1500

typedef struct ClassConfig {
    const Scenario *sc;   /* borrowed */
    int64_t payload;      /* -1: the scenario's */
    int timeout_ms;       /* each expectation's watchdog */
    int wait_ms;          /* how long to wait for a connection while none is being played */
    int64_t max_received; /* bytes a client may send */
    int64_t conn_limit_ms; /* how long one connection may take in all */
    struct sockaddr_in addr;
    int max;              /* connections in all (2 .. CLASS_MAX_CONNECTIONS) */
    FormatKind format;
    Out out;
    const char *version;
    HWND hwnd;            /* routes its messages to class_route */
} ClassConfig;

typedef struct ClassResult {
    int connections, passed, failed;
    int vanished;             /* clients that reset before they were accepted: no verdict possible */
    int64_t bytes_lost;       /* what ShutdownLab clients' lines sent that never arrived here */
    int lost_counted;         /* connections whose loss was counted (Summary.lost_counted) */
    int64_t bytes_sent, bytes_received;
    int64_t slowest_us;
    int slowest;              /* its connection's number */
    int concurrent_peak;
    int exit_code;            /* 0 every connection passed; 1 one did not; 3 none came or no listener */
} ClassResult;

typedef struct Class Class;

/* Listens at cfg->addr; NULL with a message in err when it cannot. */
Class *class_create(const ClassConfig *cfg, char *err, size_t errsize);
/* The port it listens on (the one asked for, or the system's choice for port 0). */
unsigned short class_port(const Class *c);
/* The front end's window hands every message here first; nonzero when it was the class's. */
int class_route(Class *c, HWND hwnd, UINT msg, WPARAM wp, LPARAM lp);
/* Every connection played (or no more came in time): the result is final. */
int class_over(const Class *c);
/* Writes the summary (text, tap or jsonl) and returns the result. */
const ClassResult *class_finish(Class *c);
void class_destroy(Class *c);

#endif
