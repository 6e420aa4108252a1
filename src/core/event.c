/* event.c: the vocabulary's one renderer (event.h): every name a transcript, a log line,
 * a table row or a ladder item shows is made here from an EventWhat and its arguments. */
#include "event.h"

#include <stdio.h>
#include <string.h>

const char *side_name(Side s)
{
    return s == SIDE_CLIENT ? "client" : s == SIDE_SERVER ? "server" : "?";
}

Side side_from_name(const char *s)
{
    return !strcmp(s, "client") ? SIDE_CLIENT : !strcmp(s, "server") ? SIDE_SERVER : SIDE_COUNT;
}

const char *event_kind_name(EventKind k)
{
    static const char *const names[] = {"call", "message", "state", "check", "step", "note", "wire", "showed"};
    return (unsigned)k < sizeof names / sizeof names[0] ? names[k] : "?";
}

void event_set(char *field, size_t size, const char *src)
{
    size_t n = src ? strlen(src) : 0;
    if (!size)
        return;
    if (n >= size)
        n = size - 1;
    if (n)
        memcpy(field, src, n);
    field[n] = '\0';
}

void event_init(Event *ev, EventKind kind, Side side, EventWhat what)
{
    memset(ev, 0, sizeof *ev);
    ev->kind = kind;
    ev->side = side;
    ev->what = what;
    ev->op = -1;
    ev->duration_us = -1;
    ev->bytes = -1;
}

/* The names that need no argument, by EventWhat; NULL where the name is made below. */
static const char *const plain_names[EW_COUNT] = {
    [EW_NONE] = "",
    [EW_SOCKET] = "socket",
    [EW_GETSOCKNAME] = "getsockname",
    [EW_LISTEN] = "listen",
    [EW_CONNECT] = "connect",
    [EW_ACCEPT] = "accept",
    [EW_ASYNCSELECT] = "WSAAsyncSelect",
    [EW_SEND] = "send",
    [EW_RECV] = "recv",
    [EW_SENDDISCONNECT] = "WSASendDisconnect",
    [EW_DONTLINGER] = "setsockopt(SO_DONTLINGER)",
    [EW_CLOSESOCKET] = "closesocket",
    [EW_CLOSE_LISTENER] = "closesocket(listener)",
    [EW_FD_READ] = "FD_READ",
    [EW_FD_WRITE] = "FD_WRITE",
    [EW_FD_OOB] = "FD_OOB",
    [EW_FD_ACCEPT] = "FD_ACCEPT",
    [EW_FD_CONNECT] = "FD_CONNECT",
    [EW_FD_CLOSE] = "FD_CLOSE",
    [EW_FD_UNKNOWN] = "FD_?",
    [EW_SEND_FILL] = "send until WSAEWOULDBLOCK",
    [EW_TCP_READ] = "TCP table",
    [EW_TCP_STATE] = "tcp",
    [EW_LISTENING] = "listening",
    [EW_SKIPPED] = "skipped",
    [EW_CLOSE_ON_WORKER] = "closesocket",
    [EW_TEARDOWN] = "teardown",
    [EW_TABLE_UNREADABLE] = "TCP table",
    [EW_STORM] = "benchmark",
    [EW_HANDSHAKE] = "handshake",
    [EW_CONNECTION] = "connection",
    [EW_CAPTURE] = "capture",
    [EW_WIRE_SEEN] = "on the wire",
    [EW_WIRE_NOT_SEEN] = "not on the wire",
    [EW_WIRE_UNINFERRED] = "not inferred",
    [EW_WIRE_DATA] = "data",
    [EW_WIRE_FIN] = "FIN",
    [EW_WIRE_RST] = "RST",
    [EW_SEGMENT] = "segment",
    [EW_SHOWED] = "this run",
    [EW_ORDER] = "order",
    [EW_BYTES_LOST] = "bytes lost",
    [EW_LEFT_OPEN] = "sockets left open",
    [EW_CONTENT] = "content",
    [EW_RUN] = "run",
};

