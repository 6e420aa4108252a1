/* format.c: text, tap and jsonl writers of the transcript (format.h). Text and tap share
 * the line renderer and the burst coalescing; jsonl writes every event as it comes. */
#include "format.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

char *format_thousands(long long v, char *buf, size_t size)
{
    char digits[32];
    /* the magnitude as unsigned: -LLONG_MIN does not fit a long long */
    unsigned long long m = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
    int n = snprintf(digits, sizeof digits, "%llu", m), o = 0;
    char tmp[48];
    if (v < 0)
        tmp[o++] = '-';
    for (int i = 0; i < n; i++) {
        tmp[o++] = digits[i];
        if ((n - i - 1) % 3 == 0 && i != n - 1)
            tmp[o++] = ',';
    }
    tmp[o] = '\0';
    snprintf(buf, size, "%s", tmp);
    return buf;
}

void format_event_line(const Event *ev, char *buf, size_t size)
{
    char e[64], b[32];
    switch (ev->kind) {
    case EV_CALL:
        if (!ev->has_result)
            snprintf(buf, size, "%s", ev->name);
        else if (ev->result < 0 && ev->error)
            wsaerr_format(ev->error, e, sizeof e), snprintf(buf, size, "%s = %lld, %s", ev->name, (long long)ev->result, e);
        else if (ev->bytes > 0)
            snprintf(buf, size, "%s = %s bytes", ev->name, format_thousands(ev->bytes, b, sizeof b));
        else
            snprintf(buf, size, "%s = %lld", ev->name, (long long)ev->result);
        if (ev->duration_us >= 1000) {
            size_t n = strlen(buf);
            snprintf(buf + n, size - n, " (returned after %.1f ms)", ev->duration_us / 1000.0);
        }
        break;
    case EV_MESSAGE:
        if (ev->error)
            wsaerr_format(ev->error, e, sizeof e), snprintf(buf, size, "%s, error %s%s", ev->name, e,
                                                           ev->stale ? " (stale: socket already closed, dropped)" : "");
        else
            snprintf(buf, size, "%s, error 0%s", ev->name, ev->stale ? " (stale: socket already closed, dropped)" : "");
        break;
    case EV_STATE:
        /* a sample after a step shows both ends: "after (4)", not "the client's step 4" */
        snprintf(buf, size, "TCP table%s%s%s: %s%s%s", ev->step[0] ? " after (" : "", ev->step, ev->step[0] ? ")" : "",
                 ev->tcp_state, ev->text[0] ? " " : "", ev->text);
        break;
    case EV_CHECK: {
        /* an FD_* message's value is its error code: say so, "0" alone reads like bytes */
        int message = strncmp(ev->name, "FD_", 3) == 0;
        const char *ep = message && strcmp(ev->expected, "0") == 0 ? "error " : "";
        const char *op = message && strcmp(ev->observed, "0") == 0 ? "error " : "";
        if (ev->ok && strcmp(ev->expected, "any") == 0)
            snprintf(buf, size, "check %s: observed %s%s (what Windows does here is not checked)", ev->name, op,
                     ev->observed);
        else if (ev->ok)
            snprintf(buf, size, "check %s: Windows %s%s, observed %s%s: ok", ev->name, ep, ev->expected, op,
                     ev->observed);
        else if (ev->known_difference)
            snprintf(buf, size, "check %s: Windows %s%s, observed %s%s: KNOWN DIFFERENCE of this platform: %s", ev->name,
                     ep, ev->expected, op, ev->observed, ev->why ? ev->why : "");
        else
            snprintf(buf, size, "check %s: %s %s%s, observed %s%s: %s%s%s", ev->name,
                     ev->environment ? "expected" : "Windows", ep, ev->expected, op, ev->observed,
                     ev->environment ? "FAILED (environment)" : "MISMATCH", ev->text[0] ? ": " : "", ev->text);
        break;
    }
    case EV_STEP:
        snprintf(buf, size, "== (%s) %s%s%s", ev->step, ev->name, ev->explain ? ": " : "", ev->explain ? ev->explain : "");
        break;
    case EV_NOTE:
        snprintf(buf, size, "%s%s%s", ev->name, ev->text[0] ? " " : "", ev->text);
        break;
    }
}

