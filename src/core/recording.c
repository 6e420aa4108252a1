/* recording.c: a jsonl run read back (recording.h). Every field is checked against the
 * vocabulary: a name must be one the renderer makes (event_parse_name), a step or check
 * must name a line of the recording's own scenario. */
#include "recording.h"

#include "facts.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facts.h"
#include "grow.h"
#include "json.h"
#include "wsaerr.h"

/* The line reader and the texts events point at (a check's source and why, a step's
 * explain), each kept once: the events read again from their lines point at the same. */
struct RecordingReader {
    JsonLine j;
    char **strings;
    size_t nstrings, cap_strings;
    uint32_t *slot; /* open addressing by the text's hash: 1 + its index in strings; 0 free */
    size_t nslots;
};

typedef struct Loader {
    Recording *r;
    JsonLine *j;
    RecordingError *err;
    int line;
} Loader;

static int fail(Loader *ld, int column, const char *fmt, ...)
{
    va_list ap;
    ld->err->line = ld->line;
    ld->err->column = column;
    va_start(ap, fmt);
    vsnprintf(ld->err->message, sizeof ld->err->message, fmt, ap);
    va_end(ap);
    return -1;
}

static uint32_t hash_of(const char *s)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

/* Room for one more text in the table of slots (kept at most half full). */
static int slots_room(struct RecordingReader *rd)
{
    size_t n = rd->nslots ? rd->nslots * 2 : 64;
    uint32_t *slot;
    if ((rd->nstrings + 1) * 2 <= rd->nslots)
        return 0;
    if (rd->nstrings >= UINT32_MAX / 2 || !(slot = calloc(n, sizeof *slot)))
        return -1;
    for (size_t i = 0; i < rd->nstrings; i++) {
        size_t k = hash_of(rd->strings[i]) & (n - 1);
        while (slot[k])
            k = (k + 1) & (n - 1);
        slot[k] = (uint32_t)(i + 1);
    }
    free(rd->slot);
    rd->slot = slot;
    rd->nslots = n;
    return 0;
}

/* A text the recording keeps (an event points at it); equal texts are kept once, so an
 * event read again from its line finds its text kept and costs nothing more. */
static const char *keep(Loader *ld, const char *s)
{
    struct RecordingReader *rd = ld->r->reader;
    size_t k;
    char *c;
    if (slots_room(rd) < 0)
        goto oom;
    for (k = hash_of(s) & (rd->nslots - 1); rd->slot[k]; k = (k + 1) & (rd->nslots - 1))
        if (!strcmp(rd->strings[rd->slot[k] - 1], s))
            return rd->strings[rd->slot[k] - 1];
    if (GROW(rd->strings, rd->cap_strings, rd->nstrings + 1) < 0 || !(c = malloc(strlen(s) + 1)))
        goto oom;
    strcpy(c, s);
    rd->strings[rd->nstrings++] = c;
    rd->slot[k] = (uint32_t)rd->nstrings;
    return c;
oom:
    fail(ld, 1, "out of memory");
    return NULL;
}

static const JsonField *need(Loader *ld, const char *key, JsonType type)
{
    const JsonField *f = json_get(ld->j, key);
    if (!f || f->type != type) {
        fail(ld, 1, "%s \"%s\" (%s)", f ? "a wrong kind of value for" : "no field", key,
             type == JSON_STRING ? "a string" : "a number");
        return NULL;
    }
    return f;
}

static const char *text_of(Loader *ld, const char *key)
{
    const JsonField *f = json_get(ld->j, key);
    return f && f->type == JSON_STRING ? json_text(ld->j, f) : NULL;
}

/* ---- the first line: the run ---------------------------------------------------------- */

