/* theme.c: what makes the GUI readable from the back of a room: DPI awareness (per-monitor
 * v2, falling back to v1 and then system-wide, as Wine needs), one zoom factor applied to
 * the views' fonts and drawing (the toolbar row keeps the DPI's size: font_ui, ui_px_ui),
 * and colours that give way to the system's in high contrast. */
#include "ui.h"

#include <math.h>

typedef BOOL(WINAPI *SetCtxFn)(HANDLE);
typedef HRESULT(WINAPI *SetAwarenessFn)(int);
typedef UINT(WINAPI *DpiForWindowFn)(HWND);

void ui_dpi_init(void)
{
    HMODULE user = GetModuleHandleW(L"user32.dll");
    SetCtxFn set_ctx = user ? (SetCtxFn)(void *)GetProcAddress(user, "SetProcessDpiAwarenessContext") : NULL;
    HMODULE shcore;
    /* DPI_AWARENESS_CONTEXT_PER_MONITOR_AWARE_V2 is (HANDLE)-4, v1 is (HANDLE)-3 */
    if (set_ctx && (set_ctx((HANDLE)(INT_PTR)-4) || set_ctx((HANDLE)(INT_PTR)-3)))
        return;
    if (set_ctx && GetLastError() == ERROR_ACCESS_DENIED)
        return; /* set already, by the manifest (res/shutdownlab.manifest): shcore is not loaded */
    if ((shcore = LoadLibraryW(L"shcore.dll")) != NULL) {
        SetAwarenessFn set_aw = (SetAwarenessFn)(void *)GetProcAddress(shcore, "SetProcessDpiAwareness");
        if (set_aw && SUCCEEDED(set_aw(2 /* PROCESS_PER_MONITOR_DPI_AWARE */)))
            return;
    }
    SetProcessDPIAware();
}

UINT ui_window_dpi(HWND hwnd)
{
    HMODULE user = GetModuleHandleW(L"user32.dll");
    DpiForWindowFn fn = user ? (DpiForWindowFn)(void *)GetProcAddress(user, "GetDpiForWindow") : NULL;
    UINT dpi = fn && hwnd ? fn(hwnd) : 0;
    if (!dpi) {
        HDC dc = GetDC(hwnd);
        dpi = (UINT)GetDeviceCaps(dc, LOGPIXELSY);
        ReleaseDC(hwnd, dc);
    }
    return dpi ? dpi : 96;
}

int ui_px(const Theme *t, int px96)
{
    return (int)lround(px96 * (t->dpi / 96.0) * t->zoom);
}

int ui_px_ui(const Theme *t, int px96)
{
    return (int)lround(px96 * (t->dpi / 96.0));
}

static HFONT make_font(const Theme *a, const wchar_t *face, double pt, int weight, double zoom)
{
    LOGFONTW lf;
    memset(&lf, 0, sizeof lf);
    lf.lfHeight = -(LONG)lround(pt * a->dpi / 72.0 * zoom);
    lf.lfWeight = weight;
    lf.lfCharSet = DEFAULT_CHARSET;
    lf.lfQuality = CLEARTYPE_QUALITY;
    wcsncpy(lf.lfFaceName, face, LF_FACESIZE - 1);
    return CreateFontIndirectW(&lf);
}

void ui_fonts_free(Theme *a)
{
    HFONT *f[] = {&a->font, &a->font_bold, &a->font_small, &a->font_small_bold, &a->font_big};
    if (a->font_ui && a->font_ui != a->font) /* at 100 % it is `font` itself */
        DeleteObject(a->font_ui);
    a->font_ui = NULL;
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
        if (*f[i]) {
            DeleteObject(*f[i]);
            *f[i] = NULL;
        }
}

/* The system's message font face (Segoe UI on Windows, Tahoma under Wine), at sizes
 * large enough for a projector: 12 pt body at zoom 100 %. */
