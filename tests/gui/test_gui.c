/* test_gui.c: the classroom GUI seen from outside, as a user's tools would see it. It
 * starts shutdownlab.exe (path from meson) with CreateProcess, finds its window, drives
 * it with posted keys, reads its table, log and status bar across processes, and checks
 * the PNG it writes of itself and the state file it leaves. Every wait has a watchdog. */
#define COBJMACROS
#include <winsock2.h>
#include <windows.h>
#include <commctrl.h>
#include <wincodec.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "resource.h"
#include "tap.h"

static wchar_t g_exe[MAX_PATH], g_tmp[MAX_PATH], g_scn[MAX_PATH];
/* tests/gui/data: recordings and the captures tcpdump made of them (the README says how) */
static wchar_t g_wire_rec[2][MAX_PATH], g_wire_cap[2][MAX_PATH];

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

static void exe_path(const char *arg)
{
    dos_path(arg, g_exe);
}

typedef struct Proc {
    PROCESS_INFORMATION pi;
    DWORD exit_code;
    int exited;
} Proc;

/* Starts the GUI; its stderr goes to err_path when given. */
static int start_err(Proc *p, const wchar_t *args, const wchar_t *err_path)
{
    wchar_t cmd[2048];
    STARTUPINFOW si;
    SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, TRUE};
    HANDLE err = INVALID_HANDLE_VALUE;
    BOOL ok;
    memset(p, 0, sizeof *p);
    memset(&si, 0, sizeof si);
    si.cb = sizeof si;
    if (err_path) {
        err = CreateFileW(err_path, GENERIC_WRITE, FILE_SHARE_READ, &sa, CREATE_ALWAYS, 0, NULL);
        si.dwFlags = STARTF_USESTDHANDLES;
        si.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
        si.hStdOutput = GetStdHandle(STD_OUTPUT_HANDLE);
        si.hStdError = err;
    }
    _snwprintf(cmd, 2048, L"\"%ls\" %ls", g_exe, args);
    cmd[2047] = L'\0';
    ok = CreateProcessW(g_exe, cmd, NULL, NULL, err_path != NULL, 0, NULL, NULL, &si, &p->pi);
    if (err != INVALID_HANDLE_VALUE)
        CloseHandle(err);
    if (!ok) {
        tap_diag("CreateProcess(%ls) failed: %lu", cmd, GetLastError());
        return -1;
    }
    return 0;
}

static int start(Proc *p, const wchar_t *args)
{
    return start_err(p, args, NULL);
}

/* Waits for the program to exit; past the watchdog it is ended and the test fails. */
static int finish(Proc *p, DWORD ms)
{
    DWORD w = WaitForSingleObject(p->pi.hProcess, ms);
    if (w != WAIT_OBJECT_0) {
        tap_diag("watchdog: still running after %lu ms; terminating it", ms);
        TerminateProcess(p->pi.hProcess, 99);
        WaitForSingleObject(p->pi.hProcess, 5000);
    }
    GetExitCodeProcess(p->pi.hProcess, &p->exit_code);
    CloseHandle(p->pi.hProcess);
    CloseHandle(p->pi.hThread);
    p->exited = w == WAIT_OBJECT_0;
    return p->exited ? 0 : -1;
}

/* ---- the state file (--state-out), read with the least JSON that serves ----------- */

static char *slurp(const wchar_t *path)
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
    return s;
}

/* A message's first line, without its CR: a TAP description is one line (meson reads a
 * CR as the end of one and the rest as an unknown line). */
static char *first_line(char *s)
{
    if (s)
        s[strcspn(s, "\r\n")] = '\0';
    return s;
}

static long long jint(const char *js, const char *key)
{
    char k[64];
    const char *p;
    snprintf(k, sizeof k, "\"%s\":", key);
    p = js ? strstr(js, k) : NULL;
    return p ? strtoll(p + strlen(k), NULL, 10) : -1;
}

static void jstr(const char *js, const char *key, char *out, size_t size)
{
    char k[64];
    const char *p;
    size_t n = 0;
    snprintf(k, sizeof k, "\"%s\":\"", key);
    out[0] = '\0';
    if (!js || !(p = strstr(js, k)))
        return;
    for (p += strlen(k); *p && *p != '"' && n + 1 < size; p++)
        out[n++] = *p;
    out[n] = '\0';
}

static int jarray4(const char *js, const char *key, long v[4])
{
    char k[64];
    const char *p;
    snprintf(k, sizeof k, "\"%s\":[", key);
    if (!js || !(p = strstr(js, k)))
        return -1;
    return sscanf(p + strlen(k), "%ld,%ld,%ld,%ld", &v[0], &v[1], &v[2], &v[3]) == 4 ? 0 : -1;
}

/* ---- the screenshot, decoded with WIC -------------------------------------------- */

typedef struct Image {
    UINT w, h;
    BYTE *px; /* BGRA, top-down */
} Image;

static int load_png(const wchar_t *path, Image *img)
{
    IWICImagingFactory *fac = NULL;
    IWICBitmapDecoder *dec = NULL;
    IWICBitmapFrameDecode *fr = NULL;
    IWICFormatConverter *cv = NULL;
    HRESULT hr;
    memset(img, 0, sizeof *img);
    CoInitializeEx(NULL, COINIT_APARTMENTTHREADED);
    hr = CoCreateInstance(&CLSID_WICImagingFactory, NULL, CLSCTX_INPROC_SERVER, &IID_IWICImagingFactory, (void **)&fac);
    if (SUCCEEDED(hr))
        hr = IWICImagingFactory_CreateDecoderFromFilename(fac, path, NULL, GENERIC_READ, WICDecodeMetadataCacheOnDemand, &dec);
    if (SUCCEEDED(hr)) {
        GUID fmt;
        hr = IWICBitmapDecoder_GetContainerFormat(dec, &fmt);
        if (SUCCEEDED(hr) && !IsEqualGUID(&fmt, &GUID_ContainerFormatPng))
            hr = E_FAIL;
    }
    if (SUCCEEDED(hr))
        hr = IWICBitmapDecoder_GetFrame(dec, 0, &fr);
    if (SUCCEEDED(hr))
        hr = IWICBitmapFrameDecode_GetSize(fr, &img->w, &img->h);
    if (SUCCEEDED(hr))
        hr = IWICImagingFactory_CreateFormatConverter(fac, &cv);
    if (SUCCEEDED(hr))
        hr = IWICFormatConverter_Initialize(cv, (IWICBitmapSource *)fr, &GUID_WICPixelFormat32bppBGRA,
                                            WICBitmapDitherTypeNone, NULL, 0, WICBitmapPaletteTypeCustom);
    if (SUCCEEDED(hr) && !(img->px = malloc((size_t)img->w * img->h * 4)))
        hr = E_OUTOFMEMORY;
    if (SUCCEEDED(hr))
        hr = IWICFormatConverter_CopyPixels(cv, NULL, img->w * 4, img->w * img->h * 4, img->px);
    if (cv)
        IWICFormatConverter_Release(cv);
    if (fr)
        IWICBitmapFrameDecode_Release(fr);
    if (dec)
        IWICBitmapDecoder_Release(dec);
    if (fac)
        IWICImagingFactory_Release(fac);
    return SUCCEEDED(hr) ? 0 : -1;
}

/* Pixels of exactly colour c (a COLORREF) inside the rectangle x, y, w, h. */
static long count_color(const Image *img, unsigned long c, const long r[4])
{
    long n = 0;
    BYTE red = (BYTE)(c & 0xff), green = (BYTE)((c >> 8) & 0xff), blue = (BYTE)((c >> 16) & 0xff);
    for (long y = r[1]; y < r[1] + r[3] && y < (long)img->h; y++)
        for (long x = r[0]; x < r[0] + r[2] && x < (long)img->w; x++) {
            const BYTE *p = img->px + ((size_t)y * img->w + (size_t)x) * 4;
            n += p[0] == blue && p[1] == green && p[2] == red;
        }
    return n;
}

/* ---- reading another process's controls ------------------------------------------- */

typedef struct Found {
    DWORD pid;
    HWND hwnd;
    const wchar_t *cls; /* NULL: the main window */
    int child;          /* a control the window must have (0: any) */
} Found;

/* A top-level window of the process: the main window, or (cls "#32770") a dialog that
 * holds the given control and is shown. */
static BOOL CALLBACK find_window(HWND h, LPARAM lp)
{
    Found *f = (Found *)lp;
    DWORD pid = 0;
    wchar_t cls[64];
    const wchar_t *want = f->cls ? f->cls : L"ShutdownLabMain";
    GetWindowThreadProcessId(h, &pid);
    if (pid == f->pid && GetClassNameW(h, cls, 64) && !wcscmp(cls, want) && (!f->cls || IsWindowVisible(h)) &&
        (!f->child || GetDlgItem(h, f->child))) {
        f->hwnd = h;
        return FALSE;
    }
    return TRUE;
}

