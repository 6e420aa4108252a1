/* group.c: events into lines, for every view (group.h). */
#include "group.h"

#include <stdio.h>
#include <string.h>

#include "capture.h"
#include "facts.h"
#include "wsaerr.h"

#define WSAEWOULDBLOCK_ 10035 /* flow control, not a failure worth colouring */

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

static int64_t add_sat(int64_t a, int64_t b)
{
    return b > 0 && a > INT64_MAX - b ? INT64_MAX : a + b;
}

/* ---- one event's words ------------------------------------------------------------ */

static void call_text(const Event *ev, const char *name, char *buf, size_t size)
{
    char e[64], b[32];
    if (!ev->has_result)
        snprintf(buf, size, "%s", name);
    else if (ev->result < 0 && ev->error)
        snprintf(buf, size, "%s = %lld, %s", name, (long long)ev->result, wsaerr_format(ev->error, e, sizeof e));
    else if (ev->bytes > 0)
        snprintf(buf, size, "%s = %s bytes", name, format_thousands(ev->bytes, b, sizeof b));
    else
        snprintf(buf, size, "%s = %lld", name, (long long)ev->result);
    if (ev->duration_us >= 1000) {
        size_t n = strlen(buf);
        snprintf(buf + n, size - n, " (returned after %.1f ms)", ev->duration_us / 1000.0);
    }
}

static void check_text(const Event *ev, const char *name, char *buf, size_t size)
{
    /* an FD_* message's value is its error code: say so, "0" alone reads like bytes */
    int message = event_what_is_message(ev->what);
    const char *op = message && strcmp(ev->observed, "0") == 0 ? "error " : "";
    char claim[2 * EVENT_VALUE_MAX + 64]; /* "WSAECONNABORTED or WSAECONNRESET (disputed)" */
    snprintf(claim, sizeof claim, "%s%s", message && strcmp(ev->expected, "0") == 0 ? "error " : "", ev->expected);
    if (ev->other[0])
        snprintf(claim + strlen(claim), sizeof claim - strlen(claim), " or %s%s",
                 message && strcmp(ev->other, "0") == 0 ? "error " : "", ev->other);
    if (ev->evidence != EVIDENCE_NONE && ev->verdict != VERDICT_ENVIRONMENT) /* how we know what Windows does */
        snprintf(claim + strlen(claim), sizeof claim - strlen(claim), " (%s)", evidence_name(ev->evidence));
    switch (ev->verdict) {
    case VERDICT_SHOWN:
        snprintf(buf, size, "check %s: observed %s%s (what Windows does here is not checked)", name, op, ev->observed);
        break;
    case VERDICT_OK:
        snprintf(buf, size, "check %s: Windows %s, observed %s%s: ok", name, claim, op, ev->observed);
        break;
    case VERDICT_KNOWN:
        snprintf(buf, size, "check %s: Windows %s, observed %s%s: KNOWN DIFFERENCE of this platform: %s", name, claim, op,
                 ev->observed, ev->why ? ev->why : "");
        break;
    case VERDICT_DISPUTED: /* neither a pass nor a failure: what happened, beside both claims */
        snprintf(buf, size, "check %s: Windows %s, observed %s%s: not judged (the sources disagree on what Windows does)",
                 name, claim, op, ev->observed);
        break;
    case VERDICT_UNOBSERVED: /* neither: only the other program could say */
        snprintf(buf, size, "check %s: Windows %s: not observable here: %s", name, claim, ev->observed);
        break;
    case VERDICT_INFERRED: /* neither: another program's line, which what this end saw settles */
        snprintf(buf, size, "check %s: Windows %s: %s here: %s", name, claim, ev->observed, ev->text);
        break;
    case VERDICT_MISMATCH:
    case VERDICT_ENVIRONMENT:
    default: {
        int env = ev->verdict == VERDICT_ENVIRONMENT;
        snprintf(buf, size, "check %s: %s %s, observed %s%s: %s%s%s", name, env ? "expected" : "Windows", claim, op,
                 ev->observed, env ? "FAILED (environment)" : "MISMATCH", ev->text[0] ? ": " : "", ev->text);
        break;
    }
    }
}

