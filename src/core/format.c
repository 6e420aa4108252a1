/* format.c: text, tap and jsonl writers of the transcript (format.h). Text and tap write
 * group.h's lines; jsonl writes every event as it comes. */
#include "format.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "facts.h"
#include "json.h"
#include "wsaerr.h"

void out_printf(Out *o, const char *fmt, ...)
{
    char buf[1024], *big;
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof buf) {
        o->write(o->ctx, buf, (size_t)n);
        return;
    }
    /* a long why= or title: write it whole, so the line keeps its newline */
    if ((big = malloc((size_t)n + 1)) != NULL) {
        va_start(ap, fmt);
        vsnprintf(big, (size_t)n + 1, fmt, ap);
        va_end(ap);
        o->write(o->ctx, big, (size_t)n);
        free(big);
        return;
    }
    o->write(o->ctx, buf, sizeof buf - 1);
}

/* "2026-12-07 17:40:12.123456 UTC" for ns since 1970 (days to a civil date: the
 * proleptic Gregorian calendar, counted in 400-year eras). */
void format_wall_time(int64_t ns, char *buf, size_t size)
{
    int64_t s = ns / 1000000000, us = ns % 1000000000 / 1000, days = s / 86400, sec = s % 86400;
    int64_t era, doe, yoe, doy, mp, d, m, y;
    days += 719468;
    era = (days >= 0 ? days : days - 146096) / 146097;
    doe = days - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    y = yoe + era * 400 + (m <= 2);
    snprintf(buf, size, "%04lld-%02lld-%02lld %02lld:%02lld:%02lld.%06lld UTC", (long long)y, (long long)m, (long long)d,
             (long long)(sec / 3600), (long long)(sec / 60 % 60), (long long)(sec % 60), (long long)us);
}

/* ---- text and tap: group.h's lines ------------------------------------------------ */

void format_line(const GroupLine *l, char *buf, size_t size)
{
    char lab[16] = "";
    if (l->step[0])
        snprintf(lab, sizeof lab, "(%s)", l->step);
    if (l->t1 > l->t0)
        snprintf(buf, size, "%9.3f-%.3f  %-6s %-5s %s", l->t0 / 1000.0, l->t1 / 1000.0, side_name(l->side), lab, l->text);
    else
        snprintf(buf, size, "%9.3f  %-6s %-5s %s", l->t0 / 1000.0, side_name(l->side), lab, l->text);
}

static void tap_point(Formatter *f, const Event *ev, const char *text)
{
    char name[EVENT_NAME_MAX];
    if (verdict_ok(ev->verdict)) {
        out_printf(&f->out, "ok %d - %s %s\n", ++f->tap_n, side_name(ev->side), text);
    } else if (ev->verdict == VERDICT_DISPUTED) { /* neither a pass nor a failure */
        out_printf(&f->out, "ok %d - %s %s # SKIP disputed: %s\n", ++f->tap_n, side_name(ev->side), text,
                   ev->source ? ev->source : "");
    } else if (ev->verdict == VERDICT_UNOBSERVED) { /* neither: the other program's to see */
        out_printf(&f->out, "ok %d - %s %s # SKIP not observable with an external peer\n", ++f->tap_n,
                   side_name(ev->side), text);
    } else if (ev->verdict == VERDICT_INFERRED) { /* neither: what this end saw says it did */
        out_printf(&f->out, "ok %d - %s %s # SKIP inferred, not observed\n", ++f->tap_n, side_name(ev->side), text);
    } else if (ev->verdict == VERDICT_KNOWN) {
        event_name(ev, name, sizeof name);
        out_printf(&f->out, "not ok %d - %s check %s: Windows %s, observed %s # TODO known difference: %s\n",
                   ++f->tap_n, side_name(ev->side), name, ev->expected, ev->observed, ev->why ? ev->why : "");
    } else {
        out_printf(&f->out, "not ok %d - %s %s\n", ++f->tap_n, side_name(ev->side), text);
    }
}

/* A finished line: written as it is, or in tap, a check as a test point and the rest as a
 * comment. */
