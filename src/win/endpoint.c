/* endpoint.c: one end's Winsock calls and FD_* handlers (endpoint.h). Every call's result
 * is checked and reported; a call that can block (closesocket under SO_LINGER {1,N},
 * which blocks under Wine 8: reference/README.md fact 2) runs on a worker thread so the
 * thread that pumps this end's messages never blocks. */
#include "endpoint.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "hello.h"
#include "messages.h"
#include "pattern.h"
#include "platform.h"
#include "wsaerr.h"

#define SEND_CHUNK ENDPOINT_BUF
#define SEND_FILL_MAX (64 * 1024 * 1024) /* a bound on `send fill`, whatever the buffers */

/* A lingering close on its worker. It holds no pointer to the endpoint: if the run was
 * reset meanwhile, the completion finds no endpoint waiting for it and is dropped. */
typedef struct CloseJob {
    HWND hwnd;
    Side side;
    UINT gen;
    SOCKET s;
    int64_t t0; /* the transcript's clock origin */
    int64_t t_start;
    int64_t t_end;
    int result;
    int error;
} CloseJob;

static Transcript *tr(Endpoint *ep) { return ep->env.t; }

/* Reports a call made at t_start: labelled and checked by the runner, then emitted. */
static void observe_call(Endpoint *ep, EventWhat what, int64_t t_start, int result, int error, Outcome *o)
{
    Event ev;
    Outcome local;
    if (!o)
        o = &local;
    event_init(&ev, EV_CALL, ep->side, what);
    ev.t_us = t_start;
    ev.has_result = 1;
    ev.result = result;
    ev.error = result == SOCKET_ERROR ? error : 0;
    if (result > 0 && (what == EW_SEND || what == EW_RECV))
        ev.bytes = result;
    if (what == EW_BIND) {
        ev.args.addr = ep->bind_addr; /* loopback unless the user named another address */
        ev.args.port = ep->bind_port;
    }
    memset(o, 0, sizeof *o); /* every field: an Outcome may be kept and checked later */
    o->failed = result == SOCKET_ERROR;
    o->value = result;
    o->error = ev.error;
    runner_observe(&ep->runner, &ev, o);
}

static void note(Endpoint *ep, EventWhat what, const char *text)
{
    Event ev;
    event_init(&ev, EV_NOTE, ep->side, what);
    ev.t_us = transcript_now(tr(ep));
    EVENT_SET(ev.text, text);
    transcript_emit(tr(ep), &ev);
}

/* The tool's own listener when no connection came (or the end gave up on it): closing it
 * is set-up work, said only if it fails. */
static void drop_listener(Endpoint *ep)
{
    char text[96];
    if (ep->listener == INVALID_SOCKET)
        return;
    if (closesocket(ep->listener) == SOCKET_ERROR) {
        snprintf(text, sizeof text, "closesocket(listener) failed: %d", WSAGetLastError());
        note(ep, EW_TEARDOWN, text);
    }
    ep->listener = INVALID_SOCKET;
}

static void host_arm(void *ctx, int64_t ms);

/* A failure of the set-up (before the script): the environment failed. */
static void setup_failed(Endpoint *ep, EventWhat what, int error)
{
    Event ev;
    char e[64];
    event_init(&ev, EV_CHECK, ep->side, what);
    if (what == EW_BIND) {
        ev.args.addr = ep->bind_addr;
        ev.args.port = ep->bind_port;
    }
    ev.t_us = transcript_now(tr(ep));
    snprintf(ev.expected, sizeof ev.expected, "ok");
    snprintf(ev.observed, sizeof ev.observed, "%s", wsaerr_format(error, e, sizeof e));
    ev.verdict = VERDICT_ENVIRONMENT;
    transcript_emit(tr(ep), &ev);
    runner_abandon(&ep->runner);
    host_arm(ep, -1); /* no watchdog of a set-up that is over */
    ep->owner.setup_failed(ep->owner.ctx, ep->side);
}

/* setsockopt(SO_SNDBUF or SO_RCVBUF): a run on small or large buffers (--sndbuf, --rcvbuf),
 * where a send does or does not have to wait. Returns 0, or SOCKET_ERROR with *error. */
static int set_buffer(Endpoint *ep, SOCKET s, EventWhat what, int bytes, int *error)
{
    Event ev;
    Outcome o;
    int64_t t = transcript_now(tr(ep));
    int r = setsockopt(s, SOL_SOCKET, what == EW_SNDBUF ? SO_SNDBUF : SO_RCVBUF, (const char *)&bytes, sizeof bytes);
    *error = r ? WSAGetLastError() : 0;
    event_init(&ev, EV_CALL, ep->side, what);
    ev.args.amount = bytes;
    ev.t_us = t;
    ev.has_result = 1;
    ev.result = r;
    ev.error = *error;
    memset(&o, 0, sizeof o);
    o.failed = r != 0;
    o.value = r;
    o.error = *error;
    runner_observe(&ep->runner, &ev, &o);
    return r;
}

/* socket(), and the buffers the run asked for; INVALID_SOCKET with *error and *failed (the
 * call that failed) when one fails. */
static SOCKET make_socket(Endpoint *ep, int *error, EventWhat *failed)
{
    int64_t t = transcript_now(tr(ep));
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    *error = s == INVALID_SOCKET ? WSAGetLastError() : 0;
    *failed = EW_SOCKET;
    observe_call(ep, EW_SOCKET, t, s == INVALID_SOCKET ? SOCKET_ERROR : 0, *error, NULL);
    if (s == INVALID_SOCKET)
        return s;
    if ((ep->env.sndbuf && set_buffer(ep, s, *failed = EW_SNDBUF, ep->env.sndbuf, error)) ||
        (ep->env.rcvbuf && set_buffer(ep, s, *failed = EW_RCVBUF, ep->env.rcvbuf, error))) {
        closesocket(s); /* the run was asked for these buffers: without them it is another run */
        return INVALID_SOCKET;
    }
    return s;
}