/* Sends a message whose lParam points into the other process: the buffer lives there. */
static LRESULT remote_text(HANDLE proc, HWND h, UINT msg, WPARAM wp, int lvitem, wchar_t *out, int size)
{
    SIZE_T total = sizeof(LVITEMW) + (SIZE_T)size * sizeof(wchar_t);
    char *mem = VirtualAllocEx(proc, NULL, total, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    DWORD_PTR res = 0;
    out[0] = L'\0';
    if (!mem)
        return -1;
    if (lvitem >= 0) {
        LVITEMW it;
        memset(&it, 0, sizeof it);
        it.iSubItem = lvitem;
        it.cchTextMax = size;
        it.pszText = (LPWSTR)(mem + sizeof(LVITEMW));
        WriteProcessMemory(proc, mem, &it, sizeof it, NULL);
        SendMessageTimeoutW(h, msg, wp, (LPARAM)mem, SMTO_ABORTIFHUNG, 5000, &res);
    } else {
        SendMessageTimeoutW(h, msg, wp, (LPARAM)(mem + sizeof(LVITEMW)), SMTO_ABORTIFHUNG, 5000, &res);
    }
    ReadProcessMemory(proc, mem + sizeof(LVITEMW), out, (SIZE_T)size * sizeof(wchar_t), NULL);
    out[size - 1] = L'\0';
    VirtualFreeEx(proc, mem, 0, MEM_RELEASE);
    return (LRESULT)res;
}

static int rows_done(HANDLE proc, HWND table, int *total)
{
    int n = (int)SendMessageW(table, LVM_GETITEMCOUNT, 0, 0), done = 0;
    wchar_t t[64];
    for (int i = 0; i < n; i++) {
        remote_text(proc, table, LVM_GETITEMTEXTW, (WPARAM)i, 3 /* the t (ms) column */, t, 64);
        done += t[0] != L'\0';
    }
    *total = n;
    return done;
}

static void status_text(HANDLE proc, HWND status, wchar_t *out, int size)
{
    remote_text(proc, status, SB_GETTEXTW, 0, -1, out, size);
}

static int held_or_done(const wchar_t *s)
{
    return !wcsncmp(s, L"Held", 4) || !wcsncmp(s, L"Done", 4);
}

/* ---- the tests ------------------------------------------------------------------- */

static void test_autoplay(void)
{
    wchar_t args[1024], png[MAX_PATH], json[MAX_PATH];
    Proc p;
    char *js, state[32];
    Image img;
    long lr[4];
    _snwprintf(png, MAX_PATH, L"%lsslgui-gc-%lu.png", g_tmp, GetCurrentProcessId());
    _snwprintf(json, MAX_PATH, L"%lsslgui-gc-%lu.json", g_tmp, GetCurrentProcessId());
    _snwprintf(args, 1024, L"--scenario graceful-client --autoplay --screenshot \"%ls\" --state-out \"%ls\" --exit-after-run",
               png, json);
    if (start(&p, args) < 0 || finish(&p, 60000) < 0) {
        tap_ok(0, "autoplay graceful-client exits on its own");
        return;
    }
    tap_is_int(p.exit_code, 0, "autoplay graceful-client: exit code is the run's summary (0)");
    js = slurp(json);
    if (!tap_ok(js != NULL, "the state file was written"))
        return;
    tap_ok(strstr(js, "\"run_done\":true") != NULL, "the run completed");
    tap_is_int(jint(js, "rows_total"), 8, "the documented table has eight rows");
    tap_is_int(jint(js, "rows_done"), 8, "all eight rows lit up");
    tap_ok(!strstr(js, "\"out_of_order\":true"), "no row happened out of the table's order");
    tap_ok(strstr(js, "\"known_difference\":false") && !strstr(js, "\"known_difference\":true"),
           "graceful-client: no row is marked as a known difference");
    tap_ok(jint(js, "log_lines") > 10, "the log holds the run's events (%lld lines)", jint(js, "log_lines"));
    tap_is_int(jint(js, "log_state_repeats"), 0, "the log shows a TCP-table line only when that end's state changed");
    tap_ok(jint(js, "data") >= 1 && jint(js, "fin") >= 2 && jint(js, "rst") == 0,
           "the ladder infers data and two FINs, no RST (data %lld, fin %lld, rst %lld)", jint(js, "data"),
           jint(js, "fin"), jint(js, "rst"));
    jstr(js, "client", state, sizeof state);
    tap_is_str(state, "TIME_WAIT", "the client, which closed first, shows TIME_WAIT from the OS's TCP table");
    jstr(js, "server", state, sizeof state);
    tap_ok(state[0] != '\0', "the server shows a TCP state (%s)", state);
    if (!tap_ok(load_png(png, &img) == 0, "the screenshot is a valid PNG")) {
        free(js);
        return;
    }
    tap_ok(img.w >= 800 && img.h >= 500, "the screenshot is at least 800x500 (%ux%u)", img.w, img.h);
    if (tap_ok(jarray4(js, "ladder_rect", lr) == 0, "the state says where the ladder is")) {
        long fin = count_color(&img, (unsigned long)jint(js, "color_fin"), lr);
        long data = count_color(&img, (unsigned long)jint(js, "color_data"), lr);
        tap_ok(fin > 150, "the ladder's pixels hold the FIN arrows' green (%ld pixels)", fin);
        tap_ok(data > 80, "the ladder's pixels hold the data arrow's blue (%ld pixels)", data);
    }
    free(img.px);
    free(js);
    DeleteFileW(png);
    DeleteFileW(json);
}

static void test_role_server(void)
{
    wchar_t args[1024], json[MAX_PATH];
    Proc p;
    char *js, role[16];
    _snwprintf(json, MAX_PATH, L"%lsslgui-srv-%lu.json", g_tmp, GetCurrentProcessId());
    _snwprintf(args, 1024, L"--scenario graceful-client --role server --autoplay --state-out \"%ls\" --exit-after-run", json);
    if (start(&p, args) < 0 || finish(&p, 60000) < 0) {
        tap_ok(0, "--role server: exits on its own");
        return;
    }
    tap_is_int(p.exit_code, 0, "--role server: the run passes with the local end as server");
    js = slurp(json);
    jstr(js, "role", role, sizeof role);
    tap_is_str(role, "server", "--role server: the window plays the server");
    tap_is_int(jint(js, "rows_done"), 8, "--role server: all eight rows lit up");
    free(js);
    DeleteFileW(json);
}

static void test_bad_argument(void)
{
    Proc p;
    if (start(&p, L"--no-such-option") < 0 || finish(&p, 30000) < 0) {
        tap_ok(0, "a bad argument ends the program");
        return;
    }
    tap_is_int(p.exit_code, 2, "a bad argument: usage on stderr, exit 2 (no message box)");
    {
        wchar_t errf[MAX_PATH];
        char *err;
        _snwprintf(errf, MAX_PATH, L"%lsslgui-zoom-%lu.err", g_tmp, GetCurrentProcessId());
        if (start_err(&p, L"--zoom 5000", errf) < 0 || finish(&p, 30000) < 0) {
            tap_ok(0, "--zoom 5000 ends the program");
            return;
        }
        tap_is_int(p.exit_code, 2, "--zoom 5000: exit 2");
        err = slurp(errf);
        tap_ok(err && strstr(err, "--zoom") && strstr(err, "50 to 400"), "--zoom 5000: stderr names the option and its range");
        free(err);
        DeleteFileW(errf);
    }
}

/* Waits until pred() holds for the status bar text, or the watchdog expires. */
static int wait_status(Proc *p, HWND status, int (*pred)(const wchar_t *), DWORD ms, wchar_t *out, int size)
{
    ULONGLONG end = GetTickCount64() + ms;
    do {
        status_text(p->pi.hProcess, status, out, size);
        if (pred(out))
            return 0;
    } while (WaitForSingleObject(p->pi.hProcess, 50) == WAIT_TIMEOUT && GetTickCount64() < end);
    return -1;
}

static int is_done(const wchar_t *s)
{
    return !wcsncmp(s, L"Done", 4);
}

static int is_held(const wchar_t *s)
{
    return !wcsncmp(s, L"Held", 4);
}

/* The main window once it is shown with its status bar (WM_CREATE is over), or NULL. */
static HWND main_window(Proc *p)
{
    Found f = {0, NULL, NULL, 0};
    ULONGLONG end = GetTickCount64() + 20000;
    f.pid = p->pi.dwProcessId;
    while ((!f.hwnd || !IsWindowVisible(f.hwnd) || !GetDlgItem(f.hwnd, IDC_STATUS)) && GetTickCount64() < end &&
           WaitForSingleObject(p->pi.hProcess, 50) == WAIT_TIMEOUT)
        EnumWindows(find_window, (LPARAM)&f);
    return f.hwnd;
}

/* Space steps the run one end at a time: each press lets one end make its next call,
 * which lights its row and, often, the row of the other end's reaction. */
static void test_keyboard_stepping(void)
{
    Proc p;
    HWND win;
    HWND table, log, status;
    wchar_t st[300];
    int total = 0, done, presses = 0, ok_steps = 1;
    ULONGLONG end;
    if (start(&p, L"--scenario graceful-client") < 0) {
        tap_ok(0, "the GUI starts for stepping");
        return;
    }
    win = main_window(&p);
    if (!tap_ok(win != NULL, "the main window appears")) {
        TerminateProcess(p.pi.hProcess, 99);
        finish(&p, 5000);
        return;
    }
    table = GetDlgItem(win, IDC_TABLE);
    log = GetDlgItem(win, IDC_LOG);
    status = GetDlgItem(win, IDC_STATUS);
    tap_ok(table && log && status, "the table, log and status bar are there");
    tap_ok(wait_status(&p, status, held_or_done, 20000, st, 300) == 0, "the run holds after the set-up (status: %ls)", st);
    done = rows_done(p.pi.hProcess, table, &total);
    tap_is_int(total, 8, "the table shows eight rows");
    /* both ends hold once connected, before either makes its first step */
    tap_is_int(done, 0, "no row is lit before the first Step");
    while (done < total && presses < 12) {
        int before = done;
        wchar_t was[300];
        status_text(p.pi.hProcess, status, was, 300);
        PostMessageW(win, WM_KEYDOWN, VK_SPACE, 0x00390001);
        PostMessageW(win, WM_KEYUP, VK_SPACE, (LPARAM)0xC0390001);
        presses++;
        end = GetTickCount64() + 15000;
        /* wait for the press to land: more rows lit, and the run held again at another
         * place (or over); the hold before the press still showing, with a late reaction
         * of the press before lighting a row, is not it (a loaded machine let a press go
         * out before the previous one had landed: 4 rows in one "press") */
        do {
            done = rows_done(p.pi.hProcess, table, &total);
            status_text(p.pi.hProcess, status, st, 300);
            if (done > before && held_or_done(st) && wcscmp(st, was) != 0)
                break;
        } while (WaitForSingleObject(p.pi.hProcess, 50) == WAIT_TIMEOUT && GetTickCount64() < end);
        /* the actor's own row, the other end's reaction, and at most one reaction to the
         * previous press that arrived after the run looked held again */
        if (done - before < 1 || done - before > 3) {
            tap_diag("press %d: rows %d -> %d (status: %ls)", presses, before, done, st);
            ok_steps = 0;
        }
    }
    tap_ok(ok_steps, "each Space let one end act: one to three rows lit per press, never none");
    tap_is_int(done, 8, "Space alone steps through all eight rows");
    tap_ok(presses >= 3, "it took several presses, not one (%d)", presses);
    tap_ok(wait_status(&p, status, is_done, 20000, st, 300) == 0, "the status bar says the run is done (%ls)", st);
    tap_ok(SendMessageW(log, LVM_GETITEMCOUNT, 0, 0) > 10, "the log list view has the run's lines (%ld)",
           (long)SendMessageW(log, LVM_GETITEMCOUNT, 0, 0));
    /* Reset (Ctrl+R's command: a posted key cannot carry Ctrl's state): a new run on new
     * sockets, held again before its first step */
    PostMessageW(win, WM_COMMAND, MAKEWPARAM(IDC_RUN_RESET, 1), 0);
    wait_status(&p, status, is_held, 15000, st, 300);
    done = rows_done(p.pi.hProcess, table, &total);
    tap_ok(is_held(st) && done == 0, "Reset starts a new run, held before its first step (%d rows lit; %ls)", done, st);
    /* F5 runs it through */
    PostMessageW(win, WM_KEYDOWN, VK_F5, 0x003F0001);
    PostMessageW(win, WM_KEYUP, VK_F5, (LPARAM)0xC03F0001);
    tap_ok(wait_status(&p, status, is_done, 30000, st, 300) == 0 && wcsstr(st, L"(exit 0)"),
           "F5 runs the scenario to the end and it passes (%ls)", st);
    tap_is_int(rows_done(p.pi.hProcess, table, &total), 8, "after F5 all eight rows are lit");
    PostMessageW(win, WM_CLOSE, 0, 0);
    tap_ok(finish(&p, 20000) == 0, "WM_CLOSE ends the program");
}

static void window_text(HWND h, wchar_t *out, int size)
{
    DWORD_PTR res = 0;
    out[0] = L'\0';
    SendMessageTimeoutW(h, WM_GETTEXT, (WPARAM)size, (LPARAM)out, SMTO_ABORTIFHUNG, 5000, &res);
    out[size - 1] = L'\0';
}

/* The scenario chooser's index of name, or -1 (the system carries CB_GETLBTEXT's text
 * between the processes, as it does WM_GETTEXT's). */
static int chooser_index(HWND combo, const wchar_t *name)
{
    int n = (int)SendMessageW(combo, CB_GETCOUNT, 0, 0);
    for (int i = 0; i < n; i++) {
        wchar_t item[128] = L"";
        DWORD_PTR res = 0;
        if (SendMessageW(combo, CB_GETLBTEXTLEN, (WPARAM)i, 0) < 128 &&
            SendMessageTimeoutW(combo, CB_GETLBTEXT, (WPARAM)i, (LPARAM)item, SMTO_ABORTIFHUNG, 5000, &res) &&
            !wcscmp(item, name))
            return i;
    }
    return -1;
}

/* Choosing another scenario or role in a running window, as the chooser does: when the
 * command returns, the window is visible again (its redraw, off for the batch, is back),
 * the table holds the new run's rows, and that run plays through to a pass. */
static void test_switch(void)
{
    Proc p;
    HWND win, combo, role, table, status;
    wchar_t st[300], title[200], first[128];
    int total = 0, lit, at;
    DWORD_PTR res = 0;
    if (start(&p, L"--scenario graceful-client") < 0 || !(win = main_window(&p))) {
        tap_ok(0, "switch: the GUI starts");
        return;
    }
    combo = GetDlgItem(win, IDC_SCENARIO);
    role = GetDlgItem(win, IDC_ROLE);
    table = GetDlgItem(win, IDC_TABLE);
    status = GetDlgItem(win, IDC_STATUS);
    wait_status(&p, status, held_or_done, 20000, st, 300);
    remote_text(p.pi.hProcess, table, LVM_GETITEMTEXTW, 0, 1, first, 128);
    tap_ok(!wcscmp(first, L"shutdown(SD_SEND)"), "switch: graceful-client's first row is the client's shutdown (%ls)",
           first);
    at = chooser_index(combo, L"abortive-linger0");
    tap_ok(at >= 0, "switch: the chooser lists abortive-linger0 (item %d)", at);
    SendMessageW(combo, CB_SETCURSEL, (WPARAM)at, 0);
    tap_ok(SendMessageTimeoutW(win, WM_COMMAND, MAKEWPARAM(IDC_SCENARIO, CBN_SELCHANGE), (LPARAM)combo,
                               SMTO_ABORTIFHUNG, 10000, &res) != 0,
           "switch: the window takes the new scenario");
    /* its run starts once the window has painted the new scenario, as at launch: its first
     * hold says it has (until then the status says Ready) */
    tap_ok(wait_status(&p, status, held_or_done, 20000, st, 300) == 0, "switch: the new run starts and holds (%ls)", st);
    tap_ok(IsWindowVisible(win) && IsWindowVisible(table), "switch: the window is visible after the switch's batch");
    window_text(win, title, 200);
    tap_ok(wcsstr(title, L"abortive-linger0") != NULL, "switch: the title names the new scenario (%ls)", title);
    lit = rows_done(p.pi.hProcess, table, &total);
    remote_text(p.pi.hProcess, table, LVM_GETITEMTEXTW, 0, 1, first, 128);
    tap_ok(lit == 0 && total > 0 && total != 8 && wcscmp(first, L"shutdown(SD_SEND)"),
           "switch: the table holds the new scenario's %d rows, none lit yet (%d; first: %ls)", total, lit, first);
    SendMessageTimeoutW(win, WM_COMMAND, MAKEWPARAM(IDC_ROLE_SERVER, 0), 0, SMTO_ABORTIFHUNG, 10000, &res);
    /* as above: the run in the new role starts once the window has painted; while its
     * batch is under way, WM_SETREDRAW has the window's WS_VISIBLE cleared */
    wait_status(&p, status, held_or_done, 20000, st, 300);
    tap_ok(IsWindowVisible(win) && SendMessageW(role, CB_GETCURSEL, 0, 0) == 1,
           "switch: Run > I play the server switches the role, the window visible (%ls)", st);
    PostMessageW(win, WM_KEYDOWN, VK_F5, 0x003F0001);
    PostMessageW(win, WM_KEYUP, VK_F5, (LPARAM)0xC03F0001);
    tap_ok(wait_status(&p, status, is_done, 60000, st, 300) == 0 && wcsstr(st, L"(exit 0)"),
           "switch: the new run plays through and passes (%ls)", st);
    lit = rows_done(p.pi.hProcess, table, &total);
    tap_ok(lit == total && total > 0, "switch: every row of the new table is lit (%d of %d)", lit, total);
    PostMessageW(win, WM_CLOSE, 0, 0);
    tap_ok(finish(&p, 20000) == 0, "switch: WM_CLOSE ends the program");
}

/* A copy of a built-in scenario file (beside graceful-client.scn, the test's argument)
 * with one line's text replaced, written to path. Returns 0, or -1 when the file or the
 * line is missing. */
static int scenario_variant(const wchar_t *name, const char *line, const char *with, const wchar_t *path)
{
    wchar_t src[MAX_PATH], *slash = NULL;
    char *text, *at;
    FILE *f;
    int rc = -1;
    for (wchar_t *c = wcscpy(src, g_scn); *c; c++)
        if (*c == L'\\' || *c == L'/')
            slash = c;
    if (!slash)
        return -1;
    _snwprintf(slash + 1, MAX_PATH - (size_t)(slash + 1 - src), L"%ls.scn", name);
    if (!(text = slurp(src)) || !(at = strstr(text, line)) || !(f = _wfopen(path, L"wb"))) {
        free(text);
        return -1;
    }
    if (fwrite(text, 1, (size_t)(at - text), f) == (size_t)(at - text) && fputs(with, f) >= 0 &&
        fputs(at + strlen(line), f) >= 0)
        rc = 0;
    if (fclose(f) != 0)
        rc = -1;
    if (rc < 0)
        DeleteFileW(path); /* no half-written copy left behind */
    free(text);
    return rc;
}

/* linger-nonblocking: a closesocket under SO_LINGER {1,N} blocks under Wine. It runs on
 * a worker, so the window answers messages throughout and says the close is blocking.
 * The built-in's close blocks ~300 ms, the server's quiet, which a loaded machine's
 * sampling of the status bar could miss (1 run in 3 under two busy loops): this runs a
 * copy whose quiet is 1.2 s, well within its linger time (2 s), so the close returns
 * when the server reads on, as in the built-in. */
static void test_never_freezes(void)
{
    Proc p;
    Found f = {0, NULL, NULL, 0};
    HWND status = NULL;
    wchar_t st[300], scn[MAX_PATH], args[1024];
    int answered = 0, hung = 0, saw_blocking = 0;
    DWORD longest = 0;
    _snwprintf(scn, MAX_PATH, L"%lsslgui-linger-%lu.scn", g_tmp, GetCurrentProcessId());
    if (!tap_ok(scenario_variant(L"linger-nonblocking", "server quiet 300 ", "server quiet 1200 ", scn) == 0,
                "a copy of linger-nonblocking.scn with a 1.2 s quiet is written (%ls)", scn))
        return;
    _snwprintf(args, 1024, L"--scenario-file \"%ls\" --autoplay --exit-after-run", scn);
    if (start(&p, args) < 0) {
        tap_ok(0, "linger-nonblocking starts");
        DeleteFileW(scn);
        return;
    }
    f.pid = p.pi.dwProcessId;
    /* probed every 2 ms (plus the probe's own round trips) while the close lingers 1.2 s */
    while (WaitForSingleObject(p.pi.hProcess, 2) == WAIT_TIMEOUT) {
        DWORD_PTR res;
        ULONGLONG t0;
        if (!f.hwnd || !status) {
            EnumWindows(find_window, (LPARAM)&f);
            status = f.hwnd ? GetDlgItem(f.hwnd, IDC_STATUS) : NULL;
            continue;
        }
        t0 = GetTickCount64();
        if (SendMessageTimeoutW(f.hwnd, WM_NULL, 0, 0, SMTO_ABORTIFHUNG, 1000, &res))
            answered++;
        else if (IsWindow(f.hwnd))
            hung++;
        if (GetTickCount64() - t0 > longest)
            longest = (DWORD)(GetTickCount64() - t0);
        remote_text(p.pi.hProcess, status, SB_GETTEXTW, 2 /* status.h: STATUS_BLOCKING */, -1, st, 300);
        if (wcsstr(st, L"closesocket blocking"))
            saw_blocking = 1;
    }
    finish(&p, 1000);
    DeleteFileW(scn);
    tap_is_int(p.exit_code, 0, "linger-nonblocking: the run passes");
    tap_ok(answered > 5 && hung == 0, "the window answered every message during the run (%d answered, %d timed out, "
           "longest %lu ms)", answered, hung, longest);
    tap_ok(saw_blocking, "the status bar said 'closesocket blocking...' while the close lingered");
}

/* The log the window shows and the transcript it exports are one text: after a storm
 * (shutdown-receive), every line of the log list view, read from outside through
 * LVM_GETITEMTEXT and put back in the text format's columns, is the exported
 * transcript's line, in the same order, none missing (the last two lines of the log are
 * its own byte counts). This goes through the GUI's whole path: the sink's queue, the
 * drain, the log's model and the list view. */
static void test_log_is_export(void)
{
    wchar_t args[1024], txt[MAX_PATH], st[300], col[4][800];
    Proc p;
    HWND win;
    HWND log, status;
    char *text = NULL, *body, line[2400];
    int n, same = 0, first_diff = -1;
    _snwprintf(txt, MAX_PATH, L"%lsslgui-log-%lu.txt", g_tmp, GetCurrentProcessId());
    DeleteFileW(txt);
    _snwprintf(args, 1024, L"--scenario shutdown-receive --autoplay --export-text \"%ls\"", txt);
    if (start(&p, args) < 0) {
        tap_ok(0, "shutdown-receive starts for the log test");
        return;
    }
    win = main_window(&p);
    log = win ? GetDlgItem(win, IDC_LOG) : NULL;
    status = win ? GetDlgItem(win, IDC_STATUS) : NULL;
    if (!tap_ok(log && status && wait_status(&p, status, is_done, 60000, st, 300) == 0 && (text = slurp(txt)) != NULL,
                "the storm runs to its end and its transcript is exported (%ls)", st)) {
        TerminateProcess(p.pi.hProcess, 99);
        finish(&p, 5000);
        free(text);
        return;
    }
    body = strstr(text, "\n   t (ms)  side"); /* the header's lines, down to the columns' names */
    if (body && (body = strchr(body + 1, '\n')) != NULL)
        body++;
    n = (int)SendMessageW(log, LVM_GETITEMCOUNT, 0, 0);
    for (int i = 0; body && i < n - 2; i++) {
        char t[64], *nl = strchr(body, '\n');
        for (int c = 0; c < 4; c++)
            remote_text(p.pi.hProcess, log, LVM_GETITEMTEXTW, (WPARAM)i, c, col[c], 800);
        WideCharToMultiByte(CP_UTF8, 0, col[0], -1, t, sizeof t, NULL, NULL);
        {
            char *dash = strchr(t, '-'), side[32], step[32], what[1600];
            WideCharToMultiByte(CP_UTF8, 0, col[1], -1, side, sizeof side, NULL, NULL);
            WideCharToMultiByte(CP_UTF8, 0, col[2], -1, step, sizeof step, NULL, NULL);
            WideCharToMultiByte(CP_UTF8, 0, col[3], -1, what, sizeof what, NULL, NULL);
            if (dash)
                *dash = '\0';
            snprintf(line, sizeof line, "%9s%s%s  %-6s %-5s %s", t, dash ? "-" : "", dash ? dash + 1 : "", side, step, what);
        }
        if (nl && (size_t)(nl - body) == strlen(line) && !strncmp(body, line, strlen(line)))
            same++;
        else if (first_diff < 0) {
            first_diff = i;
            tap_diag("line %d: log \"%s\", text \"%.*s\"", i, line, nl ? (int)(nl - body) : 80, body);
        }
        body = nl ? nl + 1 : NULL;
    }
    tap_ok(n > 30 && same == n - 2, "the log's %d lines are the exported text's, in order (%d the same)", n - 2, same);
    tap_ok(body && !strncmp(body, "client: sent ", 13), "and after them the text has only its end: none missing");
    PostMessageW(win, WM_CLOSE, 0, 0);
    finish(&p, 10000);
    free(text);
    DeleteFileW(txt);
}

/* Export: the transcript as text and the ladder as PNG, written by --export-text and
 * --export-diagram when the run is over (File > Export's code, without the dialog), and
 * the transcript on the clipboard through Edit > Copy. */
static void test_exports(void)
{
    wchar_t args[1024], txt[MAX_PATH], png[MAX_PATH], st[300];
    Proc p;
    Found f = {0, NULL, NULL, 0};
    Image img;
    char *text;
    int copied = 0;
    ULONGLONG end;
    _snwprintf(txt, MAX_PATH, L"%lsslgui-export-%lu.txt", g_tmp, GetCurrentProcessId());
    _snwprintf(png, MAX_PATH, L"%lsslgui-export-%lu.png", g_tmp, GetCurrentProcessId());
    _snwprintf(args, 1024, L"--scenario abortive-linger0 --autoplay --export-text \"%ls\" --export-diagram \"%ls\" "
                           L"--exit-after-run", txt, png);
    if (start(&p, args) < 0 || finish(&p, 60000) < 0) {
        tap_ok(0, "abortive-linger0 with exports exits on its own");
        return;
    }
    tap_is_int(p.exit_code, 0, "abortive-linger0 with exports: exit 0");
    text = slurp(txt);
    if (tap_ok(text != NULL, "--export-text wrote the transcript")) {
        tap_ok(strstr(text, "== (3) closesocket") && strstr(text, "== (7) closesocket"),
               "the exported transcript has the steps, in the text format");
        tap_ok(strstr(text, "KNOWN DIFFERENCE") != NULL, "and the known difference with its evidence");
        tap_ok(strstr(text, "result: ") != NULL, "and the result line");
        free(text);
    }
    if (tap_ok(load_png(png, &img) == 0, "--export-diagram wrote a valid PNG")) {
        tap_ok(img.w >= 800 && img.h >= 400, "the diagram is large enough for a slide (%ux%u)", img.w, img.h);
        free(img.px);
    }
    DeleteFileW(txt);
    DeleteFileW(png);

    if (OpenClipboard(NULL)) { /* nothing left from an earlier copy can pass the check */
        EmptyClipboard();
        CloseClipboard();
    }
    if (start(&p, L"--scenario graceful-client --autoplay") < 0) {
        tap_ok(0, "graceful-client starts for the clipboard");
        return;
    }
    f.pid = p.pi.dwProcessId;
    end = GetTickCount64() + 20000;
    while ((!f.hwnd || !GetDlgItem(f.hwnd, IDC_STATUS)) && GetTickCount64() < end &&
           WaitForSingleObject(p.pi.hProcess, 50) == WAIT_TIMEOUT)
        EnumWindows(find_window, (LPARAM)&f);
    if (f.hwnd && wait_status(&p, GetDlgItem(f.hwnd, IDC_STATUS), is_done, 30000, st, 300) == 0) {
        PostMessageW(f.hwnd, WM_COMMAND, MAKEWPARAM(IDC_EDIT_COPY, 0), 0);
        end = GetTickCount64() + 10000;
        /* the copy lands when the GUI has handled the command: poll the clipboard for it */
        while (!copied && GetTickCount64() < end && WaitForSingleObject(p.pi.hProcess, 50) == WAIT_TIMEOUT) {
            if (OpenClipboard(NULL)) {
                HANDLE h = GetClipboardData(CF_UNICODETEXT);
                const wchar_t *w = h ? GlobalLock(h) : NULL;
                copied = w && wcsstr(w, L"== (6) closesocket") && wcsstr(w, L"\r\n");
                if (w)
                    GlobalUnlock(h);
                CloseClipboard();
            }
        }
    }
    tap_ok(copied, "Edit > Copy puts the transcript on the clipboard, as Windows text (CRLF)");
    if (f.hwnd)
        PostMessageW(f.hwnd, WM_CLOSE, 0, 0);
    finish(&p, 10000);
}

/* The state row of one step on one side ("{\"step\":\"4\",\"side\":\"server\"..."), or NULL. */
static const char *state_row(const char *js, const char *step, const char *side)
{
    char k[64];
    snprintf(k, sizeof k, "{\"step\":\"%s\",\"side\":\"%s\"", step, side);
    return js ? strstr(js, k) : NULL;
}

/* A known difference of this platform must not look like a plain pass: abortive-linger0's
 * step (4) FD_CLOSE carries error 0 under Wine where Windows says WSAECONNABORTED. */
/* The field is in this row's object, not a later one's. */
static int in_row(const char *row, const char *field)
{
    const char *at = row ? strstr(row, field) : NULL;
    return at && at < strchr(row, '}');
}

static void test_known_difference(void)
{
    wchar_t args[1024], json[MAX_PATH];
    Proc p;
    char *js;
    const char *r4, *r5, *r3;
    _snwprintf(json, MAX_PATH, L"%lsslgui-kd-%lu.json", g_tmp, GetCurrentProcessId());
    _snwprintf(args, 1024, L"--scenario abortive-linger0 --autoplay --state-out \"%ls\" --exit-after-run", json);
    if (start(&p, args) < 0 || finish(&p, 60000) < 0) {
        tap_ok(0, "abortive-linger0 exits on its own");
        return;
    }
    tap_is_int(p.exit_code, 0, "abortive-linger0: a known difference is not a failure (exit 0)");
    js = slurp(json);
    r4 = state_row(js, "4", "server");
    r5 = state_row(js, "5", "server");
    r3 = state_row(js, "3", "client");
    tap_ok(in_row(r4, "\"known_difference\":true") && in_row(r4, "\"evidence\":\"disputed\""),
           "abortive-linger0: step (4), the server's FD_CLOSE (Wine: error 0), is a known difference, whichever "
           "disputed error Windows gives");
    tap_ok(in_row(r5, "\"known_difference\":true") && in_row(r5, "\"evidence\":\"documented\""),
           "abortive-linger0: step (5), the server's recv (Wine: data, Windows: WSAECONNRESET), is one too, documented");
    tap_ok(in_row(r3, "\"known_difference\":false") && in_row(r3, "\"disputed\":false"),
           "abortive-linger0: step (3), as on Windows, is neither");
    tap_ok(js && !strstr(js, "\"mismatch\":true"), "abortive-linger0: no row is a mismatch");
    free(js);
    DeleteFileW(json);
}

/* A teacher's own file: --scenario-file runs it like the built-in it copies; a malformed
 * one is refused with file:line:column on stderr and exit 2 (no message box). */
static void test_scenario_file(void)
{
    wchar_t good[MAX_PATH], badf[MAX_PATH], json[MAX_PATH], errf[MAX_PATH], args[1024];
    Proc p;
    char *js, *err;
    FILE *f;
    _snwprintf(good, MAX_PATH, L"%lsslgui-my-lesson-%lu.scn", g_tmp, GetCurrentProcessId());
    _snwprintf(badf, MAX_PATH, L"%lsslgui-broken-%lu.scn", g_tmp, GetCurrentProcessId());
    _snwprintf(json, MAX_PATH, L"%lsslgui-file-%lu.json", g_tmp, GetCurrentProcessId());
    _snwprintf(errf, MAX_PATH, L"%lsslgui-file-%lu.err", g_tmp, GetCurrentProcessId());
    if (!tap_ok(CopyFileW(g_scn, good, FALSE), "a renamed copy of graceful-client.scn is made (%ls)", g_scn))
        return;
    _snwprintf(args, 1024, L"--scenario-file \"%ls\" --autoplay --state-out \"%ls\" --exit-after-run", good, json);
    if (start(&p, args) < 0 || finish(&p, 60000) < 0) {
        tap_ok(0, "--scenario-file: the run ends on its own");
    } else {
        tap_is_int(p.exit_code, 0, "--scenario-file with a good file: the run passes");
        js = slurp(json);
        tap_ok(js && jint(js, "rows_total") == 8 && jint(js, "rows_done") == 8,
               "--scenario-file: the file's eight rows all lit up (%lld of %lld)", jint(js, "rows_done"),
               jint(js, "rows_total"));
        free(js);
    }
    f = _wfopen(badf, L"wb");
    if (f) {
        fputs("scenario broken\ntitle \"A broken file\"\nstep 1  client frobnicate 3\n", f);
        fclose(f);
    }
    _snwprintf(args, 1024, L"--scenario-file \"%ls\" --autoplay --exit-after-run", badf);
    if (start_err(&p, args, errf) < 0 || finish(&p, 30000) < 0) {
        tap_ok(0, "--scenario-file with a malformed file ends on its own");
    } else {
        char want[MAX_PATH + 8];
        tap_is_int(p.exit_code, 2, "--scenario-file with a malformed file: exit 2");
        err = slurp(errf);
        if (err) /* one TAP line: the message's own newline would start another */
            err[strcspn(err, "\r\n")] = '\0';
        WideCharToMultiByte(CP_UTF8, 0, badf, -1, want, MAX_PATH, NULL, NULL);
        strcat(want, ":3:");
        tap_ok(err && strstr(err, want), "stderr names file:line:column (%s)", err ? err : "(nothing)");
        free(err);
    }
    DeleteFileW(good);
    DeleteFileW(badf);
    DeleteFileW(json);
    DeleteFileW(errf);
}


/* Prediction mode: before each of the peer's steps a dialog asks what the student's end
 * sees next. Playing the server, the first question comes before the client's (1): the
 * server will see FD_CLOSE with error 0. The test always answers that, through the
 * dialog's own controls, and checks the score the window kept. */
/* Answers every prediction dialog with "FD_CLOSE, error 0" until the program ends or ms
 * pass; says how the first dialog opened (answers chosen, Predict enabled). */
static int answer_predictions(Proc *p, DWORD ms, int *preselected, int *ok_enabled)
{
    int answered = 0;
    ULONGLONG end = GetTickCount64() + ms;
    while (WaitForSingleObject(p->pi.hProcess, 50) == WAIT_TIMEOUT && GetTickCount64() < end) {
        Found d = {p->pi.dwProcessId, NULL, L"#32770", IDC_PRED_FIRST};
        EnumWindows(find_window, (LPARAM)&d);
        if (!d.hwnd)
            continue;
        if (!answered) { /* as it opens: nothing chosen, and Predict cannot be pressed yet */
            *preselected = 0;
            for (int i = 0; i < 5; i++)
                *preselected += SendMessageW(GetDlgItem(d.hwnd, IDC_PRED_FIRST + i), BM_GETCHECK, 0, 0) == BST_CHECKED;
            *ok_enabled = IsWindowEnabled(GetDlgItem(d.hwnd, IDOK)) != 0;
        }
        SendMessageW(GetDlgItem(d.hwnd, IDC_PRED_FIRST + 1), BM_CLICK, 0, 0); /* FD_CLOSE, error 0 */
        SendMessageW(d.hwnd, WM_COMMAND, MAKEWPARAM(IDOK, BN_CLICKED), 0);
        answered++;
    }
    return answered;
}

static void test_prediction(void)
{
    wchar_t args[1024], json[MAX_PATH];
    Proc p;
    char *js;
    int answered, preselected = -1, ok_enabled = -1;
    _snwprintf(json, MAX_PATH, L"%lsslgui-predict-%lu.json", g_tmp, GetCurrentProcessId());
    _snwprintf(args, 1024, L"--scenario graceful-client --role server --predict --autoplay --state-out \"%ls\" "
                           L"--exit-after-run", json);
    if (start(&p, args) < 0) {
        tap_ok(0, "prediction mode starts");
        return;
    }
    answered = answer_predictions(&p, 60000, &preselected, &ok_enabled);
    if (finish(&p, 1000) < 0) {
        tap_ok(0, "prediction mode: the run ends once every question is answered");
        return;
    }
    tap_is_int(p.exit_code, 0, "prediction mode: the run passes");
    tap_is_int(preselected, 0, "the dialog opens with no answer chosen (Enter alone records nothing)");
    tap_is_int(ok_enabled, 0, "and its Predict button is disabled until a choice is made");
    /* one question, before the client's (1): the client's later (6) comes after the
     * server's own (4') closesocket, when the server can see nothing more, so the dialog
     * no longer asks there (it did, and that answer was always "nothing") */
    tap_ok(answered >= 1, "the dialog asked before the peer's steps (%d questions)", answered);
    js = slurp(json);
    if (tap_ok(js != NULL, "prediction mode: the state file was written")) {
        const char *pr = strstr(js, "\"prediction\"");
        tap_ok(pr && jint(pr, "asked") == answered, "every answer was scored (%lld of %d)", pr ? jint(pr, "asked") : -1,
               answered);
        tap_ok(pr && jint(pr, "right") >= 1 && jint(pr, "right") <= jint(pr, "asked"),
               "the first answer (FD_CLOSE, error 0 before (1)) was right (%lld right)", pr ? jint(pr, "right") : -1);
        free(js);
    }
    DeleteFileW(json);
}

/* Once the local end's socket is closed it can see nothing more: no questions then.
 * abortive-linger0 playing the client closes at (3); the server's (4)-(7) come after. */
static void test_prediction_after_close(void)
{
    wchar_t args[1024];
    Proc p;
    int answered = 0;
    ULONGLONG end = GetTickCount64() + 60000;
    _snwprintf(args, 1024, L"--scenario abortive-linger0 --predict --autoplay --exit-after-run");
    if (start(&p, args) < 0) {
        tap_ok(0, "prediction on abortive-linger0 starts");
        return;
    }
    while (WaitForSingleObject(p.pi.hProcess, 50) == WAIT_TIMEOUT && GetTickCount64() < end) {
        Found d = {p.pi.dwProcessId, NULL, L"#32770", IDC_PRED_FIRST};
        EnumWindows(find_window, (LPARAM)&d);
        if (!d.hwnd)
            continue;
        SendMessageW(GetDlgItem(d.hwnd, IDC_PRED_FIRST + 4), BM_CLICK, 0, 0); /* nothing */
        SendMessageW(d.hwnd, WM_COMMAND, MAKEWPARAM(IDOK, BN_CLICKED), 0);
        answered++;
    }
    if (finish(&p, 1000) < 0) {
        tap_ok(0, "prediction on abortive-linger0: the run ends");
        return;
    }
    tap_is_int(p.exit_code, 0, "prediction on abortive-linger0 (client): the run passes");
    tap_ok(answered < 4, "no question after the client's socket is closed (%d asked; the server has 4 steps after it)",
           answered);
}

/* The text between "key":[ and its closing bracket (no nested brackets in these arrays
 * but objects): compared whole between a live run and its replay. */
static char *jarray(const char *js, const char *key)
{
    char pat[64], *out;
    const char *p, *e;
    int depth = 0;
    snprintf(pat, sizeof pat, "\"%s\":[", key);
    if (!js || !(p = strstr(js, pat)))
        return NULL;
    for (e = p + strlen(pat) - 1; *e; e++) {
        depth += *e == '[';
        if (*e == ']' && --depth == 0)
            break;
    }
    if (!*e || !(out = malloc((size_t)(e - p) + 2)))
        return NULL;
    memcpy(out, p, (size_t)(e - p) + 1);
    out[e - p + 1] = '\0';
    return out;
}

static int is_replay_done(const wchar_t *s)
{
    return !wcsncmp(s, L"Recording from", 14) && wcsstr(s, L". Done.");
}

/* "step K of N" in a replay's status bar; -1 when the status says something else. */
static int replay_step(const wchar_t *s, int *of)
{
    const wchar_t *p = wcsstr(s, L": step ");
    int k;
    *of = -1;
    return p && swscanf(p, L": step %d of %d", &k, of) == 2 ? k : -1;
}

/* A live run recorded with --record, then replayed with --replay: the window shows the
 * same rows (with their times), the same arrows and log, and exports the same text. */
static void test_replay_same(const wchar_t *rec)
{
    wchar_t args[2048], s1[MAX_PATH], s2[MAX_PATH], t1[MAX_PATH], t2[MAX_PATH];
    Proc p;
    char *js1, *js2, *x1, *x2, *r1, *r2, from[200];
    DWORD live_exit;
    _snwprintf(s1, MAX_PATH, L"%lsslgui-rp1-%lu.json", g_tmp, GetCurrentProcessId());
    _snwprintf(s2, MAX_PATH, L"%lsslgui-rp2-%lu.json", g_tmp, GetCurrentProcessId());
    _snwprintf(t1, MAX_PATH, L"%lsslgui-rp1-%lu.txt", g_tmp, GetCurrentProcessId());
    _snwprintf(t2, MAX_PATH, L"%lsslgui-rp2-%lu.txt", g_tmp, GetCurrentProcessId());
    _snwprintf(args, 2048, L"--scenario abortive-linger0 --autoplay --exit-after-run --record \"%ls\" --state-out \"%ls\" --export-text \"%ls\"",
               rec, s1, t1);
    if (start(&p, args) < 0 || finish(&p, 60000) < 0) {
        tap_ok(0, "a live run with --record exits on its own");
        return;
    }
    live_exit = p.exit_code;
    tap_is_int(live_exit, 0, "the live run with --record passes");
    _snwprintf(args, 2048, L"--replay \"%ls\" --autoplay --exit-after-run --state-out \"%ls\" --export-text \"%ls\"", rec, s2, t2);
    if (start(&p, args) < 0 || finish(&p, 60000) < 0) {
        tap_ok(0, "--replay --autoplay exits on its own");
        return;
    }
    tap_is_int(p.exit_code, live_exit, "the replay ends with the recorded run's exit code");
    js1 = slurp(s1);
    js2 = slurp(s2);
    x1 = slurp(t1);
    x2 = slurp(t2);
    r1 = jarray(js1, "rows");
    r2 = jarray(js2, "rows");
    tap_ok(x1 && x2 && strlen(x1) > 500 && !strcmp(x1, x2), "the replay exports the live run's text, byte for byte");
    tap_ok(r1 && r2 && !strcmp(r1, r2), "the replay's table is the live run's: rows, times, verdicts, grades");
    tap_ok(js1 && js2 && jint(js1, "data") == jint(js2, "data") && jint(js1, "fin") == jint(js2, "fin") &&
               jint(js1, "rst") == jint(js2, "rst") && jint(js2, "rst") >= 1,
           "the replay's ladder draws the live run's arrows (RST %lld)", js2 ? jint(js2, "rst") : -1);
    tap_ok(js1 && js2 && jint(js1, "log_lines") == jint(js2, "log_lines"), "the replay's log has the live run's %lld lines",
           js2 ? jint(js2, "log_lines") : -1);
    jstr(js2, "recording_from", from, sizeof from);
    tap_ok(strstr(from, "Windows") != NULL, "the replay says where it was recorded (%s)", from);
    tap_ok(js1 && strstr(js1, "\"recording_from\":null"), "and the live run says it is not a recording");
    free(js1), free(js2), free(x1), free(x2), free(r1), free(r2);
    DeleteFileW(s1), DeleteFileW(s2), DeleteFileW(t1), DeleteFileW(t2);
}

/* Stepping a recording: Space shows one recorded step at a time, Back goes back one. */
static void test_replay_stepping(const wchar_t *rec)
{
    wchar_t args[1024], st[300];
    Proc p;
    HWND win, table, status;
    int total = 0, done = 0, k = 0, of = 0, presses = 0, one_each = 1, lit_grew = 1;
    ULONGLONG end;
    _snwprintf(args, 1024, L"--replay \"%ls\"", rec);
    if (start(&p, args) < 0 || !(win = main_window(&p))) {
        tap_ok(0, "--replay opens the window");
        if (p.pi.hProcess)
            TerminateProcess(p.pi.hProcess, 99), finish(&p, 5000);
        return;
    }
    table = GetDlgItem(win, IDC_TABLE);
    status = GetDlgItem(win, IDC_STATUS);
    status_text(p.pi.hProcess, status, st, 300);
    k = replay_step(st, &of);
    tap_ok(k == 0 && of > 2, "a replay starts before its first step (%ls)", st);
    tap_is_int(rows_done(p.pi.hProcess, table, &total), 0, "no row is lit before the first Step");
    while (!is_replay_done(st) && presses < 30) {
        int before = done, was = k;
        PostMessageW(win, WM_KEYDOWN, VK_SPACE, 0x00390001);
        PostMessageW(win, WM_KEYUP, VK_SPACE, (LPARAM)0xC0390001);
        presses++;
        /* wait for the press to land: a message sent now would be answered before the
         * posted key is handled (sent messages come first), so watch the status bar; the
         * last step is followed by the replay's end, which the next press must not beat */
        end = GetTickCount64() + 5000;
        do {
            status_text(p.pi.hProcess, status, st, 300);
            k = replay_step(st, &of);
        } while ((k == was || k == of) && !is_replay_done(st) && GetTickCount64() < end &&
                 WaitForSingleObject(p.pi.hProcess, 20) == WAIT_TIMEOUT);
        done = rows_done(p.pi.hProcess, table, &total);
        if (!is_replay_done(st) && k != was + 1) {
            tap_diag("press %d: step %d -> %d (%ls)", presses, was, k, st);
            one_each = 0;
        }
        lit_grew &= done >= before;
    }
    tap_ok(is_replay_done(st), "Space steps the recording to its end (%ls)", st);
    tap_ok(one_each && presses >= 3, "each press showed one more recorded step (%d presses)", presses);
    tap_ok(lit_grew && done == total, "rows only light up while stepping, and all %d are lit at the end", total);
    /* sent, not posted: it returns once Back is handled */
    SendMessageTimeoutW(win, WM_COMMAND, MAKEWPARAM(IDC_RUN_BACK, 1), 0, SMTO_ABORTIFHUNG, 5000, NULL);
    status_text(p.pi.hProcess, status, st, 300);
    k = replay_step(st, &of);
    tap_ok(k == of - 1 && rows_done(p.pi.hProcess, table, &total) < total, "Back shows the recording one step earlier (%ls)", st);
    PostMessageW(win, WM_CLOSE, 0, 0);
    tap_ok(finish(&p, 20000) == 0, "WM_CLOSE ends the replay");
}

/* A broken recording is refused with its file, line and column, never half shown. */
static void test_replay_bad(const wchar_t *rec)
{
    wchar_t bad[MAX_PATH], errf[MAX_PATH], args[1024];
    char *good = slurp(rec), *nl, *err;
    FILE *f;
    Proc p;
    _snwprintf(bad, MAX_PATH, L"%lsslgui-bad-%lu.jsonl", g_tmp, GetCurrentProcessId());
    _snwprintf(errf, MAX_PATH, L"%lsslgui-bad-%lu.err", g_tmp, GetCurrentProcessId());
    if (!good || !(nl = strchr(good, '\n')) || !(f = _wfopen(bad, L"wb"))) {
        tap_ok(0, "a broken recording is made from the good one");
        free(good);
        return;
    }
    fwrite(good, 1, (size_t)(nl - good + 1), f); /* its first line, then a cut one */
    fputs("{\"t_us\":12,\"side\":\"client\",\"kind\":\n", f);
    fclose(f);
    _snwprintf(args, 1024, L"--replay \"%ls\" --autoplay --exit-after-run", bad);
    if (start_err(&p, args, errf) < 0 || finish(&p, 20000) < 0) {
        tap_ok(0, "--replay of a broken recording ends on its own");
    } else {
        tap_is_int(p.exit_code, 2, "--replay of a broken recording: exit 2, no window");
        err = first_line(slurp(errf));
        tap_ok(err && strstr(err, ".jsonl:2:"), "stderr names the file and line 2 (%s)", err ? err : "(nothing)");
        free(err);
    }
    free(good);
    DeleteFileW(bad);
    DeleteFileW(errf);
}

/* Prediction mode on a recording: asked before the peer's recorded steps, scored on what
 * the student's end saw in the recording. */
static void test_replay_predict(void)
{
    wchar_t rec[MAX_PATH], json[MAX_PATH], args[1024];
    Proc p;
    char *js;
    const char *pr;
    int answered, pre = -1, en = -1;
    _snwprintf(rec, MAX_PATH, L"%lsslgui-recp-%lu.jsonl", g_tmp, GetCurrentProcessId());
    _snwprintf(json, MAX_PATH, L"%lsslgui-recp-%lu.json", g_tmp, GetCurrentProcessId());
    _snwprintf(args, 1024, L"--scenario graceful-client --role server --autoplay --exit-after-run --record \"%ls\"", rec);
    if (start(&p, args) < 0 || finish(&p, 60000) < 0 || p.exit_code != 0) {
        tap_ok(0, "graceful-client as server is recorded");
        return;
    }
    _snwprintf(args, 1024, L"--replay \"%ls\" --predict --autoplay --exit-after-run --state-out \"%ls\"", rec, json);
    if (start(&p, args) < 0) {
        tap_ok(0, "a recording replays in prediction mode");
        return;
    }
    answered = answer_predictions(&p, 60000, &pre, &en);
    if (!tap_ok(finish(&p, 1000) == 0, "prediction on a recording: the replay ends once every question is answered"))
        return;
    js = slurp(json);
    pr = js ? strstr(js, "\"prediction\"") : NULL;
    tap_ok(answered >= 1 && pr && jint(pr, "asked") == answered && jint(pr, "right") >= 1,
           "prediction on a recording: asked before the peer's recorded steps and scored (%d asked, %lld right)",
           answered, pr ? jint(pr, "right") : -1);
    free(js);
    DeleteFileW(json);
    DeleteFileW(rec);
}

static void test_replay(void)
{
    wchar_t rec[MAX_PATH];
    _snwprintf(rec, MAX_PATH, L"%lsslgui-rec-%lu.jsonl", g_tmp, GetCurrentProcessId());
    test_replay_same(rec);
    test_replay_stepping(rec);
    test_replay_bad(rec);
    DeleteFileW(rec);
    test_replay_predict();
}


/* ---- against another program (--listen, Run > Peer...) ---------------------------- */

/* A loopback port nobody listens on now: the system's pick, released at once. */
static int free_port(void)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    struct sockaddr_in a;
    int len = sizeof a, port = 0;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (s != INVALID_SOCKET && !bind(s, (struct sockaddr *)&a, sizeof a) && !getsockname(s, (struct sockaddr *)&a, &len))
        port = ntohs(a.sin_port);
    closesocket(s);
    return port;
}

