/* test_dpi.c: the window at every DPI and on small screens, seen from outside (issue 18).
 * For each case it sets the DPI Wine reads when a process starts (HKCU\Control Panel\
 * Desktop LogPixels), starts shutdownlab.exe, on a Wine virtual desktop of the screen's
 * size when the case names one (explorer.exe /desktop=NAME,WxH: the window sees that
 * screen and work area, as on a laptop of that size), plays abortive-linger0 to its end
 * and checks what a user sees: the window within the screen, no control over another, no
 * table cell cut short (the columns fit, or the table scrolls sideways), no check line of
 * the log cut short, no word of the ladder cut short. The last case turns high contrast on
 * (system colours of a black scheme, see theme.c for why an environment variable stands
 * in for SPI_GETHIGHCONTRAST under Wine 8) and checks the window paints with them and that
 * pass, known difference and mismatch each say so in words, not only in colour. The
 * registry values it changes are put back as they were. */
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

#define LADDER_CUTS_PROP L"ShutdownLab.LadderCuts" /* src/ui/ui.h: UI_LADDER_CUTS_PROP */
#define EXPLAIN_CUTS_PROP L"ShutdownLab.ExplainCuts" /* src/ui/ui.h: UI_EXPLAIN_CUTS_PROP */
/* A list view insets a cell's text from its edges (Wine: 5 px a side, Windows about 6). */
#define CELL_INSET 12

static wchar_t g_exe[MAX_PATH], g_tmp[MAX_PATH];

typedef char *(CDECL *DosNameFn)(const char *);

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

/* ---- the registry values a case sets, and puts back ------------------------------- */

typedef struct Saved {
    const wchar_t *key, *name;
    DWORD type, size;
    BYTE data[64];
    int had;
} Saved;

static void reg_save(Saved *s, const wchar_t *key, const wchar_t *name)
{
    HKEY k;
    memset(s, 0, sizeof *s);
    s->key = key;
    s->name = name;
    s->size = sizeof s->data;
    if (RegOpenKeyExW(HKEY_CURRENT_USER, key, 0, KEY_READ, &k) == ERROR_SUCCESS) {
        s->had = RegQueryValueExW(k, name, NULL, &s->type, s->data, &s->size) == ERROR_SUCCESS;
        RegCloseKey(k);
    }
}

static void reg_restore(const Saved *s)
{
    HKEY k;
    if (RegCreateKeyExW(HKEY_CURRENT_USER, s->key, 0, NULL, 0, KEY_WRITE, NULL, &k, NULL) != ERROR_SUCCESS)
        return;
    if (s->had)
        RegSetValueExW(k, s->name, 0, s->type, s->data, s->size);
    else
        RegDeleteValueW(k, s->name);
    RegCloseKey(k);
}

static int reg_dword(const wchar_t *key, const wchar_t *name, DWORD v)
{
    HKEY k;
    LONG r;
    if (RegCreateKeyExW(HKEY_CURRENT_USER, key, 0, NULL, 0, KEY_WRITE, NULL, &k, NULL) != ERROR_SUCCESS)
        return -1;
    r = RegSetValueExW(k, name, 0, REG_DWORD, (const BYTE *)&v, sizeof v);
    RegCloseKey(k);
    return r == ERROR_SUCCESS ? 0 : -1;
}

static int reg_sz(const wchar_t *key, const wchar_t *name, const wchar_t *v)
{
    HKEY k;
    LONG r;
    if (RegCreateKeyExW(HKEY_CURRENT_USER, key, 0, NULL, 0, KEY_WRITE, NULL, &k, NULL) != ERROR_SUCCESS)
        return -1;
    r = RegSetValueExW(k, name, 0, REG_SZ, (const BYTE *)v, (DWORD)((wcslen(v) + 1) * sizeof *v));
    RegCloseKey(k);
    return r == ERROR_SUCCESS ? 0 : -1;
}

/* ---- the state file and the screenshot -------------------------------------------- */

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

static long long jint(const char *js, const char *key)
{
    char k[64];
    const char *p;
    snprintf(k, sizeof k, "\"%s\":", key);
    p = js ? strstr(js, k) : NULL;
    return p ? strtoll(p + strlen(k), NULL, 10) : -1;
}

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