static int close_now(Endpoint *ep, SOCKET s, EventWhat what, Outcome *o)
{
    int64_t t = transcript_now(tr(ep));
    int r = closesocket(s);
    int e = r == SOCKET_ERROR ? WSAGetLastError() : 0;
    observe_call(ep, what, t, r, e, o);
    return r;
}

static int select_events(Endpoint *ep, SOCKET s, long events)
{
    int64_t t = transcript_now(tr(ep));
    int r = WSAAsyncSelect(s, ep->env.hwnd, ep->env.socket_msg, events);
    int e = r == SOCKET_ERROR ? WSAGetLastError() : 0;
    observe_call(ep, EW_ASYNCSELECT, t, r, e, NULL);
    if (r == SOCKET_ERROR)
        setup_failed(ep, EW_ASYNCSELECT, e);
    return r;
}

/* ---- the runner's host ------------------------------------------------------------- */

static ActResult host_act(void *ctx, const Op *op, Outcome *out);

/* The end's timer is a deadline checked on every message of the end as well as a
 * WM_TIMER: Windows (and Wine) make WM_TIMER only when no posted message waits, so an
 * FD_READ storm (reference/README.md, fact 3) would starve it and stretch a quiet period
 * or a watchdog for seconds. */
static void host_arm(void *ctx, int64_t ms)
{
    Endpoint *ep = ctx;
    UINT_PTR id = ep->env.timer;
    if (ms < 0) {
        ep->deadline_us = -1;
        KillTimer(ep->env.hwnd, id);
        return;
    }
    ep->deadline_us = transcript_now(tr(ep)) + ms * 1000;
    SetTimer(ep->env.hwnd, id, (UINT)(ms ? ms : 1), NULL);
}

/* The runner gave up on the call under way: its completion, if it comes, is dropped. A
 * lingering close's worker still owns the socket (closing stays set until it returns). */
static void host_overdue(void *ctx)
{
    Endpoint *ep = ctx;
    ep->pending = PEND_NONE;
}

static void host_stepped(void *ctx, const Op *op)
{
    Endpoint *ep = ctx;
    ep->owner.stepped(ep->owner.ctx, ep->side, op);
}

static int host_held(void *ctx)
{
    Endpoint *ep = ctx;
    return ep->owner.held(ep->owner.ctx, ep->side);
}

static void host_finished(void *ctx)
{
    Endpoint *ep = ctx;
    ep->owner.finished(ep->owner.ctx, ep->side);
}

static int host_socket_open(void *ctx)
{
    Endpoint *ep = ctx;
    return !ep->s_closed;
}

void endpoint_init(Endpoint *ep, Side side, const EndpointOwner *owner, const EndpointEnv *env)
{
    RunnerHost h = {.ctx = ep, .act = host_act, .arm = host_arm, .overdue = host_overdue, .stepped = host_stepped,
                    .held = host_held, .finished = host_finished, .socket_open = host_socket_open};
    SL_ASSERT(owner->connected && owner->stepped && owner->held && owner->finished && owner->setup_failed);
    SL_ASSERT(env->buf && env->timer);
    memset(ep, 0, sizeof *ep);
    ep->side = side;
    ep->owner = *owner;
    ep->env = *env;
    ep->s = INVALID_SOCKET;
    ep->listener = INVALID_SOCKET;
    ep->s_closed = 1;
    ep->reading = 1;
    ep->deadline_us = -1;
    runner_init(&ep->runner, env->t, side, &h);
    ep->attached = 1;
}

/* ---- set-up ------------------------------------------------------------------------- */


unsigned short endpoint_listen(Endpoint *ep, const struct sockaddr_in *addr)
{
    struct sockaddr_in a = *addr;
    int len = sizeof a, error, r;
    char text[64], at[32];
    int64_t t;
    EventWhat failed;
    SOCKET l = make_socket(ep, &error, &failed);
    if (l == INVALID_SOCKET) {
        setup_failed(ep, failed, error);
        return 0;
    }
    ep->listener = l;
    ep->bind_addr = ntohl(a.sin_addr.s_addr);
    ep->bind_port = ntohs(a.sin_port);
    t = transcript_now(tr(ep));
    r = bind(l, (struct sockaddr *)&a, sizeof a);
    error = r ? WSAGetLastError() : 0;
    observe_call(ep, EW_BIND, t, r, error, NULL);
    if (r) {
        setup_failed(ep, EW_BIND, error);
        return 0;
    }
    if (getsockname(l, (struct sockaddr *)&a, &len)) {
        setup_failed(ep, EW_GETSOCKNAME, WSAGetLastError());
        return 0;
    }
    if (select_events(ep, l, FD_ACCEPT | FD_CLOSE))
        return 0;
    t = transcript_now(tr(ep));
    r = listen(l, 1);
    error = r ? WSAGetLastError() : 0;
    observe_call(ep, EW_LISTEN, t, r, error, NULL);
    if (r) {
        setup_failed(ep, EW_LISTEN, error);
        return 0;
    }
    plat_addr_text(&a, at, sizeof at);
    snprintf(text, sizeof text, "on %s", at);
    note(ep, EW_LISTENING, text);
    if (ep->env.accept_ms > 0)
        host_arm(ep, ep->env.accept_ms); /* a client that never comes is said, not waited for */
    return ntohs(a.sin_port);
}

void endpoint_connect(Endpoint *ep, const struct sockaddr_in *addr)
{
    int error, r, e;
    int64_t t;
    EventWhat failed;
    SOCKET s = make_socket(ep, &error, &failed);
    if (s == INVALID_SOCKET) {
        setup_failed(ep, failed, error);
        return;
    }
    ep->s = s;
    ep->s_closed = 0;
    /* WSAAsyncSelect before connect: FD_CONNECT then FD_WRITE (oracle #11). */
    if (select_events(ep, s, FD_CONNECT | FD_READ | FD_WRITE | FD_CLOSE))
        return;
    t = transcript_now(tr(ep));
    r = connect(s, (const struct sockaddr *)addr, sizeof *addr);
    e = r ? WSAGetLastError() : 0;
    observe_call(ep, EW_CONNECT, t, r, e, NULL);
    if (r && e != WSAEWOULDBLOCK)
        setup_failed(ep, EW_CONNECT, e);
    else if (ep->env.accept_ms > 0)
        host_arm(ep, ep->env.accept_ms); /* a server that never answers is said, not waited for */
}

