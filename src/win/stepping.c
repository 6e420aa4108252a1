/* stepping.c: an end's holds between steps (stepping.h). */
#include "stepping.h"

#include <string.h>

#include "messages.h"

void stepping_init(Stepping *st, int manual, HWND front, UINT gen)
{
    memset(st, 0, sizeof *st);
    InitializeCriticalSection(&st->lock);
    st->manual = manual;
    st->front = front;
    st->gen = gen;
}

void stepping_set_window(Stepping *st, Side side, HWND hwnd)
{
    st->hwnd[side] = hwnd;
}

void stepping_free(Stepping *st)
{
    DeleteCriticalSection(&st->lock);
}

void stepping_stepped(Stepping *st, Side side, const Op *op)
{
    st->end[side].samples++;
    EnterCriticalSection(&st->lock);
    EVENT_SET(st->end[side].step, op ? op->step : "");
    LeaveCriticalSection(&st->lock);
}

int stepping_held(Stepping *st, Side side)
{
    return st->end[side].samples > 0 || st->end[side].student;
}

int stepping_sampled(Stepping *st, Side side, const Op *next)
{
    SteppingEnd *e = &st->end[side];
    if (e->samples > 0)
        e->samples--;
    /* the student's hold is decided once every sample the end waits for is in: a step met
     * meanwhile asks for one Step, not two */
    if (e->samples == 0 && st->manual && next && next->verb != OP_EXPECT && !InterlockedExchange(&e->student, 1)) {
        if (!InterlockedCompareExchange(&st->manual, 0, 0)) {
            /* Run turned stepping off meanwhile and found nobody to release */
            InterlockedExchange(&e->student, 0);
        } else {
            /* the student holds this end: the other end's wait is not a failure meanwhile */
            PostMessageW(st->hwnd[!side], WM_SL_WATCHDOG, 0, st->gen);
            PostMessageW(st->front, WM_SL_HELD, side, st->gen);
        }
    }
    return !stepping_held(st, side);
}

int stepping_released(Stepping *st, Side side)
{
    LONG was = InterlockedExchange(&st->end[side].student, 0);
    InterlockedExchange(&st->end[side].released, 0); /* after the hold went: the next one can be asked for */
    if (was && !st->end[!side].student)
        PostMessageW(st->hwnd[!side], WM_SL_WATCHDOG, 1, st->gen);
    return !stepping_held(st, side);
}

void stepping_set_manual(Stepping *st, int on)
{
    InterlockedExchange(&st->manual, on);
    if (!on)
        for (int k = 0; k < SIDE_COUNT; k++)
            stepping_release(st, (Side)k);
}

void stepping_release(Stepping *st, Side side)
{
    /* no window: that end's thread is gone */
    if (st->hwnd[side] && st->end[side].student && !InterlockedExchange(&st->end[side].released, 1))
        PostMessageW(st->hwnd[side], WM_SL_RELEASE, side, st->gen);
}

int stepping_awaiting(Stepping *st, Side side)
{
    return st->end[side].student != 0 && !st->end[side].released;
}

void stepping_step(Stepping *st, Side side, char *step)
{
    EnterCriticalSection(&st->lock);
    memcpy(step, st->end[side].step, EVENT_STEP_MAX);
    LeaveCriticalSection(&st->lock);
}