/* The share (in thousandths) of the pixels of r (window coordinates) of exactly colour c. */
static long share_of(const Image *img, COLORREF c, RECT r)
{
    long n = 0, all = 0;
    for (long y = r.top; y < r.bottom && y < (long)img->h; y++)
        for (long x = r.left; x < r.right && x < (long)img->w; x++) {
            const BYTE *p = img->px + ((size_t)y * img->w + (size_t)x) * 4;
            n += p[2] == GetRValue(c) && p[1] == GetGValue(c) && p[0] == GetBValue(c);
            all++;
        }
    return all ? n * 1000 / all : 0;
}

/* ---- the window, from outside ------------------------------------------------------ */

typedef struct Run {
    HANDLE proc;      /* shutdownlab.exe */
    HANDLE starter;   /* explorer.exe /desktop=... on a virtual desktop, or NULL */
    HDESK desk;       /* that desktop, or NULL */
    HWND win;
    wchar_t state[MAX_PATH], shot[MAX_PATH];
} Run;

typedef struct Found {
    DWORD pid; /* 0: any process (a virtual desktop of our own holds only ours) */
    HWND hwnd;
    int seen;
} Found;

static BOOL CALLBACK find_main(HWND h, LPARAM lp)
{
    Found *f = (Found *)lp;
    DWORD pid = 0;
    wchar_t cls[64];
    GetWindowThreadProcessId(h, &pid);
    f->seen++;
    if ((!f->pid || pid == f->pid) && GetClassNameW(h, cls, 64) && !wcscmp(cls, L"ShutdownLabMain") &&
        (GetWindowLongW(h, GWL_STYLE) & WS_VISIBLE) && GetDlgItem(h, IDC_STATUS)) {
        /* WS_VISIBLE, not IsWindowVisible: that says FALSE for a window on another desktop */
        f->hwnd = h;
        return FALSE;
    }
    return TRUE;
}

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

