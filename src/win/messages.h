/* messages.h: every private window message and timer id of the Winsock layer, each
 * defined once, in one WM_APP-based enum (Rufus's habit), and the ranges the front ends
 * keep for their own, so that no two collide on a window that hosts an end. */
#ifndef SHUTDOWNLAB_MESSAGES_H
#define SHUTDOWNLAB_MESSAGES_H

#include <windows.h>

/* Every message a session posts carries its generation (in lParam unless said), so a
 * message still queued from an earlier run is recognised and dropped, never trusted. */
enum {
    WM_SL_START = WM_APP + 1,  /* to the server end's window: listen */
    WM_SL_CONNECT,             /* to the client end's window: connect to port wParam */
    WM_SL_CLOSE_DONE,          /* a lingering closesocket returned on its worker; lParam: its job */
    WM_SL_SIDE_DONE,           /* to the local end's window: end wParam's script is over */
    WM_SL_SAMPLED,             /* a TCP sample is in: wParam 0 the final one, 1 + side a step's */
    WM_SL_STOP,                /* to the peer's window: close what is left and quit */
    WM_SL_HELD,                /* to the front end: end wParam waits for the student's Step */
    WM_SL_RELEASE,             /* to an end's window: the student's Step */
    WM_SL_TCP_READ,            /* to an end's window: its TCP state (lParam) for the tcp action */
    WM_SL_WATCHDOG,            /* to an end's window: pause (wParam 0) or restart (1) its watchdog */
    WM_SL_SAMPLE_REQUEST,      /* to the sampler thread's queue: lParam a request */
    WM_SL_COMPLETE,            /* to the front end: the run is over, its summary is in */
    WM_SL_CONN_DONE,           /* a class: connection slot wParam's script is over (lParam its generation) */
    WM_SL_WIRE_DONE,           /* to the local end's window: the capture has caught up, its pairings are said */
    WM_SL_LAST
};

/* A front end's own messages start here (src/ui/ui_messages.h). */
#define WM_SL_FRONT_END_FIRST (WM_APP + 0x100)

/* WSAAsyncSelect notifications: each session has its own message number in this range,
 * so a late FD_* for a socket of an earlier run (whose handle value may be reused) never
 * reaches this run (PuTTY drops such notifications too). */
#define WM_SL_SOCKET_FIRST (WM_APP + 0x400)
#define WM_SL_SOCKET_COUNT 256

/* A class (classroom.h: many connections on one window): each live connection has its own
 * message number, handed out first-in first-out from this range, so a number comes back
 * into use only after thousands of others: a late FD_* of a closed connection, whose
 * handle value may already be another's, finds no one. Room for 2 * CLASS_CONCURRENT_MAX. */
#define WM_SL_CONN_FIRST (WM_APP + 0x800)
#define WM_SL_CONN_COUNT 8192

/* Every timer id of a window that hosts an end, in one list, so none collide: the front
 * ends' own, and each end's (its watchdog or quiet period: one per side and generation). */
enum {
    SL_TIMER_UI_SPEED = 1,      /* the GUI's Run: one release per tick */
    SL_TIMER_UI_BLOCKING = 2,   /* the GUI: a lingering close's clock */
    SL_TIMER_UI_DRAIN = 4,      /* the GUI: drain the sink's queue */
    SL_TIMER_UI_START = 8,      /* the GUI: the first run starts once the window has painted */
    SL_TIMER_RUN_LIMIT = 0x5000, /* the headless runner: a bound on the whole run */
    SL_TIMER_CLASS_TICK = 0x5001, /* a class: each connection's time limit, and the wait for more */
    SL_TIMER_FLUSH = 0x5002,      /* the headless runner: what a quiet run printed reaches the reader */
    SL_TIMER_SIDE_BASE = 0x5100,
    SL_TIMER_CONN_BASE = 0x6000  /* a class: connection slot k's end has timer SL_TIMER_CONN_BASE + k */
};
#define SL_TIMER_ID(gen, side) (SL_TIMER_SIDE_BASE + 2 * ((gen) % 128) + (side))

#endif