static int run_line(Loader *ld)
{
    Recording *r = ld->r;
    const JsonField *v = json_get(ld->j, "jsonl_version"), *kind = json_get(ld->j, "kind");
    const char *text = text_of(ld, "scenario_text"), *local;
    ScenarioError se;
    if (!kind || strcmp(json_text(ld->j, kind), "run"))
        return fail(ld, 1, "the first line of a recording is its run line ({\"kind\":\"run\",...}): is this a "
                           "shutdownlab-cli --format jsonl transcript?");
    if (!v || v->type != JSON_NUMBER || v->num != JSONL_VERSION)
        return fail(ld, 1, "a recording of another version (jsonl_version %lld): this ShutdownLab reads version %d",
                    v && v->type == JSON_NUMBER ? (long long)v->num : 0LL, JSONL_VERSION);
    if (!text)
        return fail(ld, 1, "the run line carries no scenario_text: it cannot be replayed or compared");
    if (!(r->sc = scenario_parse(text, strlen(text), &se)))
        return fail(ld, 1, "the recording's scenario does not parse: its line %d, column %d: %s", se.line, se.column,
                    se.message);
    if (!need(ld, "payload", JSON_NUMBER) || !need(ld, "timeout_ms", JSON_NUMBER) || !(local = text_of(ld, "local")))
        return ld->err->message[0] ? -1 : fail(ld, 1, "no field \"local\"");
    r->info.sc = r->sc;
    if ((r->info.local = side_from_name(local)) == SIDE_COUNT)
        return fail(ld, 1, "\"local\" is client or server, not '%s'", local);
    r->info.payload = json_get(ld->j, "payload")->num;
    r->info.timeout_ms = (int)json_get(ld->j, "timeout_ms")->num;
    r->info.on_wine = json_get(ld->j, "on_wine") && json_get(ld->j, "on_wine")->type == JSON_TRUE;
    for (int k = 0; k < 2; k++) { /* the socket buffers the run asked for (--sndbuf, --rcvbuf) */
        const JsonField *b = json_get(ld->j, k ? "rcvbuf" : "sndbuf");
        if (b && (b->type != JSON_NUMBER || b->num < 0 || b->num > INT32_MAX))
            return fail(ld, 1, "\"%s\" is a byte count", k ? "rcvbuf" : "sndbuf");
        *(k ? &r->info.rcvbuf : &r->info.sndbuf) = b ? (int)b->num : 0;
    }
    EVENT_SET(r->info.platform, text_of(ld, "platform") ? text_of(ld, "platform") : "");
    EVENT_SET(r->info.os, text_of(ld, "os") ? text_of(ld, "os") : "");
    EVENT_SET(r->version, text_of(ld, "version") ? text_of(ld, "version") : "");
    if (text_of(ld, "peer")) { /* a run against another program: only its own end observed */
        r->info.peer = PEER_EXTERNAL;
        EVENT_SET(r->info.where, text_of(ld, "where") ? text_of(ld, "where") : "");
    }
    r->info.version = r->version;
    if (json_get(ld->j, "wall_t0_ns")) { /* t = 0 on the wall clock: a capture lands on the run's clock */
        if (!need(ld, "wall_t0_ns", JSON_NUMBER) || !need(ld, "wall_within_us", JSON_NUMBER))
            return -1;
        r->info.wall_t0_ns = json_get(ld->j, "wall_t0_ns")->num;
        r->info.wall_within_us = json_get(ld->j, "wall_within_us")->num;
    }
    return 0;
}

/* ---- an event line ------------------------------------------------------------------------ */

/* The fields a line of what a step showed has besides an event's (format.c, jsonl_showed). */
static const char *const showed_calls[] = {"calls", "moved", "zero", "wouldblock", "failed", "error", "min", "max",
                                           "bytes"};
static const char *const showed_keys[] = {"FD_READ", "FD_WRITE", "FD_CLOSE", "close_error", "stale", "after_close",
                                          "t_first", "t_last", "call", "call_result", "call_error", "call_us",
                                          "states.client", "states.server", "said"};

static int showed_key(const char *key)
{
    for (size_t k = 0; k < sizeof showed_keys / sizeof showed_keys[0]; k++)
        if (!strcmp(key, showed_keys[k]))
            return 1;
    for (int c = 0; c < 2; c++) {
        const char *prefix = c ? "recv." : "send.";
        if (!strncmp(key, prefix, 5))
            for (size_t k = 0; k < sizeof showed_calls / sizeof showed_calls[0]; k++)
                if (!strcmp(key + 5, showed_calls[k]))
                    return 1;
    }
    return 0;
}

/* The fields an event line may have, and nothing else. */
static int known_keys(Loader *ld)
{
    static const char *const keys[] = {"t_us", "side", "kind", "name", "step", "op", "result", "error", "error_name",
                                       "bytes", "duration_us", "stale", "tcp_state", "expected", "observed", "ok",
                                       "known_difference", "environment", "disputed", "verdict", "evidence", "source",
                                       "other", "why", "explain", "text", "to", "inferred", "not_observable", "conn",
                                       "reason", "client", "server", "wire", "inferred_t_us", "cause", "first", "end",
                                       "observed_t_us", "flags", "seq", "ack", "len", "win", "relative", "window", "scaled"};
    const char *kind = text_of(ld, "kind");
    int showed = kind && !strcmp(kind, "showed");
    for (int i = 0; i < ld->j->n; i++) {
        size_t k = 0;
        const char *key = ld->j->field[i].key;
        while (k < sizeof keys / sizeof keys[0] && (keys[k][0] != key[0] || strcmp(keys[k], key)))
            k++; /* the first byte first: opening reads every line, and this was its most time */
        if (k == sizeof keys / sizeof keys[0] && !(showed && showed_key(ld->j->field[i].key)))
            return fail(ld, 1, "an unknown field \"%s\" (a recording of another version?)", ld->j->field[i].key);
    }
    return 0;
}

