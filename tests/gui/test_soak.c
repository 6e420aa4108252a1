/* test_soak.c: a whole lesson without a restart (issue 18, item 1). One shutdownlab.exe is
 * driven from outside through N operations (default 1,000) in a seeded pseudo-random mix:
 * switch scenario, switch role, Step, Run, Back, Reset, zoom in/out, a prediction answered,
 * a recording opened and exports of the text and the diagram through File's own dialogs.
 * Every operation waits (with a watchdog) until the window shows it handled it: the status
 * bar's run state, the table's lit rows, the exported file complete. Every 50 operations
 * the window is brought to one state (graceful-client, client, 100 %, a fresh run held
 * before its first step, so samples compare like with like) and the process is sampled:
 * GDI and USER objects (GetGuiResources), handles (GetProcessHandleCount), private bytes
 * (PROCESS_MEMORY_COUNTERS_EX.PrivateUsage) and threads (a Toolhelp snapshot).
 *
 * Pass: over the samples from operation 100 on (the first 100 fill Wine's and the
 * program's caches: fonts per zoom level, the file dialog's shell objects, the heap's
 * arenas), the least-squares slope of each figure times 1,000 operations stays under:
 *   GDI objects +20     a leak of one object per zoom, export or scenario switch (each
 *                       about 1 in 12 operations, 80 or more per 1,000) is 4x over it;
 *   USER objects +20    the same for one window or menu per dialog or switch;
 *   handles +30         one per run (a Reset, Step or Back starts a run: 300 or more);
 *   threads +2          one thread not joined per run, or per lingering close, is 50x over;
 *                       two allow a worker still finishing when a sample is taken;
 *   private bytes +4 MB one kilobyte per run left on the heap is 300 KB and would pass:
 *                       the bound is what Wine's heap drifts by on a flat program (its
 *                       arenas, comctl32's and the shell's caches settle slowly), and
 *                       the figures are printed so a smaller leak shows in bench.sh.
 * Then, after a Reset and WM_CLOSE, the process must exit on its own with code 0 and the
 * test's files are gone.
 *
 * Under Wine 8 three of the calls say 0 for another process, so the figures come from
 * elsewhere, each said in its test point: GDI objects counted in the process's own GDI
 * handle table (PEB's GdiSharedHandleTable, which Wine fills as Windows does); handles
 * counted in the system's handle list (SystemHandleInformation), less one per file dialog
 * opened, because Wine 8's comdlg32 keeps one handle per GetSaveFileName/GetOpenFileName
 * call in any program (a 30-line program that only opens and closes the Save dialog 20
 * times gains 20 handles); private bytes summed over the committed private regions
 * (VirtualQueryEx). Wine 8 says 0 for GR_USEROBJECTS of any process, and no call counts
 * another process's menus, cursors or hooks: there the figure is the process's windows
 * (top-level, child and message-only), labelled "windows", with the same bound; a window
 * leaked per dialog or per run would show.
 * Usage: test_soak GUI.exe RECORDING.jsonl... [--ops N] [--seed S] [--only KIND | --back-mix] [--trace] */
#include <winsock2.h>
#include <windows.h>
#include <commctrl.h>
#include <psapi.h>
#include <tlhelp32.h>
#include <winternl.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "resource.h"
#include "tap.h"

static wchar_t g_exe[MAX_PATH], g_tmp[MAX_PATH], g_rec[4][MAX_PATH];
static int g_nrec;

typedef char *(CDECL *DosNameFn)(const char *);

/* meson hands a Unix path to a test running under Wine; Windows wants a DOS one. */
static void dos_path(const char *arg, wchar_t *out)
{
    DosNameFn dos = (DosNameFn)(void *)GetProcAddress(GetModuleHandleW(L"kernel32.dll"), "wine_get_dos_file_name");
    if (arg[0] == '/' && dos) {
        wchar_t *w = (wchar_t *)dos(arg);
        if (w) {
            wcsncpy(out, w, MAX_PATH - 1);
            HeapFree(GetProcessHeap(), 0, w);
            return;
        }
    }
    {
        /* a relative path (bench.sh's) made whole: a file dialog refuses '/' in a name */
        wchar_t rel[MAX_PATH];
        MultiByteToWideChar(CP_UTF8, 0, arg, -1, rel, MAX_PATH);
        if (!GetFullPathNameW(rel, MAX_PATH, out, NULL))
            wcscpy(out, rel);
    }
}

/* ---- the program under test, and what the test reads of it --------------------------- */

static PROCESS_INFORMATION g_pi;
static HANDLE g_query; /* PROCESS_QUERY_INFORMATION | PROCESS_VM_READ, for the figures */
static HWND g_win, g_status, g_table, g_combo, g_role;

/* Sends a message whose lParam points into the other process: one buffer there, made
 * once (each allocation is a round trip to the wineserver, and the polls are many). */
static char *g_remote;