/* The width the list view's own font gives s (LVM_GETSTRINGWIDTH, measured in its process). */
static int remote_string_width(HANDLE proc, HWND lv, const wchar_t *s)
{
    SIZE_T n = (wcslen(s) + 1) * sizeof *s;
    void *mem = VirtualAllocEx(proc, NULL, n, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    DWORD_PTR res = 0;
    if (!mem)
        return -1;
    WriteProcessMemory(proc, mem, s, n, NULL);
    SendMessageTimeoutW(lv, LVM_GETSTRINGWIDTHW, 0, (LPARAM)mem, SMTO_ABORTIFHUNG, 5000, &res);
    VirtualFreeEx(proc, mem, 0, MEM_RELEASE);
    return (int)res;
}

/* Starts the window; on a virtual desktop of w x h when w is nonzero. */
static int start(Run *r, const wchar_t *name, int w, int h, int zoom, const wchar_t *env)
{
    wchar_t cmd[2048], desk[64];
    STARTUPINFOW si;
    PROCESS_INFORMATION pi;
    Found f = {0, NULL, 0};
    ULONGLONG end;
    memset(r, 0, sizeof *r);
    memset(&si, 0, sizeof si);
    si.cb = sizeof si;
    _snwprintf(r->state, MAX_PATH, L"%lssl-dpi-%ls.json", g_tmp, name);
    _snwprintf(r->shot, MAX_PATH, L"%lssl-dpi-%ls.png", g_tmp, name);
    DeleteFileW(r->state);
    DeleteFileW(r->shot);
    _snwprintf(desk, 64, L"sl-%ls", name);
    if (w)
        _snwprintf(cmd, 2048, L"explorer.exe /desktop=%ls,%dx%d \"%ls\" ", desk, w, h, g_exe);
    else
        _snwprintf(cmd, 2048, L"\"%ls\" ", g_exe);
    _snwprintf(cmd + wcslen(cmd), 2048 - wcslen(cmd),
               L"--scenario abortive-linger0 --autoplay --state-out \"%ls\" --screenshot \"%ls\"", r->state, r->shot);
    if (zoom)
        _snwprintf(cmd + wcslen(cmd), 2048 - wcslen(cmd), L" --zoom %d", zoom);
    cmd[2047] = L'\0';
    if (env)
        SetEnvironmentVariableW(L"SHUTDOWNLAB_HIGH_CONTRAST", env);
    if (!CreateProcessW(NULL, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi)) {
        tap_diag("CreateProcess(%ls) failed: %lu", cmd, GetLastError());
        SetEnvironmentVariableW(L"SHUTDOWNLAB_HIGH_CONTRAST", NULL);
        return -1;
    }
    SetEnvironmentVariableW(L"SHUTDOWNLAB_HIGH_CONTRAST", NULL);
    CloseHandle(pi.hThread);
    if (w)
        r->starter = pi.hProcess;
    else
        r->proc = pi.hProcess, f.pid = pi.dwProcessId;
    end = GetTickCount64() + 30000;
    while (!f.hwnd && GetTickCount64() < end && WaitForSingleObject(pi.hProcess, 50) == WAIT_TIMEOUT) {
        if (w && !r->desk)
            r->desk = OpenDesktopW(desk, 0, FALSE, DESKTOP_READOBJECTS | DESKTOP_ENUMERATE);
        if (w && r->desk)
            EnumDesktopWindows(r->desk, find_main, (LPARAM)&f);
        else if (!w)
            EnumWindows(find_main, (LPARAM)&f);
    }
    if (!(r->win = f.hwnd)) {
        tap_diag("no window within 30 s (desktop %ls: %p, error %lu, %d windows seen)", desk, (void *)r->desk, GetLastError(), f.seen);
        return -1;
    }
    if (w) {
        DWORD pid = 0;
        GetWindowThreadProcessId(r->win, &pid);
        r->proc = OpenProcess(PROCESS_VM_OPERATION | PROCESS_VM_READ | PROCESS_VM_WRITE | PROCESS_QUERY_INFORMATION |
                                  SYNCHRONIZE | PROCESS_TERMINATE, FALSE, pid);
    }
    return r->proc ? 0 : -1;
}

/* Waits for the run's end: the state file written after its last paint (control.c). */
static char *wait_state(Run *r)
{
    ULONGLONG end = GetTickCount64() + 60000;
    do {
        char *js = slurp(r->state);
        if (js && strstr(js, "\"dpi\":") && strchr(js, '\n'))
            return js;
        free(js);
    } while (WaitForSingleObject(r->proc, 50) == WAIT_TIMEOUT && GetTickCount64() < end);
    tap_diag("no state file within 60 s");
    return NULL;
}

static void stop(Run *r)
{
    if (r->win && IsWindow(r->win))
        PostMessageW(r->win, WM_CLOSE, 0, 0);
    if (r->proc && WaitForSingleObject(r->proc, 20000) != WAIT_OBJECT_0) {
        tap_diag("watchdog: the window did not close within 20 s; ending it");
        TerminateProcess(r->proc, 99);
    }
    if (r->starter && WaitForSingleObject(r->starter, 20000) != WAIT_OBJECT_0) {
        tap_diag("watchdog: the virtual desktop did not end within 20 s; ending it");
        TerminateProcess(r->starter, 99);
    }
    if (r->proc)
        CloseHandle(r->proc);
    if (r->starter)
        CloseHandle(r->starter);
    if (r->desk)
        CloseDesktop(r->desk);
}

/* ---- what a user sees --------------------------------------------------------------- */

static int overlap(const RECT *a, const RECT *b)
{
    RECT i;
    return IntersectRect(&i, a, b);
}

static const wchar_t *cls_of(HWND h, wchar_t *buf)
{
    if (!GetClassNameW(h, buf, 64))
        wcscpy(buf, L"?");
    return buf;
}

/* Every shown child inside the client area, none over another. */
static void check_controls(const wchar_t *name, HWND win)
{
    HWND kids[64];
    RECT rc[64], client;
    POINT o = {0, 0};
    int n = 0, outside = 0, overlaps = 0;
    wchar_t c1[64], c2[64];
    GetClientRect(win, &client);
    ClientToScreen(win, &o);
    OffsetRect(&client, o.x, o.y);
    for (HWND h = GetWindow(win, GW_CHILD); h && n < 64; h = GetWindow(h, GW_HWNDNEXT)) {
        if (!(GetWindowLongW(h, GWL_STYLE) & WS_VISIBLE)) /* IsWindowVisible: FALSE on another desktop */
            continue;
        GetWindowRect(h, &rc[n]);
        if (rc[n].right <= rc[n].left || rc[n].bottom <= rc[n].top)
            continue;
        kids[n] = h;
        if (rc[n].left < client.left || rc[n].top < client.top || rc[n].right > client.right || rc[n].bottom > client.bottom) {
            tap_diag("%ls: %ls (id %d) at %ld,%ld-%ld,%ld leaves the client area %ld,%ld-%ld,%ld", name, cls_of(h, c1),
                     GetDlgCtrlID(h), rc[n].left, rc[n].top, rc[n].right, rc[n].bottom, client.left, client.top,
                     client.right, client.bottom);
            outside++;
        }
        n++;
    }
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++)
            if (overlap(&rc[i], &rc[j])) {
                tap_diag("%ls: %ls (id %d) %ld,%ld-%ld,%ld overlaps %ls (id %d) %ld,%ld-%ld,%ld", name, cls_of(kids[i], c1),
                         GetDlgCtrlID(kids[i]), rc[i].left, rc[i].top, rc[i].right, rc[i].bottom, cls_of(kids[j], c2),
                         GetDlgCtrlID(kids[j]), rc[j].left, rc[j].top, rc[j].right, rc[j].bottom);
                overlaps++;
            }
    tap_ok(n >= 10 && outside == 0, "%ls: all %d shown controls inside the window's client area", name, n);
    tap_ok(overlaps == 0, "%ls: no control overlaps another (%d overlaps)", name, overlaps);
}