/* A plain client, as `socat - TCP:127.0.0.1:PORT </dev/null` is: it connects (again and
 * again until the window listens, while the program runs, up to ms), sends nothing and
 * half-closes at once. INVALID_SOCKET when it never got in. */
static SOCKET plain_connect(Proc *p, int port, DWORD ms)
{
    ULONGLONG end = GetTickCount64() + ms;
    struct sockaddr_in a;
    DWORD rcv_ms = 30000; /* the watchdog of every recv after */
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons((unsigned short)port);
    do {
        SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        if (s != INVALID_SOCKET && connect(s, (struct sockaddr *)&a, sizeof a) == 0) {
            setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, (const char *)&rcv_ms, sizeof rcv_ms);
            shutdown(s, SD_SEND);
            return s;
        }
        closesocket(s);
    } while (WaitForSingleObject(p->pi.hProcess, 50) == WAIT_TIMEOUT && GetTickCount64() < end);
    return INVALID_SOCKET;
}

/* Reads until the server's FIN; the bytes received, or -1 on an error or the watchdog. */
static long long plain_drain(SOCKET s)
{
    char buf[16384];
    long long got = 0;
    int n;
    while ((n = recv(s, buf, sizeof buf, 0)) > 0)
        got += n;
    closesocket(s);
    return n == 0 ? got : -1;
}

