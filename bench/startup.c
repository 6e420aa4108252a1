/* startup.c: time from CreateProcess to the first window being shown and the program
 * waiting for input (WaitForInputIdle: its first paint is done), for each executable
 * given, interleaved run by run so both see the same machine. Prints the median of each
 * and their ratio to the first (the baseline).
 * usage: startup.exe RUNS BASELINE.exe [ARGS] -- OTHER.exe [ARGS] */
#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "window.h"

#define MAX_RUNS 50

typedef struct Target {
    wchar_t cmdline[1024];
    double ms[MAX_RUNS];
} Target;

static double once(const wchar_t *cmdline)
{
    STARTUPINFOW si;
    PROCESS_INFORMATION pi;
    LARGE_INTEGER f, t0, t1;
    Found found = {0, NULL};
    wchar_t buf[1024];
    double ms = -1;
    memset(&si, 0, sizeof si);
    si.cb = sizeof si;
    wcscpy(buf, cmdline);
    QueryPerformanceFrequency(&f);
    QueryPerformanceCounter(&t0);
    if (!CreateProcessW(NULL, buf, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi))
        return -1;
    found.pid = pi.dwProcessId;
    if (WaitForInputIdle(pi.hProcess, 20000) == 0) {
        /* WaitForInputIdle can return before the window shows: wait for it, bounded */
        for (int i = 0; i < 20000 && !found.hwnd; i++) {
            EnumWindows(find_window, (LPARAM)&found);
            if (!found.hwnd && WaitForSingleObject(pi.hProcess, 1) != WAIT_TIMEOUT)
                break;
        }
        QueryPerformanceCounter(&t1);
        if (found.hwnd)
            ms = (double)(t1.QuadPart - t0.QuadPart) * 1000.0 / (double)f.QuadPart;
    }
    if (found.hwnd)
        PostMessageW(found.hwnd, WM_CLOSE, 0, 0);
    if (WaitForSingleObject(pi.hProcess, 10000) != WAIT_OBJECT_0)
        TerminateProcess(pi.hProcess, 1);
    CloseHandle(pi.hThread);
    CloseHandle(pi.hProcess);
    return ms;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int wmain(int argc, wchar_t **argv)
{
    Target t[2];
    int runs, n = 0, k = 0;
    if (argc < 5 || (runs = _wtoi(argv[1])) < 1 || runs > MAX_RUNS) {
        fprintf(stderr, "usage: startup.exe RUNS BASELINE.exe [ARGS] -- OTHER.exe [ARGS]\n");
        return 2;
    }
    memset(t, 0, sizeof t);
    for (int i = 2; i < argc; i++) {
        if (!wcscmp(argv[i], L"--")) {
            if (++k > 1)
                return 2;
            continue;
        }
        if (t[k].cmdline[0])
            wcscat(t[k].cmdline, L" ");
        wcscat(t[k].cmdline, L"\"");
        wcscat(t[k].cmdline, argv[i]);
        wcscat(t[k].cmdline, L"\"");
    }
    if (k != 1)
        return 2;
    once(t[0].cmdline); /* warm both: the first start pays for loading the DLLs */
    once(t[1].cmdline);
    for (int r = 0; r < runs; r++, n++)
        for (int j = 0; j < 2; j++)
            if ((t[j].ms[r] = once(t[j].cmdline)) < 0) {
                fprintf(stderr, "startup: %ls did not show a window\n", t[j].cmdline);
                return 3;
            }
    for (int j = 0; j < 2; j++)
        qsort(t[j].ms, (size_t)n, sizeof(double), cmp);
    printf("startup to first paint, median of %d: baseline %.1f ms, shutdownlab %.1f ms, ratio %.2f\n", n,
           t[0].ms[n / 2], t[1].ms[n / 2], t[1].ms[n / 2] / t[0].ms[n / 2]);
    return 0;
}
