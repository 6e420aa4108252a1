/* session.h: one run of a scenario on real loopback sockets. The local end lives on the
 * front end's thread and window (the GUI's main window, or the headless runner's
 * message-only window); the embedded peer lives on its own thread with its own
 * message-only window and loop, as independent as another program. A third thread
 * samples the TCP table. The session ends when both scripts are over and the last
 * sample is in; then nothing is left open. */
#ifndef SHUTDOWNLAB_SESSION_H
#define SHUTDOWNLAB_SESSION_H

#include <winsock2.h>
#include <windows.h>

#include "endpoint.h"
#include "tcpstate.h"
#include "transcript.h"

typedef struct SessionConfig {
    const Scenario *sc;  /* borrowed: must outlive the session */
    Side local;
    int64_t payload;     /* -1: the scenario's default */
    int timeout_ms;
    HWND local_hwnd;     /* the front end's window; it forwards messages to session_handle */
    Sink *sinks[TRANSCRIPT_MAX_SINKS - 1];
    size_t nsinks;
    const char *version;
    int manual;          /* each end holds after each step until session_release */
} SessionConfig;

typedef struct Session {
    Transcript t;
    UINT gen;            /* this run's generation: tags every message it posts */
    UINT socket_msg;     /* this run's WSAAsyncSelect message (messages.h) */
    CRITICAL_SECTION lock;
    Side local;
    Endpoint ep[SIDE_COUNT];
    HWND local_hwnd;
    HWND peer_hwnd;
    HANDLE peer_thread;
    HANDLE peer_ready;
    TcpSampler sampler;
    volatile LONG sides_done;
    volatile LONG side_done[SIDE_COUNT];
    volatile LONG first_sampled;
    int finishing;
    int complete;
    /* The connection as each end sees it, for the TCP table. */
    struct sockaddr_in client_local, server_local;
    volatile LONG tuple_known; /* 1 once both addresses are set */
    volatile LONG manual;
    volatile LONG awaiting_user[SIDE_COUNT]; /* holds after steps, samples in, until released */
    char error[160];     /* why session_start failed */
} Session;

/* Creates a session; NULL with a message in err when threads or windows cannot be made. */
Session *session_create(const SessionConfig *cfg, char *err, size_t errsize);
/* Starts the run: the server end listens, the client end connects. */
void session_start(Session *s);
/* The front end's window procedure hands every message here first; nonzero: handled. */
int session_handle(Session *s, HWND hwnd, UINT msg, WPARAM wp, LPARAM lp);
int session_complete(const Session *s);
/* The run overran every watchdog (a thread is stuck): says so, ends the transcript with
 * its summary, and keeps the transcript locked, so no other thread writes after it; the
 * caller then ends the process. */
void session_abort(Session *s, const char *why);
/* Manual stepping (the GUI's Step and Pause): with it on, an end that completed a step
 * waits, after the TCP sample, until session_release; the controller window is told with
 * WM_SL_HELD(side). Both ends also hold once connected, before their first step.
 * session_release lets every hold of that end go (steps it met while held have already
 * happened). Turning manual off releases every waiting end (Run). UI thread only. */
void session_set_manual(Session *s, int on);
void session_release(Session *s, Side side);
/* Whether the end is waiting for session_release. */
int session_awaiting(const Session *s, Side side);
const Summary *session_summary(const Session *s);
/* Stops the peer thread and the sampler and frees everything. Safe at any point. */
void session_destroy(Session *s);

/* For the endpoints. */
void session_side_finished(Session *s, Side side);
/* A step happened on `side`: samples the TCP table; returns nonzero when the side must
 * hold until the sample is in (it is then released by WM_SL_SAMPLED). */
int session_stepped(Session *s, Side side, const char *step);
void session_set_tuple(Session *s, Side side, const struct sockaddr_in *local, const struct sockaddr_in *remote);
void session_connect_peer(Session *s, unsigned short port);
HWND session_hwnd(const Session *s, Side side);

#endif