void event_what_name(EventWhat what, const EventArgs *args, char *buf, size_t size)
{
    static const EventArgs none;
    const EventArgs *a = args ? args : &none;
    if (!size)
        return;
    switch (what) {
    case EW_BIND:
        snprintf(buf, size, "bind(%u.%u.%u.%u:%u)", (unsigned)(a->addr >> 24), (unsigned)(a->addr >> 16 & 255),
                 (unsigned)(a->addr >> 8 & 255), (unsigned)(a->addr & 255), (unsigned)a->port);
        return;
    case EW_SHUTDOWN:
        snprintf(buf, size, "shutdown(%s)", shutdown_how_name(a->how));
        return;
    case EW_LINGER:
        snprintf(buf, size, "setsockopt(SO_LINGER {1,%d})", a->linger_s);
        return;
    case EW_SEND_BYTES:
        snprintf(buf, size, "send %lld bytes", (long long)a->amount);
        return;
    case EW_SNDBUF:
    case EW_RCVBUF:
        snprintf(buf, size, "setsockopt(SO_%s, %lld)", what == EW_SNDBUF ? "SNDBUF" : "RCVBUF", (long long)a->amount);
        return;
    case EW_READING:
        snprintf(buf, size, "FD_READ handler %s", a->on ? "reads" : "does not read");
        return;
    case EW_QUIET:
        snprintf(buf, size, "watch %d ms", (int)a->amount);
        return;
    default:
        snprintf(buf, size, "%s", (unsigned)what < EW_COUNT && plain_names[what] ? plain_names[what] : "?");
        return;
    }
}

void event_name(const Event *ev, char *buf, size_t size)
{
    event_what_name(ev->what, &ev->args, buf, size);
}

EventWhat event_what_from_name(const char *s, size_t len)
{
    /* FD_ACCEPT and FD_CONNECT are not here: they are the set-up's, before any script runs */
    static const EventWhat expectable[] = {EW_FD_READ, EW_FD_WRITE, EW_FD_CLOSE, EW_RECV, EW_SEND};
    for (size_t i = 0; i < sizeof expectable / sizeof expectable[0]; i++) {
        const char *n = plain_names[expectable[i]];
        if (strlen(n) == len && memcmp(n, s, len) == 0)
            return expectable[i];
    }
    return EW_NONE;
}

int event_kind_from_name(const char *s)
{
    for (int k = EV_CALL; k <= EV_SHOWED; k++)
        if (!strcmp(s, event_kind_name((EventKind)k)))
            return k;
    return -1;
}

/* Whether an event of this kind can be about what. */
static int kind_fits(EventKind kind, EventWhat w)
{
    switch (kind) {
    case EV_CALL: return w >= EW_SOCKET && w <= EW_CLOSE_LISTENER;
    case EV_MESSAGE: return event_what_is_message(w);
    case EV_STATE: return w == EW_TCP_STATE;
    case EV_NOTE: return w >= EW_LISTENING && w <= EW_WIRE_UNINFERRED;
    case EV_WIRE: return w >= EW_WIRE_DATA && w <= EW_SEGMENT;
    case EV_SHOWED: return w == EW_SHOWED;
    case EV_STEP: return (w >= EW_SOCKET && w <= EW_TCP_READ);
    case EV_CHECK: return (w >= EW_SOCKET && w <= EW_TCP_READ) || w >= EW_ORDER;
    }
    return 0;
}

/* After the literal word at p, or NULL (p NULL too). */
static const char *word(const char *p, const char *w)
{
    size_t n = strlen(w);
    return p && strncmp(p, w, n) == 0 ? p + n : NULL;
}

/* After the decimal number at p (digits only, at most max) stored in *v, or NULL. No sscanf:
 * it would link MinGW's C99 scanf and strtold into both programs (about 30 KB). The
 * caller renders the name again and compares, so leading zeros and the like are refused. */
static const char *number(const char *p, long long max, long long *v)
{
    if (!p || *p < '0' || *p > '9')
        return NULL;
    for (*v = 0; *p >= '0' && *p <= '9'; p++) {
        if (*v > (max - (*p - '0')) / 10)
            return NULL; /* beyond max, checked before it could overflow */
        *v = *v * 10 + (*p - '0');
    }
    return p;
}

/* The arguments of a name that has some: 1 parsed, 0 not this what. */
static int parse_args(EventWhat w, const char *n, EventArgs *a)
{
    long long b[4], v;
    const char *p;
    switch (w) {
    case EW_BIND:
        p = word(n, "bind(");
        for (int i = 0; i < 4; i++)
            p = word(number(p, 255, &b[i]), i < 3 ? "." : ":");
        if (!(p = word(number(p, 65535, &v), ")")) || *p)
            return 0;
        a->addr = (uint32_t)(b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]);
        a->port = (uint16_t)v;
        return 1;
    case EW_SHUTDOWN:
        a->how = !strcmp(n, "shutdown(SD_RECEIVE)") ? 0 : !strcmp(n, "shutdown(SD_SEND)") ? 1
                 : !strcmp(n, "shutdown(SD_BOTH)") ? 2 : -1;
        return a->how >= 0;
    case EW_LINGER:
        if (!(p = word(number(word(n, "setsockopt(SO_LINGER {1,"), 65535, &v), "})")) || *p)
            return 0;
        a->linger_s = (int)v;
        return 1;
    case EW_SEND_BYTES:
        if (!(p = word(number(word(n, "send "), 999999999999999999LL, &v), " bytes")) || *p)
            return 0;
        a->amount = v;
        return 1;
    case EW_SNDBUF:
    case EW_RCVBUF:
        if (!(p = word(number(word(n, w == EW_SNDBUF ? "setsockopt(SO_SNDBUF, " : "setsockopt(SO_RCVBUF, "), 2147483647,
                              &v), ")")) || *p)
            return 0;
        a->amount = v;
        return 1;
    case EW_QUIET:
        if (!(p = word(number(word(n, "watch "), 2147483647, &v), " ms")) || *p)
            return 0;
        a->amount = v;
        return 1;
    case EW_READING:
        a->on = !strcmp(n, "FD_READ handler reads");
        return a->on || !strcmp(n, "FD_READ handler does not read");
    default:
        return 0;
    }
}