static int number_of(Loader *ld, const char *key, int64_t *out)
{
    const JsonField *f = json_get(ld->j, key);
    if (!f)
        return 0;
    if (f->type != JSON_NUMBER)
        return fail(ld, 1, "\"%s\" is a number", key);
    *out = f->num;
    return 1;
}

static int set_text(Loader *ld, char *dst, size_t size, const char *key)
{
    const char *s = text_of(ld, key);
    size_t n;
    if (!s)
        return 0;
    if ((n = strlen(s)) >= size)
        return fail(ld, 1, "\"%s\" is too long (at most %lu bytes)", key, (unsigned long)(size - 1));
    memcpy(dst, s, n + 1);
    return 0;
}

static int event_head(Loader *ld, Event *ev)
{
    const char *side = text_of(ld, "side"), *kind = text_of(ld, "kind"), *name = text_of(ld, "name");
    int k = 0;
    int64_t t = 0;
    if (kind && (k = event_kind_from_name(kind)) < 0)
        return fail(ld, 1, "an unknown kind of event '%s'", kind);
    if (number_of(ld, "t_us", &t) <= 0 || !side || !kind || !name)
        return ld->err->message[0] ? -1
                                   : fail(ld, 1, "an event needs \"%s\"", !kind ? "kind" : !side ? "side" : !name ? "name" : "t_us");
    event_init(ev, (EventKind)k, side_from_name(side), EW_NONE);
    if (ev->side == SIDE_COUNT)
        return fail(ld, 1, "\"side\" is client or server, not '%s'", side);
    if (event_parse_name(ev->kind, name, &ev->what, &ev->args) < 0)
        return fail(ld, 1, "no %s is called '%s' (a recording of another version?)", kind, name);
    ev->t_us = t;
    if (set_text(ld, ev->step, sizeof ev->step, "step") < 0)
        return -1;
    return 0;
}

/* A step or check names a line of the scenario: that line's, at that step. */
static int event_op(Loader *ld, Event *ev)
{
    int64_t op = -1;
    int has = number_of(ld, "op", &op);
    const Scenario *sc = ld->r->sc;
    if (has < 0)
        return -1;
    if (!has)
        return 0;
    if (op < 0 || (size_t)op >= sc->nops || strcmp(sc->ops[op].step, ev->step))
        return fail(ld, 1, "\"op\" %lld names no line of step (%s) in the recording's scenario", (long long)op, ev->step);
    ev->op = (int)op;
    return 0;
}

static int event_values(Loader *ld, Event *ev)
{
    int64_t v = 0;
    const char *s;
    const JsonField *f;
    if (number_of(ld, "result", &v) < 0 || number_of(ld, "error", &v) < 0 || number_of(ld, "bytes", &v) < 0 ||
        number_of(ld, "duration_us", &v) < 0)
        return -1;
    if (number_of(ld, "result", &ev->result) > 0)
        ev->has_result = 1;
    if (number_of(ld, "error", &v) > 0)
        ev->error = (int)v;
    number_of(ld, "bytes", &ev->bytes);
    number_of(ld, "duration_us", &ev->duration_us);
    ev->stale = (f = json_get(ld->j, "stale")) && f->type == JSON_TRUE;
    if (ev->kind == EV_STATE) {
        s = text_of(ld, "tcp_state");
        if (!s || !(ev->tcp_state = tcp_state_from_name(s, strlen(s))))
            return fail(ld, 1, "a TCP sample needs a tcp_state");
        s = text_of(ld, "text");
        ev->when = s && strstr(s, "before the first step") ? SAMPLE_FIRST : s && strstr(s, "at the end of the run") ? SAMPLE_END
                                                                                                             : SAMPLE_AFTER_STEP;
    } else if (ev->kind != EV_SHOWED && set_text(ld, ev->text, sizeof ev->text, "text") < 0) {
        return -1; /* a step's words of what it showed are made again from its facts */
    }
    if ((ev->kind == EV_STEP || ev->kind == EV_CHECK) && (f = json_get(ld->j, "inferred")) && f->type == JSON_TRUE)
        ev->inferred = 1; /* another program's step, or a check of its line: inferred */
    if (ev->kind == EV_STEP && ev->inferred && set_text(ld, ev->text, sizeof ev->text, "reason") < 0)
        return -1;
    return 0;
}

