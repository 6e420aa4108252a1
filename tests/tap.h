/* tap.h: the whole test library. Prints TAP on stdout for `meson test` (protocol: tap).
 * Every assertion is a macro, so a failure says where it is and what it tested: file,
 * line, the expression, and for comparisons both values, as libuv's ASSERT macros do. No
 * sleeps here: tests wait for events with watchdogs of their own. */
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
    char buf[8192];
    const char *line = buf, *nl;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    do { /* every line a comment, or TAP would read it as output it does not know */
        nl = strchr(line, '\n');
        printf("# %.*s\n", nl ? (int)(nl - line) : (int)strlen(line), line);
        line = nl ? nl + 1 : NULL;
    } while (line && *line);
    fflush(stdout);
}

static inline int tap_vok_at(const char *file, int line, const char *expr, int cond, const char *fmt, va_list ap)
{
    printf("%sok %d - ", cond ? "" : "not ", ++tap_n);
    vprintf(fmt, ap);
    printf("\n");
    if (!cond) {
        printf("#   at %s:%d: %s\n", file, line, expr);
        tap_failed++;
    }
    fflush(stdout);
    return cond;
}

static inline int tap_ok_at(const char *file, int line, const char *expr, int cond, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    tap_vok_at(file, line, expr, cond, fmt, ap);
    va_end(ap);
    return cond;
}

static inline int tap_is_int_at(const char *file, int line, const char *got_expr, const char *want_expr, long long got,
                                long long want, const char *what)
{
    int ok = tap_ok_at(file, line, "", got == want, "%s", what);
    if (!ok)
        tap_diag("  %s == %s: got %lld, want %lld", got_expr, want_expr, got, want);
    return ok;
}

static inline int tap_is_str_at(const char *file, int line, const char *got_expr, const char *want_expr,
                                const char *got, const char *want, const char *what)
{
    int ok = tap_ok_at(file, line, "", got && want && strcmp(got, want) == 0, "%s", what);
    if (!ok)
        tap_diag("  %s == %s: got \"%s\", want \"%s\"", got_expr, want_expr, got ? got : "(null)",
                 want ? want : "(null)");
    return ok;
}

/* tap_ok(cond, fmt, ...): a test point that passes when cond holds. */
#define tap_ok(cond, ...) tap_ok_at(__FILE__, __LINE__, #cond, (cond) != 0, __VA_ARGS__)
/* tap_is_int(got, want, what) and tap_is_str(got, want, what): both values on failure. */
#define tap_is_int(got, want, what) tap_is_int_at(__FILE__, __LINE__, #got, #want, (long long)(got), (long long)(want), (what))
#define tap_is_str(got, want, what) tap_is_str_at(__FILE__, __LINE__, #got, #want, (got), (want), (what))

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