/* The connection is there: the owner learns both addresses, samples it, and the script
 * begins. */
static void start_script(Endpoint *ep)
{
    struct sockaddr_in me, peer;
    int len = sizeof me, plen = sizeof peer;
    ep->started = 1;
    memset(&me, 0, sizeof me);
    memset(&peer, 0, sizeof peer);
    if (getsockname(ep->s, (struct sockaddr *)&me, &len) != 0 || getpeername(ep->s, (struct sockaddr *)&peer, &plen) != 0)
        me.sin_family = peer.sin_family = 0; /* unknown: the TCP table will say nothing of it */
    ep->owner.connected(ep->owner.ctx, ep->side, &me, &peer);
    /* the first sample shows the established connection before any step */
    ep->owner.stepped(ep->owner.ctx, ep->side, NULL);
    runner_start(&ep->runner);
}

static void greet_start(Endpoint *ep);

static void begin_script(Endpoint *ep)
{
    if (ep->started || ep->greeting)
        return;
    host_arm(ep, -1); /* the connection came: its watchdog is over */
    if (ep->env.hello != HELLO_OFF)
        greet_start(ep);
    else
        start_script(ep);
}

/* The end gives up on its connection: nothing more of it is played (a client or a server
 * that never came, a peer that sent more than any scenario would). The verdict is said
 * (unless expected is NULL: a refused handshake says its own),
 * the connection reset, and the owner told. */
static void give_up_as(Endpoint *ep, int abortive, EventWhat what, Verdict v, const char *expected,
                       const char *observed, const char *text)
{
    Event ev;
    if (expected) {
        event_init(&ev, EV_CHECK, ep->side, what);
        ev.t_us = transcript_now(tr(ep));
        EVENT_SET(ev.expected, expected);
        EVENT_SET(ev.observed, observed);
        EVENT_SET(ev.text, text);
        ev.verdict = v;
        transcript_emit(tr(ep), &ev);
    }
    if (!ep->s_closed && !ep->closing) {
        struct linger lg = {1, 0}; /* abortive: nothing more of this connection is waited for */
        if (abortive)
            setsockopt(ep->s, SOL_SOCKET, SO_LINGER, (const char *)&lg, sizeof lg);
        else
            shutdown(ep->s, SD_SEND); /* graceful: what was sent (a refusal) arrives, then the FIN */
        closesocket(ep->s);
        ep->s_closed = 1;
    }
    ep->greeting = 0;
    ep->pending = PEND_NONE;
    runner_abandon(&ep->runner);
    host_arm(ep, -1); /* nothing more is waited for: its watchdog fires no second verdict */
    drop_listener(ep); /* and no late client is accepted into a run given up */
    ep->owner.setup_failed(ep->owner.ctx, ep->side);
}

static void give_up(Endpoint *ep, EventWhat what, Verdict v, const char *expected, const char *observed,
                    const char *text)
{
    give_up_as(ep, 1, what, v, expected, observed, text);
}

/* ---- the handshake (hello.h) -------------------------------------------------------- */

/* Bytes waiting to be read, without re-enabling FD_READ (only the recv family does). */
static u_long waiting(Endpoint *ep)
{
    u_long n = 0;
    return ioctlsocket(ep->s, FIONREAD, &n) == 0 ? n : 0;
}

/* A notification that came while greeting belongs to the script: kept (once per kind, with
 * the time it was taken from the queue) and replayed when the script begins. */
static void defer(Endpoint *ep, long event, int error, int64_t t_us)
{
    for (int i = 0; i < ep->ndeferred; i++)
        if (ep->deferred[i].event == event)
            return;
    if (ep->ndeferred < (int)(sizeof ep->deferred / sizeof ep->deferred[0])) {
        ep->deferred[ep->ndeferred].event = event;
        ep->deferred[ep->ndeferred].error = error;
        ep->deferred[ep->ndeferred++].t_us = t_us;
    }
}

static void on_socket(Endpoint *ep, SOCKET s, long event, int error, int64_t t_us);

static void greet_over(Endpoint *ep, PeerKind kind, const char *text)
{
    int n = ep->ndeferred, peeked = ep->peeked;
    ep->peeked = 0;
    ep->greeting = 0;
    ep->ndeferred = 0;
    host_arm(ep, -1);
    transcript_set_peer(tr(ep), ep->side, kind, text);
    start_script(ep);
    for (int i = 0; i < n && !ep->s_closed; i++)
        on_socket(ep, ep->s, ep->deferred[i].event, ep->deferred[i].error, ep->deferred[i].t_us);
    /* recv(MSG_PEEK) is a recv: it re-enabled FD_READ (docs/evidence.md#ms-wsaasyncselect,
     * level-triggered) while bytes were there (the hello, or the other
     * program's first bytes, replayed above): one more FD_READ may be queued for bytes
     * that are gone. It is the handshake's, not the scenario's: it must not meet an
     * `expect FD_READ` (ShutdownLab's own greeting must not change the lesson). */
    ep->peeked = peeked;
}

/* After the handshake: an FD_READ with nothing to read is the peek's echo (greet_over). */
static int peek_echo(Endpoint *ep)
{
    ep->peeked = 0;
    if (waiting(ep) > 0) /* FIONREAD: asking does not re-enable FD_READ, as a peek would */
        return 0; /* bytes are there: a real notification */
    note(ep, EW_HANDSHAKE, "an FD_READ left behind by the handshake's MSG_PEEK, with nothing to read: dropped");
    return 1;
}