static void remote_text(HWND h, UINT msg, WPARAM wp, int lvitem, wchar_t *out, int size)
{
    DWORD_PTR res = 0;
    out[0] = L'\0';
    if (!g_remote && !(g_remote = VirtualAllocEx(g_pi.hProcess, NULL, sizeof(LVITEMW) + 1024 * sizeof(wchar_t),
                                                 MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE)))
        return;
    if (size > 1024)
        size = 1024;
    if (lvitem >= 0) {
        LVITEMW it;
        memset(&it, 0, sizeof it);
        it.iSubItem = lvitem;
        it.cchTextMax = size;
        it.pszText = (LPWSTR)(g_remote + sizeof(LVITEMW));
        WriteProcessMemory(g_pi.hProcess, g_remote, &it, sizeof it, NULL);
        SendMessageTimeoutW(h, msg, wp, (LPARAM)g_remote, SMTO_ABORTIFHUNG, 5000, &res);
    } else {
        SendMessageTimeoutW(h, msg, wp, (LPARAM)(g_remote + sizeof(LVITEMW)), SMTO_ABORTIFHUNG, 5000, &res);
    }
    ReadProcessMemory(g_pi.hProcess, g_remote + sizeof(LVITEMW), out, (SIZE_T)size * sizeof(wchar_t), NULL);
    out[size - 1] = L'\0';
}

/* What the window shows of its run: the status bar's run state, the table's lit rows,
 * and for a recording its step. */
typedef struct View {
    wchar_t st[300];
    int rows, total;
    int replay, rstep, rof; /* a recording: step rstep of rof shown */
    int held, done;
} View;

static void read_view(View *v)
{
    wchar_t t[64];
    const wchar_t *p;
    memset(v, 0, sizeof *v);
    remote_text(g_status, SB_GETTEXTW, 0 /* status.h: STATUS_RUN */, -1, v->st, 300);
    v->replay = !wcsncmp(v->st, L"Recording from", 14);
    v->rstep = v->rof = -1;
    if (v->replay && (p = wcsstr(v->st, L": step ")) != NULL)
        swscanf(p, L": step %d of %d", &v->rstep, &v->rof);
    v->done = v->replay ? wcsstr(v->st, L". Done.") != NULL : !wcsncmp(v->st, L"Done", 4);
    v->held = !v->replay && !wcsncmp(v->st, L"Held", 4);
    if (!v->held && !v->done && !v->replay)
        return; /* running: the rows are read once it rests (each read is a message to it) */
    v->total = (int)SendMessageW(g_table, LVM_GETITEMCOUNT, 0, 0);
    for (int i = 0; i < v->total; i++) {
        remote_text(g_table, LVM_GETITEMTEXTW, (WPARAM)i, 3 /* the t (ms) column */, t, 64);
        v->rows += t[0] != L'\0';
    }
}

/* The window rests: a live run held or done, or a recording at a step or done. */
static int settled(const View *v)
{
    return v->held || v->done || (v->replay && v->rstep >= 0);
}

static int send_cmd(int id, int code)
{
    DWORD_PTR res = 0;
    return SendMessageTimeoutW(g_win, WM_COMMAND, MAKEWPARAM(id, code), 0, SMTO_ABORTIFHUNG, 20000, &res) != 0;
}

/* ---- dialogs the operations open ---------------------------------------------------- */

static wchar_t g_pending[MAX_PATH]; /* what the next file dialog is given */
static int g_answered, g_files, g_unexpected;
static HWND g_handled[8]; /* dialogs answered that may still be closing */
static int g_nhandled;

static int handled(HWND h)
{
    for (int i = 0; i < 8; i++)
        if (g_handled[i] == h)
            return 1;
    g_handled[g_nhandled++ % 8] = h;
    return 0;
}
static unsigned g_rng;

static unsigned rnd(void)
{
    g_rng = g_rng * 1103515245u + 12345u;
    return (g_rng >> 16) & 0x7fff;
}

typedef struct Dlgs {
    HWND h[8];
    int n;
} Dlgs;

static BOOL CALLBACK find_dialogs(HWND h, LPARAM lp)
{
    Dlgs *d = (Dlgs *)lp;
    DWORD pid = 0;
    wchar_t cls[32];
    GetWindowThreadProcessId(h, &pid);
    if (pid == g_pi.dwProcessId && IsWindowVisible(h) && GetClassNameW(h, cls, 32) && !wcscmp(cls, L"#32770") &&
        d->n < 8)
        d->h[d->n++] = h;
    return TRUE;
}

static BOOL CALLBACK static_text(HWND h, LPARAM lp)
{
    wchar_t cls[32], *out = (wchar_t *)lp;
    if (GetClassNameW(h, cls, 32) && !wcscmp(cls, L"Static") && !out[0])
        GetWindowTextW(h, out, 300);
    return TRUE;
}

/* Answers whatever dialog the program shows: a prediction (a random answer), a file
 * dialog (the pending path), anything else (a message box) is unexpected: said, counted,
 * and closed. Returns how many it handled. */
static int service_dialogs(void)
{
    Dlgs d = {{0}, 0};
    EnumWindows(find_dialogs, (LPARAM)&d);
    int n = 0;
    for (int i = 0; i < d.n; i++) {
        HWND h = d.h[i], name = GetDlgItem(h, 0x47c /* cmb13 */);
        if (!name)
            name = GetDlgItem(h, 0x480 /* edt1 */);
        if (handled(h))
            continue; /* answered: closing */
        n++;
        if (GetDlgItem(h, IDC_PRED_FIRST)) {
            SendMessageW(GetDlgItem(h, IDC_PRED_FIRST + (int)(rnd() % 5)), BM_CLICK, 0, 0);
            PostMessageW(h, WM_COMMAND, MAKEWPARAM(IDOK, BN_CLICKED), 0);
            g_answered++;
        } else if (name && g_pending[0]) {
            SendMessageW(name, WM_SETTEXT, 0, (LPARAM)g_pending);
            PostMessageW(h, WM_COMMAND, MAKEWPARAM(IDOK, BN_CLICKED), 0);
            g_pending[0] = L'\0';
            g_files++;
        } else {
            wchar_t text[300] = L"";
            EnumChildWindows(h, static_text, (LPARAM)text);
            tap_diag("unexpected dialog: \"%ls\"", text);
            g_unexpected++;
            PostMessageW(h, WM_COMMAND, MAKEWPARAM(name ? IDCANCEL : IDOK, BN_CLICKED), 0);
        }
    }
    return n;
}