static void write_group_line(void *ctx, const GroupLine *l)
{
    Formatter *f = ctx;
    char line[GROUP_TEXT_MAX + 64];
    if (f->kind == FORMAT_TAP && l->ev && l->ev->kind == EV_CHECK) {
        tap_point(f, l->ev, l->text);
        return;
    }
    format_line(l, line, sizeof line);
    out_printf(&f->out, "%s%s\n", f->kind == FORMAT_TAP ? "# " : "", line);
}

static void lines_begin(Sink *s, const RunInfo *info)
{
    Formatter *f = (Formatter *)s;
    char p[32];
    const char *lead = f->kind == FORMAT_TAP ? "# " : "";
    f->local = info->local;
    f->sc = info->sc;
    grouper_set_scenario(&f->group, info->sc);
    out_printf(&f->out, "%sShutdownLab %s: %s: %s\n", lead, info->version ? info->version : "", info->sc->name,
               info->sc->title ? info->sc->title : "");
    int payload_used = 0;
    for (size_t i = 0; i < info->sc->nops; i++)
        payload_used |= info->sc->ops[i].verb == OP_SEND && info->sc->ops[i].arg < 0;
    out_printf(&f->out, "%syou play the %s, %s plays the %s%s%s%s; platform %s\n", lead, side_name(info->local),
               info->peer == PEER_EMBEDDED ? "the embedded peer" : "another program", side_name((Side)!info->local),
               payload_used ? "; payload " : "", payload_used ? format_thousands(info->payload, p, sizeof p) : "",
               payload_used ? (info->payload == 1 ? " byte" : " bytes") : "", info->platform);
    if (info->sndbuf || info->rcvbuf) {
        char a[32], b[32];
        out_printf(&f->out, "%ssocket buffers set on %s before the connection: SO_SNDBUF %s, SO_RCVBUF %s "
                            "(--sndbuf, --rcvbuf)\n",
                   lead, info->peer == PEER_EMBEDDED ? "both ends" : "this end",
                   info->sndbuf ? format_thousands(info->sndbuf, a, sizeof a) : "the system's",
                   info->rcvbuf ? format_thousands(info->rcvbuf, b, sizeof b) : "the system's");
    }
    if (info->peer != PEER_EMBEDDED)
        out_printf(&f->out, "%s%s; only this end is observed: what only the %s could report is said to be not "
                            "observable\n",
                   lead, info->where, side_name((Side)!info->local));
    out_printf(&f->out,
               "%schecks compare with what Windows does, graded by how we know it (tested on Windows, documented, "
               "disputed, inferred: docs/evidence.md)%s\n",
               lead,
               info->on_wine ? "; where Wine 8 is known to differ, the check says so and why" : "");
    out_printf(&f->out, "%slines come as each end reports them; t is when each happened (a call: when it was made)\n",
               lead);
    if (info->wall_t0_ns) {
        char when[48];
        format_wall_time(info->wall_t0_ns, when, sizeof when);
        out_printf(&f->out, "%st = 0 is %s on the wall clock, read to within %lld us: a capture's times are put on "
                            "this clock\n", lead, when, (long long)info->wall_within_us);
    }
    out_printf(&f->out, "%s   t (ms)  side   step  what happened\n", lead);
}

static void lines_event(Sink *s, const Event *ev)
{
    Formatter *f = (Formatter *)s;
    grouper_event(&f->group, ev, NULL);
}