/* A window's text, from another process (WM_GETTEXT is marshalled across processes). */
/* Waits until the window's title holds want, or the watchdog expires. */
static int wait_title(Proc *p, HWND win, const wchar_t *want, DWORD ms, wchar_t *title, int size)
{
    ULONGLONG end = GetTickCount64() + ms;
    do {
        window_text(win, title, size);
        if (wcsstr(title, want))
            return 0;
    } while (WaitForSingleObject(p->pi.hProcess, 50) == WAIT_TIMEOUT && GetTickCount64() < end);
    return -1;
}

/* The rows of graceful-client played as the server against another program: the
 * client's are another program's, never passed nor failed: lit as inferred where what the
 * server saw settles them (its FIN: (1)), else not observable and not lit; the server's
 * were observed and judged (lit, in order: the rule "(1) before (2)" is about the
 * client's step and is judged by no one here). */
static void check_listen_rows(const char *js)
{
    static const char *const client[] = {"1", "5'", "5", "6"}, *const server[] = {"2", "3", "4", "4'"};
    int client_ok = 1, server_ok = 1;
    for (int i = 0; i < 4; i++) {
        const char *r = state_row(js, client[i], "client");
        int inferred = in_row(r, "\"inferred\":true") && in_row(r, "\"done\":true");
        int unobserved = in_row(r, "\"not_observable\":true") && in_row(r, "\"done\":false");
        if (!in_row(r, "\"mismatch\":false") || !(inferred || unobserved) || (i == 0 && !inferred)) {
            tap_diag("client row (%s): %.200s", client[i], r ? r : "(none)");
            client_ok = 0;
        }
        r = state_row(js, server[i], "server");
        if (!in_row(r, "\"not_observable\":false") || !in_row(r, "\"done\":true") || !in_row(r, "\"mismatch\":false") ||
            !in_row(r, "\"out_of_order\":false")) {
            tap_diag("server row (%s): %.200s", server[i], r ? r : "(none)");
            server_ok = 0;
        }
    }
    tap_ok(client_ok, "--listen: the client's four rows are inferred (its FIN: (1)) or not observable: none passed or "
                      "failed");
    tap_ok(server_ok, "--listen: the server's four rows are lit and judged, none out of order or not observable");
}