/* Every cell of a report list view as wide as its text, or the view scrolls sideways:
 * returns the cells cut short; *cols_w is the columns' total width. */
static int cut_cells(HANDLE proc, HWND lv, int first_row, int only_col, const char *must_contain, int *cols_w, int *rows)
{
    HWND hdr = (HWND)SendMessageW(lv, LVM_GETHEADER, 0, 0);
    int ncols = hdr ? (int)SendMessageW(hdr, HDM_GETITEMCOUNT, 0, 0) : 0, n = (int)SendMessageW(lv, LVM_GETITEMCOUNT, 0, 0);
    int cut = 0;
    *cols_w = 0;
    *rows = 0;
    for (int c = 0; c < ncols; c++)
        *cols_w += (int)SendMessageW(lv, LVM_GETCOLUMNWIDTH, (WPARAM)c, 0);
    for (int i = first_row < 0 ? 0 : first_row; i < n; i++) {
        wchar_t text[512], probe[512];
        char u8[512];
        if (must_contain) { /* only the rows that say it (the log's check lines) */
            remote_text(proc, lv, LVM_GETITEMTEXTW, (WPARAM)i, ncols - 1, probe, 512);
            WideCharToMultiByte(CP_UTF8, 0, probe, -1, u8, sizeof u8, NULL, NULL);
            if (strncmp(u8, must_contain, strlen(must_contain)))
                continue;
        }
        (*rows)++;
        for (int c = only_col >= 0 ? only_col : 0; c < (only_col >= 0 ? only_col + 1 : ncols); c++) {
            int cw = (int)SendMessageW(lv, LVM_GETCOLUMNWIDTH, (WPARAM)c, 0), tw;
            remote_text(proc, lv, LVM_GETITEMTEXTW, (WPARAM)i, c, text, 512);
            if (!text[0])
                continue;
            tw = remote_string_width(proc, lv, text);
            if (tw + CELL_INSET > cw) {
                tap_diag("row %d column %d: \"%ls\" needs %d px + %d, the column is %d", i, c, text, tw, CELL_INSET, cw);
                cut++;
            }
        }
    }
    return cut;
}

