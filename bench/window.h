/* window.h: the benchmarks' way to start a program and find its main window (the first
 * visible window of its process that has no owner), and to close it again (startup.c,
 * latency.c, switch.c). */
#ifndef SHUTDOWNLAB_BENCH_WINDOW_H
#define SHUTDOWNLAB_BENCH_WINDOW_H

#include <windows.h>

#include <stdio.h>
#include <wchar.h>

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

/* qsort's order for times in milliseconds. */
static inline int cmp_ms(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Starts argv[first..argc-1] as one command line (each argument quoted) and waits, bounded,
 * for its main window. Returns 0 with the process in pi and the window in found, or -1
 * (said on stderr as who: ...) when it does not start. */
static inline int launch(const char *who, int argc, wchar_t **argv, int first, PROCESS_INFORMATION *pi, Found *found)
{
    wchar_t cmd[2048] = L"";
    STARTUPINFOW si;
    memset(&si, 0, sizeof si);
    si.cb = sizeof si;
    for (int i = first; i < argc; i++)
        _snwprintf(cmd + wcslen(cmd), 2048 - wcslen(cmd), L"%ls\"%ls\"", i > first ? L" " : L"", argv[i]);
    if (!CreateProcessW(NULL, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, pi)) {
        fprintf(stderr, "%s: cannot start %ls\n", who, argv[first]);
        return -1;
    }
    found->pid = pi->dwProcessId;
    found->hwnd = NULL;
    WaitForInputIdle(pi->hProcess, 20000);
    for (int i = 0; i < 2000 && !found->hwnd && WaitForSingleObject(pi->hProcess, 10) == WAIT_TIMEOUT; i++)
        EnumWindows(find_window, (LPARAM)found);
    return 0;
}

/* Closes the program's window (when it has one) and waits for it, bounded: a program
 * that does not go in 10 s is ended. */
static inline void close_and_reap(PROCESS_INFORMATION *pi, HWND hwnd)
{
    if (hwnd)
        PostMessageW(hwnd, WM_CLOSE, 0, 0);
    if (WaitForSingleObject(pi->hProcess, 10000) != WAIT_OBJECT_0)
        TerminateProcess(pi->hProcess, 1);
    CloseHandle(pi->hThread);
    CloseHandle(pi->hProcess);
}

#endif
