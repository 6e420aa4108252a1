/* session.c: one run, from listen to the last TCP sample (session.h): the ends' owner,
 * the router of every message of their windows, and the run's end. */
#include "session.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "messages.h"
#include "platform.h"

static HWND end_hwnd(const Session *s, Side side)
{
    return side == s->local ? s->local_hwnd : s->peer.hwnd;
}

static int embedded(const Session *s)
{
    return s->mode == SESSION_EMBEDDED;
}

static void side_finished(Session *s, Side side)
{
    if (InterlockedExchange(&s->side_done[side], 1))
        return; /* once per end, however many ways it ended */
    InterlockedIncrement(&s->sides_done);
    PostMessageW(s->local_hwnd, WM_SL_SIDE_DONE, side, s->gen);
}

/* ---- the ends' owner (endpoint.h) --------------------------------------------------- */

/* The benchmark's next FD_READ of its own (SessionConfig.storm), on the local end's thread. */
static void storm_post(Session *s)
{
    if (s->storm_left > 0 &&
        PostMessageW(s->local_hwnd, s->socket_msg, (WPARAM)s->ep[s->local].s, WSAMAKESELECTREPLY(FD_READ, 0)))
        s->storm_left--;
}

static void own_connected(void *ctx, Side side, const struct sockaddr_in *me, const struct sockaddr_in *peer)
{
    Session *s = ctx;
    InterlockedExchange(&s->started[side], 1);
    if (side == s->local && s->storm_left > 0) {
        Event ev;
        event_init(&ev, EV_NOTE, side, EW_STORM);
        ev.t_us = transcript_now(&s->t);
        snprintf(ev.text, sizeof ev.text, "%d FD_READ notifications of ShutdownLab's own follow, one after another: a "
                 "benchmark's storm (--storm), not Winsock's", s->storm_left);
        transcript_emit(&s->t, &ev);
        storm_post(s);
    }
    /* either end knows both addresses: the first to start names the connection */
    if (me->sin_family == AF_INET && peer->sin_family == AF_INET) {
        /* another machine's row is not in this machine's table */
        if (!embedded(s) && (ntohl(peer->sin_addr.s_addr) >> 24) != 127 && peer->sin_addr.s_addr != me->sin_addr.s_addr)
            tcpsampler_remote(&s->sampler, (Side)!side);
        tcpsampler_set_tuple(&s->sampler, side == SIDE_CLIENT ? me : peer, side == SIDE_CLIENT ? peer : me);
        {
            const struct sockaddr_in *c = side == SIDE_CLIENT ? me : peer, *sv = side == SIDE_CLIENT ? peer : me;
            transcript_connection(&s->t, side, ntohl(c->sin_addr.s_addr), ntohs(c->sin_port), ntohl(sv->sin_addr.s_addr),
                                  ntohs(sv->sin_port));
            if (s->wire)
                wirewatch_connection(s->wire, c, sv);
        }
    }
}

static void own_stepped(void *ctx, Side side, const Op *op)
{
    Session *s = ctx;
    int first = 0;
    /* one sample of the established connection, asked by the end that starts first; an end
     * that connects while it is being read waits for it too, so it is truly the states
     * before the first step of either end; one that connects later holds only when a
     * student steps (released at once, without a sample) */
    if (!op) {
        EnterCriticalSection(&s->lock);
        first = s->first_state;
        if (first == 0) {
            s->first_state = 1;
            s->first_side = side;
        } else if (first == 1) {
            s->first_waiter = side;
        }
        LeaveCriticalSection(&s->lock);
    }
    if (!op && first == 1) {
        stepping_stepped(&s->stepping, side, NULL); /* released when the first sample is in */
        return;
    }
    if (!op && first == 2) {
        if (!s->stepping.manual)
            return;
        stepping_stepped(&s->stepping, side, NULL);
        PostMessageW(end_hwnd(s, side), WM_SL_SAMPLED, 1 + (WPARAM)side, s->gen);
        return;
    }
    /* the end waits for the sample, so the table shows the states this step led to */
    stepping_stepped(&s->stepping, side, op);
    tcpsampler_request(&s->sampler, op ? op->step : "", op ? SAMPLE_AFTER_STEP : SAMPLE_FIRST, end_hwnd(s, side),
                       1 + (WPARAM)side, s->gen);
}

static int own_held(void *ctx, Side side)
{
    Session *s = ctx;
    return stepping_held(&s->stepping, side);
}

static void own_finished(void *ctx, Side side)
{
    side_finished(ctx, side);
}

static void own_setup_failed(void *ctx, Side side)
{
    Session *s = ctx;
    side_finished(s, side);
    /* the other end waits for a connection that will never come: it is over too */
    if (!InterlockedCompareExchange(&s->started[!side], 0, 0))
        side_finished(s, (Side)!side);
}

