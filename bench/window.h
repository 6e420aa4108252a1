/* window.h: the benchmarks' way to find a program's main window: the first visible window
 * of its process that has no owner (startup.c, latency.c). */
#ifndef SHUTDOWNLAB_BENCH_WINDOW_H
#define SHUTDOWNLAB_BENCH_WINDOW_H

#include <windows.h>

typedef struct Found {
    DWORD pid;
    HWND hwnd;
} Found;

static BOOL CALLBACK find_window(HWND hwnd, LPARAM lp)
{
    Found *f = (Found *)lp;
    DWORD pid;
    GetWindowThreadProcessId(hwnd, &pid);
    if (pid == f->pid && IsWindowVisible(hwnd) && !GetWindow(hwnd, GW_OWNER)) {
        f->hwnd = hwnd;
        return FALSE;
    }
    return TRUE;
}

#endif
