/* main.c: shutdownlab.exe, the GUI shell. The main window itself receives the local
 * end's FD_* messages through WSAAsyncSelect (the session hands it the socket) and shows
 * every event of the run in a virtual list view. The window procedure only dispatches:
 * one On* handler per message (Raymond Chen's scratch program). */
#include <winsock2.h>
#include <windows.h>
#include <windowsx.h>
#include <commctrl.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "../../res/resource.h"
#include "format.h"
#include "messages.h"
#include "platform.h"
#include "scenario.h"
#include "session.h"

#ifndef SL_VERSION
#define SL_VERSION "0.0.0"
#endif

/* The log the list view shows: one line per event, or per burst (text format rules). */
typedef struct LogLine {
    char text[256];
} LogLine;

typedef struct App {
    HWND hwnd, log;
    HACCEL accel;
    Scenario *sc;
    Side role;
    int autoplay, exit_after_run;
    Session *session;
    Formatter fmt;         /* text lines, written into `pending` by any thread */
    CRITICAL_SECTION lock; /* guards pending */
    char *pending;
    size_t npending, cappending;
    volatile LONG posted;
    LogLine *lines;
    size_t nlines, caplines;
    int exit_code;
} App;

static App g_app;

static void load_string(UINT id, wchar_t *buf, int size)
{
    if (!LoadStringW(GetModuleHandleW(NULL), id, buf, size))
        buf[0] = L'\0';
}

/* Sink output, from any thread: append under the lock, poke the UI thread once. */
static void gui_write(void *ctx, const char *s, size_t n)
{
    App *a = ctx;
    EnterCriticalSection(&a->lock);
    if (a->npending + n + 1 > a->cappending) {
        size_t cap = (a->cappending + n + 1) * 2;
        char *p = realloc(a->pending, cap);
        if (!p) {
            LeaveCriticalSection(&a->lock);
            return;
        }
        a->pending = p;
        a->cappending = cap;
    }
    memcpy(a->pending + a->npending, s, n);
    a->npending += n;
    LeaveCriticalSection(&a->lock);
    if (InterlockedExchange(&a->posted, 1) == 0)
        PostMessageW(a->hwnd, WM_SL_EVENT, 0, 0);
}

static void add_line(App *a, const char *s, size_t n)
{
    if (a->nlines == a->caplines) {
        size_t cap = a->caplines ? a->caplines * 2 : 256;
        LogLine *l = realloc(a->lines, cap * sizeof *l);
        if (!l)
            return;
        a->lines = l;
        a->caplines = cap;
    }
    if (n >= sizeof a->lines[0].text)
        n = sizeof a->lines[0].text - 1;
    memcpy(a->lines[a->nlines].text, s, n);
    a->lines[a->nlines].text[n] = '\0';
    a->nlines++;
}

static void OnSlEvent(HWND hwnd)
{
    App *a = &g_app;
    char *buf;
    size_t n, start = 0;
    (void)hwnd;
    InterlockedExchange(&a->posted, 0);
    EnterCriticalSection(&a->lock);
    buf = a->pending;
    n = a->npending;
    a->pending = NULL;
    a->npending = a->cappending = 0;
    LeaveCriticalSection(&a->lock);
    for (size_t i = 0; i < n; i++)
        if (buf[i] == '\n') {
            add_line(a, buf + start, i - start);
            start = i + 1;
        }
    free(buf);
    ListView_SetItemCountEx(a->log, (int)a->nlines, LVSICF_NOSCROLL);
    if (a->nlines)
        ListView_EnsureVisible(a->log, (int)a->nlines - 1, FALSE);
}

static void start_run(App *a)
{
    SessionConfig cfg;
    char err[160];
    session_destroy(a->session);
    a->session = NULL;
    a->nlines = 0;
    ListView_SetItemCountEx(a->log, 0, 0);
    memset(&cfg, 0, sizeof cfg);
    cfg.sc = a->sc;
    cfg.local = a->role;
    cfg.payload = -1;
    cfg.timeout_ms = 5000;
    cfg.local_hwnd = a->hwnd;
    cfg.sinks[0] = formatter_init(&a->fmt, FORMAT_TEXT, (Out){gui_write, a});
    cfg.nsinks = 1;
    cfg.version = SL_VERSION;
    if (!(a->session = session_create(&cfg, err, sizeof err))) {
        wchar_t fmt[128], msg[320];
        load_string(IDS_RUN_FAILED, fmt, 128);
        _snwprintf(msg, 320, fmt, err);
        msg[319] = L'\0';
        MessageBoxW(a->hwnd, msg, L"ShutdownLab", MB_ICONERROR);
        return;
    }
    session_start(a->session);
}