void ui_fonts_make(Theme *a, HWND ref)
{
    NONCLIENTMETRICSW ncm;
    wchar_t face[LF_FACESIZE] = L"Tahoma";
    HDC dc;
    TEXTMETRICW tm;
    HGDIOBJ old;
    memset(&ncm, 0, sizeof ncm);
    ncm.cbSize = sizeof ncm;
    if (SystemParametersInfoW(SPI_GETNONCLIENTMETRICS, sizeof ncm, &ncm, 0) && ncm.lfMessageFont.lfFaceName[0])
        wcsncpy(face, ncm.lfMessageFont.lfFaceName, LF_FACESIZE - 1);
    ui_fonts_free(a);
    a->font = make_font(a, face, 12, FW_NORMAL, a->zoom);
    a->font_bold = make_font(a, face, 12, FW_BOLD, a->zoom);
    a->font_small = make_font(a, face, 11, FW_NORMAL, a->zoom);
    a->font_small_bold = make_font(a, face, 11, FW_BOLD, a->zoom);
    a->font_big = make_font(a, face, 14, FW_BOLD, a->zoom);
    a->font_ui = a->zoom == 1.0 ? NULL : make_font(a, face, 12, FW_NORMAL, 1.0);
    dc = GetDC(ref);
    old = SelectObject(dc, a->font);
    GetTextMetricsW(dc, &tm);
    a->font_h = tm.tmHeight;
    if (a->font_ui) {
        SelectObject(dc, a->font_ui);
        GetTextMetricsW(dc, &tm);
    }
    a->font_ui_h = tm.tmHeight;
    SelectObject(dc, old);
    ReleaseDC(ref, dc);
    if (!a->font_ui) /* at 100 % the same font: one fewer to make at launch */
        a->font_ui = a->font;
}

void ui_theme_refresh(Theme *a)
{
    HIGHCONTRASTW hc;
    memset(&hc, 0, sizeof hc);
    hc.cbSize = sizeof hc;
    wchar_t force[8];
    a->high_contrast = SystemParametersInfoW(SPI_GETHIGHCONTRAST, sizeof hc, &hc, 0) && (hc.dwFlags & HCF_HIGHCONTRASTON);
    /* Wine 8 answers SPI_GETHIGHCONTRAST with its flags always 0 and ignores
     * SPI_SETHIGHCONTRAST (win32u/sysparams.c: "not fully implemented"), while it does
     * honour the system colours set in HKCU\Control Panel\Colors. This variable stands in
     * for the flag there: tests/gui/test_dpi.c sets those colours and it, and the window
     * then draws exactly as high contrast on Windows makes it draw. */
    if (!a->high_contrast && GetEnvironmentVariableW(L"SHUTDOWNLAB_HIGH_CONTRAST", force, 8) && force[0] == L'1')
        a->high_contrast = 1;
}

