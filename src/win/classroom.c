/* classroom.c: a class at once (classroom.h). */
#include "classroom.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "endpoint.h"
#include "messages.h"
#include "platform.h"

typedef struct Conn Conn;

struct Class {
    ClassConfig cfg;
    SOCKET listener;
    int listening;            /* the listener is open: more may come */
    unsigned char *buf;       /* every end's receive and send buffer: one thread, one call at a time */
    Conn *slot[WM_SL_CONN_COUNT];
    int free_ring[WM_SL_CONN_COUNT]; /* free slots, first in first out */
    int free_head, free_count;
    int live;
    int64_t idle_since_us;    /* when the last connection ended (or the class began) */
    int64_t t0;
    int tap_n;
    int over;
    ClassResult res;
    char where[48];
    unsigned short port;
};

struct Conn {
    Class *cls;
    int id;                   /* from 1, in the order they were accepted */
    int slot;
    int ending;               /* its script is over: it ends on WM_SL_CONN_DONE */
    int unposted;             /* ... which could not be posted (the queue was full): the tick ends it */
    int64_t t_start_us;       /* on the class's clock */
    char from[32];
    char first_bad[160];      /* the first check that did not pass, for its verdict line */
    char did[256];            /* what the client did differently, inferred (infer.h): said first */
    Sink verdict;
    Formatter fmt;            /* jsonl: every event, tagged with the connection */
    Transcript t;
    Endpoint ep;
};

static UINT conn_gen(const Conn *k)
{
    return (UINT)k->id << 13 | (UINT)k->slot; /* the slot is in the low 13 bits */
}


/* ---- each connection's verdict ------------------------------------------------------- */

static void verdict_event(Sink *s, const Event *ev)
{
    Conn *k = (Conn *)((char *)s - offsetof(Conn, verdict));
    if (!k->did[0] && ev->inferred && ev->kind == EV_CHECK && ev->verdict == VERDICT_MISMATCH) {
        char name[EVENT_NAME_MAX];
        event_name(ev, name, sizeof name);
        snprintf(k->did, sizeof k->did, "the client did not (%s) %s: %s", ev->step[0] ? ev->step : "-", name, ev->text);
    }
    if (ev->kind == EV_CHECK && !verdict_acceptable(ev->verdict) && !k->first_bad[0]) {
        char line[GROUP_TEXT_MAX];
        group_event_text(ev, line, sizeof line);
        snprintf(k->first_bad, sizeof k->first_bad, "%s %s", side_name(ev->side), line);
    }
    if (ev->kind == EV_NOTE && ev->what == EW_HANDSHAKE && !k->first_bad[0] && k->t.sum.refused)
        snprintf(k->first_bad, sizeof k->first_bad, "handshake: %s", ev->text);
}

static void verdict_end(Sink *s, const Summary *sum)
{
    Conn *k = (Conn *)((char *)s - offsetof(Conn, verdict));
    Class *c = k->cls;
    ClassResult *r = &c->res;
    int64_t took = plat_clock_us(NULL) - c->t0 - k->t_start_us;
    int ok = sum->exit_code == 0;
    char a[32], b[32];
    r->passed += ok;
    r->failed += !ok;
    if (sum->side[SIDE_CLIENT].lost_counted) { /* a ShutdownLab client whose lines say what they send */
        r->bytes_lost += sum->side[SIDE_CLIENT].bytes_lost;
        r->lost_counted++;
    }
    r->bytes_sent += sum->side[SIDE_SERVER].bytes_sent;
    r->bytes_received += sum->side[SIDE_SERVER].bytes_received;
    if (took > r->slowest_us) {
        r->slowest_us = took;
        r->slowest = k->id;
    }
    format_thousands(sum->side[SIDE_SERVER].bytes_sent, a, sizeof a);
    format_thousands(sum->side[SIDE_SERVER].bytes_received, b, sizeof b);
    if (c->cfg.format == FORMAT_TEXT)
        out_printf(&c->cfg.out, "connection %d from %s: %s in %.1f ms; sent %s bytes, received %s%s%s\n", k->id, k->from,
                   ok ? "passed" : "FAILED", took / 1000.0, a, b, ok ? "" : ": ", ok ? "" : k->did[0] ? k->did : k->first_bad);
    else if (c->cfg.format == FORMAT_TAP)
        out_printf(&c->cfg.out, "%sok %d - connection %d from %s in %.1f ms; sent %s bytes, received %s%s%s\n",
                   ok ? "" : "not ", ++c->tap_n, k->id, k->from, took / 1000.0, a, b, ok ? "" : ": ",
                   ok ? "" : k->did[0] ? k->did : k->first_bad);
}

/* ---- the ends' owner (endpoint.h) ---------------------------------------------------- */

