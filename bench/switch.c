/* switch.c: how quickly the window shows another scenario or role. Starts the GUI, waits
 * for its window, then ROUNDS times goes through every built-in scenario as the scenario
 * chooser does (CB_SETCURSEL, then WM_COMMAND CBN_SELCHANGE to the main window) and
 * flips the role (Run > I play the server / client), timing each SendMessage: it returns
 * when the old run is ended, the new one started and the window repainted (a switch is
 * painted before its command returns: mainwnd.c's paint_now). The baseline is choosing
 * the scenario already shown: the same layout and repaint with no run to change, so the
 * ratio is what a switch costs beyond painting the window. Prints the medians, the p90s
 * and the ratios.
 * usage: switch.exe ROUNDS PROGRAM.exe [ARGS] */
#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "../res/resource.h"
#include "window.h"

#define MAX_SAMPLES 2000

typedef struct Samples {
    double ms[MAX_SAMPLES];
    int n;
} Samples;

static LARGE_INTEGER freq;

/* One command to the window, timed; -1 when the window is gone or hung for 10 s. */
static int timed(HWND hwnd, HWND combo, int item, WPARAM command, Samples *s)
{
    LARGE_INTEGER t0, t1;
    DWORD_PTR res;
    if (combo && !SendMessageTimeoutW(combo, CB_SETCURSEL, (WPARAM)item, 0, SMTO_NORMAL, 10000, &res))
        return -1;
    QueryPerformanceCounter(&t0);
    if (!SendMessageTimeoutW(hwnd, WM_COMMAND, command, (LPARAM)combo, SMTO_NORMAL, 10000, &res))
        return -1;
    QueryPerformanceCounter(&t1);
    if (s->n < MAX_SAMPLES)
        s->ms[s->n++] = (double)(t1.QuadPart - t0.QuadPart) * 1000.0 / (double)freq.QuadPart;
    return 0;
}

static double at(Samples *s, int pct)
{
    qsort(s->ms, (size_t)s->n, sizeof(double), cmp_ms);
    return s->n ? s->ms[(s->n - 1) * pct / 100] : -1;
}

static int rounds_of(HWND hwnd, HWND combo, int rounds, int count, Samples *same, Samples *scen, Samples *role)
{
    WPARAM selchange = MAKEWPARAM(IDC_SCENARIO, CBN_SELCHANGE);
    for (int r = 0; r < rounds; r++)
        for (int i = 0; i < count; i++) {
            if (timed(hwnd, combo, i, selchange, scen) < 0 || timed(hwnd, combo, i, selchange, same) < 0 ||
                timed(hwnd, NULL, 0, MAKEWPARAM(IDC_ROLE_SERVER, 0), role) < 0 ||
                timed(hwnd, NULL, 0, MAKEWPARAM(IDC_ROLE_CLIENT, 0), role) < 0)
                return -1;
        }
    return 0;
}

int wmain(int argc, wchar_t **argv)
{
    static Samples same, scen, role;
    PROCESS_INFORMATION pi;
    Found found = {0, NULL};
    HWND combo;
    int rounds, count, rc = 0;
    if (argc < 3 || (rounds = _wtoi(argv[1])) < 1) {
        fprintf(stderr, "usage: switch.exe ROUNDS PROGRAM.exe [ARGS]\n");
        return 2;
    }
    if (launch("switch", argc, argv, 2, &pi, &found) < 0)
        return 3;
    QueryPerformanceFrequency(&freq);
    if (!found.hwnd || !(combo = GetDlgItem(found.hwnd, IDC_SCENARIO)) ||
        (count = (int)SendMessageW(combo, CB_GETCOUNT, 0, 0)) < 2 ||
        rounds_of(found.hwnd, combo, rounds, count, &same, &scen, &role) < 0) {
        fprintf(stderr, "switch: the window did not answer\n");
        rc = 3;
    } else {
        double base = at(&same, 50);
        printf("switching, %d rounds of %d scenarios (ms from the command to the window repainted):\n", rounds, count);
        printf("  the same scenario again  median %6.1f  p90 %6.1f  ratio 1.00 (a layout and repaint only)\n", base,
               at(&same, 90));
        printf("  another scenario         median %6.1f  p90 %6.1f  ratio %.2f\n", at(&scen, 50), at(&scen, 90),
               at(&scen, 50) / base);
        printf("  the other role           median %6.1f  p90 %6.1f  ratio %.2f\n", at(&role, 50), at(&role, 90),
               at(&role, 50) / base);
    }
    close_and_reap(&pi, found.hwnd);
    return rc;
}
