/* startup.c: time from CreateProcess to the first window being shown and the program
 * waiting for input (WaitForInputIdle: its first paint is done), for each executable
 * given, interleaved run by run so all see the same machine. Prints the median of each
 * and its ratio to the first (the baseline).
 * usage: startup.exe RUNS BASELINE.exe [ARGS] -- OTHER.exe [ARGS] [-- OTHER.exe [ARGS]]... */
#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "window.h"

#define MAX_RUNS 50
#define MAX_TARGETS 5

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
    close_and_reap(&pi, found.hwnd);
    return ms;
}

/* The name a target is shown by: its executable's file name. */
static const wchar_t *name_of(const wchar_t *cmdline, wchar_t *buf, size_t size)
{
    const wchar_t *end = wcschr(cmdline + 1, L'"'), *slash = cmdline + 1;
    for (const wchar_t *p = cmdline + 1; end && p < end; p++)
        if (*p == L'/' || *p == L'\\')
            slash = p + 1;
    swprintf(buf, size, L"%.*ls", end ? (int)(end - slash) : 40, slash);
    return buf;
}

int wmain(int argc, wchar_t **argv)
{
    Target t[MAX_TARGETS];
    int runs, k = 0;
    if (argc < 5 || (runs = _wtoi(argv[1])) < 1 || runs > MAX_RUNS) {
        fprintf(stderr, "usage: startup.exe RUNS BASELINE.exe [ARGS] -- OTHER.exe [ARGS] [-- OTHER.exe [ARGS]]...\n");
        return 2;
    }
    memset(t, 0, sizeof t);
    for (int i = 2; i < argc; i++) {
        if (!wcscmp(argv[i], L"--")) {
            if (++k >= MAX_TARGETS) {
                fprintf(stderr, "startup: at most %d executables\n", MAX_TARGETS);
                return 2;
            }
            continue;
        }
        if (wcslen(t[k].cmdline) + wcslen(argv[i]) + 4 >= sizeof t[k].cmdline / sizeof(wchar_t)) {
            fprintf(stderr, "startup: command line %d is too long\n", k + 1);
            return 2;
        }
        if (t[k].cmdline[0])
            wcscat(t[k].cmdline, L" ");
        wcscat(t[k].cmdline, L"\"");
        wcscat(t[k].cmdline, argv[i]);
        wcscat(t[k].cmdline, L"\"");
    }
    if (k < 1) {
        fprintf(stderr, "startup: a baseline and at least one other executable, separated by --\n");
        return 2;
    }
    for (int j = 0; j <= k; j++) /* warm each: the first start pays for loading the DLLs */
        once(t[j].cmdline);
    for (int r = 0; r < runs; r++) /* interleaved, so every target sees the same machine */
        for (int j = 0; j <= k; j++)
            if ((t[j].ms[r] = once(t[j].cmdline)) < 0) {
                fprintf(stderr, "startup: %ls did not show a window\n", t[j].cmdline);
                return 3;
            }
    for (int j = 0; j <= k; j++)
        qsort(t[j].ms, (size_t)runs, sizeof(double), cmp_ms);
    printf("startup to first paint, median of %d runs each, interleaved (ratio to %ls):\n", runs,
           name_of(t[0].cmdline, (wchar_t[64]){0}, 64));
    for (int j = 0; j <= k; j++) {
        wchar_t name[64];
        /* the medians' ratio, and the minimums' (noise only ever adds time) */
        printf("  %-24ls %7.1f ms  (min %.1f, max %.1f)  ratio %.2f (of the minimums %.2f)\n",
               name_of(t[j].cmdline, name, 64), t[j].ms[runs / 2], t[j].ms[0], t[j].ms[runs - 1],
               t[j].ms[runs / 2] / t[0].ms[runs / 2], t[j].ms[0] / t[0].ms[0]);
    }
    return 0;
}