/* A number of a line of what a step showed, within [lo, hi]. */
static int showed_number(Loader *ld, const char *key, int64_t lo, int64_t hi, int64_t *out)
{
    int r = number_of(ld, key, out);
    if (r < 0)
        return -1;
    if (r == 0)
        return fail(ld, 1, "what a step showed needs \"%s\"", key);
    if (*out < lo || *out > hi)
        return fail(ld, 1, "\"%s\" is out of range (%lld)", key, (long long)*out);
    return 0;
}

static int showed_calls_of(Loader *ld, const char *prefix, CallFacts *c)
{
    uint32_t *u[] = {&c->calls, &c->moved, &c->zero, &c->wouldblock, &c->failed, NULL, &c->min, &c->max};
    int64_t v;
    char key[32];
    for (size_t k = 0; k < sizeof showed_calls / sizeof showed_calls[0]; k++) {
        snprintf(key, sizeof key, "%s.%s", prefix, showed_calls[k]);
        if (showed_number(ld, key, k == 5 ? INT32_MIN : 0, k == 8 ? INT64_MAX : k == 5 ? INT32_MAX : UINT32_MAX, &v) < 0)
            return -1;
        if (k == 5)
            c->error = (int32_t)v;
        else if (k == 8)
            c->bytes = v;
        else
            *u[k] = (uint32_t)v;
    }
    return 0;
}

/* The facts of a line of what a step showed: the same record its words were made from. */
static int event_showed(Loader *ld, Event *ev)
{
    StepFacts *f = &ev->facts;
    uint32_t *counts[] = {&f->fd_read, &f->fd_write, &f->fd_close};
    int64_t v;
    const char *s;
    facts_init(f, ev->step, ev->side);
    if (showed_calls_of(ld, "send", &f->send) < 0 || showed_calls_of(ld, "recv", &f->recv) < 0)
        return -1;
    for (int k = 0; k < 3; k++) {
        if (showed_number(ld, showed_keys[k], 0, UINT32_MAX, &v) < 0)
            return -1;
        *counts[k] = (uint32_t)v;
    }
    if (showed_number(ld, "close_error", INT32_MIN, INT32_MAX, &v) < 0)
        return -1;
    f->close_error = (int32_t)v;
    if (showed_number(ld, "stale", 0, UINT32_MAX, &v) < 0)
        return -1;
    f->stale = (uint32_t)v;
    if (showed_number(ld, "after_close", 0, INT64_MAX, &f->after_close) < 0 ||
        showed_number(ld, "t_first", -1, INT64_MAX, &f->t_first) < 0 ||
        showed_number(ld, "t_last", -1, INT64_MAX, &f->t_last) < 0)
        return -1;
    if ((s = text_of(ld, "call")) != NULL) {
        EventWhat w;
        if (event_parse_name(EV_CALL, s, &w, &f->call_args) < 0)
            return fail(ld, 1, "no call is called '%s' (a recording of another version?)", s);
        f->call_what = w;
        if (showed_number(ld, "call_result", INT64_MIN, INT64_MAX, &f->call_result) < 0 ||
            showed_number(ld, "call_error", INT32_MIN, INT32_MAX, &v) < 0 ||
            showed_number(ld, "call_us", -1, INT64_MAX, &f->call_us) < 0)
            return -1;
        f->call_error = (int32_t)v;
    }
    for (int k = 0; k < SIDE_COUNT; k++) {
        char key[32];
        snprintf(key, sizeof key, "states.%s", side_name((Side)k));
        if ((s = text_of(ld, key)) != NULL && !(f->state[k] = (uint8_t)tcp_state_from_name(s, strlen(s))))
            return fail(ld, 1, "\"%s\" is a TCP state, not '%s'", key, s);
    }
    return 0;
}

static int event_check(Loader *ld, Event *ev)
{
    const char *s;
    if (set_text(ld, ev->expected, sizeof ev->expected, "expected") < 0 ||
        set_text(ld, ev->observed, sizeof ev->observed, "observed") < 0 || set_text(ld, ev->other, sizeof ev->other, "other") < 0)
        return -1;
    s = text_of(ld, "verdict");
    for (int v = VERDICT_OK; s && v <= VERDICT_INFERRED; v++)
        if (!strcmp(s, verdict_name((Verdict)v))) {
            ev->verdict = (Verdict)v;
            s = NULL;
        }
    if (s || !text_of(ld, "verdict"))
        return fail(ld, 1, "a check needs its verdict (ok, shown, known_difference, mismatch, environment, disputed, "
                           "not_observable, inferred)");
    s = text_of(ld, "evidence");
    if (!s || !(ev->evidence = evidence_from_name(s, strlen(s))))
        return fail(ld, 1, "a check needs its evidence (tested, documented, disputed, inferred)");
    if ((s = text_of(ld, "source")) != NULL && !(ev->source = keep(ld, s)))
        return -1;
    if ((s = text_of(ld, "why")) != NULL && !(ev->why = keep(ld, s)))
        return -1;
    return 0;
}