static void own_connected(void *ctx, Side side, const struct sockaddr_in *me, const struct sockaddr_in *peer)
{
    (void)ctx, (void)side, (void)me, (void)peer;
}

static void own_stepped(void *ctx, Side side, const Op *op)
{
    (void)ctx, (void)side, (void)op; /* no TCP table, no student: the end goes on */
}

static int own_held(void *ctx, Side side)
{
    (void)ctx, (void)side;
    return 0;
}

static void own_finished(void *ctx, Side side)
{
    Conn *k = ctx;
    (void)side;
    if (k->ending)
        return;
    k->ending = 1; /* ended on the next turn of the loop, never inside the end's own call */
    if (!PostMessageW(k->cls->cfg.hwnd, WM_SL_CONN_DONE, (WPARAM)k->slot, (LPARAM)conn_gen(k)))
        k->unposted = 1;
}

static void tcp_not_sampled(void *ctx, const char *step, HWND notify, int side, WPARAM tag)
{
    (void)ctx, (void)step, (void)side;
    PostMessageW(notify, WM_SL_TCP_READ, tag, ENDPOINT_TCP_NOT_SAMPLED);
}

/* ---- connections --------------------------------------------------------------------- */

static void start_conn(Class *c, SOCKET s, const struct sockaddr_in *from)
{
    EndpointOwner owner = {NULL, own_connected, own_stepped, own_held, own_finished, own_finished};
    EndpointEnv env;
    RunInfo info;
    Conn *k = calloc(1, sizeof *k);
    if (!k) { /* no memory for one more: that client is told at once, the rest go on */
        struct linger lg = {1, 0};
        setsockopt(s, SOL_SOCKET, SO_LINGER, (const char *)&lg, sizeof lg);
        closesocket(s);
        c->res.failed++;
        fprintf(stderr, "shutdownlab-cli: a connection was reset at once: out of memory\n");
        return;
    }
    SL_ASSERT(c->free_count > 0);
    k->cls = c;
    k->id = ++c->res.connections;
    k->slot = c->free_ring[c->free_head];
    c->free_head = (c->free_head + 1) % WM_SL_CONN_COUNT;
    c->free_count--;
    c->slot[k->slot] = k;
    if (++c->live > c->res.concurrent_peak)
        c->res.concurrent_peak = c->live;
    k->t_start_us = plat_clock_us(NULL) - c->t0;
    plat_addr_text(from, k->from, sizeof k->from);

    memset(&info, 0, sizeof info);
    info.sc = c->cfg.sc;
    info.local = SIDE_SERVER;
    info.payload = c->cfg.payload >= 0 ? c->cfg.payload : c->cfg.sc->payload;
    info.timeout_ms = c->cfg.timeout_ms;
    info.on_wine = plat_wine_version() != NULL;
    info.version = c->cfg.version;
    info.peer = PEER_EXTERNAL;
    info.conn = k->id;
    snprintf(info.where, sizeof info.where, "listening on %s: connection %d, from %s", c->where, k->id, k->from);
    plat_describe(info.platform, sizeof info.platform);
    plat_os(info.os, sizeof info.os);
    transcript_init(&k->t, &info);
    k->t.clock_us = plat_clock_us;
    k->t.wall_ns = plat_wall_ns;
    k->verdict.event = verdict_event;
    k->verdict.end = verdict_end;
    if (c->cfg.format == FORMAT_JSONL)
        transcript_add_sink(&k->t, formatter_init(&k->fmt, FORMAT_JSONL, c->cfg.out));
    transcript_add_sink(&k->t, &k->verdict);
    transcript_begin(&k->t);

    owner.ctx = k;
    memset(&env, 0, sizeof env);
    env.t = &k->t;
    env.hwnd = c->cfg.hwnd;
    env.socket_msg = WM_SL_CONN_FIRST + k->slot;
    env.gen = conn_gen(k);
    env.timer = SL_TIMER_CONN_BASE + k->slot;
    env.buf = c->buf;
    env.hello = HELLO_DETECT;
    env.max_received = c->cfg.max_received;
    env.tcp_read = tcp_not_sampled;
    endpoint_init(&k->ep, SIDE_SERVER, &owner, &env);
    endpoint_adopt(&k->ep, s);
}

static void stop_listening(Class *c)
{
    if (!c->listening)
        return;
    c->listening = 0;
    closesocket(c->listener);
    c->listener = INVALID_SOCKET;
}

/* Takes the clients waiting in the backlog, as many as the bounds allow. */
static void accept_some(Class *c)
{
    while (c->listening && c->live < CLASS_CONCURRENT_MAX && c->res.connections + c->res.vanished < c->cfg.max) {
        struct sockaddr_in from;
        int len = sizeof from;
        SOCKET s = accept(c->listener, (struct sockaddr *)&from, &len);
        if (s == INVALID_SOCKET) {
            int e = WSAGetLastError();
            if (e != WSAECONNRESET) {
                if (e != WSAEWOULDBLOCK)
                    fprintf(stderr, "shutdownlab-cli: accept failed (error %d)\n", e);
                break;
            }
            c->res.vanished++; /* it reset while waiting in the backlog: counted, the next one */
            continue;
        }
        start_conn(c, s, &from);
    }
    if (c->res.connections + c->res.vanished >= c->cfg.max)
        stop_listening(c); /* every connection asked for has come: later clients are refused */
}

