/* session.h: one run of a scenario on real loopback sockets. The local end lives on the
 * front end's thread and window (the GUI's main window, or the headless runner's
 * message-only window); the embedded peer lives on its own thread (peer.h), as
 * independent as another program. A third thread samples the TCP table (tcpstate.h).
 * The session owns the two ends (endpoint.h: it is their owner), their holds between
 * steps (stepping.h) and the run's generation; it ends when both scripts are over and the
 * last sample is in, then nothing is left open and the front end is told with
 * WM_SL_COMPLETE. */
#ifndef SHUTDOWNLAB_SESSION_H
#define SHUTDOWNLAB_SESSION_H

#include <winsock2.h>
#include <windows.h>

#include "endpoint.h"
#include "peer.h"
#include "stepping.h"
#include "tcpstate.h"
#include "transcript.h"
#include "wirewatch.h"

/* Who plays the other end. */
typedef enum SessionPeer {
    SESSION_EMBEDDED, /* the embedded peer, on its own thread: the README's central idea */
    SESSION_EXTERNAL, /* another program, found at addr (--listen, --connect) */
    SESSION_PEER      /* this process is the other ShutdownLab's peer (--peer): it says hello */
} SessionPeer;

typedef struct SessionConfig {
    const Scenario *sc;  /* borrowed: must outlive the session */
    Side local;
    int64_t payload;     /* -1: the scenario's default */
    int timeout_ms;
    HWND local_hwnd;     /* the front end's window; it routes its messages to session_route */
    Sink *sinks[TRANSCRIPT_MAX_SINKS - 1];
    size_t nsinks;
    const char *version;
    int manual;          /* each end holds after each step until session_release */
    SessionPeer peer;
    struct sockaddr_in addr; /* not embedded: where the local end listens or connects */
    int wait_ms;         /* not embedded: how long to wait for the connection */
    int64_t max_received; /* not embedded: a bound on the bytes the other program may send */
    int sndbuf, rcvbuf;  /* SO_SNDBUF and SO_RCVBUF for each end's socket (0: the system's) */
    int storm;           /* a benchmark's hook (--storm N): N FD_READ notifications of the
                          * tool's own for the local end, posted one after another from its
                          * connection on, as Wine's storms come; said so in the transcript */
    const wchar_t *wire; /* a capture of the run being written there (--wire FILE): its
                          * segments are shown as observed (wirewatch.h); borrowed; NULL none */
} SessionConfig;

typedef struct Session {
    Transcript t;
    UINT gen;            /* this run's generation: tags every message it posts */
    UINT socket_msg;     /* this run's WSAAsyncSelect message (messages.h) */
    CRITICAL_SECTION lock; /* the transcript's: both ends and the sampler emit */
    Side local;
    HWND local_hwnd;
    SessionPeer mode;
    struct sockaddr_in addr;
    unsigned char *buf[SIDE_COUNT]; /* each end's thread's buffer (endpoint.h) */
    Endpoint ep[SIDE_COUNT];
    Peer peer;
    TcpSampler sampler;
    Stepping stepping;
    volatile LONG started[SIDE_COUNT];   /* the end connected: its script began */
    volatile LONG side_done[SIDE_COUNT];
    volatile LONG sides_done;
    /* The one sample of the established connection, before either end's first step: 0 not
     * asked yet; 1 asked by first_side, the other end (first_waiter, or -1) waiting for it
     * too; 2 in. Under lock. */
    int first_state;
    Side first_side;
    int first_waiter;
    int peer_left;       /* connections the peer's lines left open (set on its thread) */
    int finishing;
    int complete;
    int storm_left;      /* the benchmark's FD_READs still to post (the local end's thread) */
    WireWatch *wire;     /* the capture being read (--wire), or NULL */
    int ends_closed;     /* finish: the peer stopped, what was left open closed */
    int left[SIDE_COUNT];
    int wire_reported;   /* finish: the capture has caught up and its pairings are said */
} Session;

/* Creates a session; NULL with a message in err when threads or windows cannot be made. */
Session *session_create(const SessionConfig *cfg, char *err, size_t errsize);
/* Starts the run: the server end listens, the client end connects (to the embedded
 * peer, or at the configured address). */
void session_start(Session *s);
/* Every window that hosts an end hands each message here first, in one line:
 *     if (s && session_route(s, hwnd, msg, wp, lp)) return 0;
 * Nonzero: handled (or an earlier run's, dropped). This run's WM_SL_HELD and
 * WM_SL_COMPLETE return 0: they are the front end's to act on. */
int session_route(Session *s, HWND hwnd, UINT msg, WPARAM wp, LPARAM lp);
/* The run overran every watchdog (a thread is stuck): says so, ends the transcript with
 * its summary, and keeps the transcript locked, so no other thread writes after it; the
 * caller then ends the process. */
void session_abort(Session *s, const char *why);
/* Manual stepping (stepping.h), from the front end's thread: on, an end that completed a
 * step waits, after its TCP sample, for session_release (the front end is told with
 * WM_SL_HELD(side)); both ends also hold once connected. Off releases every waiting end. */
void session_set_manual(Session *s, int on);
void session_release(Session *s, Side side);
/* Whether the end waits for session_release, and the last step it completed. */
int session_awaiting(Session *s, Side side);
void session_held_step(Session *s, Side side, char *step /* EVENT_STEP_MAX */);
const Summary *session_summary(const Session *s);
/* The capture (--wire) could not be read as one, or not opened: 1 and why (file, byte
 * offset, what was wrong); 0 when there was none or it read well. */
int session_wire_failed(Session *s, char *msg, size_t size);
/* The capture's segments of the run's connection and their pairings, once the run is over
 * (NULL: no capture). */
struct WireMatch;
const struct WireMatch *session_wire_match(Session *s);
/* Stops the peer thread and the sampler and frees everything. Safe at any point. */
void session_destroy(Session *s);
/* What session_destroy is waiting for while it runs ("the peer's thread", ...), NULL
 * otherwise: for a watchdog that must say where a teardown stopped (the CLI's). */
const char *session_stopping(void);

#endif