/* Waits, answering dialogs, until pred holds of the view; the watchdog says what it saw. */
static int wait_view(int (*pred)(const View *, const View *), const View *before, View *now, DWORD ms, const char *what)
{
    ULONGLONG end = GetTickCount64() + ms;
    do {
        if (service_dialogs())
            continue;
        read_view(now);
        if (pred(now, before))
            return 0;
    } while (WaitForSingleObject(g_pi.hProcess, 15) == WAIT_TIMEOUT && GetTickCount64() < end);
    tap_diag("watchdog: %s: not seen after %lu ms (status: %ls; rows %d of %d)", what, ms, now->st, now->rows,
             now->total);
    return -1;
}

static int p_fresh(const View *v, const View *b)
{
    (void)b;
    return v->replay ? v->rstep == 0 : v->held && v->rows == 0;
}

static int p_live_fresh(const View *v, const View *b)
{
    (void)b;
    return !v->replay && v->held && v->rows == 0;
}

static int p_done(const View *v, const View *b)
{
    (void)b;
    return v->done;
}

/* Step: the next step shown (more rows lit, or the status moved on), or a new run when
 * the last was over. */
static int p_stepped(const View *v, const View *b)
{
    if (b->done)
        return settled(v) && !v->done;
    if (v->replay)
        return v->done || v->rstep > b->rstep;
    return settled(v) && (v->rows != b->rows || wcscmp(v->st, b->st) != 0);
}

/* Where the live run shown has held, as this test saw it: the rows lit at each rest,
 * rising; a new run starts it again. Back lands where the student stood one Step ago: the
 * last of these below the rows lit now (a Step may light one row, two or three). */
static int g_stops[64], g_nstops;
static int g_back_min; /* the landing Back must reach: the last place held below it */

static void stops_note(const View *v, int new_run)
{
    if (new_run)
        g_nstops = 0;
    if (v->replay || !v->held)
        return;
    while (g_nstops > 0 && g_stops[g_nstops - 1] > v->rows)
        g_nstops--; /* Back, or a Step that began a new run */
    if ((g_nstops == 0 || g_stops[g_nstops - 1] < v->rows) && g_nstops < 64)
        g_stops[g_nstops++] = v->rows;
}

/* Back: a new run (made inside the command, so what is read after it is the new run's)
 * replayed step by step to the last place it held below the rows lit (g_back_min), and
 * not past the rows lit before (from a run over after Run, which went through unheld, the
 * window lands one row fewer or on the first hold after it). Held lower is a stall. */
static int p_back(const View *v, const View *b)
{
    if (v->replay && b->replay && b->done) /* every step was shown: Back shows all but the last */
        return v->rstep >= 0 && v->rstep == v->rof - 1;
    if (v->replay)
        return v->rstep >= 0 && v->rstep < (b->rstep > 0 ? b->rstep : 1);
    if (b->rows <= 1)
        return v->held && v->rows == 0;
    return (v->held || (b->done && v->done)) && v->rows >= g_back_min && v->rows <= b->rows;
}

static int p_recording(const View *v, const View *b)
{
    (void)b;
    return v->replay && v->rstep == 0 && !g_pending[0];
}

/* ---- the operations ------------------------------------------------------------------ */

enum { OP_SCENARIO, OP_ROLE, OP_STEP, OP_RUN, OP_BACK, OP_RESET, OP_ZOOM, OP_PREDICT, OP_RECORDING, OP_TEXT, OP_DIAGRAM, OP_COUNT };
static const char *const op_names[OP_COUNT] = {"scenario", "role", "step", "run", "back", "reset", "zoom", "predict",
                                               "recording", "export-text", "export-diagram"};
/* the mix: Step most, as in a lesson; every kind often enough to show a leak of its own */
static int op_weight[OP_COUNT] = {8, 6, 20, 10, 8, 8, 10, 6, 6, 6, 6};
static int op_count[OP_COUNT];
static ULONGLONG op_ms[OP_COUNT];

/* Fast built-ins (no bulk data, no storm), linger-nonblocking for its lingering close's
 * worker thread. */
static const wchar_t *const scenarios[] = {L"graceful-client", L"graceful-server", L"abortive-linger0",
                                           L"simultaneous-close", L"wsasenddisconnect", L"close-unread-data",
                                           L"linger-nonblocking"};
static int g_zoom; /* zoom steps from 100 %: kept within -3..3 */