static void end_conn(Class *c, Conn *k)
{
    int left[SIDE_COUNT] = {0, 0};
    left[SIDE_SERVER] = endpoint_teardown(&k->ep);
    if (runner_failed(&k->ep.runner))
        left[SIDE_SERVER] = 0; /* stopped on a failure already reported */
    transcript_finish(&k->t, left);
    c->slot[k->slot] = NULL;
    c->free_ring[(c->free_head + c->free_count++) % WM_SL_CONN_COUNT] = k->slot;
    c->live--;
    free(k);
    c->idle_since_us = plat_clock_us(NULL) - c->t0;
    accept_some(c); /* one ended: one waiting in the backlog may start */
    if (!c->listening && c->live == 0)
        c->over = 1;
}

/* Once a second: each connection's limit on the whole, and the wait for more clients. */
static void tick(Class *c)
{
    int64_t now = plat_clock_us(NULL) - c->t0;
    for (int i = 0; i < WM_SL_CONN_COUNT; i++) {
        Conn *k = c->slot[i];
        char want[48];
        if (k && k->unposted) { /* its end's WM_SL_CONN_DONE was lost: ended here instead */
            end_conn(c, k);
            continue;
        }
        if (!k || k->ending || now - k->t_start_us < c->cfg.conn_limit_ms * 1000)
            continue;
        snprintf(want, sizeof want, "ends within %lld ms", (long long)c->cfg.conn_limit_ms);
        endpoint_abort(&k->ep, want, "still running",
                       "the connection took longer than a class allows one: it was reset");
    }
    if (c->live == 0 && (!c->listening || now - c->idle_since_us >= (int64_t)c->cfg.wait_ms * 1000)) {
        stop_listening(c); /* everyone came, or nobody did for a while: the class is over */
        c->over = 1;
    }
}

/* ---- the class ------------------------------------------------------------------------- */

Class *class_create(const ClassConfig *cfg, char *err, size_t errsize)
{
    Class *c = calloc(1, sizeof *c);
    SL_ASSERT(cfg->max >= 1 && cfg->max <= CLASS_MAX_CONNECTIONS);
    if (!c || !(c->buf = malloc(ENDPOINT_BUF))) {
        free(c);
        snprintf(err, errsize, "out of memory");
        return NULL;
    }
    c->cfg = *cfg;
    c->t0 = plat_clock_us(NULL);
    c->free_count = WM_SL_CONN_COUNT;
    for (int i = 0; i < WM_SL_CONN_COUNT; i++)
        c->free_ring[i] = i;
    plat_addr_text(&cfg->addr, c->where, sizeof c->where);
    c->listener = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    if (c->listener == INVALID_SOCKET || bind(c->listener, (const struct sockaddr *)&cfg->addr, sizeof cfg->addr) ||
        WSAAsyncSelect(c->listener, cfg->hwnd, WM_SL_CONN_FIRST - 1, FD_ACCEPT) || listen(c->listener, SOMAXCONN)) {
        snprintf(err, errsize, "cannot listen on %s (error %d)", c->where, WSAGetLastError());
        class_destroy(c);
        return NULL;
    }
    {
        struct sockaddr_in a;
        int len = sizeof a;
        if (getsockname(c->listener, (struct sockaddr *)&a, &len) == 0) {
            c->port = ntohs(a.sin_port);
            plat_addr_text(&a, c->where, sizeof c->where);
        }
    }
    c->listening = 1;
    SetTimer(cfg->hwnd, SL_TIMER_CLASS_TICK, 1000, NULL);
    return c;
}

