/* facts.c: what a step showed in a run, and its words (facts.h). */
#include "facts.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "group.h"
#include "wsaerr.h"

#define WOULDBLOCK 10035

static const char *const names[FACT_COUNT] = {
    [FACT_SEND] = "send", [FACT_SEND_BYTES] = "send.bytes", [FACT_SEND_MIN] = "send.min",
    [FACT_SEND_MAX] = "send.max", [FACT_SEND_WOULDBLOCK] = "send.wouldblock", [FACT_SEND_FAILED] = "send.failed",
    [FACT_RECV] = "recv", [FACT_RECV_BYTES] = "recv.bytes", [FACT_RECV_MIN] = "recv.min",
    [FACT_RECV_MAX] = "recv.max", [FACT_RECV_WOULDBLOCK] = "recv.wouldblock", [FACT_RECV_FAILED] = "recv.failed",
    [FACT_RECV_EOF] = "recv.eof", [FACT_FD_READ] = "FD_READ", [FACT_FD_WRITE] = "FD_WRITE",
    [FACT_FD_CLOSE] = "FD_CLOSE", [FACT_FD_CLOSE_ERROR] = "FD_CLOSE.error", [FACT_AFTER_CLOSE] = "after_close",
    [FACT_MS] = "ms", [FACT_CALL_MS] = "call.ms", [FACT_CALL_ERROR] = "call.error", [FACT_STATE] = "state", [FACT_OTHER_STATE] = "other.state",
};

FactName facts_name(const char *s, size_t len)
{
    for (int i = 0; i < FACT_COUNT; i++)
        if (strlen(names[i]) == len && memcmp(names[i], s, len) == 0)
            return (FactName)i;
    return FACT_NONE;
}

FactType facts_type(FactName n)
{
    switch (n) {
    case FACT_FD_CLOSE_ERROR:
    case FACT_CALL_ERROR: return FACT_ERROR;
    case FACT_MS:
    case FACT_CALL_MS: return FACT_MILLIS;
    case FACT_STATE:
    case FACT_OTHER_STATE: return FACT_TCP_STATE;
    default: return FACT_NUMBER;
    }
}

const char *facts_names_list(void)
{
    return "send, send.bytes, send.min, send.max, send.wouldblock, send.failed, recv, recv.bytes, recv.min, recv.max, "
           "recv.wouldblock, recv.failed, recv.eof, FD_READ, FD_WRITE, FD_CLOSE, FD_CLOSE.error, after_close, ms, "
           "call.ms, call.error, state, other.state";
}

int64_t facts_value(const StepFacts *f, FactName n)
{
    int me = f->side == SIDE_SERVER;
    switch (n) {
    case FACT_SEND: return f->send.calls;
    case FACT_SEND_BYTES: return f->send.bytes;
    case FACT_SEND_MIN: return f->send.min;
    case FACT_SEND_MAX: return f->send.max;
    case FACT_SEND_WOULDBLOCK: return f->send.wouldblock;
    case FACT_SEND_FAILED: return f->send.failed;
    case FACT_RECV: return f->recv.calls;
    case FACT_RECV_BYTES: return f->recv.bytes;
    case FACT_RECV_MIN: return f->recv.min;
    case FACT_RECV_MAX: return f->recv.max;
    case FACT_RECV_WOULDBLOCK: return f->recv.wouldblock;
    case FACT_RECV_FAILED: return f->recv.failed;
    case FACT_RECV_EOF: return f->recv.zero;
    case FACT_FD_READ: return f->fd_read;
    case FACT_FD_WRITE: return f->fd_write;
    case FACT_FD_CLOSE: return f->fd_close;
    case FACT_FD_CLOSE_ERROR: return f->close_error;
    case FACT_AFTER_CLOSE: return f->after_close;
    case FACT_MS: return f->t_first >= 0 ? f->t_last - f->t_first : 0;
    case FACT_CALL_MS: return f->call_us > 0 ? f->call_us : 0;
    case FACT_CALL_ERROR: return f->call_error;
    case FACT_STATE: return f->state[me];
    case FACT_OTHER_STATE: return f->state[!me];
    default: return 0;
    }
}

/* ---- gathering ---------------------------------------------------------------------- */

void facts_init(StepFacts *f, const char *label, Side side)
{
    memset(f, 0, sizeof *f);
    EVENT_SET(f->label, label);
    f->side = side;
    f->t_first = f->t_last = -1;
    f->call_what = EW_NONE;
    f->call_us = -1;
}

static void inc(uint32_t *n)
{
    if (*n < UINT32_MAX)
        (*n)++;
}