/* ---- making and ending ------------------------------------------------------------- */

static int session_route_peer(void *ctx, HWND hwnd, UINT msg, WPARAM wp, LPARAM lp)
{
    return session_route(ctx, hwnd, msg, wp, lp);
}


static void make_transcript(Session *s, const SessionConfig *cfg)
{
    RunInfo info;
    char at[32];
    memset(&info, 0, sizeof info);
    info.sc = cfg->sc;
    info.local = cfg->local;
    if (!embedded(s)) {
        info.peer = PEER_EXTERNAL; /* until its handshake says it is ShutdownLab */
        plat_addr_text(&cfg->addr, at, sizeof at);
        snprintf(info.where, sizeof info.where, "%s %s%s", cfg->local == SIDE_SERVER ? "listening on" : "connecting to",
                 at, cfg->peer == SESSION_PEER ? " as the peer of another ShutdownLab" : "");
    }
    info.payload = cfg->payload >= 0 ? cfg->payload : cfg->sc->payload;
    info.timeout_ms = cfg->timeout_ms;
    info.sndbuf = cfg->sndbuf;
    info.rcvbuf = cfg->rcvbuf;
    info.on_wine = plat_wine_version() != NULL;
    info.version = cfg->version;
    plat_describe(info.platform, sizeof info.platform);
    plat_os(info.os, sizeof info.os);
    transcript_init(&s->t, &info);
    InitializeCriticalSection(&s->lock);
    s->t.lock = plat_lock;
    s->t.unlock = plat_unlock;
    s->t.lock_ctx = &s->lock;
    s->t.clock_us = plat_clock_us;
    s->t.wall_ns = plat_wall_ns;
    for (size_t i = 0; i < cfg->nsinks; i++)
        transcript_add_sink(&s->t, cfg->sinks[i]);
}

static void make_ends(Session *s, const SessionConfig *cfg)
{
    EndpointOwner owner = {s, own_connected, own_stepped, own_held, own_finished, own_setup_failed};
    for (int k = 0; k < SIDE_COUNT; k++) {
        EndpointEnv env;
        memset(&env, 0, sizeof env);
        env.t = &s->t;
        env.hwnd = end_hwnd(s, (Side)k);
        env.socket_msg = s->socket_msg;
        env.gen = s->gen;
        env.timer = SL_TIMER_ID(s->gen, k);
        env.buf = s->buf[k];
        if (!embedded(s) && k != (int)s->local) {
            /* another program plays it: its script is no one's here */
            s->side_done[k] = 1;
            s->sides_done++;
            continue;
        }
        env.tcp_read = tcpsampler_read;
        env.tcp_ctx = &s->sampler;
        env.hello = cfg->peer == SESSION_PEER ? HELLO_OFFER : cfg->peer == SESSION_EXTERNAL ? HELLO_DETECT : HELLO_OFF;
        env.max_received = embedded(s) ? 0 : cfg->max_received;
        env.accept_ms = embedded(s) ? 0 : cfg->wait_ms;
        env.sndbuf = cfg->sndbuf;
        env.rcvbuf = cfg->rcvbuf;
        endpoint_init(&s->ep[k], (Side)k, &owner, &env);
        stepping_set_window(&s->stepping, (Side)k, env.hwnd);
    }
}

Session *session_create(const SessionConfig *cfg, char *err, size_t errsize)
{
    Session *s = calloc(1, sizeof *s);
    static volatile LONG generations;
    if (!s) {
        snprintf(err, errsize, "out of memory");
        return NULL;
    }
    s->gen = (UINT)InterlockedIncrement(&generations);
    s->socket_msg = WM_SL_SOCKET_FIRST + s->gen % WM_SL_SOCKET_COUNT;
    s->local = cfg->local;
    s->local_hwnd = cfg->local_hwnd;
    s->mode = cfg->peer;
    s->addr = cfg->addr;
    s->storm_left = cfg->storm > 0 ? cfg->storm : 0;
    s->first_waiter = -1;
    make_transcript(s, cfg);
    stepping_init(&s->stepping, cfg->manual, cfg->local_hwnd, s->gen);
    for (int k = 0; k < SIDE_COUNT; k++)
        if (!(s->buf[k] = malloc(ENDPOINT_BUF))) {
            snprintf(err, errsize, "out of memory");
            session_destroy(s);
            return NULL;
        }
    if (embedded(s) && peer_start(&s->peer, session_route_peer, s, err, errsize) < 0) {
        session_destroy(s);
        return NULL;
    }
    if (tcpsampler_start(&s->sampler, &s->t) < 0) {
        snprintf(err, errsize, "cannot start the TCP-table sampler");
        session_destroy(s);
        return NULL;
    }
    if (cfg->wire) {
        if (!(s->wire = wirewatch_start(cfg->wire, &s->t, err, errsize))) {
            session_destroy(s);
            return NULL;
        }
        transcript_add_sink(&s->t, wirewatch_sink(s->wire));
        if (!embedded(s)) /* the other program's calls are not seen here */
            wirewatch_calls_seen(s->wire, (Side)!cfg->local, 0);
    }
    make_ends(s, cfg);
    return s;
}

