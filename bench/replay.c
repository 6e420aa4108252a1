/* replay.c: a large recording opened in the window, against a plain start and against a
 * small recording of the same scenario, runs interleaved so all see the same machine.
 * Each round starts the GUI three ways: plain (no recording), --replay SMALL, --replay
 * LARGE; each start is timed from CreateProcess to its first paint as startup.c times it
 * (WaitForInputIdle, then its main window shown), and once it waits for input its peak
 * working set and private bytes are read (private bytes summed over the committed private
 * regions, VirtualQueryEx: Wine 8 fills PrivateUsage only for the calling process). Then
 * each recording is played to its end once per round (--autoplay --exit-after-run: Run at
 * the speed Instant), the same two figures sampled every 10 ms until it exits.
 * Prints one line per figure: the medians, and the large recording's memory beyond the
 * small one's, less the difference of their files' sizes, per event more.
 * usage: replay.exe RUNS GUI.exe SMALL.jsonl LARGE.jsonl */
#include <windows.h>
#include <psapi.h>

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "window.h"

#define MAX_RUNS 50

typedef struct Sample {
    double ms;        /* to the first paint; to the exit for a run to the end */
    double peak_ws;   /* bytes */
    double private_b; /* bytes, the most seen */
} Sample;

static double private_bytes(HANDLE h)
{
    MEMORY_BASIC_INFORMATION mbi;
    const char *at = NULL;
    double sum = 0;
    while (VirtualQueryEx(h, at, &mbi, sizeof mbi) == sizeof mbi) {
        if (mbi.State == MEM_COMMIT && mbi.Type == MEM_PRIVATE)
            sum += (double)mbi.RegionSize;
        at = (const char *)mbi.BaseAddress + mbi.RegionSize;
        if (at < (const char *)mbi.BaseAddress)
            break;
    }
    return sum;
}

static void memory(HANDLE h, Sample *s)
{
    PROCESS_MEMORY_COUNTERS pmc;
    double p = private_bytes(h);
    memset(&pmc, 0, sizeof pmc);
    pmc.cb = sizeof pmc;
    if (GetProcessMemoryInfo(h, &pmc, sizeof pmc) && (double)pmc.PeakWorkingSetSize > s->peak_ws)
        s->peak_ws = (double)pmc.PeakWorkingSetSize;
    if (p > s->private_b)
        s->private_b = p;
}

static double now_ms(void)
{
    LARGE_INTEGER f, t;
    QueryPerformanceFrequency(&f);
    QueryPerformanceCounter(&t);
    return (double)t.QuadPart * 1000.0 / (double)f.QuadPart;
}

/* One start: to the first paint, then the memory once it waits for input; closed. With
 * to_end, the program plays to its end and exits by itself: sampled until it does. */
static int once(const wchar_t *cmdline, int to_end, Sample *s)
{
    STARTUPINFOW si;
    PROCESS_INFORMATION pi;
    Found found = {0, NULL};
    wchar_t buf[2048];
    double t0;
    memset(s, 0, sizeof *s);
    memset(&si, 0, sizeof si);
    si.cb = sizeof si;
    wcscpy(buf, cmdline);
    t0 = now_ms();
    if (!CreateProcessW(NULL, buf, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi))
        return -1;
    found.pid = pi.dwProcessId;
    if (to_end) {
        while (WaitForSingleObject(pi.hProcess, 10) == WAIT_TIMEOUT && now_ms() - t0 < 120000)
            memory(pi.hProcess, s);
        s->ms = now_ms() - t0;
        close_and_reap(&pi, NULL);
        return s->peak_ws > 0 ? 0 : -1;
    }
    if (WaitForInputIdle(pi.hProcess, 20000) == 0)
        for (int i = 0; i < 20000 && !found.hwnd; i++) { /* as startup.c: the window, bounded */
            EnumWindows(find_window, (LPARAM)&found);
            if (!found.hwnd && WaitForSingleObject(pi.hProcess, 1) != WAIT_TIMEOUT)
                break;
        }
    s->ms = now_ms() - t0;
    if (found.hwnd)
        memory(pi.hProcess, s);
    close_and_reap(&pi, found.hwnd);
    return found.hwnd ? 0 : -1;
}

static int by_value(const void *a, const void *b)
{
    return cmp_ms(a, b);
}

static double median(const Sample *s, int n, size_t field)
{
    double v[MAX_RUNS];
    for (int i = 0; i < n; i++)
        v[i] = *(const double *)((const char *)&s[i] + field);
    qsort(v, (size_t)n, sizeof v[0], by_value);
    return v[n / 2];
}