/* "FIN, ACK" back to its flags; -1 when it is not what segment_flags writes. */
static int flags_of(const char *s)
{
    static const char *const names[] = {"FIN", "SYN", "RST", "PSH", "ACK", "URG"};
    int flags = 0;
    while (*s) {
        size_t k = 0, n;
        while (k < 6 && strncmp(s, names[k], strlen(names[k])))
            k++;
        if (k == 6)
            return -1;
        flags |= 1 << k;
        s += strlen(names[k]);
        n = !strncmp(s, ", ", 2) ? 2 : 0;
        if (!n && *s)
            return -1;
        s += n;
    }
    return flags;
}

/* An address "a.b.c.d:port" (host order), 0; -1 not one. */
static int addr_of(const char *s, uint32_t *addr, uint16_t *port)
{
    unsigned long v[5];
    int k = 0;
    for (; k < 5; k++) {
        char *end;
        if (*s < '0' || *s > '9')
            return -1;
        v[k] = strtoul(s, &end, 10);
        if (v[k] > (k < 4 ? 255ul : 65535ul) || *end != (k < 3 ? '.' : k == 3 ? ':' : '\0'))
            return -1;
        s = end + (k < 4);
    }
    *addr = (uint32_t)(v[0] << 24 | v[1] << 16 | v[2] << 8 | v[3]);
    *port = (uint16_t)v[4];
    return 0;
}

/* What went on the wire (format.c, jsonl_wire): a captured segment, an inference and its
 * call, the pairing of the two; and the connection's endpoints. */
static int event_wire(Loader *ld, Event *ev)
{
    int64_t v = 0;
    const char *s;
    const JsonField *f;
    static const char *const nums[] = {"seq", "ack", "len", "win", "inferred_t_us", "observed_t_us", "first", "end",
                                       "window"};
    if (ev->what == EW_CONNECTION) {
        const char *c = text_of(ld, "client"), *sv = text_of(ld, "server");
        if (!c || !sv || addr_of(c, &ev->args.addr, &ev->args.port) || addr_of(sv, &ev->args.addr2, &ev->args.port2))
            return fail(ld, 1, "a connection needs \"client\" and \"server\" addresses (a.b.c.d:port)");
        return 0;
    }
    memset(&ev->wire, 0, sizeof ev->wire);
    ev->wire.guess_t_us = ev->wire.seg_t_us = -1;
    for (size_t k = 0; k < sizeof nums / sizeof nums[0]; k++) {
        int r = number_of(ld, nums[k], &v);
        if (r < 0)
            return -1;
        if (r && (v < (k >= 4 && k < 8 ? -1 : 0) ||
                  v > (k == 3 ? 65535 : k < 3 || k == 8 ? (int64_t)UINT32_MAX : INT64_MAX / 2)))
            return fail(ld, 1, "\"%s\" is out of range (%lld)", nums[k], (long long)v);
        if (!r)
            continue;
        switch (k) {
        case 0: ev->wire.seq = (uint32_t)v; break;
        case 1: ev->wire.ack = (uint32_t)v; break;
        case 2: ev->wire.len = (uint32_t)v; break;
        case 3: ev->wire.win = (uint16_t)v; break;
        case 4: ev->wire.guess_t_us = v; break;
        case 5: ev->wire.seg_t_us = v; break;
        case 6: ev->wire.first = v; break;
        case 7: ev->wire.end = v; break;
        default: ev->wire.window = (uint32_t)v; break;
        }
    }
    ev->wire.relative = (f = json_get(ld->j, "relative")) && f->type == JSON_TRUE;
    ev->wire.scaled = (f = json_get(ld->j, "scaled")) && f->type == JSON_TRUE;
    if ((s = text_of(ld, "flags")) != NULL) {
        int fl = flags_of(s);
        if (fl < 0)
            return fail(ld, 1, "\"flags\" names TCP flags (\"FIN, ACK\"), not '%s'", s);
        ev->wire.flags = (uint8_t)fl;
    }
    if (ev->kind == EV_WIRE && ev->what != EW_SEGMENT) {
        ev->wire.guess = ev->what; /* inferred from the call made then */
        ev->wire.guess_t_us = ev->t_us;
    }
    else if ((s = text_of(ld, "wire")) != NULL) {
        EventWhat w;
        EventArgs none;
        if (event_parse_name(EV_WIRE, s, &w, &none) < 0 || w == EW_SEGMENT)
            return fail(ld, 1, "\"wire\" is data, FIN or RST, not '%s'", s);
        ev->wire.guess = w;
    }
    if ((s = text_of(ld, "cause")) != NULL) {
        EventWhat w;
        if (event_parse_name(EV_CALL, s, &w, &ev->args) < 0)
            return fail(ld, 1, "\"cause\" is a call, not '%s'", s);
        ev->wire.cause = w;
    }
    return 0;
}