void session_start(Session *s)
{
    transcript_begin(&s->t);
    /* the server end's own thread makes the listener; it then sends the client the port.
     * Facing another program, the local end starts, whichever it is. */
    if (embedded(s))
        PostMessageW(end_hwnd(s, SIDE_SERVER), WM_SL_START, SIDE_SERVER, s->gen);
    else
        PostMessageW(s->local_hwnd, WM_SL_START, s->local, s->gen);
}

static void teardown_peer(void *ctx)
{
    Session *s = ctx;
    s->peer_left = endpoint_teardown(&s->ep[!s->local]);
}

/* Both scripts are over and the last sample is in: stop the peer, close what is left;
 * with a capture, wait (by message) until it has caught up and its pairings are said. */
static void finish(Session *s)
{
    if (!s->ends_closed) {
        s->ends_closed = 1;
        peer_stop(&s->peer, teardown_peer, s); /* safe when there is none */
        stepping_set_window(&s->stepping, (Side)!s->local, NULL); /* the peer's window is gone */
        s->left[!s->local] = s->peer_left;
        s->left[s->local] = endpoint_teardown(&s->ep[s->local]);
        for (int k = 0; k < SIDE_COUNT; k++)
            if (runner_failed(&s->ep[k].runner))
                s->left[k] = 0; /* that end stopped on a failure already reported: not the lines' fault */
        tcpsampler_stop(&s->sampler);
    }
    if (s->wire && !s->wire_reported) {
        wirewatch_finish(s->wire, s->local_hwnd, WM_SL_WIRE_DONE, 0, s->gen);
        return;
    }
    transcript_finish(&s->t, s->left);
    s->complete = 1;
    PostMessageW(s->local_hwnd, WM_SL_COMPLETE, 0, s->gen);
}

/* ---- routing ------------------------------------------------------------------------ */

static void on_start(Session *s, Side side)
{
    struct sockaddr_in loop;
    if (!embedded(s)) {
        if (side == SIDE_SERVER)
            endpoint_listen(&s->ep[side], &s->addr);
        else
            endpoint_connect(&s->ep[side], &s->addr);
        return;
    }
    if (side != SIDE_SERVER)
        return;
    memset(&loop, 0, sizeof loop);
    loop.sin_family = AF_INET;
    loop.sin_addr.s_addr = htonl(INADDR_LOOPBACK); /* loopback only: nothing leaves the machine */
    if ((loop.sin_port = htons(endpoint_listen(&s->ep[SIDE_SERVER], &loop))) != 0)
        PostMessageW(end_hwnd(s, SIDE_CLIENT), WM_SL_CONNECT, ntohs(loop.sin_port), s->gen);
    else
        side_finished(s, SIDE_CLIENT); /* the client will never start */
}

static void on_sampled(Session *s, HWND hwnd, Side side, WPARAM wp)
{
    int waiter = -1;
    EnterCriticalSection(&s->lock);
    if (wp == 1 + (WPARAM)side && s->first_state == 1 && s->first_side == side) {
        s->first_state = 2; /* the first sample is in: the end that waited for it too goes on */
        waiter = s->first_waiter;
        s->first_waiter = -1;
    }
    LeaveCriticalSection(&s->lock);
    if (waiter >= 0)
        PostMessageW(end_hwnd(s, (Side)waiter), WM_SL_SAMPLED, 1 + (WPARAM)waiter, s->gen);
    if (wp == 1 + (WPARAM)side) {
        if (stepping_sampled(&s->stepping, side, runner_next_step(&s->ep[side].runner)))
            endpoint_resume(&s->ep[side]);
    } else if (wp == 0 && hwnd == s->local_hwnd && s->finishing && !s->complete) {
        finish(s);
    }
}

static int is_session_message(UINT msg)
{
    return msg >= WM_SL_START && msg < WM_SL_LAST && msg != WM_SL_CLOSE_DONE && msg != WM_SL_STOP &&
           msg != WM_SL_TCP_READ && msg != WM_SL_SAMPLE_REQUEST;
}