void group_event_text(const Event *ev, char *buf, size_t size)
{
    char name[EVENT_NAME_MAX], e[64];
    event_name(ev, name, sizeof name);
    switch (ev->kind) {
    case EV_CALL:
        call_text(ev, name, buf, size);
        break;
    case EV_MESSAGE:
        if (ev->error)
            wsaerr_format(ev->error, e, sizeof e);
        snprintf(buf, size, "%s, error %s%s", name, ev->error ? e : "0",
                 ev->stale ? " (stale: socket already closed, dropped)" : "");
        break;
    case EV_STATE: {
        /* a sample after a step shows both ends: "after (4)", not "the client's step 4" */
        char note[EVENT_TEXT_MAX];
        event_state_note(ev, note, sizeof note);
        snprintf(buf, size, "TCP table%s%s%s: %s%s%s", ev->step[0] ? " after (" : "", ev->step, ev->step[0] ? ")" : "",
                 tcp_state_label(ev->tcp_state), note[0] ? " " : "", note);
        break;
    }
    case EV_CHECK:
        check_text(ev, name, buf, size);
        break;
    case EV_STEP:
        if (ev->inferred) /* another program's: what this end saw says it happened, and why */
            snprintf(buf, size, "~~ (%s) %s, inferred: %s", ev->step, name, ev->text);
        else
            snprintf(buf, size, "== (%s) %s%s%s", ev->step, name, ev->explain ? ": " : "", ev->explain ? ev->explain : "");
        break;
    case EV_NOTE:
        /* "listening on ...", "skipped line 5 ...", "handshake: the other end is ...", "capture: ..."
         * (a capture's pairings say their own sentence) */
        if (ev->what >= EW_WIRE_SEEN && ev->what <= EW_WIRE_UNINFERRED)
            snprintf(buf, size, "%s", ev->text);
        else
            snprintf(buf, size, "%s%s%s", name,
                     !ev->text[0] ? "" : ev->what == EW_HANDSHAKE || ev->what == EW_CAPTURE ? ": " : " ", ev->text);
        break;
    case EV_WIRE:
        if (ev->what == EW_SEGMENT)
            group_segment_text(ev, buf, size);
        else
            snprintf(buf, size, "%s to the %s (inferred)", name, side_name((Side)!ev->side));
        break;
    case EV_SHOWED:
        group_showed_text(ev, NULL, buf, size);
        break;
    }
}

void group_segment_text(const Event *ev, char *buf, size_t size)
{
    char flags[48], ack[32] = "", len[40] = "", win[64];
    const WireFacts *w = &ev->wire;
    segment_flags(w->flags, flags, sizeof flags);
    if (w->flags & TCPF_ACK)
        snprintf(ack, sizeof ack, " ack %lu", (unsigned long)w->ack);
    if (w->len)
        snprintf(len, sizeof len, ", %s byte%s", format_thousands(w->len, win, sizeof win), w->len == 1 ? "" : "s");
    if (w->scaled || (w->flags & TCPF_SYN))
        format_thousands(w->window, win, sizeof win);
    else
        snprintf(win, sizeof win, "%u (unscaled: the SYNs were not captured)", (unsigned)w->win);
    snprintf(buf, size, "on the wire: %s to the %s, seq %lu%s%s, window %s (captured%s)", flags,
             side_name((Side)!ev->side), (unsigned long)w->seq, ack, len, win,
             w->relative ? "" : "; seq and ack absolute");
}

void group_showed_text(const Event *ev, const Scenario *sc, char *buf, size_t size)
{
    int n = snprintf(buf, size, "-> (%s) this run: ", ev->step);
    if (n < 0 || (size_t)n >= size)
        return;
    facts_sentence(&ev->facts, buf + n, size - (size_t)n);
    n += (int)strlen(buf + n);
    if (sc && (size_t)n + 1 < size) {
        buf[n] = ' ';
        if (!facts_said(sc, &ev->facts, buf + n + 1, size - (size_t)n - 1))
            buf[n] = '\0';
    }
}

