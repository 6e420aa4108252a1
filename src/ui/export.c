/* export.c: what leaves the program: the transcript as text (the core's text formatter,
 * fed the run's events as they came), the same text on the clipboard, and the ladder
 * diagram as a PNG for slides (drawn again off screen, tall enough for every row). */
#include "ui.h"

#include <commdlg.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../res/resource.h"

/* Where to save, suggesting "SCENARIO-suffix.ext". */
static int ask_path(App *a, UINT filter_id, const wchar_t *ext, const char *suffix, wchar_t *path)
{
    _snwprintf(path, MAX_PATH, L"%hs-%hs.%ls", a->run.sc->name, suffix, ext);
    path[MAX_PATH - 1] = L'\0';
    return ui_ask_path(a, filter_id, ext, path, 1);
}

static void failed(App *a, const wchar_t *path)
{
    wchar_t msg[MAX_PATH + 100], title[64];
    ui_format(msg, MAX_PATH + 100, IDS_EXPORT_FAILED, path, GetLastError());
    ui_load(IDS_APP_TITLE, title, 64);
    MessageBoxW(a->hwnd, msg, title, MB_ICONERROR);
}

static int have_text(App *a)
{
    if (a->model.ntext)
        return 1;
    {
        wchar_t msg[200], title[64];
        ui_load(IDS_EXPORT_EMPTY, msg, 200);
        ui_load(IDS_APP_TITLE, title, 64);
        MessageBoxW(a->hwnd, msg, title, MB_ICONINFORMATION);
    }
    return 0;
}

int ui_write_text(App *a, const wchar_t *path)
{
    HANDLE h = CreateFileW(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    DWORD n = 0;
    int ok;
    static const char cut[] = "\n(the transcript is incomplete: memory ran out while it was kept)\n";
    if (h == INVALID_HANDLE_VALUE)
        return -1;
    ok = WriteFile(h, a->model.text, (DWORD)a->model.ntext, &n, NULL) && n == a->model.ntext;
    if (ok && a->model.text_dropped) /* said in the file, not lost in silence */
        ok = WriteFile(h, cut, sizeof cut - 1, &n, NULL) && n == sizeof cut - 1;
    CloseHandle(h);
    return ok ? 0 : -1;
}

void ui_export_text(App *a)
{
    wchar_t path[MAX_PATH];
    if (!have_text(a) || ask_path(a, IDS_EXPORT_FILTER_TXT, L"txt", "transcript", path) < 0)
        return;
    if (ui_write_text(a, path) < 0)
        failed(a, path);
}

void ui_copy_transcript(App *a)
{
    int n;
    HGLOBAL mem;
    wchar_t *w;
    size_t lines = 0;
    if (!have_text(a))
        return;
    for (size_t i = 0; i < a->model.ntext; i++)
        lines += a->model.text[i] == '\n';
    n = MultiByteToWideChar(CP_UTF8, 0, a->model.text, (int)a->model.ntext, NULL, 0);
    if (!(mem = GlobalAlloc(GMEM_MOVEABLE, ((size_t)n + lines + 1) * sizeof(wchar_t))))
        return;
    w = GlobalLock(mem);
    {
        /* CRLF line ends, as Windows programs expect on the clipboard */
        wchar_t *tmp = malloc(((size_t)n + 1) * sizeof *tmp);
        size_t o = 0;
        if (tmp) {
            MultiByteToWideChar(CP_UTF8, 0, a->model.text, (int)a->model.ntext, tmp, n);
            for (int i = 0; i < n; i++) {
                if (tmp[i] == L'\n')
                    w[o++] = L'\r';
                w[o++] = tmp[i];
            }
            free(tmp);
        }
        w[o] = L'\0';
    }
    GlobalUnlock(mem);
    if (!OpenClipboard(a->hwnd)) {
        GlobalFree(mem);
        return;
    }
    EmptyClipboard();
    if (!SetClipboardData(CF_UNICODETEXT, mem))
        GlobalFree(mem);
    CloseClipboard();
}

int ui_write_diagram(App *a, const wchar_t *path)
{
    RECT lr, rc;
    HDC dc, mem;
    HBITMAP bmp;
    HGDIOBJ old;
    void *bits;
    int rows = a->ladder.model.rows, w, h, r;
    GetClientRect(a->ladder.hwnd, &lr);
    w = lr.right > ui_px(&a->theme, 900) ? lr.right : ui_px(&a->theme, 900);
    h = a->theme.font_h * 6 + rows * (a->theme.font_h * 17 / 10) + a->theme.font_h;
    if (h < lr.bottom)
        h = lr.bottom;
    dc = GetDC(a->ladder.hwnd);
    mem = CreateCompatibleDC(dc);
    bmp = ui_dib(dc, w, h, &bits);
    if (!bmp) {
        DeleteDC(mem);
        ReleaseDC(a->ladder.hwnd, dc);
        return -1;
    }
    old = SelectObject(mem, bmp);
    SetRect(&rc, 0, 0, w, h);
    ui_ladder_paint(a, mem, &rc);
    GdiFlush();
    r = ui_write_png(path, bmp, w, h);
    SelectObject(mem, old);
    DeleteObject(bmp);
    DeleteDC(mem);
    ReleaseDC(a->ladder.hwnd, dc);
    return r;
}

void ui_export_diagram(App *a)
{
    wchar_t path[MAX_PATH];
    if (ask_path(a, IDS_EXPORT_FILTER_PNG, L"png", "diagram", path) < 0)
        return;
    if (ui_write_diagram(a, path) < 0)
        failed(a, path);
}