int session_route(Session *s, HWND hwnd, UINT msg, WPARAM wp, LPARAM lp)
{
    Side side = hwnd == s->local_hwnd ? s->local : (Side)!s->local;
    if (is_session_message(msg) && (UINT)lp != s->gen)
        return 1; /* from an earlier run: dropped */
    switch (msg) {
    case WM_SL_START:
        on_start(s, side);
        return 1;
    case WM_SL_CONNECT:
        if (side == SIDE_CLIENT) {
            struct sockaddr_in a;
            memset(&a, 0, sizeof a);
            a.sin_family = AF_INET;
            a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
            a.sin_port = htons((unsigned short)wp);
            endpoint_connect(&s->ep[SIDE_CLIENT], &a);
        }
        return 1;
    case WM_SL_SIDE_DONE:
        /* (a benchmark's storm is drained first, if it began: SessionConfig.storm) */
        if (hwnd == s->local_hwnd && s->sides_done >= SIDE_COUNT && !s->finishing &&
            (!s->storm_left || !s->started[s->local])) {
            s->finishing = 1;
            tcpsampler_request(&s->sampler, "", SAMPLE_END, s->local_hwnd, 0, s->gen);
        }
        return 1;
    case WM_SL_SAMPLED:
        on_sampled(s, hwnd, side, wp);
        return 1;
    case WM_SL_RELEASE:
        if (wp == (WPARAM)side && stepping_released(&s->stepping, side))
            endpoint_resume(&s->ep[side]);
        return 1;
    case WM_SL_WATCHDOG:
        endpoint_watchdog(&s->ep[side], (int)wp);
        return 1;
    case WM_SL_WIRE_DONE:
        if (hwnd == s->local_hwnd && s->finishing && !s->complete) {
            s->wire_reported = 1;
            finish(s);
        }
        return 1;
    case WM_SL_HELD:
    case WM_SL_COMPLETE:
        return 0; /* this run's: the front end's to act on */
    }
    if (msg == s->socket_msg && hwnd == s->local_hwnd && s->storm_left > 0 && WSAGETSELECTEVENT(lp) == FD_READ) {
        int r = endpoint_route(&s->ep[side], msg, wp, lp);
        storm_post(s); /* the next one once this one is handled, as Winsock re-posts */
        if (!s->storm_left) /* the storm is over: the run may end */
            PostMessageW(s->local_hwnd, WM_SL_SIDE_DONE, s->local, s->gen);
        return r;
    }
    return endpoint_route(&s->ep[side], msg, wp, lp);
}

/* ---- the front end's questions ------------------------------------------------------ */

void session_set_manual(Session *s, int on)
{
    stepping_set_manual(&s->stepping, on);
}

void session_release(Session *s, Side side)
{
    stepping_release(&s->stepping, side);
}

int session_awaiting(Session *s, Side side)
{
    return stepping_awaiting(&s->stepping, side);
}

void session_held_step(Session *s, Side side, char *step)
{
    stepping_step(&s->stepping, side, step);
}

void session_abort(Session *s, const char *why)
{
    Event ev;
    int none[SIDE_COUNT] = {0, 0};
    EnterCriticalSection(&s->lock); /* held (it is recursive) until the caller ends the process */
    event_init(&ev, EV_CHECK, s->local, EW_RUN);
    ev.t_us = transcript_now(&s->t);
    snprintf(ev.expected, sizeof ev.expected, "ends");
    snprintf(ev.observed, sizeof ev.observed, "still running");
    EVENT_SET(ev.text, why);
    ev.verdict = VERDICT_ENVIRONMENT;
    transcript_emit(&s->t, &ev);
    transcript_finish(&s->t, none);
    s->complete = 1;
}

const Summary *session_summary(const Session *s)
{
    return &s->t.sum;
}

int session_wire_failed(Session *s, char *msg, size_t size)
{
    return s->wire && wirewatch_failed(s->wire, msg, size);
}

const struct WireMatch *session_wire_match(Session *s)
{
    return s->wire ? wirewatch_match(s->wire) : NULL;
}

static const char *volatile g_stopping;

const char *session_stopping(void)
{
    return g_stopping;
}

void session_destroy(Session *s)
{
    if (!s)
        return;
    g_stopping = "the capture reader's thread";
    wirewatch_stop(s->wire); /* its thread emits into the transcript: stopped first */
    g_stopping = "the peer's thread";
    peer_stop(&s->peer, s->complete ? NULL : teardown_peer, s);
    g_stopping = "this end's sockets";
    if (!s->complete)
        endpoint_teardown(&s->ep[s->local]);
    g_stopping = "the TCP-table sampler's thread";
    tcpsampler_stop(&s->sampler);
    g_stopping = "the capture reader";
    wirewatch_destroy(s->wire); /* its sink, after the last event the ends emit */
    g_stopping = NULL;
    stepping_free(&s->stepping);
    DeleteCriticalSection(&s->lock);
    free(s->buf[0]);
    free(s->buf[1]);
    free(s);
}
