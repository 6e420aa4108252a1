/* test_same_lines.c: the GUI's log and the text transcript cannot disagree. Real runs on
 * real loopback sockets under Wine (an FD_READ storm: shutdown-receive; bulk data:
 * half-close-bulk; both roles) feed one event stream to the text format and to the GUI
 * log's model (linelog.h, what the log view shows); the log's lines must be the text's
 * lines, word for word, and each run must really have had its storm or its bulk. */
#include <winsock2.h>
#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "linelog.h"
#include "messages.h"
#include "platform.h"
#include "session.h"
#include "tap.h"

typedef struct Text {
    char *s;
    size_t n, cap;
} Text;

typedef struct LogSink {
    Sink sink;
    LineLog log;
} LogSink;

static Session *g_session;
static int g_done, g_overdue;

static void text_write(void *ctx, const char *s, size_t n)
{
    Text *t = ctx;
    if (t->n + n + 1 > t->cap) {
        size_t cap = (t->n + n + 1) * 2;
        char *p = realloc(t->s, cap);
        if (!p)
            return;
        t->s = p;
        t->cap = cap;
    }
    memcpy(t->s + t->n, s, n);
    t->n += n;
    t->s[t->n] = '\0';
}

/* The GUI's log model, fed as the GUI's drain feeds it (the transcript's lock keeps the
 * sink calls apart, as the GUI's queue does). */
static void log_event(Sink *s, const Event *ev)
{
    linelog_event(&((LogSink *)s)->log, ev);
}

static void log_end(Sink *s, const Summary *sum)
{
    (void)sum;
    linelog_flush(&((LogSink *)s)->log);
}

static LRESULT CALLBACK wndproc(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp)
{
    if (msg == WM_TIMER && wp == SL_TIMER_RUN_LIMIT) {
        g_overdue = g_done = 1; /* the test's own watchdog */
        return 0;
    }
    if (g_session && session_route(g_session, hwnd, msg, wp, lp))
        return 0;
    if (msg == WM_SL_COMPLETE)
        g_done = 1;
    return DefWindowProcW(hwnd, msg, wp, lp);
}

/* The text's lines between its header (up to the column headings) and its end (3 lines). */
static char *body(Text *t)
{
    static const char headings[] = "   t (ms)  side   step  what happened\n";
    char *p = t->s ? strstr(t->s, headings) : NULL, *end;
    if (!p)
        return NULL;
    p += sizeof headings - 1;
    end = t->s + t->n;
    for (int i = 0; i < 4 && end > p; i++) /* back over three lines and their newlines */
        while (end > p && *--end != '\n')
            ;
    if (end > p)
        end[1] = '\0';
    return p;
}

static void compare(const char *what, Text *text, const LineLog *log, const char *must)
{
    Text logged = {NULL, 0, 0};
    char *want = body(text);
    int found = 0;
    for (size_t i = 0; i < log->n; i++) {
        char line[GROUP_TEXT_MAX + 64];
        format_line(&log->lines[i], line, sizeof line);
        text_write(&logged, line, strlen(line));
        text_write(&logged, "\n", 1);
        found |= log->lines[i].count >= 10 && strstr(log->lines[i].text, must) != NULL;
    }
    if (!tap_ok(want && logged.s && !strcmp(want, logged.s), "%s: the log's %zu lines are the text's", what, log->n)) {
        size_t i = 0;
        while (want && logged.s && want[i] && want[i] == logged.s[i])
            i++;
        tap_diag("  first difference at byte %zu: text \"%.60s\", log \"%.60s\"", i, want ? want + i : "",
                 logged.s ? logged.s + i : "");
    }
    tap_ok(found, "%s: the run had what it is here for (a burst line with \"%s\")", what, must);
    tap_is_int(log->dropped, 0, "no line was dropped");
    free(logged.s);
}

static void run(HWND hwnd, const char *name, Side role, const char *must)
{
    Scenario *sc = scenario_builtin(name);
    Formatter fmt;
    LogSink ls;
    Text text = {NULL, 0, 0};
    SessionConfig cfg;
    char err[160], what[64];
    MSG m;
    snprintf(what, sizeof what, "%s, %s", name, side_name(role));
    memset(&cfg, 0, sizeof cfg);
    memset(&ls, 0, sizeof ls);
    ls.sink.event = log_event;
    ls.sink.end = log_end;
    linelog_init(&ls.log);
    linelog_set_scenario(&ls.log, sc);
    cfg.sc = sc;
    cfg.local = role;
    cfg.payload = -1;
    cfg.timeout_ms = 5000;
    cfg.local_hwnd = hwnd;
    cfg.sinks[0] = formatter_init(&fmt, FORMAT_TEXT, (Out){text_write, &text});
    cfg.sinks[1] = &ls.sink;
    cfg.nsinks = 2;
    if (!tap_ok(sc && (g_session = session_create(&cfg, err, sizeof err)) != NULL, "%s: the run starts", what))
        return;
    g_done = g_overdue = 0;
    SetTimer(hwnd, SL_TIMER_RUN_LIMIT, 60000, NULL);
    session_start(g_session);
    while (!g_done && GetMessageW(&m, NULL, 0, 0) > 0)
        DispatchMessageW(&m);
    KillTimer(hwnd, SL_TIMER_RUN_LIMIT);
    tap_ok(!g_overdue && session_summary(g_session)->exit_code == 0, "%s: the run passes (exit %d)", what,
           session_summary(g_session)->exit_code);
    session_destroy(g_session);
    g_session = NULL;
    compare(what, &text, &ls.log, must);
    linelog_free(&ls.log);
    free(text.s);
    scenario_free(sc);
}

int main(void)
{
    HWND hwnd = plat_message_window(wndproc, L"SameLinesTest", NULL);
    if (!tap_ok(hwnd && plat_winsock_start() == 0, "a message-only window and Winsock"))
        return tap_done();
    for (int k = 0; k < SIDE_COUNT; k++) {
        run(hwnd, "shutdown-receive", (Side)k, "WSAESHUTDOWN (10058)"); /* the storm, coalesced */
        run(hwnd, "half-close-bulk", (Side)k, " bytes");                 /* the bulk, coalesced */
    }
    WSACleanup();
    return tap_done();
}
