/* test_replay_scale.c: a recording of 100,000 events more replays in the window as the
 * recording it grew from (issue 18: replay at scale). From a small recording (argv[2]) the
 * test makes a large one, the same run with 100,000 stale FD_READs of the local end put
 * before its end-of-run TCP samples (as --storm records them: after the end closed its
 * socket), then plays both to their end in the window (--autoplay --exit-after-run) and
 * holds the large one to the small one: the same table (every row, its time and verdict),
 * the same TCP states, arrows and exit code, and a text export that begins as the small
 * one's and differs only by the storm's lines. Opened without --autoplay, the large one
 * shows its window held before its first step, as the small one does. Timing and memory
 * are benchmarks (scripts/bench-replay.py), not this test's.
 * Usage: test_replay_scale GUI.exe RECORDING.jsonl */
#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "tap.h"

#define STORM 100000

static wchar_t g_exe[MAX_PATH], g_tmp[MAX_PATH];

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
    MultiByteToWideChar(CP_UTF8, 0, arg, -1, out, MAX_PATH);
}

static char *slurp(const wchar_t *path, size_t *len)
{
    FILE *f = _wfopen(path, L"rb");
    long n;
    char *s;
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    s = calloc(1, (size_t)n + 1);
    if (s && fread(s, 1, (size_t)n, f) != (size_t)n) {
        free(s);
        s = NULL;
    }
    fclose(f);
    if (len)
        *len = (size_t)n;
    return s;
}

/* The large recording: the small one with the storm before its first end-of-run sample. */
static int make_large(const char *small, const wchar_t *path, const char *side)
{
    const char *at = strstr(small, "at the end of the run\"}");
    const char *line, *prev;
    char t_us[32] = "0";
    FILE *f;
    if (!at)
        return -1;
    for (line = at; line > small && line[-1] != '\n'; line--)
        ;
    for (prev = line - 1; prev > small && prev[-1] != '\n'; prev--)
        ; /* the line before: the storm is stamped with its time */
    sscanf(prev, "{\"t_us\":%31[0-9]", t_us);
    if (!(f = _wfopen(path, L"wb")))
        return -1;
    fwrite(small, 1, (size_t)(line - small), f);
    for (int i = 0; i < STORM; i++)
        fprintf(f, "{\"t_us\":%s,\"side\":\"%s\",\"kind\":\"message\",\"name\":\"FD_READ\",\"error\":0,"
                   "\"error_name\":\"NO_ERROR\",\"stale\":true}\n", t_us, side);
    fputs(line, f);
    return fclose(f);
}

/* Plays a recording to its end; its state file and text export. The exit code, or -1. */
static int play(const wchar_t *rec, const wchar_t *state, const wchar_t *text)
{
    wchar_t cmd[4096];
    STARTUPINFOW si;
    PROCESS_INFORMATION pi;
    DWORD code = 0, w;
    memset(&si, 0, sizeof si);
    si.cb = sizeof si;
    _snwprintf(cmd, 4096, L"\"%ls\" --replay \"%ls\" --autoplay --exit-after-run --state-out \"%ls\" --export-text \"%ls\"",
               g_exe, rec, state, text);
    cmd[4095] = L'\0';
    if (!CreateProcessW(g_exe, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi)) {
        tap_diag("CreateProcess(%ls) failed: %lu", cmd, GetLastError());
        return -1;
    }
    if ((w = WaitForSingleObject(pi.hProcess, 120000)) != WAIT_OBJECT_0) {
        tap_diag("watchdog: %ls still running after 120 s; ended", rec);
        TerminateProcess(pi.hProcess, 99);
        WaitForSingleObject(pi.hProcess, 5000);
    }
    GetExitCodeProcess(pi.hProcess, &code);
    CloseHandle(pi.hProcess);
    CloseHandle(pi.hThread);
    return w == WAIT_OBJECT_0 ? (int)code : -1;
}

