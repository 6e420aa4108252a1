/* cmdline.c: the command line for demos and tests (SPEC section 6). Bad arguments never
 * open a message box (CI has nobody to click it): usage goes to stderr, exit status 2. */
#include "ui.h"


#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../res/resource.h"
#include "platform.h"

void ui_print_usage(void)
{
    wchar_t usage[2048];
    ui_load(IDS_USAGE, usage, 2048);
    fprintf(stderr, "%ls\n", usage);
}

static int bad(const wchar_t *arg)
{
    wchar_t msg[300];
    ui_format(msg, 300, IDS_ERR_ARG, arg);
    fprintf(stderr, "%ls\n", msg);
    return -1;
}

/* A usage error said in one of the STRINGTABLE's sentences (one %ls: the argument). */
static int bad_as(UINT id, const wchar_t *arg)
{
    wchar_t msg[400];
    ui_format(msg, 400, id, arg);
    fprintf(stderr, "%ls\n", msg);
    return -1;
}

int ui_parse_addr(const wchar_t *w, int listening, struct sockaddr_in *out, wchar_t *err, int errsize)
{
    char host[300];
    int gai;
    /* port 0 is refused: the address on screen is always the real one */
    switch (plat_parse_addr(w, listening, 1, out, host, sizeof host, &gai)) {
    case PLAT_ADDR_OK:
        return 0;
    case PLAT_ADDR_PORT:
        ui_format(err, (size_t)errsize, listening ? IDS_ADDR_LISTEN : IDS_ADDR_CONNECT, w);
        return -1;
    case PLAT_ADDR_NO_HOST:
        ui_format(err, (size_t)errsize, IDS_ADDR_HOST, w);
        return -1;
    default:
        ui_format(err, (size_t)errsize, IDS_ADDR_RESOLVE, host, gai);
        return -1;
    }
}

/* --listen and --connect (the address), --peer and --role: what they need and decide. */
static int peer_args(UiOptions *o, const wchar_t *listen, const wchar_t *connect)
{
    wchar_t err[300];
    UiPeer *p = &o->peer;
    if (listen && connect)
        return bad_as(IDS_ERR_PEER_BOTH, L"");
    if (p->as_peer && !listen && !connect)
        return bad_as(IDS_ERR_PEER_ALONE, L"");
    if (!listen && !connect)
        return 0;
    if (o->replay[0])
        return bad_as(IDS_ERR_PEER_REPLAY, listen ? L"--listen" : L"--connect");
    if (o->role_given && o->role != (listen ? SIDE_SERVER : SIDE_CLIENT))
        return bad_as(listen ? IDS_ERR_ROLE_LISTEN : IDS_ERR_ROLE_CONNECT, L"");
    if (ui_parse_addr(listen ? listen : connect, listen != NULL, &p->addr, err, 300) < 0) {
        wchar_t msg[400];
        ui_format(msg, 400, IDS_ERR_ADDR, listen ? L"--listen" : L"--connect", err);
        fprintf(stderr, "%ls\n", msg);
        return -1;
    }
    p->mode = listen ? UI_PEER_LISTEN : UI_PEER_CONNECT;
    o->role = listen ? SIDE_SERVER : SIDE_CLIENT;
    wcsncpy(p->text, listen ? listen : connect, 127);
    return 0;
}

int ui_parse_args(int argc, wchar_t **argv, UiOptions *o)
{
    const wchar_t *listen = NULL, *connect = NULL;
    memset(o, 0, sizeof *o);
    snprintf(o->scenario, sizeof o->scenario, "graceful-client");
    o->role = SIDE_CLIENT;
    o->zoom = 1.0;
    for (int i = 1; i < argc; i++) {
        const wchar_t *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!wcscmp(a, L"--help") || !wcscmp(a, L"-h"))
            return 1;
        if (!wcscmp(a, L"--autoplay")) {
            o->autoplay = 1;
        } else if (!wcscmp(a, L"--exit-after-run")) {
            o->exit_after_run = 1;
        } else if (!wcscmp(a, L"--predict")) {
            o->predict = 1;
        } else if (!wcscmp(a, L"--peer")) {
            o->peer.as_peer = 1;
        } else if (!wcscmp(a, L"--pure-acks")) {
            o->pure_acks = 1;
        } else if (!v) {
            return bad(a);
        } else if (!wcscmp(a, L"--scenario")) {
            if (!WideCharToMultiByte(CP_UTF8, 0, v, -1, o->scenario, sizeof o->scenario, NULL, NULL))
                return bad(v);
            i++;
        } else if (!wcscmp(a, L"--role")) {
            char role[16];
            if (!WideCharToMultiByte(CP_UTF8, 0, v, -1, role, sizeof role, NULL, NULL) ||
                (o->role = side_from_name(role)) == SIDE_COUNT)
                return bad(v);
            o->role_given = 1;
            i++;
        } else if (!wcscmp(a, L"--listen") || !wcscmp(a, L"--connect")) {
            *(!wcscmp(a, L"--listen") ? &listen : &connect) = v;
            i++;
        } else if (!wcscmp(a, L"--scenario-file")) {
            if (wcslen(v) >= MAX_PATH || !v[0])
                return bad(v);
            wcscpy(o->scenario_file, v);
            i++;
        } else if (!wcscmp(a, L"--screenshot") || !wcscmp(a, L"--state-out") || !wcscmp(a, L"--export-text") ||
                   !wcscmp(a, L"--export-diagram") || !wcscmp(a, L"--replay") || !wcscmp(a, L"--record") ||
                   !wcscmp(a, L"--wire")) {
            wchar_t *dst = !wcscmp(a, L"--screenshot")       ? o->screenshot
                           : !wcscmp(a, L"--state-out")      ? o->state_out
                           : !wcscmp(a, L"--export-text")    ? o->export_text
                           : !wcscmp(a, L"--export-diagram") ? o->export_diagram
                           : !wcscmp(a, L"--replay")         ? o->replay
                           : !wcscmp(a, L"--wire")           ? o->wire
                                                             : o->record;
            if (wcslen(v) >= MAX_PATH || !v[0])
                return bad(v);
            wcscpy(dst, v);
            i++;
        } else if (!wcscmp(a, L"--storm")) { /* benchmarks only: SessionConfig.storm */
            wchar_t *end;
            long n = wcstol(v, &end, 10);
            if (*end || n < 0 || n > 1000000) {
                fprintf(stderr, "--storm takes a count from 0 to 1000000, not '%ls'\n", v);
                return -1;
            }
            o->storm = (int)n;
            i++;
        } else if (!wcscmp(a, L"--zoom")) {
            wchar_t *end;
            long pct = wcstol(v, &end, 10);
            if (*end || pct < 50 || pct > 400) {
                wchar_t msg[300];
                ui_format(msg, 300, IDS_ERR_ZOOM, v);
                fprintf(stderr, "%ls\n", msg);
                return -1;
            }
            o->zoom = pct / 100.0;
            i++;
        } else {
            return bad(a);
        }
    }
    return peer_args(o, listen, connect);
}