int class_route(Class *c, HWND hwnd, UINT msg, WPARAM wp, LPARAM lp)
{
    Conn *k;
    (void)hwnd;
    if (msg == WM_SL_CONN_FIRST - 1) { /* the listener's FD_ACCEPT */
        if ((SOCKET)wp == c->listener && c->listening)
            accept_some(c);
        return 1;
    }
    if (msg >= WM_SL_CONN_FIRST && msg < WM_SL_CONN_FIRST + WM_SL_CONN_COUNT) {
        k = c->slot[msg - WM_SL_CONN_FIRST];
        return k ? endpoint_route(&k->ep, msg, wp, lp) : 1; /* none: a closed connection's, dropped */
    }
    switch (msg) {
    case WM_TIMER:
        if (wp == SL_TIMER_CLASS_TICK) {
            tick(c);
            return 1;
        }
        if (wp < SL_TIMER_CONN_BASE || wp >= SL_TIMER_CONN_BASE + WM_SL_CONN_COUNT)
            return 0;
        k = c->slot[wp - SL_TIMER_CONN_BASE];
        if (!k)
            KillTimer(hwnd, wp);
        return k ? endpoint_route(&k->ep, msg, wp, lp) : 1;
    case WM_SL_TCP_READ:
        k = c->slot[(wp >> 1) & (WM_SL_CONN_COUNT - 1)];
        return k ? endpoint_route(&k->ep, msg, wp, lp) : 1;
    case WM_SL_CLOSE_DONE:
        k = c->slot[endpoint_close_gen(lp) & (WM_SL_CONN_COUNT - 1)];
        if (k && conn_gen(k) == endpoint_close_gen(lp))
            return endpoint_route(&k->ep, msg, wp, lp);
        free((void *)lp); /* a connection that is gone: nobody waits for its close */
        return 1;
    case WM_SL_CONN_DONE:
        k = c->slot[wp & (WM_SL_CONN_COUNT - 1)];
        if (k && conn_gen(k) == (UINT)lp)
            end_conn(c, k);
        return 1;
    }
    return 0;
}

unsigned short class_port(const Class *c)
{
    return c->port;
}

int class_over(const Class *c)
{
    return c->over;
}

const ClassResult *class_finish(Class *c)
{
    ClassResult *r = &c->res;
    char a[32], b[32];
    r->exit_code = r->connections == 0 ? 3 : r->failed ? 1 : 0;
    format_thousands(r->bytes_sent, a, sizeof a);
    format_thousands(r->bytes_received, b, sizeof b);
    if (c->cfg.format == FORMAT_JSONL) {
        out_printf(&c->cfg.out,
                   "{\"t_us\":%lld,\"kind\":\"class\",\"connections\":%d,\"passed\":%d,\"failed\":%d,\"vanished\":%d,"
                   "\"bytes_lost\":%lld,\"bytes_lost_counted\":%d,"
                   "\"bytes_sent\":%lld,\"bytes_received\":%lld,\"slowest_us\":%lld,\"slowest_conn\":%d,"
                   "\"concurrent_peak\":%d,\"exit_code\":%d}\n",
                   (long long)(plat_clock_us(NULL) - c->t0), r->connections, r->passed, r->failed, r->vanished,
                   (long long)r->bytes_lost, r->lost_counted, (long long)r->bytes_sent, (long long)r->bytes_received,
                   (long long)r->slowest_us, r->slowest, r->concurrent_peak, r->exit_code);
        return r;
    }
    out_printf(&c->cfg.out, "%sclass: %d connection%s (at most %d at once), %d passed, %d failed; sent %s bytes, "
                            "received %s; slowest %.1f ms (connection %d) (exit %d)\n",
               c->cfg.format == FORMAT_TAP ? "# " : "", r->connections, r->connections == 1 ? "" : "s",
               r->concurrent_peak, r->passed, r->failed, a, b, r->slowest_us / 1000.0, r->slowest, r->exit_code);
    out_printf(&c->cfg.out, "%sbytes lost: %lld, counted on the %d connection%s whose client is ShutdownLab (what its "
                            "lines send is known); what this server sent, and what other programs sent, is counted "
                            "by the other end only\n",
               c->cfg.format == FORMAT_TAP ? "# " : "", (long long)r->bytes_lost, r->lost_counted,
               r->lost_counted == 1 ? "" : "s");
    if (r->vanished)
        out_printf(&c->cfg.out, "%s%d client%s reset before %s accepted: no verdict is possible\n",
                   c->cfg.format == FORMAT_TAP ? "# " : "", r->vanished, r->vanished == 1 ? "" : "s",
                   r->vanished == 1 ? "it was" : "they were");
    if (r->connections == 0)
        out_printf(&c->cfg.out, "%sno client connected within %d ms\n", c->cfg.format == FORMAT_TAP ? "# " : "",
                   c->cfg.wait_ms);
    if (c->cfg.format == FORMAT_TAP)
        out_printf(&c->cfg.out, "1..%d\n", c->tap_n);
    return r;
}

void class_destroy(Class *c)
{
    if (!c)
        return;
    KillTimer(c->cfg.hwnd, SL_TIMER_CLASS_TICK);
    for (int i = 0; i < WM_SL_CONN_COUNT; i++)
        if (c->slot[i]) {
            int none[SIDE_COUNT] = {0, 0};
            endpoint_teardown(&c->slot[i]->ep);
            transcript_finish(&c->slot[i]->t, none);
            free(c->slot[i]);
        }
    if (c->listener != INVALID_SOCKET)
        closesocket(c->listener);
    free(c->buf);
    free(c);
}
