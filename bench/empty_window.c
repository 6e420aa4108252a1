/* empty_window.c: the baseline for ShutdownLab's size and startup benchmarks: an empty
 * Win32 window built with the same compiler, flags and static linking as the GUI. It
 * paints once and exits when closed.
 * Built with SL_WITH_DLLS (empty_window_dlls.exe), the same empty window also loads what
 * the GUI loads before its first paint: the GUI's manifest (Common Controls v6, DPI
 * awareness), comctl32 initialised, Winsock started, iphlpapi imported. The startup
 * benchmark shows both, so the DLLs' share of the GUI's startup is measured, not guessed. */
#ifdef SL_WITH_DLLS
#include <winsock2.h>
#include <iphlpapi.h>
#include <windows.h>
#include <commctrl.h>
#else
#include <windows.h>
#endif

static LRESULT CALLBACK wndproc(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp)
{
    if (msg == WM_DESTROY) {
        PostQuitMessage(0);
        return 0;
    }
    return DefWindowProcW(hwnd, msg, wp, lp);
}

int WINAPI wWinMain(HINSTANCE inst, HINSTANCE prev, LPWSTR cmd, int show)
{
    WNDCLASSEXW wc = {sizeof wc, 0, wndproc, 0, 0, inst, NULL, NULL, (HBRUSH)(COLOR_WINDOW + 1), NULL, L"EmptyWindow",
                      NULL};
    MSG m;
    HWND hwnd;
    (void)prev;
    (void)cmd;
#ifdef SL_WITH_DLLS
    {
        INITCOMMONCONTROLSEX icc = {sizeof icc, ICC_LISTVIEW_CLASSES | ICC_BAR_CLASSES | ICC_WIN95_CLASSES};
        WSADATA wsa;
        if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0)
            return 3;
        InitCommonControlsEx(&icc);
        if (!show) /* never: imports iphlpapi as the GUI does (its sampler calls it later) */
            GetExtendedTcpTable(NULL, NULL, FALSE, AF_INET, TCP_TABLE_OWNER_PID_ALL, 0);
    }
#endif
    RegisterClassExW(&wc);
    hwnd = CreateWindowExW(0, wc.lpszClassName, L"Empty window", WS_OVERLAPPEDWINDOW, CW_USEDEFAULT, CW_USEDEFAULT,
                           1000, 640, NULL, NULL, inst, NULL);
    ShowWindow(hwnd, show);
    UpdateWindow(hwnd);
    while (GetMessageW(&m, NULL, 0, 0) > 0) {
        TranslateMessage(&m);
        DispatchMessageW(&m);
    }
    return 0;
}
