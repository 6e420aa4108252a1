/* facts_text.c: what a step showed, in words (facts.h): the tool's sentence from its facts
 * alone, and the scenario's `showed` sentences whose condition holds, their {values}
 * filled in. */
#include "facts.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "group.h"
#include "wsaerr.h"

/* ---- the tool's sentence -------------------------------------------------------------- */

typedef struct Text {
    char *buf;
    size_t size, len;
    int parts;
} Text;

static void add(Text *t, const char *fmt, ...)
{
    va_list ap;
    int n;
    if (t->len >= t->size)
        return;
    va_start(ap, fmt);
    n = vsnprintf(t->buf + t->len, t->size - t->len, fmt, ap);
    va_end(ap);
    if (n > 0)
        t->len = t->len + (size_t)n < t->size ? t->len + (size_t)n : t->size - 1;
}

/* A new part of the sentence, after "; " when it is not the first. */
static void part(Text *t)
{
    if (t->parts++)
        add(t, "; ");
}

static const char *num(int64_t v, char *buf)
{
    return format_thousands(v, buf, 32);
}

static void count_times(Text *t, uint32_t n)
{
    char a[32];
    if (n == 1)
        add(t, " once");
    else
        add(t, " %s times", num(n, a));
}

static void range(Text *t, const CallFacts *c)
{
    char a[32], b[32];
    if (c->moved > 1 && c->min == c->max)
        add(t, " (%s each)", num(c->min, a));
    else if (c->moved > 1)
        add(t, " (%s to %s per call)", num(c->min, a), num(c->max, b));
}

static void calls_of(Text *t, uint32_t n)
{
    char a[32];
    add(t, "%s call%s", num(n, a), n == 1 ? "" : "s");
}

static void send_part(Text *t, const StepFacts *f)
{
    const CallFacts *c = &f->send;
    char a[32], e[64];
    if (!c->calls)
        return;
    if (c->moved) {
        part(t);
        add(t, "send accepted %s byte%s in ", num(c->bytes, a), c->bytes == 1 ? "" : "s");
        calls_of(t, c->moved);
        range(t, c);
    }
    if (c->wouldblock) {
        part(t);
        calls_of(t, c->wouldblock);
        add(t, " failed with WSAEWOULDBLOCK: the buffers were full");
        if (f->fd_write) {
            add(t, ", and FD_WRITE came");
            count_times(t, f->fd_write);
            add(t, " when there was room again");
        }
    } else if (c->moved > 1) { /* a send that took several calls: whether any had to wait */
        add(t, "; no call failed with WSAEWOULDBLOCK%s", f->fd_write ? "" : ", so no FD_WRITE was needed");
    }
    if (c->failed) {
        part(t);
        if (c->failed == c->calls) /* every call failed: "send failed with ..." */
            add(t, "send failed with %s", wsaerr_format(c->error, e, sizeof e));
        else
            calls_of(t, c->failed), add(t, " of send failed with %s", wsaerr_format(c->error, e, sizeof e));
        if (c->failed > 1 && c->failed == c->calls)
            count_times(t, c->failed);
    }
    if (c->zero) {
        part(t);
        calls_of(t, c->zero);
        add(t, " of send returned 0");
    }
}

static void recv_part(Text *t, const StepFacts *f)
{
    const CallFacts *c = &f->recv;
    char a[32], e[64];
    if (!c->calls)
        return;
    part(t);
    if (c->moved) {
        add(t, "recv returned %s byte%s in ", num(c->bytes, a), c->bytes == 1 ? "" : "s");
        calls_of(t, c->moved);
        range(t, c);
        if (c->zero)
            add(t, ", then 0 (the end of the peer's data)");
    } else if (c->zero) {
        add(t, "recv returned 0 (the end of the peer's data)");
        if (c->zero > 1)
            count_times(t, c->zero);
    }
    if (c->wouldblock) {
        if (c->moved || c->zero)
            part(t);
        calls_of(t, c->wouldblock);
        add(t, " of recv found nothing to read (WSAEWOULDBLOCK)");
    }
    if (c->failed) {
        if (c->moved || c->zero || c->wouldblock)
            part(t);
        if (c->failed == c->calls)
            add(t, "recv failed with %s", wsaerr_format(c->error, e, sizeof e));
        else
            calls_of(t, c->failed), add(t, " of recv failed with %s", wsaerr_format(c->error, e, sizeof e));
        if (c->failed > 1 && c->failed == c->calls)
            count_times(t, c->failed);
    }
}

static void close_part(Text *t, const StepFacts *f)
{
    char a[32], e[64];
    if (!f->fd_close)
        return;
    part(t);
    add(t, "FD_CLOSE came with error %s", f->close_error ? wsaerr_format(f->close_error, e, sizeof e) : "0");
    if (f->fd_close > 1)
        count_times(t, f->fd_close);
    if (f->after_close > 0 && f->after_close == f->recv.bytes)
        add(t, ", before the last byte was read");
    else if (f->after_close > 0)
        add(t, ", before the last byte was read: %s of the bytes recv returned came after it", num(f->after_close, a));
    else if (f->recv.moved)
        add(t, ", after the last byte had been read");
}