/* The state file's value of key, to the end of that value: a '[' or '{' to its match. */
static int section(const char *js, const char *key, char *out, size_t size)
{
    const char *p = js ? strstr(js, key) : NULL, *q;
    int depth = 0;
    if (!p)
        return -1;
    p += strlen(key);
    for (q = p; *q; q++) {
        depth += *q == '[' || *q == '{';
        depth -= *q == ']' || *q == '}';
        if (depth <= 0 && (*q == ',' || depth < 0))
            break;
    }
    snprintf(out, size, "%.*s", (int)(q - p + (depth == 0 && (*q == ']' || *q == '}'))), p);
    return 0;
}

static void same_section(const char *a, const char *b, const char *key, const char *what)
{
    static char sa[1 << 16], sb[1 << 16];
    int ok = section(a, key, sa, sizeof sa) == 0 && section(b, key, sb, sizeof sb) == 0 && !strcmp(sa, sb);
    if (!tap_ok(ok, "%s", what))
        tap_diag("  small: %.300s\n#   large: %.300s", sa, sb);
}

/* The FD_READs a storm's line of text counts ("FD_READ x100,000 (stale: ...)"); -1 when the
 * line is no storm's. */
static long storm_count(const char *line, size_t n)
{
    const char *p = strstr(line, "FD_READ");
    long count = 0;
    if (!p || (size_t)(p - line) > n)
        return -1;
    p += strlen("FD_READ");
    if (strncmp(p, " x", 2))
        return 1; /* one, not grouped */
    for (p += 2; (*p >= '0' && *p <= '9') || *p == ','; p++)
        if (*p != ',')
            count = count * 10 + (*p - '0');
    return count;
}

/* Whether the large one's text is the small one's with lines of the storm put in; *storm
 * gets the FD_READs those lines count. */
static int storm_only_differs(const char *small, const char *large, long *storm)
{
    const char *p = small, *q = large;
    *storm = 0;
    while (*q) {
        const char *pe = strchr(p, '\n'), *qe = strchr(q, '\n');
        size_t pn = pe ? (size_t)(pe - p) : strlen(p), qn = qe ? (size_t)(qe - q) : strlen(q);
        long c;
        if (*p && pn == qn && !memcmp(p, q, pn)) {
            p += pn + (pe != NULL);
            q += qn + (qe != NULL);
            continue;
        }
        if ((c = storm_count(q, qn)) < 0)
            return 0; /* a line of the large one that is no storm's */
        *storm += c;
        q += qn + (qe != NULL);
    }
    return !*p;
}

static BOOL CALLBACK find_window(HWND hwnd, LPARAM lp)
{
    HWND *out = (HWND *)lp;
    DWORD pid;
    GetWindowThreadProcessId(hwnd, &pid);
    if (pid == (DWORD)(ULONG_PTR)out[1] && IsWindowVisible(hwnd) && !GetWindow(hwnd, GW_OWNER)) {
        out[0] = hwnd;
        return FALSE;
    }
    return TRUE;
}

/* Opened without --autoplay: its window's title once it waits for input. */
static int held_title(const wchar_t *rec, wchar_t *title, int size)
{
    wchar_t cmd[2048];
    STARTUPINFOW si;
    PROCESS_INFORMATION pi;
    HWND found[2] = {NULL, NULL};
    memset(&si, 0, sizeof si);
    si.cb = sizeof si;
    title[0] = L'\0';
    _snwprintf(cmd, 2048, L"\"%ls\" --replay \"%ls\"", g_exe, rec);
    cmd[2047] = L'\0';
    if (!CreateProcessW(g_exe, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi))
        return -1;
    found[1] = (HWND)(ULONG_PTR)pi.dwProcessId;
    WaitForInputIdle(pi.hProcess, 60000);
    for (int i = 0; i < 6000 && !found[0] && WaitForSingleObject(pi.hProcess, 10) == WAIT_TIMEOUT; i++)
        EnumWindows(find_window, (LPARAM)found);
    if (found[0]) {
        DWORD_PTR res;
        SendMessageTimeoutW(found[0], WM_NULL, 0, 0, SMTO_NORMAL, 30000, &res); /* it has taken its start */
        GetWindowTextW(found[0], title, size);
        PostMessageW(found[0], WM_CLOSE, 0, 0);
    }
    if (WaitForSingleObject(pi.hProcess, 30000) != WAIT_OBJECT_0)
        TerminateProcess(pi.hProcess, 99);
    CloseHandle(pi.hProcess);
    CloseHandle(pi.hThread);
    return found[0] ? 0 : -1;
}

