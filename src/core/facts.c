/* facts.c: what a step showed in a run: its facts gathered from events, the names that
 * read them, and the steps still open (facts.h). Its words are facts_text.c's; the
 * `showed` lines' syntax is showed.c's. */
#include "facts.h"

#include <string.h>

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

const char *facts_name_text(FactName n)
{
    return (unsigned)n < FACT_COUNT ? names[n] : "?";
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