/* The two ends were not started to play together: both stop, and the run exits 2. */
static void greet_refused(Endpoint *ep, const char *why)
{
    transcript_refuse(tr(ep), ep->side, why);
    /* closed gracefully: an RST would throw away the refusal line the other end must read */
    give_up_as(ep, 0, EW_HANDSHAKE, VERDICT_OK, NULL, NULL, NULL);
}

static void greet_start(Endpoint *ep)
{
    ep->greeting = 1;
    ep->ndeferred = 0;
    ep->first_read_us = -1;
    if (ep->env.hello == HELLO_OFFER) {
        Hello h;
        char line[HELLO_LINE_MAX], why[96];
        size_t n;
        int r;
        hello_of(&h, tr(ep)->info.sc, ep->side, tr(ep)->info.payload, tr(ep)->info.version);
        n = hello_format(&h, line, sizeof line);
        /* a new connection's send buffer takes a hundred bytes at once */
        if ((r = send(ep->s, line, (int)n, 0)) != (int)n) {
            snprintf(why, sizeof why, "the handshake could not be sent (send returned %d, error %d)", r,
                     r < 0 ? WSAGetLastError() : 0);
            greet_refused(ep, why);
            return;
        }
        host_arm(ep, tr(ep)->info.timeout_ms);
    } else {
        host_arm(ep, HELLO_WAIT_MS);
    }
}

/* DETECT: a whole hello line is waiting: take it, judge it, answer. */
static void greet_hello(Endpoint *ep, size_t len)
{
    Hello mine, theirs;
    char *b = (char *)ep->env.buf, why[160], text[EVENT_TEXT_MAX], reply[HELLO_LINE_MAX];
    size_t n;
    if (recv(ep->s, b, (int)len, 0) != (int)len || hello_parse(b, len, &theirs, why, sizeof why) < 0) {
        snprintf(text, sizeof text, "the other end is another program: its first line (%u bytes, taken) began like a "
                 "handshake but is not one", (unsigned)len);
        greet_over(ep, PEER_EXTERNAL, text);
        return;
    }
    hello_of(&mine, tr(ep)->info.sc, ep->side, tr(ep)->info.payload, tr(ep)->info.version);
    if (!hello_agree(&mine, &theirs, why, sizeof why)) {
        n = hello_reply(reply, sizeof reply, why);
        send(ep->s, reply, (int)n, 0);
        snprintf(text, sizeof text, "the other end is ShutdownLab, but not started to play with this one: %s", why);
        greet_refused(ep, text);
        return;
    }
    n = hello_reply(reply, sizeof reply, NULL);
    if (send(ep->s, reply, (int)n, 0) != (int)n) {
        greet_refused(ep, "the handshake's answer could not be sent");
        return;
    }
    snprintf(text, sizeof text, "the other end is ShutdownLab %s playing the %s of %s (its handshake agrees)",
             theirs.version, side_name(theirs.side), theirs.scenario);
    greet_over(ep, PEER_SHUTDOWNLAB, text);
}

/* OFFER: the answer line is waiting. */
static void greet_answer(Endpoint *ep, size_t len)
{
    char *b = (char *)ep->env.buf, refusal[HELLO_LINE_MAX], text[EVENT_TEXT_MAX];
    int r;
    if (recv(ep->s, b, (int)len, 0) != (int)len || (r = hello_parse_reply(b, len, refusal, sizeof refusal)) < 0) {
        greet_refused(ep, "the other end's answer to the handshake is not one: is it ShutdownLab?");
        return;
    }
    if (r == 0) {
        snprintf(text, sizeof text, "the other end refused the handshake: %s", refusal);
        greet_refused(ep, text);
        return;
    }
    greet_over(ep, PEER_SHUTDOWNLAB, "the other end is ShutdownLab: it answered the handshake ok");
}

/* What the stream starts with, peeked (nothing taken): the scan, and *len of a whole line.
 * A connection that failed already is HELLO_NOT, with its error in *error. */
static HelloScan greet_peek(Endpoint *ep, size_t *len, int *error)
{
    char *b = (char *)ep->env.buf;
    int n = recv(ep->s, b, HELLO_LINE_MAX, MSG_PEEK);
    *error = n < 0 ? WSAGetLastError() : 0;
    ep->peeked = 1; /* the peek re-enabled FD_READ: its echo is dropped (peek_echo) */
    if (n > 0)
        return hello_scan(b, (size_t)n, len);
    return n < 0 && *error != WSAEWOULDBLOCK ? HELLO_NOT : HELLO_PARTIAL;
}

/* The greeting ends with another program: an FD_READ it took is replayed if its bytes are
 * still there (nothing was taken), at the time it came. */
static void greet_external(Endpoint *ep, const char *text)
{
    if (ep->first_read_us >= 0 && waiting(ep) > 0)
        defer(ep, FD_READ, 0, ep->first_read_us);
    greet_over(ep, PEER_EXTERNAL, text);
}

/* A whole line waits, or a clear no: acted on. Returns 0 when more bytes are needed. */
static int greet_line(Endpoint *ep, HelloScan scan, size_t len, int error)
{
    char text[EVENT_TEXT_MAX];
    if (scan == HELLO_PARTIAL)
        return 0;
    if (ep->env.hello == HELLO_OFFER) {
        if (scan == HELLO_LINE)
            greet_answer(ep, len);
        else if (error) {
            snprintf(text, sizeof text, "the connection failed before the other end answered the handshake (error %d)",
                     error);
            greet_refused(ep, text);
        } else
            greet_refused(ep, "the other end answered with bytes that are not a ShutdownLab handshake: is it "
                              "ShutdownLab, started without --peer?");
        return 1;
    }
    if (scan == HELLO_LINE) {
        greet_hello(ep, len);
    } else if (error) {
        snprintf(text, sizeof text, "the other end is another program: its connection failed at once (error %d)", error);
        greet_external(ep, text);
    } else {
        greet_external(ep, "the other end is another program: its first bytes are not a ShutdownLab handshake");
    }
    return 1;
}

