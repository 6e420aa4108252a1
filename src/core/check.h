/* check.h: preconditions that must hold whatever the input or the timing (libuv's habit).
 * A broken one is a bug in ShutdownLab, not a lesson: it says where and what, on stderr,
 * and ends the process at once rather than let a run report something untrue. Inputs a
 * user or a remote peer controls are never asserted: they are checked and reported. */
#ifndef SHUTDOWNLAB_CHECK_H
#define SHUTDOWNLAB_CHECK_H

#include <stdio.h>
#include <stdlib.h>

#define SL_ASSERT(expr)                                                                                    \
    do {                                                                                                   \
        if (!(expr)) {                                                                                     \
            fprintf(stderr, "%s:%d: %s: assertion failed: %s\n", __FILE__, __LINE__, __func__, #expr);     \
            fflush(stderr);                                                                                \
            abort();                                                                                       \
        }                                                                                                  \
    } while (0)

#endif