static void check_table(const wchar_t *name, HANDLE proc, HWND win)
{
    HWND lv = GetDlgItem(win, IDC_TABLE);
    RECT rc;
    int cols_w, rows, cut_step, cut_any, scrolls;
    GetClientRect(lv, &rc);
    cut_step = cut_cells(proc, lv, 0, 0, NULL, &cols_w, &rows);
    tap_ok(rows >= 8 && cut_step == 0, "%ls: the table's step column shows every step whole (%d rows, %d cut)", name, rows,
           cut_step);
    cut_any = cut_cells(proc, lv, 0, -1, NULL, &cols_w, &rows);
    scrolls = (GetWindowLongW(lv, GWL_STYLE) & WS_HSCROLL) != 0;
    tap_ok(cut_any == 0 && (cols_w <= rc.right || scrolls),
           "%ls: the table's columns fit (%d of %ld px) or it scrolls sideways (%s); %d cells cut", name, cols_w, rc.right,
           scrolls ? "yes" : "no", cut_any);
}

static void check_log_checks(const wchar_t *name, HANDLE proc, HWND win)
{
    HWND lv = GetDlgItem(win, IDC_LOG);
    RECT rc;
    int cols_w, rows, cut, scrolls;
    GetClientRect(lv, &rc);
    cut = cut_cells(proc, lv, 0, -1, "check ", &cols_w, &rows);
    scrolls = (GetWindowLongW(lv, GWL_STYLE) & WS_HSCROLL) != 0;
    tap_ok(rows >= 10 && cut == 0 && (cols_w <= rc.right || scrolls),
           "%ls: the log's %d check lines are whole, in columns that fit (%d of %ld px) or scroll (%s); %d cut", name, rows,
           cols_w, rc.right, scrolls ? "yes" : "no", cut);
}

static void check_ladder(const wchar_t *name, HWND win)
{
    HWND ladder = GetDlgItem(win, IDC_LADDER);
    INT_PTR cuts;
    /* the property is written by each paint: the one before the screenshot is over */
    RedrawWindow(ladder, NULL, NULL, RDW_INVALIDATE | RDW_UPDATENOW);
    cuts = (INT_PTR)GetPropW(ladder, LADDER_CUTS_PROP);
    tap_ok(cuts == 1, "%ls: the ladder's last paint cut no word short (%ld cut%s)", name, (long)(cuts - 1),
           cuts ? "" : ": it never painted");
}

/* The explanation wraps its text at word breaks and scrolls; a word wider than the pane
 * would still be cut at its edge (its paint counts them in a window property). */
static void check_explain(const wchar_t *name, HWND win)
{
    HWND pane = GetDlgItem(win, IDC_EXPLAIN);
    INT_PTR cuts;
    RedrawWindow(pane, NULL, NULL, RDW_INVALIDATE | RDW_UPDATENOW);
    cuts = (INT_PTR)GetPropW(pane, EXPLAIN_CUTS_PROP);
    tap_ok(cuts == 1, "%ls: the explanation's last paint cut no word at the pane's edge (%ld cut%s)", name,
           (long)(cuts - 1), cuts ? "" : ": it never painted");
}

typedef struct Case {
    const wchar_t *name;
    int dpi, w, h; /* w 0: the suite's own screen */
    int zoom;      /* --zoom, in percent; 0: none (100 %) */
} Case;

static void check_case(const Case *c)
{
    Run r;
    char *js;
    RECT wr;
    wchar_t name[64], id[32];
    _snwprintf(name, 64, L"%d DPI on %ls%ls", c->dpi, c->w ? c->name : L"the suite's screen", c->zoom ? L", zoomed" : L"");
    if (c->zoom)
        _snwprintf(name + wcslen(name), 64 - wcslen(name), L" to %d %%", c->zoom);
    _snwprintf(id, 32, L"%ls-%d-%d", c->w ? c->name : L"screen", c->dpi, c->zoom ? c->zoom : 100);
    if (reg_dword(L"Control Panel\\Desktop", L"LogPixels", (DWORD)c->dpi) < 0 || start(&r, id, c->w, c->h, c->zoom, NULL) < 0) {
        tap_ok(0, "%ls: the window starts", name);
        stop(&r);
        return;
    }
    js = wait_state(&r);
    tap_ok(js && jint(js, "dpi") == c->dpi, "%ls: the window runs at %d DPI (state: %lld)", name, c->dpi,
           js ? jint(js, "dpi") : -1);
    if (c->w) {
        GetWindowRect(r.win, &wr);
        tap_ok(wr.left >= 0 && wr.top >= 0 && wr.right <= c->w && wr.bottom <= c->h,
               "%ls: the window (%ld,%ld-%ld,%ld) is within the %dx%d screen", name, wr.left, wr.top, wr.right, wr.bottom,
               c->w, c->h);
    }
    check_controls(name, r.win);
    check_table(name, r.proc, r.win);
    check_log_checks(name, r.proc, r.win);
    check_ladder(name, r.win);
    check_explain(name, r.win);
    tap_diag("%ls: screenshot %ls", name, r.shot);
    free(js);
    stop(&r);
}

