/* peer.c: the embedded peer's thread, window and loop (peer.h). */
#include "peer.h"

#include <stdio.h>
#include <string.h>

#include "messages.h"
#include "platform.h"

static const wchar_t PEER_CLASS[] = L"ShutdownLabPeer";

/* WM_SL_STOP's lParam: what to run on this thread before it ends. */
typedef struct LastWork {
    void (*fn)(void *ctx);
    void *ctx;
} LastWork;

static LRESULT CALLBACK peer_wndproc(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp)
{
    Peer *p = (Peer *)GetWindowLongPtrW(hwnd, GWLP_USERDATA);
    if (msg == WM_NCCREATE) {
        p = ((CREATESTRUCTW *)lp)->lpCreateParams;
        SetWindowLongPtrW(hwnd, GWLP_USERDATA, (LONG_PTR)p);
    }
    if (msg == WM_SL_STOP) {
        const LastWork *w = (const LastWork *)lp;
        if (w && w->fn)
            w->fn(w->ctx);
        DestroyWindow(hwnd);
        return 0;
    }
    if (msg == WM_DESTROY) {
        PostQuitMessage(0);
        return 0;
    }
    if (p && p->route && p->route(p->ctx, hwnd, msg, wp, lp))
        return 0;
    return DefWindowProcW(hwnd, msg, wp, lp);
}

static DWORD WINAPI peer_main(void *arg)
{
    Peer *p = arg;
    MSG m;
    HWND h = plat_message_window(peer_wndproc, PEER_CLASS, p);
    p->hwnd = h;
    SetEvent(p->ready);
    if (!h)
        return 1;
    while (GetMessageW(&m, NULL, 0, 0) > 0) {
        TranslateMessage(&m);
        DispatchMessageW(&m);
    }
    return 0;
}

int peer_start(Peer *p, PeerRoute route, void *ctx, char *err, size_t errsize)
{
    memset(p, 0, sizeof *p);
    p->route = route;
    p->ctx = ctx;
    if (!(p->ready = CreateEventW(NULL, TRUE, FALSE, NULL)) ||
        !(p->thread = CreateThread(NULL, 0, peer_main, p, 0, NULL))) {
        snprintf(err, errsize, "cannot start the peer's thread (error %lu)", GetLastError());
        return -1;
    }
    WaitForSingleObject(p->ready, INFINITE);
    if (!p->hwnd) {
        snprintf(err, errsize, "cannot create the peer's window");
        return -1;
    }
    return 0;
}

void peer_stop(Peer *p, void (*last)(void *ctx), void *ctx)
{
    if (p->thread) {
        LastWork w = {last, ctx};
        DWORD_PTR res;
        /* sent: the peer's thread runs its own teardown and answers. SMTO_BLOCK: while it
         * does, this thread takes no message sent to it (a window's command from another
         * program, say), which could end this same run a second time inside the first */
        if (p->hwnd)
            SendMessageTimeoutW(p->hwnd, WM_SL_STOP, 0, (LPARAM)&w, SMTO_BLOCK, 60000, &res);
        WaitForSingleObject(p->thread, INFINITE);
        CloseHandle(p->thread);
        p->thread = NULL;
    }
    p->hwnd = NULL;
    if (p->ready) {
        CloseHandle(p->ready);
        p->ready = NULL;
    }
}