int main(int argc, char **argv)
{
    wchar_t small[MAX_PATH], large[MAX_PATH], st[2][MAX_PATH], tx[2][MAX_PATH], title[2][400];
    char *text = NULL, *state[2] = {NULL, NULL}, *export[2] = {NULL, NULL};
    const char *local;
    int code[2], same;
    long storm = 0;
    if (argc != 3) {
        fprintf(stderr, "usage: test_replay_scale GUI.exe RECORDING.jsonl\n");
        return 2;
    }
    dos_path(argv[1], g_exe);
    dos_path(argv[2], small);
    GetTempPathW(MAX_PATH, g_tmp);
    _snwprintf(large, MAX_PATH, L"%lsslrs-%lu-large.jsonl", g_tmp, GetCurrentProcessId());
    for (int k = 0; k < 2; k++) {
        _snwprintf(st[k], MAX_PATH, L"%lsslrs-%lu-%d.json", g_tmp, GetCurrentProcessId(), k);
        _snwprintf(tx[k], MAX_PATH, L"%lsslrs-%lu-%d.txt", g_tmp, GetCurrentProcessId(), k);
    }
    text = slurp(small, NULL);
    local = text && strstr(text, "\"local\":\"server\"") ? "server" : "client";
    if (!tap_ok(text && make_large(text, large, local) == 0, "a recording of %d events more is made from %s", STORM,
                argv[2]))
        goto done;
    code[0] = play(small, st[0], tx[0]);
    code[1] = play(large, st[1], tx[1]);
    tap_ok(code[0] >= 0 && code[0] == code[1], "both play to their end in the window, with the same exit code (%d, %d)",
           code[0], code[1]);
    state[0] = slurp(st[0], NULL);
    state[1] = slurp(st[1], NULL);
    if (!tap_ok(state[0] && state[1], "both say their state"))
        goto done;
    tap_ok(strstr(state[1], "\"run_done\":true") != NULL, "the large one's run is done");
    same_section(state[0], state[1], "\"rows\":", "the same table: every row, its time and its verdict");
    same_section(state[0], state[1], "\"tcp_state\":", "the same TCP states");
    same_section(state[0], state[1], "\"arrows\":", "the same arrows in the ladder");
    same_section(state[0], state[1], "\"recording_from\":", "recorded in the same place");
    export[0] = slurp(tx[0], NULL);
    export[1] = slurp(tx[1], NULL);
    same = export[0] && export[1] && storm_only_differs(export[0], export[1], &storm);
    tap_ok(same && storm == STORM, "the large one's text is the small one's and lines that count the storm's %d "
           "FD_READs (%ld)", STORM, storm);
    tap_ok(held_title(small, title[0], 400) == 0 && held_title(large, title[1], 400) == 0 && title[0][0] &&
               !wcscmp(title[0], title[1]),
           "opened, the large one's window says what the small one's says (\"%ls\")", title[1]);
done:
    free(text);
    for (int k = 0; k < 2; k++) {
        free(state[k]);
        free(export[k]);
        DeleteFileW(st[k]);
        DeleteFileW(tx[k]);
    }
    DeleteFileW(large);
    return tap_done();
}