static void greet_message(Endpoint *ep, long event, int error, int64_t t_us)
{
    size_t len = 0;
    int perr = 0;
    HelloScan scan;
    if (event == FD_READ && error == 0) {
        if (ep->first_read_us < 0)
            ep->first_read_us = t_us;
        scan = greet_peek(ep, &len, &perr);
        greet_line(ep, scan, len, perr); /* a partial line waits for more, or for the deadline */
        return;
    }
    defer(ep, event, error, t_us); /* the script's: replayed when it starts */
    if (event != FD_CLOSE)
        return;
    /* FD_CLOSE can come before the last bytes are read (oracle #17): what waits is read first */
    scan = greet_peek(ep, &len, &perr);
    if (greet_line(ep, scan == HELLO_PARTIAL && waiting(ep) == 0 ? HELLO_NOT : scan, len, perr))
        return;
    if (ep->env.hello == HELLO_OFFER)
        greet_refused(ep, "the other end closed the connection before it answered the handshake: is it ShutdownLab, "
                          "started with --listen or --connect?");
    else
        greet_external(ep, "the other end is another program: it closed before it sent a whole handshake");
}

static void greet_overdue(Endpoint *ep)
{
    char why[96];
    if (ep->env.hello == HELLO_DETECT) {
        greet_external(ep, ep->first_read_us < 0 ? "the other end is another program: it said nothing within 250 ms "
                                                   "(a ShutdownLab --peer says hello at once)"
                                                 : "the other end is another program: its first bytes began like a "
                                                   "handshake, but no whole line came within 250 ms");
        return;
    }
    snprintf(why, sizeof why, "the other end did not answer the handshake within %d ms: is it ShutdownLab?",
             tr(ep)->info.timeout_ms);
    greet_refused(ep, why);
}

/* The connection never came: a client that did not connect, a server that did not answer. */
static void connection_overdue(Endpoint *ep)
{
    char observed[64], text[96];
    snprintf(observed, sizeof observed, "nothing within %d ms", ep->env.accept_ms);
    snprintf(text, sizeof text, "watchdog: no %s within %d ms", ep->listener != INVALID_SOCKET ? "client connected" :
             "answer from the server", ep->env.accept_ms);
    give_up(ep, ep->listener != INVALID_SOCKET ? EW_FD_ACCEPT : EW_FD_CONNECT, VERDICT_ENVIRONMENT, "a connection",
            observed, text);
}

/* ---- data ------------------------------------------------------------------------ */

static void check_content(Endpoint *ep, int n)
{
    int64_t bad;
    if (tr(ep)->info.peer == PEER_EXTERNAL) { /* another program's bytes: counted, not checked */
        ep->received += n;
        return;
    }
    bad = pattern_check((Side)!ep->side, ep->received, ep->env.buf, (size_t)n);
    if (bad >= 0 && !ep->content_reported) {
        ep->content_reported = 1;
        transcript_content_error(tr(ep), ep->side, ep->received + bad, ep->env.buf[bad],
                                 pattern_byte((Side)!ep->side, ep->received + bad));
    }
    ep->received += n;
}

/* One recv(): its result, reported (and checked byte by byte) like every call. */
static int do_recv(Endpoint *ep, Outcome *o)
{
    int64_t t = transcript_now(tr(ep));
    int r = recv(ep->s, (char *)ep->env.buf, ENDPOINT_BUF, 0);
    int e = r == SOCKET_ERROR ? WSAGetLastError() : 0;
    if (r > 0)
        check_content(ep, r);
    observe_call(ep, EW_RECV, t, r, e, o);
    if (r > 0 && ep->env.max_received > 0 && ep->received > ep->env.max_received) {
        char want[48], got[48];
        snprintf(want, sizeof want, "at most %lld bytes", (long long)ep->env.max_received);
        snprintf(got, sizeof got, "%lld bytes and more", (long long)ep->received);
        give_up(ep, EW_RECV, VERDICT_MISMATCH, want, got,
                "the peer sent more than this connection allows: it was reset");
        return SOCKET_ERROR;
    }
    return r;
}

/* Sends the op's bytes until done or WSAEWOULDBLOCK (then FD_WRITE resumes it). */
static ActResult send_some(Endpoint *ep, int fill, Outcome *out)
{
    while (fill ? ep->send_done < SEND_FILL_MAX : ep->send_left > 0) {
        int n = SEND_CHUNK, r, e;
        int64_t t;
        if (!fill && ep->send_left < n)
            n = (int)ep->send_left;
        pattern_fill(ep->side, ep->sent, ep->env.buf, (size_t)n);
        t = transcript_now(tr(ep));
        r = send(ep->s, (const char *)ep->env.buf, n, 0);
        e = r == SOCKET_ERROR ? WSAGetLastError() : 0;
        observe_call(ep, EW_SEND, t, r, e, NULL);
        if (r == SOCKET_ERROR && e == WSAEWOULDBLOCK) {
            if (fill)
                break; /* the buffers are full: the data is queued, unsent */
            return ACT_PENDING;
        }
        if (r == SOCKET_ERROR) {
            out->failed = 1;
            out->error = e;
            ep->send_left = 0;
            return ACT_DONE;
        }
        ep->sent += r;
        ep->send_done += r;
        ep->send_left -= r;
        runner_progress(&ep->runner); /* the peer drains: the send's watchdog starts again */
    }
    out->failed = 0;
    out->value = ep->send_done;
    return ACT_DONE;
}

/* ---- closing ---------------------------------------------------------------------- */

static DWORD WINAPI close_worker(void *arg)
{
    CloseJob *job = arg;
    job->t_start = plat_clock_us(NULL) - job->t0;
    job->result = closesocket(job->s);
    job->error = job->result == SOCKET_ERROR ? WSAGetLastError() : 0;
    job->t_end = plat_clock_us(NULL) - job->t0;
    if (!PostMessageW(job->hwnd, WM_SL_CLOSE_DONE, (WPARAM)job->side, (LPARAM)job))
        free(job); /* the window is gone: nobody waits for this close any more */
    return 0;
}