static int event_line(Loader *ld, Event *out)
{
    Recording *r = ld->r;
    Event ev;
    const char *s;
    if (known_keys(ld) < 0 || event_head(ld, &ev) < 0 || event_op(ld, &ev) < 0 || event_values(ld, &ev) < 0)
        return -1;
    if (ev.kind == EV_CHECK && event_check(ld, &ev) < 0)
        return -1;
    if (ev.kind == EV_SHOWED && event_showed(ld, &ev) < 0)
        return -1;
    if ((ev.kind == EV_WIRE || (ev.kind == EV_NOTE && ev.what >= EW_CONNECTION)) && event_wire(ld, &ev) < 0)
        return -1;
    if ((s = text_of(ld, "explain")) != NULL) /* the scenario's own sentence when it is that line's */
        ev.explain = ev.op >= 0 && r->sc->ops[ev.op].explain && !strcmp(r->sc->ops[ev.op].explain, s)
                         ? r->sc->ops[ev.op].explain
                         : keep(ld, s);
    if (s && !ev.explain)
        return -1;
    *out = ev;
    return 0;
}

/* ---- the last line: the summary ----------------------------------------------------------- */

static int summary_line(Loader *ld)
{
    Summary *s = &ld->r->sum;
    static const char *const side_keys[] = {"bytes_sent", "bytes_received", "bytes_lost", "content_errors"};
    int64_t *side_vals[SIDE_COUNT][4] = {
        {&s->side[0].bytes_sent, &s->side[0].bytes_received, &s->side[0].bytes_lost, &s->side[0].content_errors},
        {&s->side[1].bytes_sent, &s->side[1].bytes_received, &s->side[1].bytes_lost, &s->side[1].content_errors}};
    static const char *const keys[] = {"checks", "mismatches", "known_differences", "disputed", "environment_failures",
                                       "sockets_left_open", "exit_code"};
    int *vals[] = {&s->checks, &s->mismatches, &s->known_differences, &s->disputed, &s->environment,
                   &s->sockets_left_open, &s->exit_code};
    int64_t v = 0;
    for (int k = 0; k < SIDE_COUNT; k++)
        for (int i = 0; i < 4; i++) {
            char key[48];
            snprintf(key, sizeof key, "%s.%s", side_name((Side)k), side_keys[i]);
            if (number_of(ld, key, side_vals[k][i]) <= 0)
                return ld->err->message[0] ? -1 : fail(ld, 1, "the summary needs \"%s\"", key);
        }
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        if (number_of(ld, keys[i], &v) <= 0)
            return ld->err->message[0] ? -1 : fail(ld, 1, "the summary needs \"%s\"", keys[i]);
        *vals[i] = (int)v;
    }
    number_of(ld, "t_us", &s->t_us);
    if (text_of(ld, "peer")) { /* a run against another program */
        const JsonField *h = json_get(ld->j, "handshake_failed");
        s->peer = strcmp(text_of(ld, "peer"), "shutdownlab") ? PEER_EXTERNAL : PEER_SHUTDOWNLAB;
        if (number_of(ld, "not_observable", &v) > 0)
            s->not_observable = (int)v;
        if (number_of(ld, "inferred", &v) > 0)
            s->inferred = (int)v;
        s->refused = h && h->type == JSON_TRUE;
    }
    return 0;
}

/* ---- the whole file: read once, indexed ------------------------------------------------ */

typedef enum LineKind { LINE_RUN, LINE_EVENT, LINE_SUMMARY } LineKind;

static int one_line(Loader *ld, const char *p, size_t len, int *summary, Event *ev)
{
    int col;
    char msg[160];
    const char *kind;
    if (*summary)
        return fail(ld, 1, "a line after the summary: the summary is the last line");
    if (json_parse_line(ld->j, p, len, &col, msg, sizeof msg) < 0)
        return fail(ld, col, "%s", msg);
    if (ld->line == 1)
        return run_line(ld) < 0 ? -1 : LINE_RUN;
    kind = text_of(ld, "kind");
    if (kind && !strcmp(kind, "run"))
        return fail(ld, 1, "a second run line: is this two recordings in one file?");
    if (kind && !strcmp(kind, "summary")) {
        *summary = 1;
        return summary_line(ld) < 0 ? -1 : LINE_SUMMARY;
    }
    return event_line(ld, ev) < 0 ? -1 : LINE_EVENT;
}