static void call_part(Text *t, const StepFacts *f)
{
    char name[EVENT_NAME_MAX], e[64];
    if (f->call_what == EW_NONE)
        return;
    event_what_name((EventWhat)f->call_what, &f->call_args, name, sizeof name);
    part(t);
    if (f->call_error)
        add(t, "%s failed with %s", name, wsaerr_format(f->call_error, e, sizeof e));
    else
        add(t, "%s returned %lld", name, (long long)f->call_result);
    if (f->call_us >= 1000)
        add(t, " after %.1f ms", f->call_us / 1000.0);
}

static void state_of(Text *t, const char *who, int st)
{
    add(t, "the %s %s", who, st == TCP_STATE_CLOSED ? "with no row (CLOSED)" : "in ");
    if (st != TCP_STATE_CLOSED)
        add(t, "%s", tcp_state_label(st));
}

static void states_part(Text *t, const StepFacts *f)
{
    int me = f->side == SIDE_SERVER, st[2] = {f->state[me], f->state[!me]};
    const char *who[2] = {side_name((Side)me), side_name((Side)!me)};
    if (!st[0] && !st[1])
        return;
    part(t);
    add(t, "the TCP table, read after it, showed ");
    for (int k = 0, said = 0; k < 2; k++) {
        if (!st[k])
            continue;
        if (said++)
            add(t, " and ");
        state_of(t, who[k], st[k]);
    }
}

void facts_sentence(const StepFacts *f, char *buf, size_t size)
{
    Text t = {buf, size, 0, 0};
    char a[32];
    if (!size)
        return;
    buf[0] = '\0';
    call_part(&t, f);
    send_part(&t, f);
    if (f->fd_write && !f->send.calls) {
        part(&t);
        add(&t, "FD_WRITE came");
        count_times(&t, f->fd_write);
    }
    if (f->fd_read) {
        part(&t);
        add(&t, "FD_READ came");
        count_times(&t, f->fd_read);
    }
    close_part(&t, f);
    recv_part(&t, f);
    if (f->stale) {
        part(&t);
        add(&t, "%s message%s came for a socket already closed (dropped)", num(f->stale, a), f->stale == 1 ? "" : "s");
    }
    if (!facts_any(f)) {
        part(&t);
        add(&t, "no call was made and no message came");
    }
    states_part(&t, f);
    add(&t, ".");
}

/* ---- the scenario's sentences ------------------------------------------------------- */

static int term_holds(const ShowedTerm *tm, const StepFacts *f)
{
    int64_t v = facts_value(f, (FactName)tm->fact), w = tm->value;
    if (facts_type((FactName)tm->fact) == FACT_MILLIS)
        w *= 1000; /* written in milliseconds, kept in microseconds */
    switch (tm->cmp) {
    case CMP_TRUE: return v != 0;
    case CMP_FALSE: return v == 0;
    case CMP_EQ: return v == w;
    case CMP_NE: return v != w;
    case CMP_GT: return v > w;
    case CMP_LT: return v < w;
    case CMP_GE: return v >= w;
    case CMP_LE: return v <= w;
    }
    return 0;
}

int facts_holds(const Showed *sh, const StepFacts *f)
{
    for (int i = 0; i < sh->nterms; i++)
        if (!term_holds(&sh->term[i], f))
            return 0;
    return 1;
}

static void value_text(const StepFacts *f, FactName n, char *buf, size_t size)
{
    int64_t v = facts_value(f, n);
    switch (facts_type(n)) {
    case FACT_ERROR:
        if (v)
            wsaerr_format((int)v, buf, size);
        else
            snprintf(buf, size, "0");
        break;
    case FACT_MILLIS:
        snprintf(buf, size, "%.1f", v / 1000.0);
        break;
    case FACT_TCP_STATE:
        snprintf(buf, size, "%s", v ? tcp_state_label(v) : "not sampled");
        break;
    default:
        format_thousands(v, buf, size);
        break;
    }
}

/* Appends s with its placeholders filled. */
static void expand(Text *t, const char *s, const StepFacts *f)
{
    while (*s) {
        const char *close;
        FactName n;
        if ((s[0] == '{' && s[1] == '{') || (s[0] == '}' && s[1] == '}')) {
            add(t, "%c", s[0]);
            s += 2;
        } else if (s[0] == '{' && (close = strchr(s, '}')) != NULL &&
                   (n = facts_name(s + 1, (size_t)(close - s - 1))) != FACT_NONE) {
            char v[64];
            value_text(f, n, v, sizeof v);
            add(t, "%s", v);
            s = close + 1;
        } else {
            add(t, "%c", *s++);
        }
    }
}

size_t facts_said(const Scenario *sc, const StepFacts *f, char *buf, size_t size)
{
    Text t = {buf, size, 0, 0};
    if (!size)
        return 0;
    buf[0] = '\0';
    for (size_t i = 0; sc && i < sc->nshowed; i++) {
        const Showed *sh = &sc->showed[i];
        if (strcmp(sh->step, f->label) != 0 || !facts_holds(sh, f))
            continue;
        if (t.len)
            add(&t, " ");
        expand(&t, sh->text, f);
    }
    return t.len;
}