int event_parse_name(EventKind kind, const char *name, EventWhat *what, EventArgs *args)
{
    for (int w = EW_NONE + 1; w < EW_COUNT; w++) {
        char again[EVENT_NAME_MAX];
        if (!kind_fits(kind, (EventWhat)w))
            continue;
        memset(args, 0, sizeof *args);
        if (plain_names[w] ? strcmp(plain_names[w], name) != 0 : !parse_args((EventWhat)w, name, args))
            continue;
        event_what_name((EventWhat)w, args, again, sizeof again);
        if (strcmp(again, name) == 0) { /* the name is exactly what the renderer makes */
            *what = (EventWhat)w;
            return 0;
        }
    }
    return -1;
}

const char *shutdown_how_name(int64_t how)
{
    return how == 0 ? "SD_RECEIVE" : how == 1 ? "SD_SEND" : how == 2 ? "SD_BOTH" : "SD_?";
}

static const char *const tcp_states[] = {"?", "CLOSED", "LISTEN", "SYN_SENT", "SYN_RCVD", "ESTABLISHED",
                                         "FIN_WAIT_1", "FIN_WAIT_2", "CLOSE_WAIT", "CLOSING", "LAST_ACK",
                                         "TIME_WAIT", "DELETE_TCB"};
#define TCP_STATE_COUNT ((int)(sizeof tcp_states / sizeof tcp_states[0]))

const char *tcp_state_label(int64_t state)
{
    return state > 0 && state < TCP_STATE_COUNT ? tcp_states[state] : "?";
}

int tcp_state_from_name(const char *s, size_t len)
{
    for (int i = 1; i < TCP_STATE_COUNT; i++)
        if (strlen(tcp_states[i]) == len && memcmp(tcp_states[i], s, len) == 0)
            return i;
    return 0;
}

void event_state_note(const Event *ev, char *buf, size_t size)
{
    const char *when = ev->when == SAMPLE_FIRST ? "before the first step" : ev->when == SAMPLE_END ? "at the end of the run" : "";
    int closed = ev->tcp_state == TCP_STATE_CLOSED;
    snprintf(buf, size, "%s%s%s", closed ? "(no row in the table)" : "", closed && when[0] ? " " : "", when);
}

int event_what_is_message(EventWhat what)
{
    return what >= EW_FD_READ && what <= EW_FD_UNKNOWN;
}

EventWhat event_what_call(EventWhat what)
{
    return what == EW_SEND_BYTES || what == EW_SEND_FILL ? EW_SEND : what;
}

int verdict_ok(Verdict v)
{
    return v == VERDICT_OK || v == VERDICT_SHOWN;
}

int verdict_acceptable(Verdict v)
{
    return verdict_ok(v) || v == VERDICT_KNOWN || v == VERDICT_DISPUTED || v == VERDICT_UNOBSERVED ||
           v == VERDICT_INFERRED;
}

const char *verdict_name(Verdict v)
{
    static const char *const names[] = {"ok", "shown", "known_difference", "mismatch", "environment", "disputed",
                                          "not_observable", "inferred"};
    return (unsigned)v < sizeof names / sizeof names[0] ? names[v] : "?";
}

static const char *const evidence_names[] = {"", "tested", "documented", "disputed", "inferred"};

const char *evidence_name(Evidence e)
{
    return (unsigned)e < sizeof evidence_names / sizeof evidence_names[0] ? evidence_names[e] : "?";
}

Evidence evidence_from_name(const char *s, size_t len)
{
    for (int i = EVIDENCE_TESTED; i <= EVIDENCE_INFERRED; i++)
        if (strlen(evidence_names[i]) == len && memcmp(evidence_names[i], s, len) == 0)
            return (Evidence)i;
    return EVIDENCE_NONE;
}
