/* stepping.h: what an end waits for between its steps, in one place. After each step an
 * end waits for its TCP sample, so the table shows the states that step led to; with
 * manual stepping on (the GUI's Step and Pause), it then waits for the student's Step.
 * So an end is held by a count (its samples not yet in) and a yes-or-no (the student):
 * nothing else, in any layer, counts holds. An end whose next step is only a wait for a
 * message (or that has no step left) has nothing to hold back: it goes on at once, and
 * the message it meets is its next step, shown in turn. While the student holds one end,
 * the other end's watchdog does not count. */
#ifndef SHUTDOWNLAB_STEPPING_H
#define SHUTDOWNLAB_STEPPING_H

#include <winsock2.h>
#include <windows.h>

#include "scenario.h"

typedef struct SteppingEnd {
    int samples;             /* samples asked for and not in yet (the end's own thread) */
    volatile LONG student;   /* waiting for the student's Step */
    volatile LONG released;  /* a Step is posted to the end and not yet taken: asked once */
    char step[EVENT_STEP_MAX]; /* the last step it completed, "" for the set-up (under lock) */
} SteppingEnd;

typedef struct Stepping {
    CRITICAL_SECTION lock;
    volatile LONG manual;
    SteppingEnd end[SIDE_COUNT];
    HWND hwnd[SIDE_COUNT]; /* each end's window */
    HWND front;            /* the front end, told WM_SL_HELD(side) */
    UINT gen;
} Stepping;

void stepping_init(Stepping *st, int manual, HWND front, UINT gen);
void stepping_set_window(Stepping *st, Side side, HWND hwnd);
void stepping_free(Stepping *st);

/* On the end's own thread. */
/* The end completed a step (op; NULL: it connected) and asked for a sample of it. */
void stepping_stepped(Stepping *st, Side side, const Op *op);
int stepping_held(Stepping *st, Side side);
/* WM_SL_SAMPLED: the sample is in; next is the end's next step (NULL: none). Returns 1
 * when the end is free to go on. */
int stepping_sampled(Stepping *st, Side side, const Op *next);
/* WM_SL_RELEASE: the student's Step reached the end. Returns 1 when it is free to go on. */
int stepping_released(Stepping *st, Side side);

/* On the front end's thread. */
/* Off lets every end waiting for the student go (Run). */
void stepping_set_manual(Stepping *st, int on);
/* The student's Step for one end: every hold of it goes (steps it met meanwhile have
 * already happened). A Step already on its way is not posted again: the end takes it on
 * its own thread, and a second one would release its next hold too. */
void stepping_release(Stepping *st, Side side);
/* The end waits for the student's Step, and none is on its way to it. */
int stepping_awaiting(Stepping *st, Side side);
/* The last step the end completed ("" for the set-up), into step[EVENT_STEP_MAX]. */
void stepping_step(Stepping *st, Side side, char *step);

#endif