/* --listen: the window plays the server of graceful-client against a plain client of this
 * test's, says where it listens (title, status bar, state file) and counts what only the
 * client could report as not observable, never as passed or failed. */
static void test_listen(void)
{
    wchar_t args[1024], json[MAX_PATH], where[64], title[300], part[300];
    char *js, want[64], got[300];
    int port = free_port();
    Proc p;
    HWND win;
    SOCKET c;
    long long bytes;
    _snwprintf(json, MAX_PATH, L"%lsslgui-listen-%lu.json", g_tmp, GetCurrentProcessId());
    _snwprintf(where, 64, L"listening on 127.0.0.1:%d", port);
    _snwprintf(args, 1024, L"--scenario graceful-client --role server --listen 127.0.0.1:%d --autoplay --state-out \"%ls\" "
                           L"--exit-after-run", port, json);
    if (!tap_ok(port > 0, "a free loopback port (%d)", port) || start(&p, args) < 0)
        return;
    win = main_window(&p);
    tap_ok(win && wait_title(&p, win, where, 20000, title, 300) == 0, "--listen: the title says where it listens (%ls)",
           win ? title : L"no window");
    if (win)
        remote_text(p.pi.hProcess, GetDlgItem(win, IDC_STATUS), SB_GETTEXTW, 1 /* status.h: STATUS_WHERE */, -1, part, 300);
    tap_ok(win && !wcscmp(part, where), "--listen: so does the status bar (%ls)", win ? part : L"");
    if (win) /* nobody has connected yet: this test's client comes next */
        status_text(p.pi.hProcess, GetDlgItem(win, IDC_STATUS), part, 300);
    tap_ok(win && !wcsncmp(part, L"Waiting for the client", 22), "--listen: the run waits for the client (%ls)",
           win ? part : L"");
    c = plain_connect(&p, port, 30000);
    bytes = c != INVALID_SOCKET ? plain_drain(c) : -1;
    tap_is_int(bytes, 65536, "--listen: the plain client received the server's whole response");
    if (finish(&p, 60000) < 0) {
        tap_ok(0, "--listen: the run ends on its own");
        return;
    }
    tap_is_int(p.exit_code, 0, "--listen: the run passes: what was not observable failed nothing");
    js = slurp(json);
    if (!tap_ok(js != NULL, "--listen: the state file was written"))
        return;
    tap_ok(strstr(js, "\"run_done\":true") != NULL, "--listen: the run completed");
    jstr(js, "peer", got, sizeof got);
    tap_is_str(got, "external", "--listen: the state says another program played the client");
    WideCharToMultiByte(CP_UTF8, 0, where, -1, want, sizeof want, NULL, NULL);
    jstr(js, "where", got, sizeof got);
    tap_is_str(got, want, "--listen: the state says where it listened");
    check_listen_rows(js);
    tap_ok(jint(js, "not_observable") >= 4, "--listen: the summary counts the client's checks as not observable (%lld)",
           jint(js, "not_observable"));
    jstr(js, "status", got, sizeof got);
    snprintf(want, sizeof want, "not observable: %lld (exit 0)", jint(js, "not_observable"));
    tap_ok(strstr(got, want) != NULL, "--listen: the status bar counts them apart (%s)", got);
    jstr(js, "title", got, sizeof got);
    tap_ok(strstr(got, "listening on 127.0.0.1:") && strstr(got, "not observable: "),
           "--listen: the title says where, and counts them too (%s)", got);
    free(js);
    DeleteFileW(json);
}

