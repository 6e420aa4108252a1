/* empty_window.c: the baseline for ShutdownLab's size and startup benchmarks: an empty
 * Win32 window built with the same compiler, flags and static linking as the GUI. It
 * paints once and exits when closed. */
#include <windows.h>

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