/* ---- text and tap: lines, with bursts coalesced ------------------------------- */

/* Bursts group a handler's pairs: FD_READ with the recv calls it makes, FD_WRITE with the
 * sends it resumes. 0: not part of any burst. */
static int burst_family(const char *name)
{
    if (strcmp(name, "FD_READ") == 0 || strcmp(name, "recv") == 0)
        return 1;
    if (strcmp(name, "FD_WRITE") == 0 || strcmp(name, "send") == 0)
        return 2;
    return 0;
}

static void write_line(Formatter *f, long long t0, long long t1, Side side, const char *step, const char *what)
{
    char lab[16] = "";
    const char *lead = f->kind == FORMAT_TAP ? "# " : "";
    if (step && step[0])
        snprintf(lab, sizeof lab, "(%s)", step);
    if (t1 > t0)
        out_printf(&f->out, "%s%9.3f-%.3f  %-6s %-5s %s\n", lead, t0 / 1000.0, t1 / 1000.0, side_name(side), lab, what);
    else
        out_printf(&f->out, "%s%9.3f  %-6s %-5s %s\n", lead, t0 / 1000.0, side_name(side), lab, what);
}

static void flush_burst(Formatter *f, Side side)
{
    Burst *b = &f->burst[side];
    char line[512], n[32];
    size_t len = 0;
    if (!b->open)
        return;
    b->open = 0;
    if (b->events == 1) {
        format_event_line(&b->first, line, sizeof line);
        write_line(f, b->t_first, b->t_first, side, b->step, line);
        return;
    }
    line[0] = '\0';
    for (int i = 0; i < b->n; i++) {
        char err[64] = "";
        if (b->e[i].error)
            wsaerr_format(b->e[i].error, err, sizeof err);
        len += (size_t)snprintf(line + len, sizeof line - len, "%s%s x%s%s%s", i ? ", " : "", b->e[i].name,
                                format_thousands(b->e[i].count, n, sizeof n), err[0] ? " " : "", err);
        if (len >= sizeof line)
            len = sizeof line - 1;
    }
    if (b->bytes > 0)
        snprintf(line + len, sizeof line - len, ", %s bytes", format_thousands(b->bytes, n, sizeof n));
    write_line(f, b->t_first, b->t_last, side, b->step, line);
}

/* Whether ev joins the side's open burst (or opens one). */
static int add_to_burst(Formatter *f, const Event *ev)
{
    Burst *b = &f->burst[ev->side];
    int i;
    int family = burst_family(ev->name);
    if ((ev->kind != EV_MESSAGE && ev->kind != EV_CALL) || !family || ev->stale)
        return 0;
    if (b->open && (strcmp(b->step, ev->step) != 0 || b->family != family))
        flush_burst(f, ev->side);
    if (b->open) {
        for (i = 0; i < b->n; i++)
            if (strcmp(b->e[i].name, ev->name) == 0 && b->e[i].error == ev->error)
                break;
        if (i == b->n) {
            if (b->n == BURST_NAMES) {
                flush_burst(f, ev->side);
                return add_to_burst(f, ev);
            }
            b->n++;
            EVENT_SET(b->e[i].name, ev->name);
            b->e[i].error = ev->error;
            b->e[i].count = 0;
        }
    } else {
        memset(b, 0, sizeof *b);
        b->open = 1;
        b->family = family;
        EVENT_SET(b->step, ev->step);
        b->t_first = ev->t_us;
        b->first = *ev;
        b->n = 1;
        EVENT_SET(b->e[0].name, ev->name);
        b->e[0].error = ev->error;
        i = 0;
    }
    b->e[i].count++;
    b->events++;
    if (ev->bytes > 0)
        b->bytes = ev->bytes > LLONG_MAX - b->bytes ? LLONG_MAX : b->bytes + ev->bytes; /* no overflow */
    if (ev->t_us > b->t_last)
        b->t_last = ev->t_us;
    return 1;
}