/* ---- high contrast ------------------------------------------------------------------- */

static const wchar_t *const hc_names[] = {
    L"Window", L"WindowText", L"Hilight", L"HilightText", L"ButtonFace", L"ButtonText", L"GrayText", L"InfoWindow",
    L"InfoText", L"Menu", L"MenuText", L"MenuBar", L"MenuHilight", L"Scrollbar", L"ButtonShadow", L"ButtonHilight",
    L"ButtonLight", L"ButtonDkShadow", L"ActiveTitle", L"TitleText", L"InactiveTitle", L"InactiveTitleText",
    L"WindowFrame", L"AppWorkSpace", L"Background", L"HotTrackingColor"};
/* Windows' "High Contrast Black" scheme */
static const wchar_t *const hc_values[] = {
    L"0 0 0", L"255 255 255", L"26 235 255", L"0 0 0", L"0 0 0", L"255 255 255", L"63 242 63", L"0 0 0",
    L"255 255 255", L"0 0 0", L"255 255 255", L"0 0 0", L"128 0 128", L"0 0 0", L"128 128 128", L"192 192 192",
    L"255 255 255", L"128 128 128", L"128 0 128", L"255 255 255", L"0 128 0", L"255 255 255",
    L"255 255 255", L"0 0 0", L"0 0 0", L"255 255 0"};
#define HC_N (sizeof hc_names / sizeof hc_names[0])

static int row_says(HANDLE proc, HWND lv, int row, const wchar_t *what)
{
    wchar_t text[512];
    for (int c = 0; c < 5; c++) {
        remote_text(proc, lv, LVM_GETITEMTEXTW, (WPARAM)row, c, text, 512);
        if (wcsstr(text, what))
            return 1;
    }
    return 0;
}

/* A child's client area in the window's screenshot (which starts at its window rect). */
static RECT in_shot(HWND win, HWND child)
{
    RECT r, wrc;
    POINT o = {0, 0};
    GetWindowRect(win, &wrc);
    GetClientRect(child, &r);
    ClientToScreen(child, &o);
    OffsetRect(&r, o.x - wrc.left, o.y - wrc.top);
    return r;
}