static void note_call(CallFacts *c, const Event *ev)
{
    inc(&c->calls);
    if (ev->result > 0) {
        uint32_t n = ev->result > UINT32_MAX ? UINT32_MAX : (uint32_t)ev->result;
        inc(&c->moved);
        c->bytes += ev->result;
        if (!c->min || n < c->min)
            c->min = n;
        if (n > c->max)
            c->max = n;
    } else if (ev->result == 0) {
        inc(&c->zero);
    } else if (ev->error == WOULDBLOCK) {
        inc(&c->wouldblock);
    } else {
        if (!c->failed)
            c->error = ev->error;
        inc(&c->failed);
    }
}

void facts_note(StepFacts *f, const Event *ev)
{
    if (strcmp(ev->step, f->label) != 0)
        return;
    if (ev->kind == EV_STATE) {
        if (ev->when == SAMPLE_AFTER_STEP && (unsigned)ev->side < SIDE_COUNT && ev->tcp_state > 0 &&
            ev->tcp_state < 256)
            f->state[ev->side] = (uint8_t)ev->tcp_state;
        return;
    }
    if ((ev->kind != EV_CALL && ev->kind != EV_MESSAGE) || ev->side != (Side)f->side)
        return;
    if (ev->stale) {
        inc(&f->stale);
        return;
    }
    if (f->t_first < 0 || ev->t_us < f->t_first)
        f->t_first = ev->t_us;
    if (ev->t_us > f->t_last)
        f->t_last = ev->t_us;
    if (ev->kind == EV_MESSAGE) {
        if (ev->what == EW_FD_READ)
            inc(&f->fd_read);
        else if (ev->what == EW_FD_WRITE)
            inc(&f->fd_write);
        else if (ev->what == EW_FD_CLOSE) {
            if (!f->fd_close)
                f->close_error = ev->error;
            inc(&f->fd_close);
        }
        return;
    }
    if (ev->what == EW_SEND) {
        note_call(&f->send, ev);
    } else if (ev->what == EW_RECV) {
        if (f->fd_close && ev->result > 0)
            f->after_close += ev->result;
        note_call(&f->recv, ev);
    } else if (ev->has_result) {
        f->call_what = ev->what;
        f->call_args = ev->args;
        f->call_result = ev->result;
        f->call_error = ev->result < 0 ? ev->error : 0;
        f->call_us = ev->duration_us;
    }
}

int facts_any(const StepFacts *f)
{
    return f->t_first >= 0 || f->stale;
}

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

/* ---- the conditions' syntax ---------------------------------------------------------- */

static int is_name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
}

static int fail(size_t *bad, size_t at, char *msg, size_t size, const char *fmt, ...)
{
    va_list ap;
    *bad = at;
    va_start(ap, fmt);
    vsnprintf(msg, size, fmt, ap);
    va_end(ap);
    return -1;
}