static int chooser_index(const wchar_t *name)
{
    int n = (int)SendMessageW(g_combo, CB_GETCOUNT, 0, 0);
    for (int i = 0; i < n; i++) {
        wchar_t item[128] = L"";
        DWORD_PTR res = 0;
        if (SendMessageW(g_combo, CB_GETLBTEXTLEN, (WPARAM)i, 0) < 128 &&
            SendMessageTimeoutW(g_combo, CB_GETLBTEXT, (WPARAM)i, (LPARAM)item, SMTO_ABORTIFHUNG, 5000, &res) &&
            !wcscmp(item, name))
            return i;
    }
    return -1;
}

static int choose_scenario(const wchar_t *name)
{
    int at = chooser_index(name);
    DWORD_PTR res = 0;
    if (at < 0) {
        tap_diag("the chooser does not list %ls", name);
        return -1;
    }
    SendMessageW(g_combo, CB_SETCURSEL, (WPARAM)at, 0);
    return SendMessageTimeoutW(g_win, WM_COMMAND, MAKEWPARAM(IDC_SCENARIO, CBN_SELCHANGE), (LPARAM)g_combo,
                               SMTO_ABORTIFHUNG, 20000, &res)
               ? 0
               : -1;
}

/* A file the program writes is whole once it can be opened alone (the program writes it
 * with no sharing) and holds its last bytes: a PNG's IEND chunk, the text's newline. */
static int file_complete(const wchar_t *path, int png)
{
    HANDLE h = CreateFileW(path, GENERIC_READ, 0, NULL, OPEN_EXISTING, 0, NULL);
    LARGE_INTEGER size;
    unsigned char tail[8];
    DWORD n = 0;
    int ok = 0;
    if (h == INVALID_HANDLE_VALUE)
        return 0;
    if (GetFileSizeEx(h, &size) && size.QuadPart >= 8 && SetFilePointer(h, -8, NULL, FILE_END) != INVALID_SET_FILE_POINTER &&
        ReadFile(h, tail, 8, &n, NULL) && n == 8)
        ok = png ? !memcmp(tail, "IEND\xae\x42\x60\x82", 8) : tail[7] == '\n';
    CloseHandle(h);
    return ok;
}

static int export_file(int id, const wchar_t *path, int png)
{
    ULONGLONG end = GetTickCount64() + 30000;
    DeleteFileW(path);
    wcscpy(g_pending, path);
    PostMessageW(g_win, WM_COMMAND, MAKEWPARAM(id, 0), 0);
    do {
        if (service_dialogs())
            continue;
        if (!g_pending[0] && file_complete(path, png))
            return 0;
    } while (WaitForSingleObject(g_pi.hProcess, 15) == WAIT_TIMEOUT && GetTickCount64() < end);
    tap_diag("watchdog: %ls not written after 30 s", path);
    g_pending[0] = L'\0';
    return -1;
}

static wchar_t g_txt[MAX_PATH], g_png[MAX_PATH];

/* One operation of kind k; 0 when the window showed it handled it. */
static int operate(int k)
{
    View b, v;
    read_view(&b);
    switch (k) {
    case OP_SCENARIO: {
        size_t nsc = sizeof scenarios / sizeof scenarios[0], at = rnd() % nsc;
        const wchar_t *name = scenarios[at];
        wchar_t title[200] = L"";
        if (!b.replay && chooser_index(name) == (int)SendMessageW(g_combo, CB_GETCURSEL, 0, 0))
            name = scenarios[(at + 1) % nsc]; /* the one shown: choosing it again is no switch */
        if (choose_scenario(name) < 0 || wait_view(p_live_fresh, &b, &v, 20000, "a new scenario's run held") < 0)
            return -1;
        GetWindowTextW(g_win, title, 200);
        if (!wcsstr(title, name)) { /* the title names the run: the switch landed */
            tap_diag("after choosing %ls the title is %ls", name, title);
            return -1;
        }
        return 0;
    }
    case OP_ROLE:
        if (!send_cmd(SendMessageW(g_role, CB_GETCURSEL, 0, 0) == 1 ? IDC_ROLE_CLIENT : IDC_ROLE_SERVER, 0))
            return -1;
        return wait_view(p_live_fresh, &b, &v, 20000, "the other role's run held");
    case OP_STEP:
        return send_cmd(IDC_RUN_STEP, 0) ? wait_view(p_stepped, &b, &v, 20000, "a step shown") : -1;
    case OP_RUN:
        return send_cmd(IDC_RUN_RUN, 0) ? wait_view(p_done, &b, &v, 30000, "the run done") : -1;
    case OP_BACK:
        g_back_min = 0;
        for (int i = g_nstops - 1; i >= 0; i--)
            if (g_stops[i] < b.rows) {
                g_back_min = g_stops[i];
                break;
            }
        if (!send_cmd(IDC_RUN_BACK, 0))
            return -1;
        if (wait_view(p_back, &b, &v, 20000, "one step back") < 0) {
            tap_diag("before Back: %d of %d rows lit (status: %ls), the place to land on: %d rows", b.rows, b.total,
                     b.st, g_back_min);
            return -1;
        }
        return 0;
    case OP_RESET:
        return send_cmd(IDC_RUN_RESET, 0) ? wait_view(p_fresh, &b, &v, 20000, "a new run held") : -1;
    case OP_ZOOM: {
        int in = g_zoom <= -3 ? 1 : g_zoom >= 3 ? 0 : (int)(rnd() & 1);
        if (!send_cmd(in ? IDC_VIEW_ZOOM_IN : IDC_VIEW_ZOOM_OUT, 0))
            return -1; /* the zoom lays out and repaints inside the command: its return is the proof */
        g_zoom += in ? 1 : -1;
        return 0;
    }
    case OP_PREDICT: {
        /* prediction on, Step until a question is asked and answered (the peer acts) or
         * the run ends, prediction off: the dialog made and destroyed once */
        int asked = g_answered, rc = 0;
        if (!send_cmd(IDC_RUN_PREDICT, 0))
            return -1;
        for (int i = 0; i < 16 && g_answered == asked && rc == 0; i++) {
            read_view(&b);
            if (b.done && i > 0)
                break;
            PostMessageW(g_win, WM_COMMAND, MAKEWPARAM(IDC_RUN_STEP, 0), 0);
            rc = wait_view(p_stepped, &b, &v, 20000, "a step shown in prediction mode");
        }
        return send_cmd(IDC_RUN_PREDICT, 0) && rc == 0 ? 0 : -1;
    }
    case OP_RECORDING:
        wcscpy(g_pending, g_rec[rnd() % (unsigned)g_nrec]);
        PostMessageW(g_win, WM_COMMAND, MAKEWPARAM(IDC_FILE_OPEN_RECORDING, 0), 0);
        return wait_view(p_recording, &b, &v, 30000, "the recording opened");
    case OP_TEXT:
        return export_file(IDC_FILE_EXPORT_TEXT, g_txt, 0);
    case OP_DIAGRAM:
        return export_file(IDC_FILE_EXPORT_PNG, g_png, 1);
    }
    return -1;
}