/* ---- lines ------------------------------------------------------------------------ */

/* 1 FD_READ with its recv calls, 2 FD_WRITE with its sends; 0 not a burst's. */
static int burst_family(EventWhat w)
{
    return w == EW_FD_READ || w == EW_RECV ? 1 : w == EW_FD_WRITE || w == EW_SEND ? 2 : 0;
}

static int event_bad(const Event *ev)
{
    if (ev->kind == EV_CHECK)
        return ev->verdict == VERDICT_KNOWN ? 1 : ev->verdict == VERDICT_DISPUTED ? 3 : ev->verdict == VERDICT_UNOBSERVED ? 4
               : ev->verdict == VERDICT_INFERRED ? 5 : verdict_ok(ev->verdict) ? 0 : 2;
    if (ev->kind == EV_STEP && ev->inferred)
        return 5;
    return (ev->kind == EV_CALL || ev->kind == EV_MESSAGE) && ev->error && ev->error != WSAEWOULDBLOCK_;
}

static void event_line(const Event *ev, GroupLine *l)
{
    memset(l, 0, offsetof(GroupLine, text));
    l->t0 = l->t1 = ev->t_us;
    l->side = ev->side;
    l->kind = ev->kind;
    EVENT_SET(l->step, ev->kind == EV_STATE ? "" : ev->step); /* a sample's step is in its words */
    l->bad = event_bad(ev);
    l->count = 1;
    l->ev = ev;
    group_event_text(ev, l->text, sizeof l->text);
}

static void burst_line(const Burst *b, Side side, GroupLine *l)
{
    char n[32], err[64], name[EVENT_NAME_MAX];
    size_t len = 0;
    if (b->events == 1) {
        event_line(&b->first, l);
        l->ev = NULL; /* the burst's copy: it is not the caller's event */
        return;
    }
    memset(l, 0, offsetof(GroupLine, text));
    l->t0 = b->t_first;
    l->t1 = b->t_last;
    l->side = side;
    l->kind = b->first.kind;
    EVENT_SET(l->step, b->step);
    l->count = b->events > INT32_MAX ? INT32_MAX : (int)b->events;
    l->text[0] = '\0';
    for (int i = 0; i < b->n; i++) {
        if (b->e[i].error && b->e[i].error != WSAEWOULDBLOCK_)
            l->bad = 1;
        err[0] = '\0';
        if (b->e[i].error)
            wsaerr_format(b->e[i].error, err, sizeof err);
        event_what_name(b->e[i].what, NULL, name, sizeof name);
        len += (size_t)snprintf(l->text + len, sizeof l->text - len, "%s%s x%s%s%s%s", i ? ", " : "", name,
                                format_thousands(b->e[i].count, n, sizeof n), err[0] ? " " : "", err,
                                b->e[i].stale ? " (stale: socket already closed, dropped)" : "");
        if (len >= sizeof l->text)
            len = sizeof l->text - 1;
    }
    if (b->bytes > 0)
        snprintf(l->text + len, sizeof l->text - len, ", %s bytes", format_thousands(b->bytes, n, sizeof n));
}

void grouper_init(Grouper *g, GroupOut out, void *ctx)
{
    memset(g, 0, sizeof *g);
    g->out = out;
    g->ctx = ctx;
}

void grouper_set_scenario(Grouper *g, const Scenario *sc)
{
    g->sc = sc;
}

/* Closes the end's burst; keep_lane: the line that closes it is not on the end's lane
 * (the other end's, or a step, check, note or sample), so its lane run may go on. */
static void close_burst(Grouper *g, Side side, int keep_lane)
{
    Burst *b = &g->burst[side];
    GroupLine l;
    if (!keep_lane)
        g->lane[side].open = 0; /* the end's own call or message (or a new step or kind) */
    if (!b->open)
        return;
    b->open = 0;
    if (keep_lane) {
        g->lane[side].open = 1;
        g->lane[side].lane = b->lane;
        g->lane[side].family = b->family;
        EVENT_SET(g->lane[side].step, b->step);
    }
    burst_line(b, side, &l);
    g->out(g->ctx, &l);
}