static void lines_end(Sink *s, const Summary *sum)
{
    Formatter *f = (Formatter *)s;
    const char *lead = f->kind == FORMAT_TAP ? "# " : "";
    char a[32], b[32], c[32];
    grouper_flush(&f->group);
    for (int k = 0; k < SIDE_COUNT; k++) {
        if (sum->peer != PEER_EMBEDDED && k != (int)f->local) {
            out_printf(&f->out, "%s%s: another program%s: what it sent and received is not observable here\n", lead,
                       side_name((Side)k), sum->peer == PEER_SHUTDOWNLAB ? " (ShutdownLab, by its handshake)" : "");
            continue;
        }
        out_printf(&f->out, "%s%s: sent %s bytes, received %s bytes", lead, side_name((Side)k),
                   format_thousands(sum->side[k].bytes_sent, a, sizeof a),
                   format_thousands(sum->side[k].bytes_received, b, sizeof b));
        if (sum->peer == PEER_EMBEDDED)
            out_printf(&f->out, ", lost %s bytes (sent but never received)",
                       format_thousands(sum->side[k].bytes_lost, c, sizeof c));
        out_printf(&f->out, "\n");
    }
    out_printf(&f->out,
               "%sresult: %d check%s, %d mismatch%s, %d known difference%s, %d disputed, %d environment failure%s",
               lead, sum->checks, sum->checks == 1 ? "" : "s", sum->mismatches, sum->mismatches == 1 ? "" : "es",
               sum->known_differences, sum->known_differences == 1 ? "" : "s", sum->disputed, sum->environment,
               sum->environment == 1 ? "" : "s");
    if (sum->not_observable)
        out_printf(&f->out, ", %d not observable", sum->not_observable);
    if (sum->inferred)
        out_printf(&f->out, ", %d inferred", sum->inferred);
    if (sum->refused)
        out_printf(&f->out, ", the handshake failed");
    out_printf(&f->out, " (exit %d)\n", sum->exit_code);
    if (f->kind == FORMAT_TAP)
        out_printf(&f->out, "1..%d\n", f->tap_n);
}

/* ---- jsonl ---------------------------------------------------------------------- */

/* ,"key":"value" with JSON's escapes, written whole however long (a teacher's explain=
 * can be a paragraph). Bytes that are not UTF-8 become U+FFFD, so every line stays JSON. */
static void json_str(Out *o, const char *key, const char *s)
{
    char buf[600];
    size_t n = 0, k;
    n += (size_t)snprintf(buf, sizeof buf, ",\"%s\":\"", key);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (n > sizeof buf - 8) {
            o->write(o->ctx, buf, n);
            n = 0;
        }
        if (*p == '"' || *p == '\\') {
            buf[n++] = '\\';
            buf[n++] = (char)*p;
        } else if (*p < 0x20 || *p == 0x7f) {
            n += (size_t)snprintf(buf + n, sizeof buf - n, "\\u%04x", *p);
        } else if (*p < 0x80) {
            buf[n++] = (char)*p;
        } else if ((k = json_utf8_len(p, 4)) > 0) { /* the NUL stops it early */
            memcpy(buf + n, p, k);
            n += k;
            p += k - 1;
        } else {
            memcpy(buf + n, "\\ufffd", 6);
            n += 6;
        }
    }
    buf[n++] = '"';
    o->write(o->ctx, buf, n);
}

static void jsonl_begin(Sink *s, const RunInfo *info)
{
    Formatter *f = (Formatter *)s;
    f->conn = info->conn;
    f->sc = info->sc;
    out_printf(&f->out, "{\"t_us\":0,");
    if (f->conn)
        out_printf(&f->out, "\"conn\":%d,", f->conn);
    out_printf(&f->out, "\"kind\":\"run\",\"jsonl_version\":%d", JSONL_VERSION);
    json_str(&f->out, "scenario", info->sc->name);
    json_str(&f->out, "title", info->sc->title ? info->sc->title : "");
    json_str(&f->out, "local", side_name(info->local));
    json_str(&f->out, "platform", info->platform);
    json_str(&f->out, "os", info->os);
    json_str(&f->out, "version", info->version ? info->version : "");
    out_printf(&f->out, ",\"payload\":%lld,\"timeout_ms\":%d,\"on_wine\":%s", (long long)info->payload,
               info->timeout_ms, info->on_wine ? "true" : "false");
    if (info->wall_t0_ns) /* t = 0 on the wall clock: where a capture's times land */
        out_printf(&f->out, ",\"wall_t0_ns\":%lld,\"wall_within_us\":%lld", (long long)info->wall_t0_ns,
                   (long long)info->wall_within_us);
    if (info->sndbuf || info->rcvbuf)
        out_printf(&f->out, ",\"sndbuf\":%d,\"rcvbuf\":%d", info->sndbuf, info->rcvbuf);
    if (info->peer != PEER_EMBEDDED) {
        json_str(&f->out, "peer", "external");
        json_str(&f->out, "where", info->where);
    }
    /* the scenario as it was run: a recording replays and compares with its own lines */
    if (info->sc->text) {
        char *t = malloc(info->sc->text_len + 1);
        if (t) {
            memcpy(t, info->sc->text, info->sc->text_len);
            t[info->sc->text_len] = '\0';
            json_str(&f->out, "scenario_text", t);
            free(t);
        }
    }
    out_printf(&f->out, "}\n");
}