static int g_only = -1; /* --only KIND: one kind of operation, to find which one leaks */
static int g_trace;     /* --trace: each operation on stderr */

static int pick(void)
{
    int sum = 0, r;
    if (g_only >= 0 && g_only < OP_COUNT)
        return g_only;
    for (int k = 0; k < OP_COUNT; k++)
        sum += op_weight[k];
    r = (int)(rnd() % (unsigned)sum);
    for (int k = 0; k < OP_COUNT; k++)
        if ((r -= op_weight[k]) < 0)
            return k;
    return OP_STEP;
}

/* ---- the figures --------------------------------------------------------------------- */

enum { F_GDI, F_USER, F_HANDLES, F_THREADS, F_PRIVATE, F_COUNT };
static const char *const f_names[F_COUNT] = {"GDI objects", "USER objects", "handles", "threads", "private KB"};
static int g_user_from_windows; /* GetGuiResources said 0: the process's windows counted instead */
static const double f_bound[F_COUNT] = {20, 20, 30, 2, 4096};

typedef struct Sample {
    int op;
    double f[F_COUNT];
} Sample;

static int g_gdi_from_table;       /* GetGuiResources said 0: GDI counted from the handle table */
static int g_handles_from_system;  /* GetProcessHandleCount said 0: counted in the system's list */
static int g_private_from_regions; /* PrivateUsage said 0: committed private regions summed */

typedef NTSTATUS(NTAPI *QueryInfoFn)(HANDLE, PROCESSINFOCLASS, PVOID, ULONG, PULONG);

/* The process's GDI objects counted in its GDI handle table, whose address its PEB gives
 * (GdiSharedHandleTable, 0xF8 on x64): 65,536 entries of 24 bytes, an entry's type byte
 * (offset 14) non-zero while its object lives (Wine's win32u/gdiobj.c keeps the table as
 * Windows does). -1 when it cannot be read. */
static int gdi_from_table(void)
{
    enum { ENTRIES = 0x10000, SIZE = 24 };
    QueryInfoFn q = (QueryInfoFn)(void *)GetProcAddress(GetModuleHandleW(L"ntdll.dll"), "NtQueryInformationProcess");
    PROCESS_BASIC_INFORMATION pbi;
    ULONG len = 0;
    ULONG_PTR table = 0;
    SIZE_T got = 0;
    unsigned char *buf;
    int n = 0;
    if (!q || q(g_query, ProcessBasicInformation, &pbi, sizeof pbi, &len) != 0 ||
        !ReadProcessMemory(g_query, (char *)pbi.PebBaseAddress + 0xF8, &table, sizeof table, &got) || !table)
        return -1;
    if (!(buf = malloc((size_t)ENTRIES * SIZE)))
        return -1;
    if (!ReadProcessMemory(g_query, (void *)table, buf, (SIZE_T)ENTRIES * SIZE, &got) || got != (SIZE_T)ENTRIES * SIZE) {
        free(buf);
        return -1;
    }
    for (int i = 0; i < ENTRIES; i++)
        n += buf[(size_t)i * SIZE + 14] != 0;
    free(buf);
    return n;
}

typedef NTSTATUS(NTAPI *QuerySysFn)(ULONG, PVOID, ULONG, PULONG);

/* The process's handles counted in the system's handle list (SystemHandleInformation,
 * class 16: a count, then 24-byte entries whose first field is the owner's process id),
 * where GetProcessHandleCount says 0 (Wine 8 answers it only for the calling process). */