/* Ends the end's run of captured data segments: its line. */
static void close_segments(Grouper *g, Side side)
{
    GroupLine l;
    char n[32], b[32];
    if (!g->segs[side].open)
        return;
    g->segs[side].open = 0;
    event_line(&g->segs[side].first, &l);
    l.ev = NULL; /* the run's copy */
    if (g->segs[side].count > 1) {
        l.t1 = g->segs[side].t1;
        l.count = g->segs[side].count > INT32_MAX ? INT32_MAX : (int)g->segs[side].count;
        snprintf(l.text, sizeof l.text, "on the wire: data x%s to the %s, seq %lu-%lu, %s bytes (captured%s)",
                 format_thousands(g->segs[side].count, n, sizeof n), side_name((Side)!side),
                 (unsigned long)g->segs[side].seq, (unsigned long)g->segs[side].end - 1,
                 format_thousands(g->segs[side].bytes, b, sizeof b),
                 g->segs[side].relative ? "" : "; seq absolute");
    }
    g->out(g->ctx, &l);
}

/* A captured segment: a pure ACK has no line, a data segment joins its end's run, a SYN,
 * FIN or RST is a line of its own (after the run it ends). */
static GroupFate segment_event(Grouper *g, const Event *ev)
{
    GroupLine l;
    const WireFacts *w = &ev->wire;
    Side side = ev->side;
    if (w->flags == TCPF_ACK && !w->len)
        return GROUP_HIDDEN;
    if (g->segs[!side].open && g->segs[!side].t1 <= ev->t_us)
        close_segments(g, (Side)!side); /* the other end's run is over by now: lines keep near their times */
    if (!(w->flags & (TCPF_SYN | TCPF_FIN | TCPF_RST)) && w->len > 0) {
        if (g->segs[side].open && w->seq != g->segs[side].end)
            close_segments(g, side); /* not the next bytes (a retransmission): a new line */
        if (!g->segs[side].open) {
            memset(&g->segs[side], 0, sizeof g->segs[side]);
            g->segs[side].open = 1;
            g->segs[side].first = *ev;
            g->segs[side].t0 = ev->t_us;
            g->segs[side].seq = w->seq;
            g->segs[side].relative = w->relative;
        }
        g->segs[side].t1 = ev->t_us;
        g->segs[side].end = w->seq + w->len;
        g->segs[side].count = add_sat(g->segs[side].count, 1);
        g->segs[side].bytes = add_sat(g->segs[side].bytes, w->len);
        return GROUP_HIDDEN;
    }
    close_segments(g, side);
    event_line(ev, &l);
    g->out(g->ctx, &l);
    return GROUP_LINE;
}

void grouper_flush(Grouper *g)
{
    close_burst(g, SIDE_CLIENT, 0);
    close_burst(g, SIDE_SERVER, 0);
    close_segments(g, SIDE_CLIENT);
    close_segments(g, SIDE_SERVER);
}

static void open_burst(Grouper *g, const Event *ev, int family)
{
    Burst *b = &g->burst[ev->side];
    memset(b, 0, sizeof *b);
    b->open = 1;
    b->id = ++g->next_id;
    b->family = family;
    EVENT_SET(b->step, ev->step);
    b->t_first = b->t_last = ev->t_us;
    b->first = *ev;
    if (g->lane[ev->side].open && g->lane[ev->side].family == family && strcmp(g->lane[ev->side].step, ev->step) == 0)
        b->lane = g->lane[ev->side].lane; /* the other end's lines split it: the lane goes on */
    else
        b->lane = b->id;
    g->lane[ev->side].open = 0;
}