/* A term's value of len bytes at s, as its name's type reads it. */
static int term_value(FactName n, const char *s, size_t len, int64_t *out)
{
    int64_t v = 0;
    if (!len)
        return -1;
    if (facts_type(n) == FACT_TCP_STATE)
        return (*out = tcp_state_from_name(s, len)) ? 0 : -1;
    if (facts_type(n) == FACT_ERROR && s[0] == 'W')
        return (*out = wsaerr_from_name(s, len)) > 0 ? 0 : -1;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9' || v > (INT64_C(1000000000000) - (s[i] - '0')) / 10)
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

static int parse_term(const char *s, size_t len, size_t base, ShowedTerm *tm, size_t *bad, char *msg, size_t size)
{
    static const struct { const char *op; ShowedCmp cmp; } ops[] = {
        {"!=", CMP_NE}, {">=", CMP_GE}, {"<=", CMP_LE}, {"=", CMP_EQ}, {">", CMP_GT}, {"<", CMP_LT}};
    size_t i = 0, start;
    int negate = 0;
    FactName n;
    if (i < len && s[i] == '!')
        negate = 1, i++;
    start = i;
    while (i < len && is_name_char(s[i]))
        i++;
    if ((n = facts_name(s + start, i - start)) == FACT_NONE)
        return fail(bad, base + start, msg, size, "unknown fact '%.*s' (%s)", (int)(i - start > 40 ? 40 : i - start),
                    s + start, facts_names_list());
    tm->fact = n;
    tm->value = 0;
    if (i == len) {
        tm->cmp = negate ? CMP_FALSE : CMP_TRUE;
        return 0;
    }
    if (negate)
        return fail(bad, base, msg, size, "'!' goes with a fact alone (!FD_WRITE), not with a comparison");
    for (size_t k = 0; k < sizeof ops / sizeof ops[0]; k++) {
        size_t ol = strlen(ops[k].op);
        if (len - i >= ol && memcmp(s + i, ops[k].op, ol) == 0) {
            tm->cmp = ops[k].cmp;
            if (term_value(n, s + i + ol, len - i - ol, &tm->value) < 0)
                return fail(bad, base + i + ol, msg, size, "%s compares with %s", names[n],
                            facts_type(n) == FACT_TCP_STATE ? "a TCP state (TIME_WAIT)"
                            : facts_type(n) == FACT_ERROR   ? "an error number or name (WSAECONNABORTED)"
                            : facts_type(n) == FACT_MILLIS  ? "milliseconds (a whole number)"
                                                            : "a whole number");
            return 0;
        }
    }
    return fail(bad, base + i, msg, size, "expected =, !=, >, <, >= or <= after %s", names[n]);
}

int facts_parse_condition(const char *s, size_t len, Showed *sh, size_t *bad, char *msg, size_t size)
{
    size_t i = 0;
    sh->nterms = 0;
    if (!len)
        return fail(bad, 0, msg, size, "if= needs a condition, e.g. if=send.wouldblock");
    while (i <= len) {
        size_t end = i;
        while (end < len && s[end] != ',')
            end++;
        if (sh->nterms == SHOWED_MAX_TERMS)
            return fail(bad, i, msg, size, "at most %d conditions, joined by commas", SHOWED_MAX_TERMS);
        if (end == i)
            return fail(bad, i, msg, size, "an empty condition: write if=A,B with nothing between the commas");
        if (parse_term(s + i, end - i, i, &sh->term[sh->nterms], bad, msg, size) < 0)
            return -1;
        sh->nterms++;
        i = end + 1;
    }
    return 0;
}

int facts_check_text(const char *s, size_t *bad, char *msg, size_t size)
{
    for (size_t i = 0; s[i]; i++) {
        const char *close;
        if ((s[i] == '{' && s[i + 1] == '{') || (s[i] == '}' && s[i + 1] == '}')) {
            i++;
            continue;
        }
        if (s[i] == '}')
            return fail(bad, i, msg, size, "a lone '}': write }} for the character itself");
        if (s[i] != '{')
            continue;
        if (!(close = strchr(s + i, '}')))
            return fail(bad, i, msg, size, "unclosed '{': a value is written {recv.bytes}, a brace {{");
        if (facts_name(s + i + 1, (size_t)(close - s - i - 1)) == FACT_NONE)
            return fail(bad, i + 1, msg, size, "unknown fact '{%.*s}' (%s)",
                        (int)(close - s - i - 1 > 40 ? 40 : close - s - i - 1), s + i + 1, facts_names_list());
        i = (size_t)(close - s);
    }
    return 0;
}

/* ---- the open steps ------------------------------------------------------------------ */

void openfacts_reset(OpenFacts *o)
{
    memset(o, 0, sizeof *o);
}

StepFacts *openfacts_get(OpenFacts *o, const char *label, Side side, StepFacts *evicted, int *had_evicted)
{
    int free_slot = -1, oldest = -1;
    *had_evicted = 0;
    for (int i = 0; i < FACTS_OPEN; i++) {
        if (o->used[i] && strcmp(o->slot[i].label, label) == 0)
            return &o->slot[i];
        if (!o->used[i] && free_slot < 0)
            free_slot = i;
        if (o->used[i] && (oldest < 0 || o->age[i] < o->age[oldest]))
            oldest = i;
    }
    if (free_slot < 0) {
        *evicted = o->slot[oldest];
        *had_evicted = 1;
        free_slot = oldest;
    }
    facts_init(&o->slot[free_slot], label, side);
    o->used[free_slot] = 1;
    o->age[free_slot] = o->ages++;
    return &o->slot[free_slot];
}

StepFacts *openfacts_find(OpenFacts *o, const char *label)
{
    for (int i = 0; i < FACTS_OPEN; i++)
        if (o->used[i] && strcmp(o->slot[i].label, label) == 0)
            return &o->slot[i];
    return NULL;
}

int openfacts_take(OpenFacts *o, const char *label, StepFacts *out)
{
    for (int i = 0; i < FACTS_OPEN; i++)
        if (o->used[i] && strcmp(o->slot[i].label, label) == 0) {
            *out = o->slot[i];
            o->used[i] = 0;
            return 1;
        }
    return 0;
}

int openfacts_take_oldest(OpenFacts *o, StepFacts *out)
{
    int oldest = -1;
    for (int i = 0; i < FACTS_OPEN; i++)
        if (o->used[i] && (oldest < 0 || o->age[i] < o->age[oldest]))
            oldest = i;
    if (oldest < 0)
        return 0;
    *out = o->slot[oldest];
    o->used[oldest] = 0;
    return 1;
}