/* Event k of the file is the line at offset off: indexed, and a step where one begins. */
static int index_event(Recording *r, size_t off, const Event *ev)
{
    if (r->n >= RECORDING_ADDED || GROW(r->at, r->cap, r->n + 1) < 0 ||
        (ev->kind == EV_STEP && GROW(r->steps, r->cap_steps, r->nsteps + 1) < 0))
        return -1;
    if (ev->kind == EV_STEP)
        r->steps[r->nsteps++] = (uint32_t)r->n;
    r->at[r->n++] = (uint32_t)off;
    return 0;
}

/* Whether line p (n bytes) is line q (m bytes) but for the digits of its t_us: a storm's
 * lines (--storm: 100,000 FD_READs one after another) differ only in their time, and such a
 * line is the event before it again, as valid as it was, without reading it again. Plain
 * digits only (no sign, no leading zero, at most 18: what every reader takes as a number);
 * anything else is read in full. */
static int same_but_time(const char *p, size_t n, const char *q, size_t m)
{
    static const char head[] = "{\"t_us\":";
    size_t h = sizeof head - 1, a = h, b = h;
    if (n <= h || m <= h || memcmp(p, head, h) || memcmp(q, head, h))
        return 0;
    while (a < n && p[a] >= '0' && p[a] <= '9')
        a++;
    while (b < m && q[b] >= '0' && q[b] <= '9')
        b++;
    if (a == h || b == h || a - h > 18 || b - h > 18 || (p[h] == '0' && a - h > 1) || (q[h] == '0' && b - h > 1))
        return 0;
    return n - a == m - b && !memcmp(p + a, q + b, n - a);
}

Recording *recording_open(char *text, size_t len, RecordingError *err)
{
    Loader ld;
    Event ev;
    int summary = 0;
    const char *p = text, *end = text + len, *prev = NULL; /* the last line, when it was an event's */
    size_t prev_len = 0;
    memset(err, 0, sizeof *err);
    memset(&ld, 0, sizeof ld);
    ld.err = err;
    if (len > RECORDING_MAX_BYTES) {
        snprintf(err->message, sizeof err->message, "too large: a recording is at most %u bytes", RECORDING_MAX_BYTES);
        free(text);
        return NULL;
    }
    if (!(ld.r = calloc(1, sizeof *ld.r)) || !(ld.r->reader = calloc(1, sizeof *ld.r->reader))) {
        snprintf(err->message, sizeof err->message, "out of memory");
        free(ld.r);
        free(text);
        return NULL;
    }
    ld.r->text = text;
    ld.r->len = len;
    ld.j = &ld.r->reader->j;
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        size_t n = (size_t)((eol ? eol : end) - p);
        int kind;
        ld.line++;
        if (n && !(n == 1 && p[0] == '\r')) {
            if (prev && !summary && same_but_time(p, n, prev, prev_len))
                kind = LINE_EVENT; /* ev is the event before, but for its time, which nothing here uses */
            else if ((kind = one_line(&ld, p, n, &summary, &ev)) < 0)
                goto bad;
            if (kind == LINE_EVENT && index_event(ld.r, (size_t)(p - text), &ev) < 0) {
                fail(&ld, 1, "out of memory");
                goto bad;
            }
            prev = kind == LINE_EVENT ? p : NULL;
            prev_len = n;
        }
        p = eol ? eol + 1 : end;
    }
    if (!ld.line || !ld.r->sc) {
        ld.line = 1;
        fail(&ld, 1, "the file is empty: a recording is shutdownlab-cli --format jsonl output");
        goto bad;
    }
    if (!summary) {
        fail(&ld, 1, "truncated: no summary line at the end (it stops after line %d)", ld.line);
        ld.err->line = ld.line;
        goto bad;
    }
    return ld.r;
bad:
    recording_free(ld.r);
    return NULL;
}

Recording *recording_parse(const char *text, size_t len, RecordingError *err)
{
    Recording *r;
    char *copy = malloc(len + 1);
    if (!copy) {
        memset(err, 0, sizeof *err);
        snprintf(err->message, sizeof err->message, "out of memory");
        return NULL;
    }
    memcpy(copy, text, len);
    copy[len] = '\0';
    if ((r = recording_open(copy, len, err)) && recording_load_events(r) < 0) {
        recording_free(r);
        memset(err, 0, sizeof *err);
        snprintf(err->message, sizeof err->message, "out of memory");
        return NULL;
    }
    return r;
}

