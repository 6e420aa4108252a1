/* external.c: the headless runner beyond one machine (SPEC section 7): where to listen or
 * connect, and a class of connections at once (classroom.h). */
#include <winsock2.h>
#include <windows.h>

#include <stdio.h>
#include <string.h>

#include "classroom.h"
#include "cli.h"
#include "messages.h"
#include "platform.h"

int cli_parse_addr(const wchar_t *w, int listening, struct sockaddr_in *out, char *err, size_t errsize)
{
    char host[300];
    int gai;
    switch (plat_parse_addr(w, listening, listening ? 0 : 1, out, host, sizeof host, &gai)) {
    case PLAT_ADDR_OK:
        return 0;
    case PLAT_ADDR_PORT:
        snprintf(err, errsize, "'%s' needs a port from %d to 65535%s", utf8(w), listening ? 0 : 1,
                 listening ? ", as PORT or ADDR:PORT" : ", as HOST:PORT");
        return -1;
    case PLAT_ADDR_NO_HOST:
        snprintf(err, errsize, "--connect needs HOST:PORT (which machine?), not '%s'", utf8(w));
        return -1;
    default:
        snprintf(err, errsize, "cannot resolve '%s' to an IPv4 address (error %d)", host, gai);
        return -1;
    }
}

static Class *g_class;

static LRESULT CALLBACK class_wndproc(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp)
{
    if (msg == WM_TIMER && wp == SL_TIMER_FLUSH) { /* what a quiet class printed reaches the reader */
        fflush(stdout);
        return 0;
    }
    if (g_class && class_route(g_class, hwnd, msg, wp, lp))
        return 0;
    return DefWindowProcW(hwnd, msg, wp, lp);
}

int cli_class(const Scenario *sc, const Options *o, const struct sockaddr_in *addr, Out out)
{
    ClassConfig cfg;
    char err[200];
    MSG m;
    int rc;
    memset(&cfg, 0, sizeof cfg);
    if (!(cfg.hwnd = cli_message_window(class_wndproc, L"ShutdownLabClass")))
        return EXIT_ENVIRONMENT;
    cfg.sc = sc;
    cfg.payload = o->payload;
    cfg.timeout_ms = o->timeout_ms;
    cfg.wait_ms = o->wait_ms;
    cfg.max_received = o->max_bytes;
    cfg.conn_limit_ms = scenario_limit_ms(sc, o->timeout_ms); /* every watchdog its lines can meet, as a run's */
    cfg.addr = *addr;
    cfg.max = o->max_connections;
    cfg.format = o->format;
    cfg.out = out;
    cfg.version = SL_VERSION;
    if (!(g_class = class_create(&cfg, err, sizeof err))) {
        fprintf(stderr, "shutdownlab-cli: %s\n", err);
        DestroyWindow(cfg.hwnd);
        return EXIT_ENVIRONMENT;
    }
    SetTimer(cfg.hwnd, SL_TIMER_FLUSH, 50, NULL);
    fprintf(stderr, "shutdownlab-cli: listening on port %u for %d connections (%s)\n", class_port(g_class),
            o->max_connections, sc->name);
    fflush(stderr);
    while (!class_over(g_class) && GetMessageW(&m, NULL, 0, 0) > 0) {
        TranslateMessage(&m);
        DispatchMessageW(&m);
    }
    rc = class_finish(g_class)->exit_code;
    KillTimer(cfg.hwnd, SL_TIMER_FLUSH);
    fflush(stdout);
    class_destroy(g_class);
    g_class = NULL;
    DestroyWindow(cfg.hwnd);
    return rc;
}