/* Whether ev joins its end's burst (or opens one); *entry gets its entry. */
static int join_burst(Grouper *g, const Event *ev, int *entry)
{
    Burst *b = &g->burst[ev->side];
    int family = burst_family(ev->what), i;
    if ((ev->kind != EV_MESSAGE && ev->kind != EV_CALL) || !family)
        return 0;
    if (b->open && (strcmp(b->step, ev->step) != 0 || b->family != family))
        close_burst(g, ev->side, 0);
    if (b->open) {
        for (i = 0; i < b->n && !(b->e[i].what == ev->what && b->e[i].error == ev->error && b->e[i].stale == ev->stale);
             i++)
            ;
        if (i == b->n && b->n == BURST_ENTRIES)
            close_burst(g, ev->side, 0); /* a fourth kind of event: a new line */
    }
    if (!b->open)
        open_burst(g, ev, family);
    for (i = 0; i < b->n && !(b->e[i].what == ev->what && b->e[i].error == ev->error && b->e[i].stale == ev->stale);
         i++)
        ;
    if (i == b->n) {
        b->n++;
        memset(&b->e[i], 0, sizeof b->e[i]);
        b->e[i].what = ev->what;
        b->e[i].error = ev->error;
        b->e[i].stale = ev->stale; /* late messages of a closed socket: counted apart, said so */
    }
    b->e[i].count = add_sat(b->e[i].count, 1);
    b->events = add_sat(b->events, 1);
    if (ev->bytes > 0) {
        b->e[i].bytes = add_sat(b->e[i].bytes, ev->bytes);
        b->bytes = add_sat(b->bytes, ev->bytes);
    }
    if (ev->kind == EV_CALL && ev->has_result)
        b->e[i].last_result = ev->result;
    if (ev->t_us > b->t_last)
        b->t_last = ev->t_us;
    *entry = i;
    return 1;
}

GroupFate grouper_event(Grouper *g, const Event *ev, GroupRef *ref)
{
    GroupLine l;
    int entry;
    if (join_burst(g, ev, &entry)) {
        if (ref) {
            ref->burst = g->burst[ev->side].id;
            ref->lane = g->burst[ev->side].lane;
            ref->entry = entry;
        }
        return GROUP_BURST;
    }
    if (ev->kind == EV_WIRE && ev->what == EW_SEGMENT)
        return segment_event(g, ev);
    if (ev->kind == EV_WIRE) /* an inferred arrow: the ladder draws it, jsonl has it; no line */
        return GROUP_HIDDEN;
    if (ev->kind == EV_NOTE && ev->what == EW_WIRE_SEEN && ev->wire.guess == EW_WIRE_DATA)
        return GROUP_HIDDEN; /* data found where it was sent: jsonl says so; the line shows the segments */
    if (ev->kind == EV_STATE) {
        /* the same state as this end's last sample: jsonl has it, a reader needs it once */
        if (g->shown_state[ev->side] == ev->tcp_state)
            return GROUP_HIDDEN;
        g->shown_state[ev->side] = ev->tcp_state;
    }
    /* the line closes both ends' bursts, the earlier first; only the end's own call or
     * message ends its lane run (steps, checks, notes and samples are not on its lane) */
    {
        Side own = ev->side, other = (Side)!ev->side;
        int own_lane = ev->kind != EV_CALL && ev->kind != EV_MESSAGE;
        if (g->burst[other].open && (!g->burst[own].open || g->burst[other].t_first < g->burst[own].t_first)) {
            close_burst(g, other, 1);
            close_burst(g, own, own_lane);
        } else {
            close_burst(g, own, own_lane);
            close_burst(g, other, 1);
        }
    }
    event_line(ev, &l);
    if (ev->kind == EV_SHOWED) /* with the scenario's own sentences for what the step showed */
        group_showed_text(ev, g->sc, l.text, sizeof l.text);
    g->out(g->ctx, &l);
    return GROUP_LINE;
}

int grouper_peek(const Grouper *g, Side side, GroupLine *line)
{
    if (!g->burst[side].open)
        return 0;
    burst_line(&g->burst[side], side, line);
    return 1;
}

const BurstEntry *grouper_entry(const Grouper *g, Side side, const GroupRef *ref)
{
    const Burst *b = &g->burst[side];
    return b->open && b->id == ref->burst && ref->entry >= 0 && ref->entry < b->n ? &b->e[ref->entry] : NULL;
}
