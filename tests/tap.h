/* tap.h: the whole test library. Prints TAP on stdout for `meson test` (protocol: tap).
 * Assertions show both values on failure, as libuv's ASSERT macros do. No sleeps here:
 * tests wait for events with watchdogs of their own. */
#ifndef SHUTDOWNLAB_TAP_H
#define SHUTDOWNLAB_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed, tap_planned;

static inline void tap_plan(int n)
{
    printf("1..%d\n", n);
    fflush(stdout);
    tap_planned = 1;
}

static inline void tap_diag(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf("# ");
    vprintf(fmt, ap);
    printf("\n");
    fflush(stdout);
    va_end(ap);
}

static inline int tap_vok(int cond, const char *fmt, va_list ap)
{
    printf("%sok %d - ", cond ? "" : "not ", ++tap_n);
    vprintf(fmt, ap);
    printf("\n");
    fflush(stdout);
    if (!cond)
        tap_failed++;
    return cond;
}

static inline int tap_ok(int cond, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    tap_vok(cond, fmt, ap);
    va_end(ap);
    return cond;
}

static inline int tap_is_int(long long got, long long want, const char *what)
{
    int ok = tap_ok(got == want, "%s", what);
    if (!ok)
        tap_diag("  got %lld, want %lld", got, want);
    return ok;
}

static inline int tap_is_str(const char *got, const char *want, const char *what)
{
    int ok = tap_ok(got && want && strcmp(got, want) == 0, "%s", what);
    if (!ok)
        tap_diag("  got \"%s\", want \"%s\"", got ? got : "(null)", want ? want : "(null)");
    return ok;
}

/* Ends the test; prints the plan here when tap_plan was not called (counts that depend
 * on what the test finds). Returns the process exit code. */
static inline int tap_done(void)
{
    if (!tap_planned)
        printf("1..%d\n", tap_n);
    fflush(stdout);
    return tap_failed ? 1 : 0;
}

#endif