static int handles_from_system(void)
{
    QuerySysFn q = (QuerySysFn)(void *)GetProcAddress(GetModuleHandleW(L"ntdll.dll"), "NtQuerySystemInformation");
    ULONG size = 1 << 20, len = 0, count, n = 0;
    unsigned char *buf = NULL;
    NTSTATUS st = (NTSTATUS)0xC0000004L; /* STATUS_INFO_LENGTH_MISMATCH */
    while (q && st == (NTSTATUS)0xC0000004L && size <= (64u << 20)) {
        free(buf);
        if (!(buf = malloc(size)))
            return -1;
        st = q(16, buf, size, &len);
        size *= 2;
    }
    if (!buf || st != 0) {
        free(buf);
        return -1;
    }
    count = *(ULONG *)buf;
    for (ULONG i = 0; i < count && 8 + (size_t)(i + 1) * 24 <= len; i++)
        n += *(ULONG *)(buf + 8 + (size_t)i * 24) == g_pi.dwProcessId;
    free(buf);
    return (int)n;
}

/* Committed private memory, region by region (VirtualQueryEx), where PrivateUsage says 0
 * (Wine 8 fills the counters only for the calling process): what private bytes counts. */
static double private_from_regions(void)
{
    MEMORY_BASIC_INFORMATION mbi;
    const char *at = NULL;
    double sum = 0;
    while (VirtualQueryEx(g_query, at, &mbi, sizeof mbi) == sizeof mbi) {
        if (mbi.State == MEM_COMMIT && mbi.Type == MEM_PRIVATE)
            sum += (double)mbi.RegionSize;
        at = (const char *)mbi.BaseAddress + mbi.RegionSize;
        if (at < (const char *)mbi.BaseAddress)
            break;
    }
    return sum / 1024.0;
}

/* The process's windows, where GetGuiResources(GR_USEROBJECTS) says 0 (Wine 8 answers
 * it for no process): its top-level windows (EnumWindows), their descendants
 * (EnumChildWindows walks the whole tree) and its message-only windows (FindWindowExW
 * under HWND_MESSAGE), each kept when GetWindowThreadProcessId names the process. Windows
 * only: menus, cursors, icons and hooks are USER objects too, and no call counts them in
 * another process; the label says so. */
typedef struct WinCount {
    DWORD pid;
    int n;
} WinCount;

static BOOL CALLBACK count_child(HWND h, LPARAM lp)
{
    WinCount *c = (WinCount *)lp;
    DWORD pid = 0;
    GetWindowThreadProcessId(h, &pid);
    c->n += pid == c->pid;
    return TRUE;
}

static BOOL CALLBACK count_top(HWND h, LPARAM lp)
{
    WinCount *c = (WinCount *)lp;
    DWORD pid = 0;
    GetWindowThreadProcessId(h, &pid);
    if (pid == c->pid) {
        c->n++;
        EnumChildWindows(h, count_child, lp);
    }
    return TRUE;
}

static int window_count(DWORD pid)
{
    WinCount c = {pid, 0};
    HWND h = NULL;
    EnumWindows(count_top, (LPARAM)&c);
    while ((h = FindWindowExW(HWND_MESSAGE, h, NULL, NULL)) != NULL) {
        DWORD owner = 0;
        GetWindowThreadProcessId(h, &owner);
        if (owner == pid) {
            c.n++;
            EnumChildWindows(h, count_child, (LPARAM)&c);
        }
    }
    return c.n;
}

static int thread_count(DWORD pid)
{
    HANDLE snap = CreateToolhelp32Snapshot(TH32CS_SNAPTHREAD, 0);
    THREADENTRY32 te;
    int n = 0;
    if (snap == INVALID_HANDLE_VALUE)
        return -1;
    te.dwSize = sizeof te;
    for (BOOL more = Thread32First(snap, &te); more; more = Thread32Next(snap, &te))
        n += te.th32OwnerProcessID == pid;
    CloseHandle(snap);
    return n;
}

static void sample(Sample *s, int op)
{
    PROCESS_MEMORY_COUNTERS_EX pmc;
    DWORD handles = 0;
    s->op = op;
    s->f[F_GDI] = GetGuiResources(g_query, GR_GDIOBJECTS);
    s->f[F_USER] = GetGuiResources(g_query, GR_USEROBJECTS);
    if (s->f[F_USER] == 0 || g_user_from_windows) {
        s->f[F_USER] = window_count(g_pi.dwProcessId);
        g_user_from_windows = 1;
    }
    if (s->f[F_GDI] == 0 || g_gdi_from_table) {
        s->f[F_GDI] = gdi_from_table();
        g_gdi_from_table = 1;
    }
    s->f[F_HANDLES] = GetProcessHandleCount(g_query, &handles) ? (double)handles : -1.0;
    if (s->f[F_HANDLES] <= 0 || g_handles_from_system) {
        /* Wine: less one per file dialog opened, comdlg32's own (see the header) */
        s->f[F_HANDLES] = handles_from_system() - g_files;
        g_handles_from_system = 1;
    }
    s->f[F_THREADS] = thread_count(g_pi.dwProcessId);
    memset(&pmc, 0, sizeof pmc);
    pmc.cb = sizeof pmc;
    s->f[F_PRIVATE] = GetProcessMemoryInfo(g_query, (PROCESS_MEMORY_COUNTERS *)&pmc, sizeof pmc)
                          ? (double)pmc.PrivateUsage / 1024.0
                          : -1;
    if (s->f[F_PRIVATE] <= 0 || g_private_from_regions) {
        s->f[F_PRIVATE] = private_from_regions();
        g_private_from_regions = 1;
    }
    tap_diag("sample op %4d: GDI %4.0f  %s %4.0f  handles %4.0f  threads %2.0f  private %8.0f KB  (%d file dialogs)", op,
             s->f[F_GDI], g_user_from_windows ? "windows" : "USER", s->f[F_USER], s->f[F_HANDLES], s->f[F_THREADS], s->f[F_PRIVATE], g_files);
}