/* SO_LINGER {1,N}: Windows fails the close with WSAEWOULDBLOCK on a non-blocking socket;
 * Wine 8 blocks up to N s. Either way this thread must not wait: a worker calls it.
 * Returns 0 when the worker could not be started (then the close is made here). */
static int close_on_worker(Endpoint *ep, Outcome *out)
{
    CloseJob *job = calloc(1, sizeof *job);
    HANDLE th;
    if (!job)
        return 0;
    job->hwnd = ep->env.hwnd;
    job->side = ep->side;
    job->gen = ep->env.gen;
    job->s = ep->s;
    job->t0 = tr(ep)->t0;
    ep->closing = 1;
    if (!(th = CreateThread(NULL, 0, close_worker, job, 0, NULL))) {
        ep->closing = 0;
        free(job);
        return 0;
    }
    CloseHandle(th);
    note(ep, EW_CLOSE_ON_WORKER, "called on a worker thread: with SO_LINGER {1,N} it may block");
    ep->pending = PEND_CLOSE;
    /* it may linger N s before it returns: the watchdog allows that */
    out->budget_ms = (int64_t)ep->linger_secs * 1000 + tr(ep)->info.timeout_ms;
    return 1;
}

static ActResult do_close(Endpoint *ep, Outcome *out)
{
    if (ep->linger_secs > 0 && close_on_worker(ep, out))
        return ACT_PENDING;
    if (close_now(ep, ep->s, EW_CLOSESOCKET, out) == 0)
        ep->s_closed = 1;
    return ACT_DONE;
}

static void close_done(Endpoint *ep, CloseJob *job)
{
    Outcome o = {0};
    Event ev;
    if (!ep->closing || job->s != ep->s || job->gen != ep->env.gen) {
        free(job); /* a close from an earlier run */
        return;
    }
    ep->closing = 0;
    if (ep->pending != PEND_CLOSE) {
        /* it returned after its watchdog gave up on it (already said): the socket is
         * closed now, or still this end's to close at the teardown */
        ep->s_closed = job->result == 0;
        free(job);
        return;
    }
    ep->pending = PEND_NONE;
    event_init(&ev, EV_CALL, ep->side, EW_CLOSESOCKET);
    ev.t_us = job->t_start;
    ev.duration_us = job->t_end - job->t_start;
    ev.has_result = 1;
    ev.result = job->result;
    ev.error = job->error;
    o.failed = job->result == SOCKET_ERROR;
    o.value = job->result;
    o.error = job->error;
    if (job->result == 0)
        ep->s_closed = 1;
    /* else Windows' documented WSAEWOULDBLOCK: the socket is still open, the scenario
     * decides what follows (if=open lines) */
    free(job);
    runner_observe(&ep->runner, &ev, &o);
    /* an FD_READ skipped while the close was under way is not posted again until recv
     * is called (oracle #13): read once if the socket is still open */
    if (!ep->s_closed && ep->reading)
        do_recv(ep, NULL);
    if (runner_over(&ep->runner))
        return; /* that read found more than the peer may send: the end gave up (give_up) */
    runner_complete(&ep->runner, &o);
}

/* ---- actions ---------------------------------------------------------------------- */

/* WM_SL_TCP_READ's wParam: this end and this run. */
static WPARAM tcp_tag(const Endpoint *ep)
{
    return (WPARAM)ep->side | (WPARAM)ep->env.gen << 1;
}

/* A call whose only outcome is its result: shutdown, WSASendDisconnect, setsockopt. */
static void simple_call(Endpoint *ep, const Op *op, Outcome *out)
{
    int64_t t = transcript_now(tr(ep));
    EventWhat what;
    EventArgs args;
    int r = SOCKET_ERROR;
    op_subject(op, 0, &what, &args);
    if (op->verb == OP_SHUTDOWN) {
        r = shutdown(ep->s, (int)op->arg);
    } else if (op->verb == OP_SENDDISCONNECT) {
        r = WSASendDisconnect(ep->s, NULL);
    } else if (op->verb == OP_LINGER) {
        struct linger lg = {1, (u_short)op->arg};
        if ((r = setsockopt(ep->s, SOL_SOCKET, SO_LINGER, (const char *)&lg, sizeof lg)) == 0)
            ep->linger_secs = (int)op->arg;
    } else if (op->verb == OP_DONTLINGER) {
        BOOL on = TRUE;
        if ((r = setsockopt(ep->s, SOL_SOCKET, SO_DONTLINGER, (const char *)&on, sizeof on)) == 0)
            ep->linger_secs = 0;
    }
    {
        Event ev;
        int e = r ? WSAGetLastError() : 0;
        event_init(&ev, EV_CALL, ep->side, what);
        ev.args = args;
        ev.t_us = t;
        ev.has_result = 1;
        ev.result = r;
        ev.error = r == SOCKET_ERROR ? e : 0;
        memset(out, 0, sizeof *out);
        out->failed = r == SOCKET_ERROR;
        out->value = r;
        out->error = ev.error;
        runner_observe(&ep->runner, &ev, out);
    }
}