static BOOL OnCreate(HWND hwnd, LPCREATESTRUCTW cs)
{
    App *a = &g_app;
    LVCOLUMNW col;
    wchar_t title[64];
    (void)cs;
    a->hwnd = hwnd;
    a->log = CreateWindowExW(0, WC_LISTVIEWW, L"", WS_CHILD | WS_VISIBLE | WS_TABSTOP | LVS_REPORT | LVS_OWNERDATA |
                                                       LVS_SHOWSELALWAYS | LVS_NOSORTHEADER,
                             0, 0, 0, 0, hwnd, (HMENU)(INT_PTR)IDC_LOG, GetModuleHandleW(NULL), NULL);
    if (!a->log)
        return FALSE;
    ListView_SetExtendedListViewStyle(a->log, LVS_EX_FULLROWSELECT | LVS_EX_DOUBLEBUFFER);
    memset(&col, 0, sizeof col);
    col.mask = LVCF_TEXT | LVCF_WIDTH;
    load_string(IDS_COL_EVENT, title, 64);
    col.pszText = title;
    col.cx = 1200;
    ListView_InsertColumn(a->log, 0, &col);
    SetFocus(a->log);
    return TRUE;
}

static void OnSize(HWND hwnd, UINT state, int cx, int cy)
{
    (void)hwnd;
    (void)state;
    MoveWindow(g_app.log, 0, 0, cx, cy, TRUE);
}

static LRESULT OnNotify(HWND hwnd, int id, NMHDR *nm)
{
    (void)hwnd;
    if (id == IDC_LOG && nm->code == LVN_GETDISPINFOW) {
        NMLVDISPINFOW *di = (NMLVDISPINFOW *)nm;
        if ((di->item.mask & LVIF_TEXT) && (size_t)di->item.iItem < g_app.nlines)
            MultiByteToWideChar(CP_UTF8, 0, g_app.lines[di->item.iItem].text, -1, di->item.pszText,
                                di->item.cchTextMax);
    }
    return 0;
}

static void OnCommand(HWND hwnd, int id, HWND ctl, UINT code)
{
    (void)ctl;
    (void)code;
    switch (id) {
    case IDC_RUN_RUN:
    case IDC_RUN_RESET:
        start_run(&g_app);
        break;
    case IDC_FILE_EXIT:
        DestroyWindow(hwnd);
        break;
    case IDC_HELP_ABOUT:
        MessageBoxW(hwnd, L"ShutdownLab " TEXT(SL_VERSION) L"\nTCP graceful shutdown, linger options and socket closure, live.",
                    L"About ShutdownLab", MB_ICONINFORMATION);
        break;
    }
}

static void OnDestroy(HWND hwnd)
{
    (void)hwnd;
    session_destroy(g_app.session);
    g_app.session = NULL;
    PostQuitMessage(g_app.exit_code);
}

static void on_run_complete(App *a)
{
    const Summary *s = session_summary(a->session);
    wchar_t fmt[128], msg[256];
    load_string(IDS_RUN_DONE, fmt, 128);
    _snwprintf(msg, 256, fmt, s->checks, s->mismatches, s->known_differences);
    msg[255] = L'\0';
    SetWindowTextW(a->hwnd, msg);
    a->exit_code = s->exit_code;
    if (a->exit_after_run)
        DestroyWindow(a->hwnd);
}

/* HANDLE_MSG (windowsx.h) expects the parameters to be called wParam and lParam. */
static LRESULT CALLBACK wndproc(HWND hwnd, UINT msg, WPARAM wParam, LPARAM lParam)
{
    if (g_app.session && session_handle(g_app.session, hwnd, msg, wParam, lParam)) {
        if (session_complete(g_app.session) && msg == WM_SL_SAMPLED) {
            OnSlEvent(hwnd);
            on_run_complete(&g_app);
        }
        return 0;
    }
    switch (msg) {
        HANDLE_MSG(hwnd, WM_CREATE, OnCreate);
        HANDLE_MSG(hwnd, WM_SIZE, OnSize);
        HANDLE_MSG(hwnd, WM_NOTIFY, OnNotify);
        HANDLE_MSG(hwnd, WM_COMMAND, OnCommand);
        HANDLE_MSG(hwnd, WM_DESTROY, OnDestroy);
    case WM_SL_EVENT:
        OnSlEvent(hwnd);
        return 0;
    }
    return DefWindowProcW(hwnd, msg, wParam, lParam);
}