/* Run > Peer... (Ctrl+L's command) in a running GUI: the dialog, or NULL after 10 s. */
static HWND find_peer_dialog(Proc *p, HWND win)
{
    Found d = {0, NULL, L"#32770", IDC_PEER_ADDR};
    ULONGLONG end;
    PostMessageW(win, WM_COMMAND, MAKEWPARAM(IDC_RUN_PEER, 1), 0);
    d.pid = p->pi.dwProcessId;
    for (end = GetTickCount64() + 10000; !d.hwnd && GetTickCount64() < end;) {
        EnumWindows(find_window, (LPARAM)&d);
        if (!d.hwnd && WaitForSingleObject(p->pi.hProcess, 50) != WAIT_TIMEOUT)
            break;
    }
    return d.hwnd;
}

/* A GUI started on graceful-client, and its Peer dialog: the dialog, or NULL (said, and
 * the program ended). */
static HWND open_peer_dialog(Proc *p, HWND *win)
{
    HWND dlg = NULL;
    if (start(p, L"--scenario graceful-client") < 0 || !(*win = main_window(p))) {
        tap_ok(0, "the GUI starts for the Peer dialog");
        if (p->pi.hProcess)
            TerminateProcess(p->pi.hProcess, 99), finish(p, 5000);
        return NULL;
    }
    if (!tap_ok((dlg = find_peer_dialog(p, *win)) != NULL, "Run > Peer... opens the dialog"))
        TerminateProcess(p->pi.hProcess, 99), finish(p, 5000);
    return dlg;
}

/* Run > Peer... from the keyboard's command (Ctrl+L): a bad address keeps the dialog open
 * and says why; a good one restarts the run listening there, the role the mode's; a
 * plain client connects and F5 plays the run through. */