/* In high contrast every colour is a system colour: the user chose them to be legible. */
COLORREF ui_color(const Theme *a, int which)
{
    if (a->high_contrast) {
        switch (which) {
        case UC_BG:
        case UC_STATE_BG:
        case UC_UNOBSERVED_BG:
            return GetSysColor(COLOR_WINDOW);
        case UC_DONE_BG:
        case UC_LATE_BG:
            return GetSysColor(COLOR_HIGHLIGHT);
        case UC_NEXT_BG:
            return GetSysColor(COLOR_BTNFACE);
        case UC_KNOWN_BG:
        case UC_DISPUTED_BG:
            return GetSysColor(COLOR_INFOBK);
        case UC_KNOWN_TEXT:
            return GetSysColor(COLOR_INFOTEXT);
        case UC_DIM:
            return GetSysColor(COLOR_GRAYTEXT);
        default:
            return GetSysColor(COLOR_WINDOWTEXT);
        }
    }
    switch (which) {
    case UC_BG: return RGB(255, 255, 255);
    case UC_TEXT: return RGB(20, 20, 20);
    case UC_DIM: return RGB(110, 110, 110);
    case UC_DONE_BG: return RGB(200, 240, 200);
    case UC_LATE_BG: return RGB(255, 200, 200);
    case UC_NEXT_BG: return RGB(255, 246, 190);
    case UC_CLIENT: return RGB(0, 70, 160);
    case UC_SERVER: return RGB(150, 70, 0);
    case UC_DATA: return RGB(0, 110, 230);
    case UC_FIN: return RGB(0, 150, 60);
    case UC_RST: return RGB(220, 0, 0);
    case UC_MESSAGE: return RGB(110, 0, 140);
    case UC_ERROR: return RGB(200, 0, 0);
    case UC_STATE_BG: return RGB(235, 235, 245);
    case UC_LANE: return RGB(150, 150, 150);
    case UC_KNOWN_BG: return RGB(255, 213, 128);  /* amber: differs from Windows, documented */
    case UC_KNOWN_TEXT: return RGB(20, 20, 20);
    case UC_DISPUTED_BG: return RGB(214, 226, 250); /* slate blue: the sources disagree, not judged */
    case UC_DISPUTED: return RGB(50, 80, 150);
    case UC_UNOBSERVED_BG: return RGB(236, 236, 236); /* grey: another program's, not seen here */
    }
    return RGB(0, 0, 0);
}

/* Paints a custom-drawn child through an off-screen bitmap: no flicker while a burst of
 * events repaints it, and the same path serves WM_PAINT and WM_PRINTCLIENT. */
void ui_paint_buffered(App *a, HWND hwnd, HDC dc, PanelPaint paint)
{
    RECT rc;
    HDC mem;
    HBITMAP bmp;
    HGDIOBJ old;
    GetClientRect(hwnd, &rc);
    if (rc.right <= 0 || rc.bottom <= 0)
        return;
    mem = CreateCompatibleDC(dc);
    bmp = CreateCompatibleBitmap(dc, rc.right, rc.bottom);
    old = SelectObject(mem, bmp);
    paint(a, mem, &rc);
    BitBlt(dc, 0, 0, rc.right, rc.bottom, mem, 0, 0, SRCCOPY);
    SelectObject(mem, old);
    DeleteObject(bmp);
    DeleteDC(mem);
}

App *ui_panel_app(HWND hwnd, UINT msg, LPARAM lParam)
{
    if (msg == WM_NCCREATE) {
        App *a = ((CREATESTRUCTW *)lParam)->lpCreateParams;
        SetWindowLongPtrW(hwnd, GWLP_USERDATA, (LONG_PTR)a);
        return a;
    }
    return (App *)GetWindowLongPtrW(hwnd, GWLP_USERDATA);
}

int ui_panel_paint_msg(App *a, HWND hwnd, UINT msg, WPARAM wParam, PanelPaint paint)
{
    switch (msg) {
    case WM_ERASEBKGND:
        return 1; /* the buffered paint covers every pixel */
    case WM_PAINT: {
        PAINTSTRUCT ps;
        HDC dc = BeginPaint(hwnd, &ps);
        if (a)
            ui_paint_buffered(a, hwnd, dc, paint);
        EndPaint(hwnd, &ps);
        return 1;
    }
    case WM_PRINTCLIENT: /* the self-capture (capture.c) paints each window this way */
        if (a)
            ui_paint_buffered(a, hwnd, (HDC)wParam, paint);
        return 1;
    case WM_SIZE:
        InvalidateRect(hwnd, NULL, FALSE);
        return 1;
    }
    return 0;
}

ATOM ui_register_panel(HINSTANCE inst, WNDPROC proc, const wchar_t *name)
{
    WNDCLASSEXW wc;
    memset(&wc, 0, sizeof wc);
    wc.cbSize = sizeof wc;
    wc.lpfnWndProc = proc;
    wc.hInstance = inst;
    wc.hCursor = LoadCursorW(NULL, (LPCWSTR)IDC_ARROW);
    wc.lpszClassName = name;
    return RegisterClassExW(&wc);
}