static void json_calls(Out *o, const char *key, const CallFacts *c)
{
    out_printf(o, ",\"%s\":{\"calls\":%u,\"moved\":%u,\"zero\":%u,\"wouldblock\":%u,\"failed\":%u,\"error\":%d,"
                  "\"min\":%u,\"max\":%u,\"bytes\":%lld}",
               key, c->calls, c->moved, c->zero, c->wouldblock, c->failed, c->error, c->min, c->max,
               (long long)c->bytes);
}

/* What a step showed: every fact, then the words made of them (facts.h), the same words
 * the text and the GUI say. */
static void jsonl_showed(Formatter *fm, const Event *ev)
{
    Out *o = &fm->out;
    const StepFacts *f = &ev->facts;
    char text[GROUP_TEXT_MAX];
    json_calls(o, "send", &f->send);
    json_calls(o, "recv", &f->recv);
    out_printf(o, ",\"FD_READ\":%u,\"FD_WRITE\":%u,\"FD_CLOSE\":%u,\"close_error\":%d,\"stale\":%u,"
                  "\"after_close\":%lld,\"t_first\":%lld,\"t_last\":%lld",
               f->fd_read, f->fd_write, f->fd_close, f->close_error, f->stale, (long long)f->after_close,
               (long long)f->t_first, (long long)f->t_last);
    if (f->call_what != EW_NONE) {
        char name[EVENT_NAME_MAX];
        event_what_name((EventWhat)f->call_what, &f->call_args, name, sizeof name);
        json_str(o, "call", name);
        out_printf(o, ",\"call_result\":%lld,\"call_error\":%d,\"call_us\":%lld", (long long)f->call_result,
                   f->call_error, (long long)f->call_us);
    }
    if (f->state[0] || f->state[1]) {
        int n = 0;
        out_printf(o, ",\"states\":{");
        for (int k = 0; k < SIDE_COUNT; k++)
            if (f->state[k])
                out_printf(o, "%s\"%s\":\"%s\"", n++ ? "," : "", side_name((Side)k), tcp_state_label(f->state[k]));
        out_printf(o, "}");
    }
    facts_sentence(f, text, sizeof text);
    json_str(o, "text", text);
    if (facts_said(fm->sc, f, text, sizeof text))
        json_str(o, "said", text);
}

/* What went on the wire: a segment captured ("observed"), or inferred from the call that
 * sent it, and at the end of a captured run each inferred one beside the segment that
 * carried it; the connection's endpoints. */