static void test_peer_dialog(void)
{
    wchar_t addr[64], where[64], text[300], st[300];
    Found d = {0, NULL, NULL, 0};
    int port = free_port();
    Proc p;
    HWND win, role;
    SOCKET c = INVALID_SOCKET;
    if (!(d.hwnd = open_peer_dialog(&p, &win)))
        return;
    tap_ok(SendMessageW(GetDlgItem(d.hwnd, IDC_PEER_FIRST), BM_GETCHECK, 0, 0) == BST_CHECKED &&
               !IsWindowEnabled(GetDlgItem(d.hwnd, IDC_PEER_ADDR)),
           "it opens on the embedded peer, the address not asked for");
    SendMessageW(GetDlgItem(d.hwnd, IDC_PEER_FIRST + 1), BM_CLICK, 0, 0); /* listen */
    SendMessageW(GetDlgItem(d.hwnd, IDC_PEER_ADDR), WM_SETTEXT, 0, (LPARAM)L"70000");
    SendMessageW(d.hwnd, WM_COMMAND, MAKEWPARAM(IDOK, BN_CLICKED), (LPARAM)GetDlgItem(d.hwnd, IDOK));
    window_text(GetDlgItem(d.hwnd, IDC_PEER_ERROR), text, 300);
    tap_ok(IsWindow(d.hwnd) && IsWindowVisible(d.hwnd) && wcsstr(text, L"65535"),
           "a bad port keeps the dialog open and says why (%ls)", text);
    _snwprintf(addr, 64, L"127.0.0.1:%d", port);
    _snwprintf(where, 64, L"listening on 127.0.0.1:%d", port);
    SendMessageW(GetDlgItem(d.hwnd, IDC_PEER_ADDR), WM_SETTEXT, 0, (LPARAM)addr);
    SendMessageW(d.hwnd, WM_COMMAND, MAKEWPARAM(IDOK, BN_CLICKED), (LPARAM)GetDlgItem(d.hwnd, IDOK));
    tap_ok(wait_title(&p, win, where, 20000, text, 300) == 0, "OK restarts the run listening there (%ls)", text);
    role = GetDlgItem(win, IDC_ROLE);
    tap_ok(!IsWindowEnabled(role) && SendMessageW(role, CB_GETCURSEL, 0, 0) == 1 /* I play the server */,
           "listening, the window plays the server, and the role is not offered");
    c = plain_connect(&p, port, 30000);
    tap_ok(c != INVALID_SOCKET, "a plain client connects to the window");
    PostMessageW(win, WM_KEYDOWN, VK_F5, 0x003F0001);
    PostMessageW(win, WM_KEYUP, VK_F5, (LPARAM)0xC03F0001);
    tap_is_int(c != INVALID_SOCKET ? plain_drain(c) : -1, 65536, "F5 plays the server's lines: the client gets the response");
    tap_ok(wait_status(&p, GetDlgItem(win, IDC_STATUS), is_done, 30000, st, 300) == 0 && wcsstr(st, L"not observable: ") &&
               wcsstr(st, L"(exit 0)"),
           "the run ends and passes, what only the client could see counted apart (%ls)", st);
    PostMessageW(win, WM_CLOSE, 0, 0);
    tap_ok(finish(&p, 20000) == 0, "WM_CLOSE ends the program");
}

/* Connect to ADDR with the Peer dialog: the mode chosen, the address typed, OK posted
 * (as a click's WM_COMMAND: the dialog's thread handles it, not the test's). */
static void peer_connect_to(HWND dlg, const wchar_t *addr)
{
    SendMessageW(GetDlgItem(dlg, IDC_PEER_FIRST + 2), BM_CLICK, 0, 0);
    SendMessageW(GetDlgItem(dlg, IDC_PEER_ADDR), WM_SETTEXT, 0, (LPARAM)addr);
    PostMessageW(dlg, WM_COMMAND, MAKEWPARAM(IDOK, BN_CLICKED), (LPARAM)GetDlgItem(dlg, IDOK));
}

/* The port of the title's "connecting to 127.0.0.1:PORT", or -1. */
static int title_port(const wchar_t *title)
{
    const wchar_t *at = wcsstr(title, L"connecting to 127.0.0.1:");
    return at ? _wtoi(at + wcslen(L"connecting to 127.0.0.1:")) : -1;
}

/* Waits until the title says the run connects to 127.0.0.1:port exactly. */
static int wait_title_port(Proc *p, HWND win, int port, wchar_t *title, int size)
{
    ULONGLONG end = GetTickCount64() + 30000;
    do {
        window_text(win, title, size);
        if (title_port(title) == port)
            return 0;
    } while (WaitForSingleObject(p->pi.hProcess, 50) == WAIT_TIMEOUT && GetTickCount64() < end);
    return -1;
}

/* Waits until the dialog's message line holds want (or, with want NULL, until the dialog
 * is gone), probing the dialog and the main window with WM_NULL meanwhile; counts the
 * probes and those unanswered within 1 s by a window still there. Returns 0, or -1 when
 * the dialog ended first (want given), the program ended, or 30 s passed. */
typedef struct Probes {
    int sent, hung;
} Probes;

static int wait_dialog(Proc *p, HWND dlg, HWND win, const wchar_t *want, Probes *pr, wchar_t *text, int size)
{
    ULONGLONG end = GetTickCount64() + 30000;
    do {
        DWORD_PTR res;
        pr->sent++;
        /* a probe fails at once when its window has just ended: only one still there hung */
        if ((!SendMessageTimeoutW(dlg, WM_NULL, 0, 0, SMTO_ABORTIFHUNG, 1000, &res) && IsWindow(dlg)) ||
            (!SendMessageTimeoutW(win, WM_NULL, 0, 0, SMTO_ABORTIFHUNG, 1000, &res) && IsWindow(win)))
            pr->hung++;
        text[0] = L'\0';
        if (IsWindow(dlg))
            window_text(GetDlgItem(dlg, IDC_PEER_ERROR), text, size);
        if (want ? wcsstr(text, want) != NULL : !IsWindow(dlg))
            return 0;
        if (want && !IsWindow(dlg))
            return -1;
    } while (WaitForSingleObject(p->pi.hProcess, 10) == WAIT_TIMEOUT && GetTickCount64() < end);
    return -1;
}

/* A GUI whose Peer dialog looks names up as slowly as ms (its test hook
 * SHUTDOWNLAB_LOOKUP_DELAY_MS): a classroom's unreachable DNS server on demand. */
static HWND open_slow_peer_dialog(Proc *p, HWND *win, const wchar_t *ms)
{
    HWND dlg;
    SetEnvironmentVariableW(L"SHUTDOWNLAB_LOOKUP_DELAY_MS", ms);
    dlg = open_peer_dialog(p, win);
    SetEnvironmentVariableW(L"SHUTDOWNLAB_LOOKUP_DELAY_MS", NULL);
    return dlg;
}

/* Run > Peer..., Connect to a host by name, each lookup taking 1.5 s: a bad port is said
 * at once, with no lookup; a name is looked up while the dialog (and the window behind
 * it) keeps answering, the dialog saying so and OK waiting (a lookup on the dialog's
 * thread would miss 1 s probes, and never show that state); a name that does not resolve
 * is said in the dialog, which stays open; one that does ends the dialog and the run
 * connects to its address, a second OK meanwhile changing nothing. */
static void test_peer_lookup(void)
{
    wchar_t addr[64], text[300];
    Proc p;
    HWND win, dlg;
    int port = free_port(), looking;
    Probes pr = {0, 0};
    if (!(dlg = open_slow_peer_dialog(&p, &win, L"1500")))
        return;
    SendMessageW(GetDlgItem(dlg, IDC_PEER_FIRST + 2), BM_CLICK, 0, 0);
    SendMessageW(GetDlgItem(dlg, IDC_PEER_ADDR), WM_SETTEXT, 0, (LPARAM)L"localhost:70000");
    SendMessageW(dlg, WM_COMMAND, MAKEWPARAM(IDOK, BN_CLICKED), (LPARAM)GetDlgItem(dlg, IDOK));
    window_text(GetDlgItem(dlg, IDC_PEER_ERROR), text, 300);
    tap_ok(wcsstr(text, L"65535") != NULL, "a bad port is said at once, before any lookup (%ls)", text);
    peer_connect_to(dlg, L"no-such-host.invalid:5000");
    looking = wait_dialog(&p, dlg, win, L"Looking up no-such-host.invalid:5000", &pr, text, 300) == 0 &&
              !IsWindowEnabled(GetDlgItem(dlg, IDOK));
    tap_ok(looking, "while it looks the name up, the dialog says so and OK waits (%ls)", text);
    wait_dialog(&p, dlg, win, L"cannot resolve", &pr, text, 300);
    tap_ok(wcsstr(text, L"cannot resolve 'no-such-host.invalid'") && IsWindowVisible(dlg) &&
               IsWindowEnabled(GetDlgItem(dlg, IDOK)),
           "a host that does not resolve is said in the dialog, which stays open, OK enabled again (%ls)", text);
    _snwprintf(addr, 64, L"localhost:%d", port);
    peer_connect_to(dlg, addr);
    PostMessageW(dlg, WM_COMMAND, MAKEWPARAM(IDOK, BN_CLICKED), (LPARAM)GetDlgItem(dlg, IDOK)); /* twice */
    tap_ok(wait_dialog(&p, dlg, win, NULL, &pr, text, 300) == 0 && wait_title_port(&p, win, port, text, 300) == 0,
           "localhost is looked up, the dialog ends and the run connects to its address (%ls)", text);
    tap_ok(pr.hung == 0 && pr.sent > 10, "the dialog and the window answered throughout the lookups (%d probes, %d timed out)",
           pr.sent, pr.hung);
    PostMessageW(win, WM_CLOSE, 0, 0);
    tap_ok(finish(&p, 20000) == 0, "WM_CLOSE ends the program");
}

/* Lookups given up, each taking 3 s: editing the address gives the lookup up (OK usable
 * again); a lookup started after it is the one taken, though the first answers while it
 * runs; choosing the same mode again keeps a lookup, another mode gives it up. */
static void test_peer_lookup_given_up(void)
{
    wchar_t addr[64], text[300], title[300];
    Proc p;
    HWND win, dlg;
    int port = free_port(), ok;
    Probes pr = {0, 0};
    if (!(dlg = open_slow_peer_dialog(&p, &win, L"3000")))
        return;
    peer_connect_to(dlg, L"localhost:1");
    wait_dialog(&p, dlg, win, L"Looking up localhost:1", &pr, text, 300);
    _snwprintf(addr, 64, L"localhost:%d", port);
    SendMessageW(GetDlgItem(dlg, IDC_PEER_ADDR), WM_SETTEXT, 0, (LPARAM)addr); /* edited: no other message */
    window_text(GetDlgItem(dlg, IDC_PEER_ERROR), text, 300);
    tap_ok(!wcsstr(text, L"Looking up") && IsWindowEnabled(GetDlgItem(dlg, IDOK)),
           "editing the address gives the lookup up: OK usable again (%ls)", text);
    PostMessageW(dlg, WM_COMMAND, MAKEWPARAM(IDOK, BN_CLICKED), (LPARAM)GetDlgItem(dlg, IDOK));
    ok = wait_dialog(&p, dlg, win, NULL, &pr, text, 300) == 0 && wait_title_port(&p, win, port, title, 300) == 0;
    tap_ok(ok, "the second lookup is the one taken, though the first answered while it ran (%ls)", title);
    if ((dlg = find_peer_dialog(&p, win)) != NULL) {
        peer_connect_to(dlg, L"localhost:2");
        wait_dialog(&p, dlg, win, L"Looking up localhost:2", &pr, text, 300);
        SendMessageW(GetDlgItem(dlg, IDC_PEER_FIRST + 2), BM_CLICK, 0, 0); /* Connect again */
        window_text(GetDlgItem(dlg, IDC_PEER_ERROR), text, 300);
        tap_ok(wcsstr(text, L"Looking up localhost:2") && !IsWindowEnabled(GetDlgItem(dlg, IDOK)),
               "choosing the same mode again keeps the lookup (%ls)", text);
        SendMessageW(GetDlgItem(dlg, IDC_PEER_FIRST + 1), BM_CLICK, 0, 0); /* Listen */
        window_text(GetDlgItem(dlg, IDC_PEER_ERROR), text, 300);
        tap_ok(!wcsstr(text, L"Looking up") && IsWindowEnabled(GetDlgItem(dlg, IDOK)),
               "choosing another mode gives it up (%ls)", text);
        PostMessageW(dlg, WM_COMMAND, MAKEWPARAM(IDCANCEL, BN_CLICKED), (LPARAM)GetDlgItem(dlg, IDCANCEL));
        wait_dialog(&p, dlg, win, NULL, &pr, text, 300);
    }
    tap_ok(pr.hung == 0, "the dialog and the window answered throughout (%d probes, %d timed out)", pr.sent, pr.hung);
    PostMessageW(win, WM_CLOSE, 0, 0);
    tap_ok(finish(&p, 20000) == 0, "WM_CLOSE ends the program");
}