static void test_high_contrast(void)
{
    Saved saved[HC_N], theme;
    Run r;
    char *js;
    Image img;
    long lr[4] = {0, 0, 0, 0};
    const wchar_t *name = L"high contrast, 144 DPI";
    int ok = 0, known = 0, known_said = 0, pass_said = 0;
    for (size_t i = 0; i < HC_N; i++)
        reg_save(&saved[i], L"Control Panel\\Colors", hc_names[i]);
    for (size_t i = 0; i < HC_N; i++)
        reg_sz(L"Control Panel\\Colors", hc_names[i], hc_values[i]);
    /* Windows turns visual styles off in high contrast (its controls draw in the system's
     * colours); Wine 8 keeps its theme unless told, and its themed headers and status bar
     * then stay light, the headers' text white on white */
    reg_save(&theme, L"Software\\Microsoft\\Windows\\CurrentVersion\\ThemeManager", L"ThemeActive");
    reg_sz(L"Software\\Microsoft\\Windows\\CurrentVersion\\ThemeManager", L"ThemeActive", L"0");
    reg_dword(L"Control Panel\\Desktop", L"LogPixels", 144);
    if (start(&r, L"high-contrast", 0, 0, 0, L"1") == 0 && (js = wait_state(&r)) != NULL) {
        HWND lv = GetDlgItem(r.win, IDC_TABLE);
        const char *p = js;
        int i = 0;
        /* the rows as the state file says they were judged, and what the table says of them */
        while ((p = strstr(p, "{\"step\":")) != NULL) {
            const char *end = strchr(p, '}');
            int is_known = end && strstr(p, "\"known_difference\":true") && strstr(p, "\"known_difference\":true") < end;
            if (is_known) {
                known++;
                known_said += row_says(r.proc, lv, i, L"\x2260 Windows");
            } else {
                pass_said += row_says(r.proc, lv, i, L"\x2713 after");
            }
            i++;
            p++;
        }
        tap_ok(known >= 2 && known_said == known, "%ls: each known difference says \"≠ Windows\" in its row (%d of %d)",
               name, known_said, known);
        tap_ok(pass_said >= 3, "%ls: rules kept say \"✓ after\" (%d rows)", name, pass_said);
        if (tap_ok(load_png(r.shot, &img) == 0, "%ls: the screenshot is a PNG", name)) {
            RECT ladder = in_shot(r.win, GetDlgItem(r.win, IDC_LADDER));
            lr[0] = share_of(&img, RGB(0, 0, 0), ladder);
            lr[1] = share_of(&img, RGB(255, 255, 255), ladder);
            ok = lr[0] > 600 && lr[1] < 100;
            tap_ok(ok, "%ls: the ladder paints with the system's colours: %ld/1000 of it COLOR_WINDOW (black), %ld/1000 "
                       "white (its own background otherwise)", name, lr[0], lr[1]);
            /* the common controls too: the status bar and the table's column headers in
             * COLOR_BTNFACE (black in this scheme), their words in COLOR_BTNTEXT (white) */
            {
                HWND hdr = (HWND)SendMessageW(lv, LVM_GETHEADER, 0, 0);
                RECT sb = in_shot(r.win, GetDlgItem(r.win, IDC_STATUS)), hr = hdr ? in_shot(r.win, hdr) : sb;
                long sbk = share_of(&img, RGB(0, 0, 0), sb), hbk = share_of(&img, RGB(0, 0, 0), hr),
                     hwt = share_of(&img, RGB(255, 255, 255), hr);
                tap_ok(sbk > 600, "%ls: the status bar paints in COLOR_BTNFACE: %ld/1000 of it black", name, sbk);
                tap_ok(hdr && hbk > 500 && hwt > 5, "%ls: the table's column headers paint in the system's colours: "
                       "%ld/1000 black, %ld/1000 white (their words)", name, hbk, hwt);
            }
            free(img.px);
        }
        check_controls(name, r.win);
        tap_diag("%ls: screenshot %ls", name, r.shot);
        free(js);
    } else {
        tap_ok(0, "%ls: the window starts and runs", name);
    }
    stop(&r);
    for (size_t i = 0; i < HC_N; i++)
        reg_restore(&saved[i]);
    reg_restore(&theme);
}

int main(int argc, char **argv)
{
    static const Case cases[] = {
        {L"96", 96, 0, 0, 0},
        {L"144", 144, 0, 0, 0},
        {L"192", 192, 0, 0, 0},
        {L"1280x720", 96, 1280, 720, 0},
        {L"1280x720", 144, 1280, 720, 0},
        {L"1366x768", 96, 1366, 768, 0},
        {L"1366x768", 120, 1366, 768, 0},
        /* the zoom a teacher gives the back row: the views grow, the toolbar row does not */
        {L"1280x720", 96, 1280, 720, 250},
    };
    Saved dpi;
    if (argc < 2) {
        fprintf(stderr, "usage: test_dpi PATH-TO-shutdownlab.exe\n");
        return 2;
    }
    dos_path(argv[1], g_exe);
    GetTempPathW(MAX_PATH, g_tmp);
    reg_save(&dpi, L"Control Panel\\Desktop", L"LogPixels");
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check_case(&cases[i]);
    test_high_contrast();
    reg_restore(&dpi);
    return tap_done();
}
