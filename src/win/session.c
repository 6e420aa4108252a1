/* session.c: one run, from listen to the last TCP sample (session.h). The peer's thread
 * owns a message-only window and a message loop, exactly like a second program would. */
#include "session.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "messages.h"
#include "platform.h"

static const wchar_t PEER_CLASS[] = L"ShutdownLabPeer";

static LRESULT CALLBACK peer_wndproc(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp)
{
    Session *s = (Session *)GetWindowLongPtrW(hwnd, GWLP_USERDATA);
    if (msg == WM_NCCREATE) {
        s = ((CREATESTRUCTW *)lp)->lpCreateParams;
        SetWindowLongPtrW(hwnd, GWLP_USERDATA, (LONG_PTR)s);
    }
    if (s && msg == WM_SL_STOP) {
        Endpoint *ep = &s->ep[!s->local];
        LONG left = endpoint_teardown(ep);
        *(LONG *)lp = left;
        DestroyWindow(hwnd);
        return 0;
    }
    if (msg == WM_DESTROY) {
        PostQuitMessage(0);
        return 0;
    }
    if (s && session_handle(s, hwnd, msg, wp, lp))
        return 0;
    return DefWindowProcW(hwnd, msg, wp, lp);
}

static DWORD WINAPI peer_main(void *arg)
{
    Session *s = arg;
    MSG m;
    s->peer_hwnd = CreateWindowExW(0, PEER_CLASS, L"ShutdownLab peer", 0, 0, 0, 0, 0, HWND_MESSAGE, NULL,
                                   GetModuleHandleW(NULL), s);
    SetEvent(s->peer_ready);
    if (!s->peer_hwnd)
        return 1;
    while (GetMessageW(&m, NULL, 0, 0) > 0) {
        TranslateMessage(&m);
        DispatchMessageW(&m);
    }
    return 0;
}

static int register_peer_class(void)
{
    WNDCLASSEXW wc;
    memset(&wc, 0, sizeof wc);
    wc.cbSize = sizeof wc;
    wc.lpfnWndProc = peer_wndproc;
    wc.hInstance = GetModuleHandleW(NULL);
    wc.lpszClassName = PEER_CLASS;
    return RegisterClassExW(&wc) || GetLastError() == ERROR_CLASS_ALREADY_EXISTS;
}

Session *session_create(const SessionConfig *cfg, char *err, size_t errsize)
{
    RunInfo info;
    Session *s = calloc(1, sizeof *s);
    static volatile LONG generations;
    if (!s) {
        snprintf(err, errsize, "out of memory");
        return NULL;
    }
    s->gen = (UINT)InterlockedIncrement(&generations);
    s->socket_msg = WM_SL_SOCKET_FIRST + s->gen % WM_SL_SOCKET_COUNT;
    memset(&info, 0, sizeof info);
    info.sc = cfg->sc;
    info.local = cfg->local;
    info.payload = cfg->payload >= 0 ? cfg->payload : cfg->sc->payload;
    info.timeout_ms = cfg->timeout_ms;
    info.on_wine = plat_wine_version() != NULL;
    info.version = cfg->version;
    plat_describe(info.platform, sizeof info.platform);
    transcript_init(&s->t, &info);
    InitializeCriticalSection(&s->lock);
    s->t.lock = plat_lock;
    s->t.unlock = plat_unlock;
    s->t.lock_ctx = &s->lock;
    s->t.clock_us = plat_clock_us;
    for (size_t i = 0; i < cfg->nsinks; i++)
        transcript_add_sink(&s->t, cfg->sinks[i]);
    s->local = cfg->local;
    s->local_hwnd = cfg->local_hwnd;
    s->manual = cfg->manual;

    if (!register_peer_class() || !(s->peer_ready = CreateEventW(NULL, TRUE, FALSE, NULL)) ||
        !(s->peer_thread = CreateThread(NULL, 0, peer_main, s, 0, NULL))) {
        snprintf(err, errsize, "cannot start the peer's thread (error %lu)", GetLastError());
        session_destroy(s);
        return NULL;
    }
    WaitForSingleObject(s->peer_ready, INFINITE);
    if (!s->peer_hwnd) {
        snprintf(err, errsize, "cannot create the peer's window");
        session_destroy(s);
        return NULL;
    }
    endpoint_init(&s->ep[s->local], s, s->local, s->local_hwnd);
    endpoint_init(&s->ep[!s->local], s, (Side)!s->local, s->peer_hwnd);
    endpoint_attach(&s->ep[SIDE_CLIENT]);
    endpoint_attach(&s->ep[SIDE_SERVER]);
    if (tcpsampler_start(&s->sampler, s) < 0) {
        snprintf(err, errsize, "cannot start the TCP-table sampler");
        session_destroy(s);
        return NULL;
    }
    return s;
}