static void lines_begin(Sink *s, const RunInfo *info)
{
    Formatter *f = (Formatter *)s;
    char p[32];
    const char *lead = f->kind == FORMAT_TAP ? "# " : "";
    f->on_wine = info->on_wine;
    out_printf(&f->out, "%sShutdownLab %s: %s: %s\n", lead, info->version ? info->version : "", info->sc->name,
               info->sc->title ? info->sc->title : "");
    int payload_used = 0;
    for (size_t i = 0; i < info->sc->nops; i++)
        payload_used |= info->sc->ops[i].verb == OP_SEND && info->sc->ops[i].arg < 0;
    out_printf(&f->out, "%syou play the %s, the embedded peer plays the %s%s%s%s; platform %s\n", lead,
               side_name(info->local), side_name((Side)!info->local), payload_used ? "; payload " : "",
               payload_used ? format_thousands(info->payload, p, sizeof p) : "", payload_used ? " bytes" : "",
               info->platform);
    out_printf(&f->out, "%schecks compare with Windows' documented behaviour%s\n", lead,
               info->on_wine ? "; where Wine 8 is known to differ, the check says so and why" : "");
    out_printf(&f->out, "%slines come as each end reports them; t is when each happened (a call: when it was made)\n",
               lead);
    out_printf(&f->out, "%s   t (ms)  side   step  what happened\n", lead);
}

static void lines_event(Sink *s, const Event *ev)
{
    Formatter *f = (Formatter *)s;
    char line[768];
    if (add_to_burst(f, ev))
        return;
    /* anything else closes both bursts, so lines stay close to the order they happened */
    flush_burst(f, SIDE_CLIENT);
    flush_burst(f, SIDE_SERVER);
    if (f->kind == FORMAT_TAP && ev->kind == EV_CHECK) {
        flush_burst(f, (Side)!ev->side);
        format_event_line(ev, line, sizeof line);
        if (ev->ok)
            out_printf(&f->out, "ok %d - %s %s\n", ++f->tap_n, side_name(ev->side), line);
        else if (ev->known_difference)
            out_printf(&f->out, "not ok %d - %s check %s: Windows %s, observed %s # TODO known difference: %s\n",
                       ++f->tap_n, side_name(ev->side), ev->name, ev->expected, ev->observed, ev->why ? ev->why : "");
        else
            out_printf(&f->out, "not ok %d - %s %s\n", ++f->tap_n, side_name(ev->side), line);
        return;
    }
    format_event_line(ev, line, sizeof line);
    if (ev->kind == EV_STATE) {
        /* the same as this end's last sample: jsonl has it, a reader needs it once */
        char key[sizeof f->last_state[0]];
        snprintf(key, sizeof key, "%.15s %.159s", ev->tcp_state, ev->text);
        if (strcmp(f->last_state[ev->side], key) == 0)
            return;
        EVENT_SET(f->last_state[ev->side], key);
        write_line(f, ev->t_us, ev->t_us, ev->side, "", line);
        return;
    }
    write_line(f, ev->t_us, ev->t_us, ev->side, ev->step, line);
}

static void lines_end(Sink *s, const Summary *sum)
{
    Formatter *f = (Formatter *)s;
    const char *lead = f->kind == FORMAT_TAP ? "# " : "";
    char a[32], b[32], c[32];
    flush_burst(f, SIDE_CLIENT);
    flush_burst(f, SIDE_SERVER);
    for (int k = 0; k < SIDE_COUNT; k++)
        out_printf(&f->out, "%s%s: sent %s bytes, received %s bytes, lost %s bytes (sent but never received)\n", lead,
                   side_name((Side)k), format_thousands(sum->side[k].bytes_sent, a, sizeof a),
                   format_thousands(sum->side[k].bytes_received, b, sizeof b),
                   format_thousands(sum->side[k].bytes_lost, c, sizeof c));
    out_printf(&f->out, "%sresult: %d check%s, %d mismatch%s, %d known difference%s, %d environment failure%s (exit %d)\n",
               lead, sum->checks, sum->checks == 1 ? "" : "s", sum->mismatches, sum->mismatches == 1 ? "" : "es",
               sum->known_differences, sum->known_differences == 1 ? "" : "s", sum->environment,
               sum->environment == 1 ? "" : "s", sum->exit_code);
    if (f->kind == FORMAT_TAP)
        out_printf(&f->out, "1..%d\n", f->tap_n);
}