static void jsonl_wire(Out *o, const Event *ev)
{
    const WireFacts *w = &ev->wire;
    char name[EVENT_NAME_MAX];
    if (ev->what == EW_CONNECTION) {
        out_printf(o, ",\"client\":\"%u.%u.%u.%u:%u\",\"server\":\"%u.%u.%u.%u:%u\"", (unsigned)(ev->args.addr >> 24),
                   (unsigned)(ev->args.addr >> 16 & 255), (unsigned)(ev->args.addr >> 8 & 255),
                   (unsigned)(ev->args.addr & 255), (unsigned)ev->args.port, (unsigned)(ev->args.addr2 >> 24),
                   (unsigned)(ev->args.addr2 >> 16 & 255), (unsigned)(ev->args.addr2 >> 8 & 255),
                   (unsigned)(ev->args.addr2 & 255), (unsigned)ev->args.port2);
        return;
    }
    if (ev->kind == EV_NOTE && ev->what == EW_CAPTURE)
        return;
    if (ev->kind == EV_WIRE)
        out_printf(o, ",\"to\":\"%s\"", side_name((Side)!ev->side));
    if (ev->kind == EV_NOTE && w->guess != EW_NONE) { /* a pairing: the inference beside its segment */
        event_what_name((EventWhat)w->guess, NULL, name, sizeof name);
        json_str(o, "wire", name);
        out_printf(o, ",\"inferred_t_us\":%lld", (long long)w->guess_t_us);
        if (w->guess == EW_WIRE_DATA && w->end > w->first)
            out_printf(o, ",\"first\":%lld,\"end\":%lld", (long long)w->first, (long long)w->end);
    }
    if ((ev->kind == EV_WIRE && ev->what != EW_SEGMENT) || (ev->kind == EV_NOTE && w->guess != EW_NONE)) {
        out_printf(o, ",\"inferred\":true"); /* from a call, never a capture: said so, with the call */
        if (w->cause != EW_NONE) {
            event_what_name((EventWhat)w->cause, &ev->args, name, sizeof name);
            json_str(o, "cause", name);
        }
    }
    if (w->seg_t_us >= 0 && (ev->what == EW_SEGMENT || ev->what == EW_WIRE_SEEN || ev->what == EW_WIRE_UNINFERRED)) {
        segment_flags(w->flags, name, sizeof name);
        out_printf(o, ",\"observed\":true,\"observed_t_us\":%lld", (long long)w->seg_t_us);
        json_str(o, "flags", name);
        out_printf(o, ",\"seq\":%lu,\"ack\":%lu,\"len\":%lu,\"win\":%u,\"window\":%lu,\"scaled\":%s,\"relative\":%s",
                   (unsigned long)w->seq, (unsigned long)w->ack, (unsigned long)w->len, (unsigned)w->win,
                   (unsigned long)w->window, w->scaled ? "true" : "false", w->relative ? "true" : "false");
    }
    if (ev->what == EW_WIRE_NOT_SEEN)
        out_printf(o, ",\"observed\":false");
}

static void jsonl_event(Sink *s, const Event *ev)
{
    Formatter *f = (Formatter *)s;
    Out *o = &f->out;
    char name[EVENT_NAME_MAX];
    event_name(ev, name, sizeof name);
    out_printf(o, "{\"t_us\":%lld", (long long)ev->t_us);
    if (f->conn)
        out_printf(o, ",\"conn\":%d", f->conn);
    json_str(o, "side", side_name(ev->side));
    json_str(o, "kind", event_kind_name(ev->kind));
    json_str(o, "name", name);
    if (ev->step[0])
        json_str(o, "step", ev->step);
    if (ev->op >= 0 && (ev->kind == EV_STEP || ev->kind == EV_CHECK))
        out_printf(o, ",\"op\":%d", ev->op);
    if (ev->has_result)
        out_printf(o, ",\"result\":%lld", (long long)ev->result);
    if (ev->kind == EV_WIRE || (ev->kind == EV_NOTE && ev->what >= EW_CONNECTION))
        jsonl_wire(o, ev);
    if (ev->kind == EV_STEP && ev->inferred) { /* another program's step: inferred, and why */
        out_printf(o, ",\"inferred\":true");
        json_str(o, "reason", ev->text);
    }
    if (ev->kind == EV_CALL || ev->kind == EV_MESSAGE) {
        const char *n = wsaerr_name(ev->error);
        out_printf(o, ",\"error\":%d", ev->error);
        json_str(o, "error_name", n ? n : "");
    }
    if (ev->bytes >= 0)
        out_printf(o, ",\"bytes\":%lld", (long long)ev->bytes);
    if (ev->duration_us >= 0)
        out_printf(o, ",\"duration_us\":%lld", (long long)ev->duration_us);
    if (ev->stale)
        out_printf(o, ",\"stale\":true");
    if (ev->kind == EV_STATE)
        json_str(o, "tcp_state", tcp_state_label(ev->tcp_state));
    if (ev->kind == EV_CHECK) {
        json_str(o, "expected", ev->expected);
        json_str(o, "observed", ev->observed);
        out_printf(o, ",\"ok\":%s,\"known_difference\":%s", verdict_ok(ev->verdict) ? "true" : "false",
                   ev->verdict == VERDICT_KNOWN ? "true" : "false");
        if (ev->verdict == VERDICT_ENVIRONMENT)
            out_printf(o, ",\"environment\":true");
        if (ev->verdict == VERDICT_DISPUTED)
            out_printf(o, ",\"disputed\":true");
        if (ev->verdict == VERDICT_UNOBSERVED)
            out_printf(o, ",\"not_observable\":true");
        if (ev->inferred)
            out_printf(o, ",\"inferred\":true");
        json_str(o, "verdict", verdict_name(ev->verdict));
        json_str(o, "evidence", evidence_name(ev->evidence));
        json_str(o, "source", ev->source ? ev->source : "");
        if (ev->other[0])
            json_str(o, "other", ev->other);
        if (ev->why)
            json_str(o, "why", ev->why);
    }
    if (ev->kind == EV_SHOWED) {
        jsonl_showed(f, ev);
        o->write(o->ctx, "}\n", 2);
        return;
    }
    if (ev->explain)
        json_str(o, "explain", ev->explain);
    if (ev->kind == EV_STATE) {
        char note[EVENT_TEXT_MAX];
        event_state_note(ev, note, sizeof note);
        if (note[0])
            json_str(o, "text", note);
    } else if (ev->text[0] && !(ev->kind == EV_STEP && ev->inferred)) {
        json_str(o, "text", ev->text);
    }
    o->write(o->ctx, "}\n", 2);
}