HWND session_hwnd(const Session *s, Side side)
{
    return side == s->local ? s->local_hwnd : s->peer_hwnd;
}

void session_start(Session *s)
{
    transcript_begin(&s->t);
    /* the server end's own thread makes the listener; it then sends the client the port */
    PostMessageW(session_hwnd(s, SIDE_SERVER), WM_SL_START, SIDE_SERVER, s->gen);
}

void session_connect_peer(Session *s, unsigned short port)
{
    PostMessageW(session_hwnd(s, SIDE_CLIENT), WM_SL_CONNECT, port, s->gen);
}

void session_set_tuple(Session *s, Side side, const struct sockaddr_in *local, const struct sockaddr_in *remote)
{
    EnterCriticalSection(&s->lock);
    if (!s->tuple_known) {
        s->client_local = side == SIDE_CLIENT ? *local : *remote;
        s->server_local = side == SIDE_CLIENT ? *remote : *local;
        s->tuple_known = 1;
    }
    LeaveCriticalSection(&s->lock);
}

int session_stepped(Session *s, Side side, const char *step)
{
    /* one sample of the established connection, by the end that starts first; the other
     * end holds too when a student steps (released by the same message, without a sample) */
    if (!step[0] && InterlockedExchange(&s->first_sampled, 1)) {
        if (!s->manual)
            return 0;
        PostMessageW(session_hwnd(s, side), WM_SL_SAMPLED, 1 + (WPARAM)side, s->gen);
        return 1;
    }
    /* the end waits for the sample, so the table shows the states this step led to */
    tcpsampler_request(&s->sampler, step, step[0] ? NULL : "before the first step", session_hwnd(s, side),
                       1 + (WPARAM)side, s->gen);
    return 1;
}

void session_side_finished(Session *s, Side side)
{
    if (InterlockedExchange(&s->side_done[side], 1))
        return; /* once per end, however many ways it ended */
    InterlockedIncrement(&s->sides_done);
    PostMessageW(s->local_hwnd, WM_SL_SIDE_DONE, side, s->gen);
}

/* Both scripts are over and the last sample is in: stop the peer, close what is left. */
static void finish(Session *s)
{
    LONG peer_left = 0;
    int left[SIDE_COUNT];
    if (s->peer_hwnd) {
        /* SendMessage: the peer's thread runs its own teardown and answers */
        SendMessageW(s->peer_hwnd, WM_SL_STOP, 0, (LPARAM)&peer_left);
        WaitForSingleObject(s->peer_thread, INFINITE);
        s->peer_hwnd = NULL;
    }
    left[!s->local] = (int)peer_left;
    left[s->local] = endpoint_teardown(&s->ep[s->local]);
    for (int k = 0; k < SIDE_COUNT; k++)
        if (s->ep[k].runner.failed)
            left[k] = 0; /* that end stopped on a failure already reported: not the lines' fault */
    tcpsampler_stop(&s->sampler);
    transcript_finish(&s->t, left);
    s->complete = 1;
}