static int parse_args(int argc, wchar_t **argv, App *a, char *name, size_t size)
{
    snprintf(name, size, "graceful-client");
    for (int i = 1; i < argc; i++) {
        if (!wcscmp(argv[i], L"--scenario") && i + 1 < argc)
            WideCharToMultiByte(CP_UTF8, 0, argv[++i], -1, name, (int)size, NULL, NULL);
        else if (!wcscmp(argv[i], L"--role") && i + 1 < argc && !wcscmp(argv[i + 1], L"server"))
            a->role = SIDE_SERVER, i++;
        else if (!wcscmp(argv[i], L"--role") && i + 1 < argc && !wcscmp(argv[i + 1], L"client"))
            a->role = SIDE_CLIENT, i++;
        else if (!wcscmp(argv[i], L"--autoplay"))
            a->autoplay = 1;
        else if (!wcscmp(argv[i], L"--exit-after-run"))
            a->exit_after_run = 1;
        else
            return -1;
    }
    return 0;
}

int WINAPI wWinMain(HINSTANCE inst, HINSTANCE prev, LPWSTR cmd, int show)
{
    INITCOMMONCONTROLSEX icc = {sizeof icc, ICC_LISTVIEW_CLASSES | ICC_BAR_CLASSES};
    WNDCLASSEXW wc;
    MSG m;
    char name[SCENARIO_NAME_MAX];
    wchar_t title[64];
    int argc;
    wchar_t **argv = CommandLineToArgvW(GetCommandLineW(), &argc);
    (void)prev;
    (void)cmd;
    InitializeCriticalSection(&g_app.lock);
    if (!argv || parse_args(argc, argv, &g_app, name, sizeof name) < 0) {
        wchar_t usage[256];
        load_string(IDS_USAGE, usage, 256);
        fprintf(stderr, "%ls\n", usage);
        return 2;
    }
    LocalFree(argv);
    if (!(g_app.sc = scenario_builtin(name))) {
        fprintf(stderr, "shutdownlab: no built-in scenario '%s'\n", name);
        return 2;
    }
    InitCommonControlsEx(&icc);
    if (plat_winsock_start())
        return 3;
    memset(&wc, 0, sizeof wc);
    wc.cbSize = sizeof wc;
    wc.lpfnWndProc = wndproc;
    wc.hInstance = inst;
    wc.hIcon = LoadIconW(inst, MAKEINTRESOURCEW(IDI_APP));
    wc.hCursor = LoadCursorW(NULL, (LPCWSTR)IDC_ARROW);
    wc.hbrBackground = (HBRUSH)(COLOR_WINDOW + 1);
    wc.lpszMenuName = MAKEINTRESOURCEW(IDM_MAIN);
    wc.lpszClassName = L"ShutdownLabMain";
    RegisterClassExW(&wc);
    load_string(IDS_APP_TITLE, title, 64);
    if (!CreateWindowExW(0, wc.lpszClassName, title, WS_OVERLAPPEDWINDOW, CW_USEDEFAULT, CW_USEDEFAULT, 1000, 640,
                         NULL, NULL, inst, NULL))
        return 3;
    ShowWindow(g_app.hwnd, show);
    UpdateWindow(g_app.hwnd);
    g_app.accel = LoadAcceleratorsW(inst, MAKEINTRESOURCEW(IDA_MAIN));
    if (g_app.autoplay)
        start_run(&g_app);
    while (GetMessageW(&m, NULL, 0, 0) > 0) {
        if (!TranslateAcceleratorW(g_app.hwnd, g_app.accel, &m)) {
            TranslateMessage(&m);
            DispatchMessageW(&m);
        }
    }
    scenario_free(g_app.sc);
    WSACleanup();
    return (int)m.wParam;
}