static void jsonl_end(Sink *s, const Summary *sum)
{
    Formatter *f = (Formatter *)s;
    out_printf(&f->out, "{\"t_us\":%lld,", (long long)sum->t_us);
    if (f->conn)
        out_printf(&f->out, "\"conn\":%d,", f->conn);
    out_printf(&f->out, "\"kind\":\"summary\"");
    for (int k = 0; k < SIDE_COUNT; k++)
        out_printf(&f->out, ",\"%s\":{\"bytes_sent\":%lld,\"bytes_received\":%lld,\"bytes_lost\":%lld,\"content_errors\":%lld}",
                   side_name((Side)k), (long long)sum->side[k].bytes_sent, (long long)sum->side[k].bytes_received,
                   (long long)sum->side[k].bytes_lost, (long long)sum->side[k].content_errors);
    out_printf(&f->out, ",\"checks\":%d,\"mismatches\":%d,\"known_differences\":%d,\"disputed\":%d,"
                        "\"environment_failures\":%d,\"sockets_left_open\":%d,\"exit_code\":%d",
               sum->checks, sum->mismatches, sum->known_differences, sum->disputed, sum->environment,
               sum->sockets_left_open, sum->exit_code);
    if (sum->peer != PEER_EMBEDDED)
        out_printf(&f->out, ",\"peer\":\"%s\",\"not_observable\":%d,\"inferred\":%d,\"handshake_failed\":%s",
                   sum->peer == PEER_SHUTDOWNLAB ? "shutdownlab" : "external", sum->not_observable, sum->inferred,
                   sum->refused ? "true" : "false");
    out_printf(&f->out, "}\n");
}

Sink *formatter_init(Formatter *f, FormatKind kind, Out out)
{
    memset(f, 0, sizeof *f);
    f->kind = kind;
    f->out = out;
    if (kind == FORMAT_JSONL) {
        f->sink.begin = jsonl_begin;
        f->sink.event = jsonl_event;
        f->sink.end = jsonl_end;
    } else {
        f->sink.begin = lines_begin;
        f->sink.event = lines_event;
        f->sink.end = lines_end;
        grouper_init(&f->group, write_group_line, f);
    }
    return &f->sink;
}

int format_kind_from_name(const char *name)
{
    if (strcmp(name, "text") == 0)
        return FORMAT_TEXT;
    if (strcmp(name, "tap") == 0)
        return FORMAT_TAP;
    if (strcmp(name, "jsonl") == 0)
        return FORMAT_JSONL;
    return -1;
}