int recording_event(const Recording *r, size_t i, Event *ev)
{
    RecordingError err;
    Loader ld;
    const char *p, *eol;
    size_t n;
    int col;
    char msg[160];
    if (i >= r->n)
        return -1;
    if (r->events) {
        *ev = r->events[i];
        return 0;
    }
    if (r->at[i] & RECORDING_ADDED) {
        *ev = r->added[r->at[i] & ~RECORDING_ADDED];
        return 0;
    }
    /* the line was read at open: it reads the same again, its texts kept already */
    p = r->text + r->at[i];
    eol = memchr(p, '\n', r->len - r->at[i]);
    n = (size_t)((eol ? eol : r->text + r->len) - p);
    memset(&ld, 0, sizeof ld);
    memset(&err, 0, sizeof err);
    ld.r = (Recording *)r; /* keep() may add to the reader's texts: never does for a line read at open */
    ld.j = &r->reader->j;
    ld.err = &err;
    ld.line = 2;
    if (json_parse_line(ld.j, p, n, &col, msg, sizeof msg) < 0 || event_line(&ld, ev) < 0)
        return -1;
    return 0;
}

size_t recording_step_at(const Recording *r, size_t k)
{
    return k < r->nsteps ? r->steps[k] : r->n;
}

int recording_load_events(Recording *r)
{
    Event *all;
    if (r->events)
        return 0;
    if (!(all = malloc(r->n * sizeof *all + 1)))
        return -1;
    for (size_t i = 0; i < r->n; i++)
        if (recording_event(r, i, &all[i]) < 0) {
            free(all);
            return -1;
        }
    r->events = all;
    return 0;
}

int recording_join(Recording *r, const Event *add, size_t nadd, const Event *tail, size_t ntail)
{
    size_t total = r->n + nadd + ntail, i = 0, j = 0, k = 0, step = 0, nsteps = r->nsteps;
    size_t base = r->nadded, nadded = r->nadded + nadd + ntail;
    uint32_t *at = NULL, *steps = NULL;
    Event *added = NULL;
    int reload = r->events != NULL;
    if (total >= RECORDING_ADDED || nadded >= RECORDING_ADDED || !(at = malloc(total * sizeof *at + 1)) ||
        !(added = malloc(nadded * sizeof *added + 1)) || !(steps = malloc(total * sizeof *steps + 1)))
        goto oom;
    if (r->nadded)
        memcpy(added, r->added, r->nadded * sizeof *added);
    if (nadd)
        memcpy(added + base, add, nadd * sizeof *add);
    if (ntail)
        memcpy(added + base + nadd, tail, ntail * sizeof *tail);
    nsteps = 0;
    while (i < r->n || j < nadd) {
        Event ev;
        if (i < r->n && j < nadd && recording_event(r, i, &ev) < 0)
            goto oom;
        if (j >= nadd || (i < r->n && ev.t_us <= add[j].t_us)) {
            if (step < r->nsteps && r->steps[step] == i) {
                steps[nsteps++] = (uint32_t)k;
                step++;
            }
            at[k++] = r->at[i++];
        } else {
            if (add[j].kind == EV_STEP)
                steps[nsteps++] = (uint32_t)k;
            at[k++] = RECORDING_ADDED | (uint32_t)(base + j++);
        }
    }
    for (size_t t = 0; t < ntail; t++) {
        if (tail[t].kind == EV_STEP)
            steps[nsteps++] = (uint32_t)k;
        at[k++] = RECORDING_ADDED | (uint32_t)(base + nadd + t);
    }
    free(r->at);
    free(r->added);
    free(r->steps);
    free(r->events);
    r->at = at;
    r->n = r->cap = total;
    r->added = added;
    r->nadded = r->cap_added = nadded;
    r->steps = steps;
    r->nsteps = nsteps;
    r->cap_steps = total;
    r->events = NULL;
    return reload ? recording_load_events(r) : 0;
oom:
    free(at);
    free(added);
    free(steps);
    return -1;
}

void recording_free(Recording *r)
{
    if (!r)
        return;
    if (r->reader) {
        for (size_t i = 0; i < r->reader->nstrings; i++)
            free(r->reader->strings[i]);
        free(r->reader->strings);
        free(r->reader->slot);
        json_free(&r->reader->j);
        free(r->reader);
    }
    free(r->text);
    free(r->at);
    free(r->added);
    free(r->steps);
    free(r->events);
    scenario_free(r->sc);
    free(r);
}

void recording_platform(const Recording *r, char *buf, size_t size)
{
    size_t n = strlen(r->info.platform);
    if (r->info.os[0] && n && !strncmp(r->info.os, r->info.platform, n)) /* "Windows", "Windows 10.0.19045" */
        snprintf(buf, size, "%s", r->info.os);
    else if (r->info.os[0])
        snprintf(buf, size, "%s (%s)", r->info.platform, r->info.os); /* "Wine 8.0 (Windows 6.1.7601)" */
    else
        snprintf(buf, size, "%s", r->info.platform[0] ? r->info.platform : "an unknown platform");
}