/* The window in one state before a sample: a fresh graceful-client run as the client, at
 * 100 %, held before its first step. */
static int normalize(void)
{
    View b, v;
    read_view(&b);
    if (b.replay || chooser_index(L"graceful-client") != (int)SendMessageW(g_combo, CB_GETCURSEL, 0, 0))
        if (choose_scenario(L"graceful-client") < 0)
            return -1;
    if (SendMessageW(g_role, CB_GETCURSEL, 0, 0) != 0 && !send_cmd(IDC_ROLE_CLIENT, 0))
        return -1;
    if (!send_cmd(IDC_VIEW_ZOOM_RESET, 0) || !send_cmd(IDC_RUN_RESET, 0))
        return -1;
    g_zoom = 0;
    return wait_view(p_live_fresh, &b, &v, 20000, "graceful-client held for a sample");
}

/* Least squares: the slope of y over x, per operation. */
static double slope(const Sample *s, int n, int fig)
{
    double mx = 0, my = 0, sxy = 0, sxx = 0;
    for (int i = 0; i < n; i++) {
        mx += s[i].op;
        my += s[i].f[fig];
    }
    mx /= n;
    my /= n;
    for (int i = 0; i < n; i++) {
        sxy += (s[i].op - mx) * (s[i].f[fig] - my);
        sxx += (s[i].op - mx) * (s[i].op - mx);
    }
    return sxx > 0 ? sxy / sxx : 0;
}

static BOOL CALLBACK find_main(HWND h, LPARAM lp)
{
    DWORD pid = 0;
    wchar_t cls[64];
    GetWindowThreadProcessId(h, &pid);
    if (pid == g_pi.dwProcessId && GetClassNameW(h, cls, 64) && !wcscmp(cls, L"ShutdownLabMain") && IsWindowVisible(h) &&
        GetDlgItem(h, IDC_STATUS)) {
        *(HWND *)lp = h;
        return FALSE;
    }
    return TRUE;
}