/* ---- jsonl ---------------------------------------------------------------------- */

/* Length of the well-formed UTF-8 sequence at p (RFC 3629: no overlong forms, no
 * surrogates), 0 when there is none. p is NUL-terminated. */
static size_t utf8_len(const unsigned char *p)
{
    size_t n;
    unsigned long cp;
    if (p[0] >= 0xc2 && p[0] <= 0xdf)
        n = 2, cp = p[0] & 0x1f;
    else if (p[0] >= 0xe0 && p[0] <= 0xef)
        n = 3, cp = p[0] & 0x0f;
    else if (p[0] >= 0xf0 && p[0] <= 0xf4)
        n = 4, cp = p[0] & 0x07;
    else
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xc0) != 0x80) /* also stops at the NUL */
            return 0;
        cp = cp << 6 | (p[i] & 0x3f);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return n;
}

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
        } else if ((k = utf8_len(p)) > 0) {
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
    out_printf(&f->out, "{\"t_us\":0,\"kind\":\"run\"");
    json_str(&f->out, "scenario", info->sc->name);
    json_str(&f->out, "title", info->sc->title ? info->sc->title : "");
    json_str(&f->out, "local", side_name(info->local));
    json_str(&f->out, "platform", info->platform);
    json_str(&f->out, "version", info->version ? info->version : "");
    out_printf(&f->out, ",\"payload\":%lld,\"timeout_ms\":%d,\"on_wine\":%s}\n", (long long)info->payload,
               info->timeout_ms, info->on_wine ? "true" : "false");
}

static void jsonl_event(Sink *s, const Event *ev)
{
    Formatter *f = (Formatter *)s;
    Out *o = &f->out;
    out_printf(o, "{\"t_us\":%lld", (long long)ev->t_us);
    json_str(o, "side", side_name(ev->side));
    json_str(o, "kind", event_kind_name(ev->kind));
    json_str(o, "name", ev->name);
    if (ev->step[0])
        json_str(o, "step", ev->step);
    if (ev->has_result)
        out_printf(o, ",\"result\":%lld", (long long)ev->result);
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
    if (ev->tcp_state[0])
        json_str(o, "tcp_state", ev->tcp_state);
    if (ev->kind == EV_CHECK) {
        json_str(o, "expected", ev->expected);
        json_str(o, "observed", ev->observed);
        out_printf(o, ",\"ok\":%s,\"known_difference\":%s", ev->ok ? "true" : "false",
                   ev->known_difference ? "true" : "false");
        if (ev->environment)
            out_printf(o, ",\"environment\":true");
        if (ev->why)
            json_str(o, "why", ev->why);
    }
    if (ev->explain)
        json_str(o, "explain", ev->explain);
    if (ev->text[0])
        json_str(o, "text", ev->text);
    o->write(o->ctx, "}\n", 2);
}

static void jsonl_end(Sink *s, const Summary *sum)
{
    Formatter *f = (Formatter *)s;
    out_printf(&f->out, "{\"t_us\":%lld,\"kind\":\"summary\"", (long long)sum->t_us);
    for (int k = 0; k < SIDE_COUNT; k++)
        out_printf(&f->out, ",\"%s\":{\"bytes_sent\":%lld,\"bytes_received\":%lld,\"bytes_lost\":%lld,\"content_errors\":%lld}",
                   side_name((Side)k), (long long)sum->side[k].bytes_sent, (long long)sum->side[k].bytes_received,
                   (long long)sum->side[k].bytes_lost, (long long)sum->side[k].content_errors);
    out_printf(&f->out, ",\"checks\":%d,\"mismatches\":%d,\"known_differences\":%d,\"environment_failures\":%d,"
                        "\"sockets_left_open\":%d,\"exit_code\":%d}\n",
               sum->checks, sum->mismatches, sum->known_differences, sum->environment, sum->sockets_left_open,
               sum->exit_code);
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