static ActResult host_act(void *ctx, const Op *op, Outcome *out)
{
    Endpoint *ep = ctx;
    if (ep->s_closed && op->verb != OP_READING && op->verb != OP_TCP) {
        /* the lines act on a socket this end already closed: the handle may have been
         * reused, so the call is not made, and the transcript says so */
        out->not_observed = "not called: this end's socket is already closed";
        return ACT_DONE;
    }
    switch (op->verb) {
    case OP_SEND:
        ep->send_left = op->arg < 0 ? tr(ep)->info.payload : op->arg;
        ep->send_done = 0;
        if (send_some(ep, 0, out) == ACT_DONE)
            return ACT_DONE;
        ep->pending = PEND_SEND; /* FD_WRITE resumes it */
        return ACT_PENDING;
    case OP_SEND_FILL:
        ep->send_left = 0;
        ep->send_done = 0;
        return send_some(ep, 1, out);
    case OP_SHUTDOWN:
    case OP_SENDDISCONNECT:
    case OP_LINGER:
    case OP_DONTLINGER:
        simple_call(ep, op, out);
        return ACT_DONE;
    case OP_CLOSESOCKET:
        return do_close(ep, out);
    case OP_RECV:
        do_recv(ep, out);
        return ACT_DONE;
    case OP_READING:
        ep->reading = (int)op->arg;
        out->failed = 0;
        out->value = 0;
        /* FD_READ is not posted again until recv is called (oracle #13): read once now */
        if (ep->reading && !ep->closing && !ep->s_closed)
            do_recv(ep, NULL);
        return ACT_DONE;
    case OP_TCP:
        ep->env.tcp_read(ep->env.tcp_ctx, op->step, ep->env.hwnd, ep->side, tcp_tag(ep));
        ep->pending = PEND_TCP;
        return ACT_PENDING;
    case OP_EXPECT:
    case OP_QUIET:
        break;
    }
    out->failed = 1;
    out->error = WSAEINVAL;
    return ACT_DONE;
}

/* ---- notifications ----------------------------------------------------------------- */

static EventWhat fd_what(long ev)
{
    switch (ev) {
    case FD_READ: return EW_FD_READ;
    case FD_WRITE: return EW_FD_WRITE;
    case FD_OOB: return EW_FD_OOB;
    case FD_ACCEPT: return EW_FD_ACCEPT;
    case FD_CONNECT: return EW_FD_CONNECT;
    case FD_CLOSE: return EW_FD_CLOSE;
    default: return EW_FD_UNKNOWN;
    }
}

static void on_accept(Endpoint *ep)
{
    struct sockaddr_in a;
    int len = sizeof a;
    int64_t t = transcript_now(tr(ep));
    SOCKET s = accept(ep->listener, (struct sockaddr *)&a, &len);
    int e = s == INVALID_SOCKET ? WSAGetLastError() : 0;
    observe_call(ep, EW_ACCEPT, t, s == INVALID_SOCKET ? SOCKET_ERROR : 0, e, NULL);
    if (s == INVALID_SOCKET && ep->env.accept_ms > 0 && (e == WSAECONNRESET || e == WSAENOTCONN)) {
        /* Another program connected and reset before this end took the connection from the
         * backlog: the failed accept is what it did, not the machine's fault (docs/evidence.md#ms-accept:
         * WSAECONNRESET; Wine 8 reports WSAENOTCONN, the host's accept then getpeername) */
        char err[64], observed[96];
        snprintf(observed, sizeof observed, "%s: the connection was reset", wsaerr_format(e, err, sizeof err));
        give_up(ep, EW_ACCEPT, VERDICT_MISMATCH, "a connection to accept", observed,
                "the client reset its connection before this server accepted it: it closed abortively "
                "(SO_LINGER {1,0}) or with data unread right after connecting");
        return;
    }
    if (s == INVALID_SOCKET) {
        if (e != WSAEWOULDBLOCK)
            setup_failed(ep, EW_ACCEPT, e);
        return;
    }
    ep->s = s;
    ep->s_closed = 0;
    /* the accepted socket inherits the listener's selection; this end wants its own */
    if (select_events(ep, s, FD_READ | FD_WRITE | FD_CLOSE))
        return;
    /* one connection is the lesson: the listener is done */
    if (close_now(ep, ep->listener, EW_CLOSE_LISTENER, NULL) == 0)
        ep->listener = INVALID_SOCKET;
    begin_script(ep);
}

void endpoint_adopt(Endpoint *ep, SOCKET s)
{
    /* the class's listener accepted it just now: this connection's first call */
    observe_call(ep, EW_ACCEPT, transcript_now(tr(ep)), 0, 0, NULL);
    ep->s = s;
    ep->s_closed = 0;
    if (select_events(ep, s, FD_READ | FD_WRITE | FD_CLOSE))
        return;
    begin_script(ep);
}

void endpoint_abort(Endpoint *ep, const char *expected, const char *observed, const char *text)
{
    give_up(ep, EW_RUN, VERDICT_ENVIRONMENT, expected, observed, text);
}

UINT endpoint_close_gen(LPARAM lp)
{
    return ((const CloseJob *)lp)->gen;
}

/* Resumes the pending send; when it is over, completes the action. Returns nonzero then
 * (the handler's work is done). */
static int finish_send(Endpoint *ep)
{
    Outcome out;
    memset(&out, 0, sizeof out);
    if (send_some(ep, 0, &out) != ACT_DONE)
        return 0;
    ep->pending = PEND_NONE;
    runner_handler_done(&ep->runner);
    runner_complete(&ep->runner, &out);
    return 1;
}

/* The FD_CLOSE handler reads what is left: FD_CLOSE can come before the last data is
 * read (oracle #17). */
static void drain(Endpoint *ep)
{
    for (int i = 0; i < 4096 && !ep->s_closed; i++)
        if (do_recv(ep, NULL) <= 0)
            break;
}

/* What the end does about a notification of its own socket (the runner has seen it).
 * Returns nonzero when the handling is already complete. */
static int handle(Endpoint *ep, long event, int error)
{
    switch (event) {
    case FD_ACCEPT:
        if (!error)
            on_accept(ep);
        else
            setup_failed(ep, EW_FD_ACCEPT, error);
        break;
    case FD_CONNECT:
        if (error)
            setup_failed(ep, EW_FD_CONNECT, error);
        else
            begin_script(ep);
        break;
    case FD_WRITE:
        return ep->pending == PEND_SEND && finish_send(ep);
    case FD_READ:
        if (ep->reading)
            do_recv(ep, NULL);
        break;
    case FD_CLOSE:
        /* a send still waiting for FD_WRITE learns now how the connection ended */
        if (ep->pending == PEND_SEND && finish_send(ep))
            return 1;
        if (ep->reading)
            drain(ep);
        break;
    }
    return 0;
}