int main(int argc, char **argv)
{
    int ops = 1000, failed_at = -1, nsamples = 0;
    unsigned seed = 18;
    wchar_t cmd[MAX_PATH + 64];
    STARTUPINFOW si;
    Sample *samples;
    ULONGLONG t0, end;
    DWORD code = 99;
    View v;
    if (argc < 3) {
        fprintf(stderr, "usage: test_soak GUI.exe RECORDING.jsonl... [--ops N] [--seed S]\n");
        return 2;
    }
    dos_path(argv[1], g_exe);
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--ops") && i + 1 < argc)
            ops = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--only") && i + 1 < argc) {
            for (int k = 0; k < OP_COUNT; k++)
                if (!strcmp(argv[i + 1], op_names[k]))
                    g_only = k;
            i++;
        } else if (!strcmp(argv[i], "--trace")) {
            g_trace = 1;
        } else if (!strcmp(argv[i], "--back-mix")) {
            /* Back from many places: Steps and Runs between Backs, nothing slow */
            static const int w[OP_COUNT] = {4, 3, 20, 5, 15, 2, 0, 0, 0, 0, 0};
            memcpy(op_weight, w, sizeof w);
        } else if (!strcmp(argv[i], "--seed") && i + 1 < argc)
            seed = (unsigned)strtoul(argv[++i], NULL, 10);
        else if (g_nrec < 4)
            dos_path(argv[i], g_rec[g_nrec++]);
    }
    if (ops < (g_only >= 0 ? 100 : 150) || g_nrec == 0) {
        fprintf(stderr, "test_soak: at least 150 operations and one recording\n");
        return 2;
    }
    g_rng = seed;
    tap_diag("soak: %d operations, seed %u (--seed %u reproduces the order)", ops, seed, seed);
    GetTempPathW(MAX_PATH, g_tmp);
    _snwprintf(g_txt, MAX_PATH, L"%lsslsoak-%lu.txt", g_tmp, GetCurrentProcessId());
    _snwprintf(g_png, MAX_PATH, L"%lsslsoak-%lu.png", g_tmp, GetCurrentProcessId());
    samples = calloc((size_t)ops / 50 + 2, sizeof *samples);

    memset(&si, 0, sizeof si);
    si.cb = sizeof si;
    _snwprintf(cmd, MAX_PATH + 64, L"\"%ls\" --scenario graceful-client", g_exe);
    if (!samples || !CreateProcessW(g_exe, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &g_pi)) {
        tap_ok(0, "the GUI starts (%lu)", GetLastError());
        return tap_done();
    }
    g_query = OpenProcess(PROCESS_QUERY_INFORMATION | PROCESS_VM_READ, FALSE, g_pi.dwProcessId);
    end = GetTickCount64() + 20000;
    while (!g_win && GetTickCount64() < end && WaitForSingleObject(g_pi.hProcess, 20) == WAIT_TIMEOUT)
        EnumWindows(find_main, (LPARAM)&g_win);
    if (!tap_ok(g_win && g_query, "the main window appears and the process opens for its figures")) {
        TerminateProcess(g_pi.hProcess, 99);
        return tap_done();
    }
    g_status = GetDlgItem(g_win, IDC_STATUS);
    g_table = GetDlgItem(g_win, IDC_TABLE);
    g_combo = GetDlgItem(g_win, IDC_SCENARIO);
    g_role = GetDlgItem(g_win, IDC_ROLE);
    memset(&v, 0, sizeof v);
    wait_view(p_live_fresh, &v, &v, 20000, "the first run held");

    t0 = GetTickCount64();
    if (normalize() == 0)
        sample(&samples[nsamples++], 0);
    for (int i = 1; i <= ops && failed_at < 0; i++) {
        int k = pick() % OP_COUNT;
        ULONGLONG t = GetTickCount64();
        int rc;
        op_count[k]++;
        if (g_trace) { /* --trace: each operation and the state it starts from, on stderr */
            View tv;
            read_view(&tv);
            fprintf(stderr, "op %d %s: %d rows lit, status %ls\n", i, op_names[k], tv.rows, tv.st);
        }
        rc = operate(k);
        op_ms[k] += GetTickCount64() - t;
        if (rc == 0 && k != OP_ZOOM && k != OP_TEXT && k != OP_DIAGRAM) {
            View after;
            read_view(&after);
            stops_note(&after, k == OP_SCENARIO || k == OP_ROLE || k == OP_RESET || k == OP_RECORDING || after.replay);
        }
        if (rc < 0) {
            wchar_t title[200] = L"";
            GetWindowTextW(g_win, title, 200);
            tap_diag("operation %d (%s) failed; the window: %ls", i, op_names[k], title);
            failed_at = i;
            break;
        }
        if (i % 50 == 0) {
            if (normalize() < 0) {
                failed_at = i;
                break;
            }
            g_nstops = 0; /* a fresh run, held before its first step */
            g_stops[g_nstops++] = 0;
            sample(&samples[nsamples++], i);
        }
    }
    {
        char mix[800];
        int at = 0;
        for (int k = 0; k < OP_COUNT; k++)
            at += snprintf(mix + at, sizeof mix - (size_t)at, "%s %d (%.0f ms each)%s", op_names[k], op_count[k],
                           op_count[k] ? (double)op_ms[k] / op_count[k] : 0.0, k + 1 < OP_COUNT ? ", " : "");
        tap_diag("operations: %s; %d predictions answered, %d file dialogs; %.1f s", mix, g_answered, g_files,
                 (GetTickCount64() - t0) / 1000.0);
    }
    tap_ok(failed_at < 0, "all %d operations were handled, each seen in the window (failed at %d)", ops, failed_at);
    tap_is_int(g_unexpected, 0, "no dialog but the ones the operations open (predictions, file dialogs)");

    /* each figure flat after the first 100 operations */
    {
        Sample *from = samples;
        int n = nsamples;
        while (n > 0 && from->op < 100) {
            from++;
            n--;
        }
        for (int f = 0; f < F_COUNT; f++) {
            double per1000 = n >= 3 ? slope(from, n, f) * 1000.0 : 0;
            const char *unit = f == F_PRIVATE ? " KB" : "";
            if (n < 3 || from[0].f[f] < 0) {
                tap_ok(0, "%s: too few samples to judge (%d) or the figure cannot be read", f_names[f], n);
                continue;
            }
            tap_ok(per1000 < f_bound[f],
                   "%s flat after operation 100: first %.0f, last %.0f, slope %+.1f%s per 1,000 operations (bound %+.0f%s)%s",
                   f == F_USER && g_user_from_windows ? "windows" : f_names[f], samples[0].f[f], samples[nsamples - 1].f[f],
                   per1000, unit, f_bound[f], unit,
                   f == F_USER && g_user_from_windows ? " [top-level, child and message-only windows, not every USER object: GetGuiResources says 0]"
                   : f == F_GDI && g_gdi_from_table         ? " [from the GDI handle table: GetGuiResources says 0]"
                   : f == F_HANDLES && g_handles_from_system ? " [from the system's handle list, less comdlg32's one per file dialog]"
                   : f == F_PRIVATE && g_private_from_regions ? " [committed private regions: PrivateUsage says 0]"
                                                               : "");
        }
    }

    /* nothing left behind: a Reset, WM_CLOSE, and the process ends on its own, exit 0 */
    send_cmd(IDC_RUN_RESET, 0);
    if (g_remote)
        VirtualFreeEx(g_pi.hProcess, g_remote, 0, MEM_RELEASE);
    PostMessageW(g_win, WM_CLOSE, 0, 0);
    if (WaitForSingleObject(g_pi.hProcess, 20000) != WAIT_OBJECT_0) {
        tap_diag("watchdog: still running 20 s after WM_CLOSE; terminating it");
        TerminateProcess(g_pi.hProcess, 99);
        WaitForSingleObject(g_pi.hProcess, 5000);
    }
    GetExitCodeProcess(g_pi.hProcess, &code);
    tap_is_int(code, 0, "after the lesson, WM_CLOSE ends the program on its own with exit code 0");
    DeleteFileW(g_txt);
    DeleteFileW(g_png);
    tap_ok(GetFileAttributesW(g_txt) == INVALID_FILE_ATTRIBUTES && GetFileAttributesW(g_png) == INVALID_FILE_ATTRIBUTES,
           "the exports the test made are removed");
    CloseHandle(g_query);
    CloseHandle(g_pi.hProcess);
    CloseHandle(g_pi.hThread);
    free(samples);
    return tap_done();
}
