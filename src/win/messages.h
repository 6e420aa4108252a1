/* messages.h: every private window message of ShutdownLab, in one WM_APP-based enum
 * (Rufus's habit), and the timer ids the Winsock layer uses on a front end's window. */
#ifndef SHUTDOWNLAB_MESSAGES_H
#define SHUTDOWNLAB_MESSAGES_H

#include <windows.h>

enum {
    WM_SL_START = WM_APP + 1,  /* an endpoint begins (server: listen; client: connect) */
    WM_SL_CONNECT,             /* client: connect to port wParam */
    WM_SL_CLOSE_DONE,          /* a lingering closesocket returned on its worker; lParam: CloseJob */
    WM_SL_SIDE_DONE,           /* to the controller: one end's script is over */
    WM_SL_SAMPLED,             /* a TCP sample is in: wParam 0 the final one, 1 + side a step's */
    WM_SL_STOP,                /* peer thread: close what is left and quit */
    WM_SL_EVENT,               /* to a GUI: the transcript has new events */
    WM_SL_HELD,                /* to the controller: end wParam waits for session_release */
    WM_SL_RELEASE,             /* to an end's window: go on after the step it is held at */
    WM_SL_TCP_READ,            /* to an end's window: its TCP state (lParam) for the tcp action */
    WM_SL_WATCHDOG,            /* to an end's window: pause (wParam 0) or restart (1) its watchdog */
    WM_SL_SAMPLE_REQUEST,      /* to the sampler thread's queue: lParam a request */
    WM_SL_LAST
};

/* Every session posts with its generation (in lParam, or as below), so a message still
 * queued for the window from an earlier run is recognised and dropped, never trusted. */

/* WSAAsyncSelect notifications: each session has its own message number in this range,
 * so a late FD_* for a socket of an earlier run (whose handle value may be reused) never
 * reaches this run (PuTTY drops such notifications too). */
#define WM_SL_SOCKET_FIRST (WM_APP + 0x400)
#define WM_SL_SOCKET_COUNT 256

/* Timer ids on an endpoint's window: one per side and generation (watchdog or quiet). */
#define SL_TIMER_SIDE_BASE 0x5100
#define SL_TIMER_ID(gen, side) (SL_TIMER_SIDE_BASE + 2 * ((gen) % 128) + (side))

#endif