/* A notification taken from the queue at t_us (a replayed one: when it was taken). */
static void on_socket(Endpoint *ep, SOCKET s, long event, int error, int64_t t_us)
{
    Event ev;
    Outcome o = {.failed = error != 0, .error = error};
    int mine = (s == ep->s && !ep->s_closed) || (s == ep->listener && ep->listener != INVALID_SOCKET);
    if (ep->greeting && mine) {
        greet_message(ep, event, error, t_us);
        return;
    }
    if (ep->peeked && mine && event == FD_READ && !error && peek_echo(ep))
        return;
    event_init(&ev, EV_MESSAGE, ep->side, fd_what(event));
    ev.t_us = t_us;
    ev.error = error;
    ev.stale = !mine; /* late notification for a closed socket: logged, not trusted */
    runner_observe(&ep->runner, &ev, &o);
    if (!ev.stale && !ep->closing && handle(ep, event, error))
        return;
    runner_handler_done(&ep->runner);
    if (ep->started)
        runner_pump(&ep->runner);
}

/* The end's timer is due: the runner hears of it once. From WM_TIMER (by_timer), a tick
 * a little early (its resolution) arms the rest. */
static void check_deadline(Endpoint *ep, int by_timer)
{
    int64_t now;
    if (ep->deadline_us < 0)
        return;
    now = transcript_now(tr(ep));
    if (now < ep->deadline_us) {
        if (by_timer)
            SetTimer(ep->env.hwnd, ep->env.timer, (UINT)((ep->deadline_us - now + 999) / 1000),
                     NULL);
        return;
    }
    ep->deadline_us = -1;
    KillTimer(ep->env.hwnd, ep->env.timer);
    if (ep->greeting)
        greet_overdue(ep);
    else if (!ep->started)
        connection_overdue(ep);
    else
        runner_timer(&ep->runner);
}

static void on_tcp_read(Endpoint *ep, WPARAM tag, LPARAM state)
{
    Outcome o = {.value = (int64_t)state, .is_state = 1};
    if (tag != tcp_tag(ep) || ep->pending != PEND_TCP)
        return; /* an earlier run's: dropped */
    if (state == ENDPOINT_TCP_NOT_SAMPLED) {
        o.not_observed = "not read: a class of connections reads no TCP table";
        o.unobservable = 1;
    } else if (!state) { /* the table could not be read: nothing was observed */
        o.not_observed = "not read: the TCP table could not be read";
        o.not_observed_env = 1;
    }
    ep->pending = PEND_NONE;
    runner_complete(&ep->runner, &o);
}

/* After the teardown nothing more reaches the runner (the transcript has its summary):
 * the end's late messages are dropped, a late lingering close's job freed. */
static int drop_late(Endpoint *ep, UINT msg, WPARAM wp, LPARAM lp)
{
    if (msg == WM_SL_CLOSE_DONE && wp == (WPARAM)ep->side) {
        free((CloseJob *)lp);
        return 1;
    }
    if (msg == WM_TIMER && wp == ep->env.timer) {
        KillTimer(ep->env.hwnd, wp);
        return 1;
    }
    return msg == WM_SL_TCP_READ || (msg >= WM_SL_SOCKET_FIRST && msg < WM_SL_SOCKET_FIRST + WM_SL_SOCKET_COUNT);
}

int endpoint_route(Endpoint *ep, UINT msg, WPARAM wp, LPARAM lp)
{
    if (!ep->attached)
        return 0; /* the window exists before its end does (WM_NCCREATE and friends) */
    if (ep->torn_down)
        return drop_late(ep, msg, wp, lp);
    if (msg == ep->env.socket_msg) {
        /* the message first (it may be what an expectation waits for), then the time: a
         * storm must not starve the end's timer */
        /* stamped when taken from the queue */
        on_socket(ep, (SOCKET)wp, WSAGETSELECTEVENT(lp), WSAGETSELECTERROR(lp), transcript_now(tr(ep)));
        check_deadline(ep, 0);
        return 1;
    }
    if (msg >= WM_SL_SOCKET_FIRST && msg < WM_SL_SOCKET_FIRST + WM_SL_SOCKET_COUNT)
        return 1; /* an earlier run's socket: dropped */
    switch (msg) {
    case WM_TIMER:
        if (wp != ep->env.timer)
            return 0;
        check_deadline(ep, 1);
        return 1;
    case WM_SL_TCP_READ:
        on_tcp_read(ep, wp, lp);
        return 1;
    case WM_SL_CLOSE_DONE:
        if (wp != (WPARAM)ep->side)
            return 0;
        close_done(ep, (CloseJob *)lp);
        return 1;
    }
    return 0;
}

void endpoint_resume(Endpoint *ep)
{
    runner_pump(&ep->runner);
}

void endpoint_watchdog(Endpoint *ep, int on)
{
    if (on)
        runner_resume_watchdog(&ep->runner);
    else
        runner_pause_watchdog(&ep->runner);
}

int endpoint_teardown(Endpoint *ep)
{
    int left = 0;
    char text[96];
    if (!ep->attached || ep->torn_down)
        return 0;
    ep->torn_down = 1;
    ep->deadline_us = -1;
    KillTimer(ep->env.hwnd, ep->env.timer);
    drop_listener(ep);
    if (!ep->s_closed && !ep->closing) {
        /* never block here: drop any linger so the close returns at once */
        BOOL on = TRUE;
        int r = setsockopt(ep->s, SOL_SOCKET, SO_DONTLINGER, (const char *)&on, sizeof on);
        int e = r ? WSAGetLastError() : 0;
        r = closesocket(ep->s);
        ep->s_closed = 1;
        left++;
        snprintf(text, sizeof text, "the connection the script left open was closed by the tool%s",
                 r || e ? " (a call of the teardown failed)" : "");
        note(ep, EW_TEARDOWN, text);
    }
    return left;
}