/* A recording's size in bytes and its events (its lines but the run line and the summary). */
static int measure_file(const wchar_t *path, double *bytes, double *events)
{
    FILE *f = _wfopen(path, L"rb");
    char buf[65536];
    size_t n;
    double lines = 0, size = 0;
    if (!f)
        return -1;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        size += (double)n;
        for (size_t i = 0; i < n; i++)
            lines += buf[i] == '\n';
    }
    fclose(f);
    *bytes = size;
    *events = lines - 2;
    return 0;
}

int wmain(int argc, wchar_t **argv)
{
    enum { PLAIN, SMALL, LARGE, SMALL_END, LARGE_END, KINDS };
    static Sample s[KINDS][MAX_RUNS];
    static const char *const names[KINDS] = {"plain start (no recording)", "small recording", "large recording",
                                             "small, run to the end", "large, run to the end"};
    wchar_t cmd[KINDS][2048];
    double bytes[2], events[2];
    int runs;
    if (argc != 5 || (runs = _wtoi(argv[1])) < 1 || runs > MAX_RUNS) {
        fprintf(stderr, "usage: replay.exe RUNS GUI.exe SMALL.jsonl LARGE.jsonl\n");
        return 2;
    }
    for (int k = 0; k < 2; k++)
        if (measure_file(argv[3 + k], &bytes[k], &events[k]) < 0) {
            fprintf(stderr, "replay: cannot read %ls\n", argv[3 + k]);
            return 2;
        }
    _snwprintf(cmd[PLAIN], 2048, L"\"%ls\"", argv[2]);
    for (int k = 0; k < 2; k++) {
        _snwprintf(cmd[SMALL + k], 2048, L"\"%ls\" --replay \"%ls\"", argv[2], argv[3 + k]);
        _snwprintf(cmd[SMALL_END + k], 2048, L"\"%ls\" --replay \"%ls\" --autoplay --exit-after-run", argv[2], argv[3 + k]);
    }
    for (int k = 0; k < KINDS; k++) /* warm each: the first start pays for loading the DLLs */
        if (once(cmd[k], k >= SMALL_END, &s[k][0]) < 0) {
            fprintf(stderr, "replay: %ls did not %s\n", cmd[k], k >= SMALL_END ? "run to its end" : "show a window");
            return 3;
        }
    for (int r = 0; r < runs; r++)
        for (int k = 0; k < KINDS; k++)
            if (once(cmd[k], k >= SMALL_END, &s[k][r]) < 0) {
                fprintf(stderr, "replay: %ls did not %s\n", cmd[k], k >= SMALL_END ? "run to its end" : "show a window");
                return 3;
            }
    printf("recordings: small %.0f events, %.0f bytes; large %.0f events, %.0f bytes\n", events[0], bytes[0], events[1],
           bytes[1]);
    for (int k = 0; k < KINDS; k++)
        printf("%-28s %s %8.1f ms  peak working set %7.1f MB  private %7.1f MB  (medians of %d)\n", names[k],
               k >= SMALL_END ? "to exit    " : "first paint", median(s[k], runs, offsetof(Sample, ms)),
               median(s[k], runs, offsetof(Sample, peak_ws)) / 1048576.0,
               median(s[k], runs, offsetof(Sample, private_b)) / 1048576.0, runs);
    {
        double plain = median(s[PLAIN], runs, offsetof(Sample, ms)), large = median(s[LARGE], runs, offsetof(Sample, ms));
        double more = events[1] - events[0], file = bytes[1] - bytes[0];
        double small = median(s[SMALL], runs, offsetof(Sample, ms));
        printf("first paint: the large recording %.1f ms, a plain start %.1f ms: ratio %.2f (target 2 or less); "
               "opening the large one takes %.1f ms more than the small one (reading and checking every line)\n",
               large, plain, large / plain, large - small);
        for (int end = 0; end < 2; end++) {
            int a = end ? SMALL_END : SMALL, b = end ? LARGE_END : LARGE;
            double ws = median(s[b], runs, offsetof(Sample, peak_ws)) - median(s[a], runs, offsetof(Sample, peak_ws));
            double pb = median(s[b], runs, offsetof(Sample, private_b)) - median(s[a], runs, offsetof(Sample, private_b));
            printf("memory %s, beyond the small recording's and the file's %.1f MB more: peak working set %.1f bytes "
                   "per event, private bytes %.1f per event (target 64 or less)\n",
                   end ? "after Run to the end" : "at the first paint", file / 1048576.0, (ws - file) / more,
                   (pb - file) / more);
        }
    }
    return 0;
}