/* Lookups cut short, each taking 3 s: Esc closes the dialog in the middle of one, whose
 * late answer, posted to a dialog that has ended, changes nothing (a lookup started after
 * it, as slow, answers after it); the main window closed during a lookup ends the program
 * cleanly. */
static void test_peer_lookup_closed(void)
{
    wchar_t text[300], title[300];
    Proc p;
    HWND win, dlg;
    int port = free_port(), ok;
    Probes pr = {0, 0};
    if (!(dlg = open_slow_peer_dialog(&p, &win, L"3000")))
        return;
    peer_connect_to(dlg, L"localhost:1");
    ok = wait_dialog(&p, dlg, win, L"Looking up localhost:1", &pr, text, 300) == 0;
    PostMessageW(dlg, WM_COMMAND, MAKEWPARAM(IDCANCEL, BN_CLICKED), (LPARAM)GetDlgItem(dlg, IDCANCEL));
    tap_ok(ok && wait_dialog(&p, dlg, win, NULL, &pr, text, 300) == 0, "Esc during a lookup closes the dialog");
    if ((dlg = find_peer_dialog(&p, win)) != NULL) {
        _snwprintf(text, 300, L"localhost:%d", port);
        peer_connect_to(dlg, text);
        wait_dialog(&p, dlg, win, NULL, &pr, text, 300);
    }
    window_text(win, title, 300);
    tap_ok(dlg && wait_title_port(&p, win, port, title, 300) == 0 && pr.hung == 0,
           "the cancelled lookup's answer changed nothing: the next connects where it said, the window answering "
           "throughout (%d probes, %d timed out; %ls)", pr.sent, pr.hung, title);
    if ((dlg = find_peer_dialog(&p, win)) != NULL) {
        peer_connect_to(dlg, L"localhost:4");
        wait_dialog(&p, dlg, win, L"Looking up", &pr, text, 300);
    }
    PostMessageW(win, WM_CLOSE, 0, 0);
    tap_ok(dlg && finish(&p, 20000) == 0 && p.exit_code < 256,
           "WM_CLOSE to the window during a lookup ends the program cleanly (exit %lu)", p.exit_code);
}

/* --listen, --connect and --peer: bad uses exit 2 with a sentence that names the problem. */
static void test_peer_arguments(void)
{
    static const struct {
        const wchar_t *args;
        const char *says;
    } cases[] = {
        {L"--listen 70000", "1 to 65535"},
        {L"--listen 5000 --role client", "drop --role client"},
        {L"--connect 5000", "HOST:PORT"},
        {L"--listen 5000 --connect 127.0.0.1:5000", "not both"},
        {L"--peer", "--peer needs"},
    };
    wchar_t errf[MAX_PATH];
    _snwprintf(errf, MAX_PATH, L"%lsslgui-peerargs-%lu.err", g_tmp, GetCurrentProcessId());
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        Proc p;
        char *err;
        if (start_err(&p, cases[i].args, errf) < 0 || finish(&p, 30000) < 0) {
            tap_ok(0, "%ls ends the program", cases[i].args);
            continue;
        }
        err = slurp(errf);
        if (err)
            err[strcspn(err, "\r\n")] = '\0'; /* its first line: one line of TAP */
        tap_ok(p.exit_code == 2 && err && strstr(err, cases[i].says), "%ls: exit 2 (%lu), and stderr says so (%s)",
               cases[i].args, p.exit_code, err ? err : "(nothing)");
        free(err);
    }
    DeleteFileW(errf);
}

/* ---- the wire, observed (issue 17): a recording and its capture, --replay --wire ---- */

/* The count under key inside the object that follows "obj": in the state file. */
static long long wire_int(const char *js, const char *obj, const char *key)
{
    char k[64];
    const char *w = js ? strstr(js, "\"wire\":") : NULL;
    snprintf(k, sizeof k, "\"%s\":", obj);
    w = w ? strstr(w, k) : NULL;
    return w ? jint(w, key) : -1;
}

static char *wire_state(int which, const wchar_t *extra, DWORD *exit_code)
{
    wchar_t args[2048], json[MAX_PATH];
    Proc p;
    char *js;
    _snwprintf(json, MAX_PATH, L"%lsslgui-wire%d-%lu.json", g_tmp, which, GetCurrentProcessId());
    _snwprintf(args, 2048, L"--replay \"%ls\" --wire \"%ls\" --autoplay --exit-after-run --state-out \"%ls\" %ls",
               g_wire_rec[which], g_wire_cap[which], json, extra);
    if (start(&p, args) < 0 || finish(&p, 60000) < 0)
        return NULL;
    *exit_code = p.exit_code;
    js = slurp(json);
    DeleteFileW(json);
    return js;
}

/* What both captured runs show: solid observed arrows, dashed inferred ones, each inferred
 * FIN and RST paired with the segment that carried it; pure ACKs only when asked. */
static void check_wire(int which, const char *name, const char *flag, const char *label)
{
    DWORD code = 99;
    char *js = wire_state(which, L"", &code), *acks;
    const char *w = js ? strstr(js, "\"wire\":") : NULL;
    long long n = wire_int(js, "shown", flag), seen = wire_int(js, "seen", flag), inferred = jint(js, flag);
    if (!tap_ok(w != NULL, "%s --replay --wire: the state says what the ladder drew of the wire", name)) {
        free(js);
        return;
    }
    tap_is_int(code, 0, "--replay with its capture ends with the recorded run's exit code (0)");
    tap_ok(wire_int(js, "wire", "segments") > 5, "%s: the capture's segments are on the ladder (%lld)", name,
           wire_int(js, "wire", "segments"));
    tap_ok(n >= 1 && inferred >= 1 && seen == inferred, "%s: %lld observed %s arrow(s), the %lld inferred all paired with them",
           name, n, flag, inferred);
    tap_ok(strstr(w, label) && strstr(w, "\"paired\":true"), "%s: the observed arrow says its flags, seq and ack (%s)", name,
           label);
    tap_ok(strstr(w, "\"observed_solid\":true") && strstr(w, "\"inferred_dashed\":true"),
           "%s: observed arrows solid, inferred ones dashed", name);
    tap_ok(wire_int(js, "wire", "pure_ack_items") >= 1 && wire_int(js, "shown", "pure_ack") == 0 &&
               strstr(w, "\"pure_acks\":false"),
           "%s: pure ACKs are captured (%lld items) but not drawn by default", name, wire_int(js, "wire", "pure_ack_items"));
    acks = wire_state(which, L"--pure-acks", &code);
    tap_ok(acks && wire_int(acks, "shown", "pure_ack") == wire_int(acks, "wire", "pure_ack_items") &&
               wire_int(acks, "shown", "pure_ack") >= 1,
           "%s: with --pure-acks they are (%lld)", name, wire_int(acks, "shown", "pure_ack"));
    free(acks);
    free(js);
}

/* View > Pure ACKs: Ctrl+K in the accelerator table, and the command it sends turns them
 * on (the state file, written when the replay is run through after it, says so). */
static void test_wire_menu(void)
{
    wchar_t args[2048], json[MAX_PATH];
    HMODULE res = LoadLibraryExW(g_exe, NULL, LOAD_LIBRARY_AS_DATAFILE);
    HACCEL acc = res ? LoadAcceleratorsW(res, MAKEINTRESOURCEW(IDA_MAIN)) : NULL;
    ACCEL table[64];
    int n = acc ? CopyAcceleratorTableW(acc, table, 64) : 0, ctrl_k = 0;
    Proc p;
    HWND win;
    char *js = NULL;
    for (int i = 0; i < n; i++)
        ctrl_k |= table[i].cmd == IDC_VIEW_PURE_ACKS && table[i].key == 'K' &&
                  (table[i].fVirt & (FCONTROL | FVIRTKEY)) == (FCONTROL | FVIRTKEY);
    tap_ok(ctrl_k, "View > Pure ACKs has its accelerator, Ctrl+K");
    if (res)
        FreeLibrary(res);
    _snwprintf(json, MAX_PATH, L"%lsslgui-wiremenu-%lu.json", g_tmp, GetCurrentProcessId());
    _snwprintf(args, 2048, L"--replay \"%ls\" --wire \"%ls\" --exit-after-run --state-out \"%ls\"", g_wire_rec[1],
               g_wire_cap[1], json);
    if (start(&p, args) < 0)
        return;
    if ((win = main_window(&p)) != NULL) {
        SendMessageTimeoutW(win, WM_COMMAND, MAKEWPARAM(IDC_VIEW_PURE_ACKS, 1), 0, SMTO_ABORTIFHUNG, 5000, NULL);
        PostMessageW(win, WM_KEYDOWN, VK_F5, 0x003F0001);
    }
    if (finish(&p, 30000) == 0)
        js = slurp(json);
    tap_ok(win && js && strstr(js, "\"pure_acks\":true") && wire_int(js, "shown", "pure_ack") >= 1,
           "the menu's command shows the pure ACKs (%lld drawn)", wire_int(js, "shown", "pure_ack"));
    free(js);
    DeleteFileW(json);
}

/* A capture that is not one: the file and the byte offset on stderr, exit 2, no crash. */
static void test_wire_bad(void)
{
    wchar_t args[2048], err[MAX_PATH];
    Proc p;
    char *text;
    _snwprintf(err, MAX_PATH, L"%lsslgui-wirebad-%lu.txt", g_tmp, GetCurrentProcessId());
    _snwprintf(args, 2048, L"--replay \"%ls\" --wire \"%ls\" --autoplay --exit-after-run", g_wire_rec[1], g_wire_rec[1]);
    if (start_err(&p, args, err) < 0 || finish(&p, 30000) < 0) {
        tap_ok(0, "a bad capture ends the run on its own");
        return;
    }
    text = first_line(slurp(err));
    tap_is_int(p.exit_code, 2, "--wire on a file that is no capture: exit 2");
    tap_ok(text && strstr(text, "graceful-client.jsonl") && strstr(text, "byte"),
           "stderr names the file and the byte offset (%s)", text ? text : "nothing");
    free(text);
    DeleteFileW(err);
}

static void test_wire(void)
{
    if (!g_wire_rec[0][0]) {
        tap_ok(1, "# SKIP the wire's test data (tests/gui/data) was not given");
        return;
    }
    check_wire(0, "abortive-linger0", "rst", "RST, ACK seq ");
    check_wire(1, "graceful-client", "fin", "FIN, ACK seq ");
    test_wire_menu();
    test_wire_bad();
}

int main(int argc, char **argv)
{
    WSADATA wsa;
    if (argc < 2) {
        fprintf(stderr, "usage: test_gui PATH-TO-shutdownlab.exe\n");
        return 2;
    }
    exe_path(argv[1]);
    if (argc > 2)
        dos_path(argv[2], g_scn);
    for (int k = 0; k < 2 && argc > 6; k++) {
        dos_path(argv[3 + 2 * k], g_wire_rec[k]);
        dos_path(argv[4 + 2 * k], g_wire_cap[k]);
    }
    GetTempPathW(MAX_PATH, g_tmp);
    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0) {
        fprintf(stderr, "test_gui: WSAStartup failed\n");
        return 2;
    }
    tap_diag("GUI: %ls", g_exe);
    test_bad_argument();
    test_autoplay();
    test_role_server();
    test_known_difference();
    test_scenario_file();
    test_keyboard_stepping();
    test_switch();
    test_never_freezes();
    test_exports();
    test_log_is_export();
    test_prediction();
    test_prediction_after_close();
    test_replay();
    test_peer_arguments();
    test_listen();
    test_peer_dialog();
    test_peer_lookup();
    test_peer_lookup_given_up();
    test_peer_lookup_closed();
    test_wire();
    return tap_done();
}