int session_handle(Session *s, HWND hwnd, UINT msg, WPARAM wp, LPARAM lp)
{
    Side side = hwnd == s->local_hwnd ? s->local : (Side)!s->local;
    Endpoint *ep = &s->ep[side];
    switch (msg) {
    case WM_SL_START:
    case WM_SL_CONNECT:
    case WM_SL_SIDE_DONE:
    case WM_SL_SAMPLED:
    case WM_SL_HELD:
    case WM_SL_RELEASE:
    case WM_SL_WATCHDOG:
        if ((UINT)lp != s->gen)
            return 1; /* from an earlier run: dropped */
        break;
    }
    switch (msg) {
    case WM_SL_START:
        if (side == SIDE_SERVER) {
            unsigned short port = endpoint_listen(ep);
            if (port)
                session_connect_peer(s, port);
            else
                session_side_finished(s, SIDE_CLIENT); /* the client will never start */
        }
        return 1;
    case WM_SL_CONNECT:
        if (side == SIDE_CLIENT)
            endpoint_connect(ep, (unsigned short)wp);
        return 1;
    case WM_SL_SIDE_DONE:
        if (hwnd == s->local_hwnd && s->sides_done >= SIDE_COUNT && !s->finishing) {
            s->finishing = 1;
            tcpsampler_request(&s->sampler, "", "at the end of the run", s->local_hwnd, 0, s->gen);
        }
        return 1;
    case WM_SL_SAMPLED:
        if (wp == 1 + (WPARAM)side && s->manual) {
            InterlockedIncrement(&s->awaiting_user[side]); /* holds stack: a step met while held */
            /* the student holds this end: the other end's wait is not a failure yet */
            PostMessageW(session_hwnd(s, (Side)!side), WM_SL_WATCHDOG, 0, s->gen);
            PostMessageW(s->local_hwnd, WM_SL_HELD, side, s->gen);
        } else if (wp == 1 + (WPARAM)side) {
            runner_release(&ep->runner);
        } else if (wp == 0 && hwnd == s->local_hwnd && s->finishing && !s->complete) {
            finish(s);
        }
        return 1;
    case WM_SL_RELEASE:
        if (wp == (WPARAM)side) {
            /* every hold of this end goes: the steps it met while held have happened */
            LONG n = InterlockedExchange(&s->awaiting_user[side], 0);
            if (n > 0 && !s->awaiting_user[!side])
                PostMessageW(session_hwnd(s, (Side)!side), WM_SL_WATCHDOG, 1, s->gen);
            while (n-- > 0)
                runner_release(&ep->runner);
        }
        return 1;
    case WM_SL_WATCHDOG:
        if (wp)
            runner_resume_watchdog(&ep->runner);
        else
            runner_pause_watchdog(&ep->runner);
        return 1;
    case WM_SL_HELD:
        return 0; /* the front end's to handle */
    }
    return endpoint_handle(ep, msg, wp, lp);
}

void session_set_manual(Session *s, int on)
{
    InterlockedExchange(&s->manual, on);
    if (!on)
        for (int k = 0; k < SIDE_COUNT; k++)
            session_release(s, (Side)k);
}

void session_release(Session *s, Side side)
{
    HWND h = session_hwnd(s, side);
    if (h && s->awaiting_user[side])
        PostMessageW(h, WM_SL_RELEASE, side, s->gen);
}

int session_awaiting(const Session *s, Side side)
{
    return s->awaiting_user[side] != 0;
}

void session_abort(Session *s, const char *why)
{
    Event ev;
    int none[SIDE_COUNT] = {0, 0};
    EnterCriticalSection(&s->lock); /* held (it is recursive) until the caller ends the process */
    event_init(&ev, EV_CHECK, s->local, "run");
    ev.t_us = transcript_now(&s->t);
    snprintf(ev.expected, sizeof ev.expected, "ends");
    snprintf(ev.observed, sizeof ev.observed, "still running");
    EVENT_SET(ev.text, why);
    ev.environment = 1;
    transcript_emit(&s->t, &ev);
    transcript_finish(&s->t, none);
    s->complete = 1;
}

int session_complete(const Session *s)
{
    return s->complete;
}

const Summary *session_summary(const Session *s)
{
    return &s->t.sum;
}

void session_destroy(Session *s)
{
    if (!s)
        return;
    if (s->peer_thread) {
        if (s->peer_hwnd) {
            LONG left = 0;
            SendMessageW(s->peer_hwnd, WM_SL_STOP, 0, (LPARAM)&left);
        }
        WaitForSingleObject(s->peer_thread, INFINITE);
        CloseHandle(s->peer_thread);
    }
    if (!s->complete && s->ep[s->local].session)
        endpoint_teardown(&s->ep[s->local]);
    tcpsampler_stop(&s->sampler);
    if (s->peer_ready)
        CloseHandle(s->peer_ready);
    DeleteCriticalSection(&s->lock);
    free(s);
}
