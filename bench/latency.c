/* latency.c: how quickly a window answers while it works. Starts a program, waits for its
 * window, then every 10 ms until the program exits (or SECONDS pass) sends it WM_NULL with
 * SendMessageTimeout and times the answer: the time a message waits behind whatever the
 * window is doing (a drain of a storm of events, say). Prints the probes' p50, p99 and
 * maximum (with when the slowest was sent, in ms after the window showed), and the
 * program's peak working set (GetProcessMemoryInfo, asked with each probe).
 * usage: latency.exe SECONDS PROGRAM.exe [ARGS] */
#include <windows.h>
#include <psapi.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "window.h"

#define MAX_PROBES 20000

int wmain(int argc, wchar_t **argv)
{
    static double ms[MAX_PROBES];
    PROCESS_INFORMATION pi;
    PROCESS_MEMORY_COUNTERS pmc, now;
    Found found = {0, NULL};
    LARGE_INTEGER f, t0, t1, start;
    int n = 0, seconds;
    double worst = -1, worst_at = 0;
    DWORD_PTR res;
    memset(&pmc, 0, sizeof pmc);
    pmc.cb = sizeof pmc;
    now = pmc;
    if (argc < 3 || (seconds = _wtoi(argv[1])) < 1) {
        fprintf(stderr, "usage: latency.exe SECONDS PROGRAM.exe [ARGS]\n");
        return 2;
    }
    if (launch("latency", argc, argv, 2, &pi, &found) < 0)
        return 3;
    QueryPerformanceFrequency(&f);
    QueryPerformanceCounter(&start);
    while (found.hwnd && n < MAX_PROBES && WaitForSingleObject(pi.hProcess, 10) == WAIT_TIMEOUT) {
        QueryPerformanceCounter(&t0);
        if (!SendMessageTimeoutW(found.hwnd, WM_NULL, 0, 0, SMTO_NORMAL, 10000, &res))
            break; /* the window is gone (or hung 10 s: the maximum says so) */
        QueryPerformanceCounter(&t1);
        ms[n] = (double)(t1.QuadPart - t0.QuadPart) * 1000.0 / (double)f.QuadPart;
        if (ms[n] > worst) {
            worst = ms[n];
            worst_at = (double)(t0.QuadPart - start.QuadPart) * 1000.0 / (double)f.QuadPart;
        }
        n++;
        if (GetProcessMemoryInfo(pi.hProcess, &now, sizeof now) && now.PeakWorkingSetSize > pmc.PeakWorkingSetSize)
            pmc = now; /* while it runs: after its exit the counters may be gone */
        if ((t1.QuadPart - start.QuadPart) / f.QuadPart >= seconds)
            break;
    }
    if (WaitForSingleObject(pi.hProcess, 60000) != WAIT_OBJECT_0)
        TerminateProcess(pi.hProcess, 1);
    qsort(ms, (size_t)n, sizeof ms[0], cmp_ms);
    if (n)
        printf("probes %d, p50 %.1f ms, p99 %.1f ms, max %.1f ms (sent at %.0f ms); peak working set %.1f MB\n", n,
               ms[n / 2], ms[n * 99 / 100], ms[n - 1], worst_at, pmc.PeakWorkingSetSize / 1048576.0);
    else
        printf("probes 0 (no window answered); peak working set %.1f MB\n", pmc.PeakWorkingSetSize / 1048576.0);
    return 0;
}
