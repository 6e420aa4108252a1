/* empty_window.c: the baselines for ShutdownLab's size and startup benchmarks: an empty
 * Win32 window built with the same compiler, flags and static linking as the GUI. It
 * paints once and exits when closed. Each build adds one thing, so the startup benchmark
 * measures each share of the GUI's time to its first paint instead of guessing it. Every
 * one is the GUI's default size (1240x940) with a menu bar of five menus, as the GUI has:
 * - empty_window.exe: the window alone;
 * - empty_window_dlls.exe (SL_WITH_DLLS): what the GUI loads before its first paint: the
 *   GUI's manifest (Common Controls v6, DPI awareness), comctl32 initialised, Winsock
 *   started, iphlpapi imported;
 * - log_window.exe (SL_WITH_LOG, implies the DLLs): the empty window holding one empty
 *   virtual report list view with four columns, as SPEC asks for the event log, and
 *   nothing else: what the least GUI that SPEC describes cannot do without;
 * - controls_window.exe (SL_WITH_CONTROLS, implies the DLLs): the same kinds and numbers of
 *   child windows as the GUI's, made with the same styles, filled as a first run fills them
 *   (rows, columns, list items), laid out before the window is shown, with a font like
 *   the GUI's, and nothing of ShutdownLab: no scenario, no drawing of its own. */
#if defined SL_WITH_CONTROLS || defined SL_WITH_LOG
#define SL_WITH_DLLS
#endif
#ifdef SL_WITH_DLLS
#include <winsock2.h>
#include <iphlpapi.h>
#include <windows.h>
#include <commctrl.h>
#else
#include <windows.h>
#endif

#ifdef SL_WITH_CONTROLS
enum { TOOLBAR, LBL1, COMBO1, LBL2, COMBO2, LBL3, TRACKBAR, VALUE, TABLE, PANE1, PANE2, LOG, STATUS, TIPS, NCTL };

/* A pane stands for the explanation and the ladder: a child window of its own class
 * that paints its background and nothing else. */
static void make_controls(HWND *c, HWND parent, HINSTANCE inst)
{
    static const wchar_t *cls[NCTL] = {TOOLBARCLASSNAMEW, L"STATIC", WC_COMBOBOXW, L"STATIC", WC_COMBOBOXW, L"STATIC",
                                       TRACKBAR_CLASSW, L"STATIC", WC_LISTVIEWW, L"Pane", L"Pane", WC_LISTVIEWW,
                                       STATUSCLASSNAMEW, TOOLTIPS_CLASSW};
    static const DWORD style[NCTL] = {
        TBSTYLE_FLAT | TBSTYLE_LIST | TBSTYLE_TOOLTIPS | TBSTYLE_WRAPABLE | CCS_NODIVIDER | CCS_NORESIZE | CCS_NOPARENTALIGN,
        SS_RIGHT | SS_CENTERIMAGE, WS_TABSTOP | WS_VSCROLL | CBS_DROPDOWNLIST, SS_RIGHT | SS_CENTERIMAGE,
        WS_TABSTOP | CBS_DROPDOWNLIST, SS_RIGHT | SS_CENTERIMAGE, WS_TABSTOP | TBS_AUTOTICKS | TBS_HORZ,
        SS_LEFT | SS_CENTERIMAGE, WS_TABSTOP | LVS_REPORT | LVS_SINGLESEL | LVS_NOSORTHEADER, WS_VSCROLL, 0,
        WS_TABSTOP | LVS_REPORT | LVS_OWNERDATA | LVS_SINGLESEL | LVS_NOSORTHEADER, SBARS_SIZEGRIP, 0};
    static const wchar_t *text[NCTL] = {L"", L"Scenario:", L"", L"Role:", L"", L"Speed:", L"", L"instant"};
    HDC dc = GetDC(parent);
    HFONT font = CreateFontW(-MulDiv(12, GetDeviceCaps(dc, LOGPIXELSY), 72), 0, 0, 0, FW_NORMAL, 0, 0, 0,
                             DEFAULT_CHARSET, 0, 0, CLEARTYPE_QUALITY, 0, L"Tahoma");
    TBBUTTON tb[10];
    LVCOLUMNW col;
    LVITEMW it;
    int parts[5] = {300, 500, 700, 900, -1};
    ReleaseDC(parent, dc);
    for (int i = 0; i < NCTL; i++)
        c[i] = CreateWindowExW(i == TIPS ? WS_EX_TOPMOST : 0, cls[i], text[i] ? text[i] : L"",
                               (i == TIPS ? WS_POPUP | TTS_ALWAYSTIP | TTS_NOPREFIX : WS_CHILD | WS_VISIBLE) | style[i],
                               0, 0, 0, 0, parent, NULL, inst, NULL);
    memset(tb, 0, sizeof tb);
    memset(&col, 0, sizeof col);
    col.mask = LVCF_TEXT | LVCF_WIDTH;
    col.cx = 80;
    col.pszText = L"Column";
    memset(&it, 0, sizeof it);
    it.mask = LVIF_TEXT;
    it.pszText = L"row";
    for (int i = 0; i < 10; i++) {
        tb[i].idCommand = 100 + i;
        tb[i].fsStyle = BTNS_BUTTON | BTNS_AUTOSIZE | BTNS_SHOWTEXT;
        tb[i].fsState = TBSTATE_ENABLED;
        tb[i].iBitmap = I_IMAGENONE;
        tb[i].iString = (INT_PTR)L"Button";
    }
    SendMessageW(c[TOOLBAR], TB_BUTTONSTRUCTSIZE, sizeof(TBBUTTON), 0);
    SendMessageW(c[TOOLBAR], TB_SETEXTENDEDSTYLE, 0, TBSTYLE_EX_MIXEDBUTTONS);
    SendMessageW(c[TOOLBAR], TB_SETBITMAPSIZE, 0, MAKELPARAM(0, 0));
    SendMessageW(c[TOOLBAR], TB_ADDBUTTONSW, 10, (LPARAM)tb);
    for (int i = 0; i < 10; i++)
        SendMessageW(c[COMBO1], CB_ADDSTRING, 0, (LPARAM)L"a scenario");
    SendMessageW(c[COMBO1], CB_SETCURSEL, 0, 0);
    SendMessageW(c[COMBO2], CB_ADDSTRING, 0, (LPARAM)L"client");
    SendMessageW(c[COMBO2], CB_ADDSTRING, 0, (LPARAM)L"server");
    SendMessageW(c[COMBO2], CB_SETCURSEL, 0, 0);
    SendMessageW(c[TRACKBAR], TBM_SETRANGE, FALSE, MAKELPARAM(0, 5));
    ListView_SetExtendedListViewStyle(c[TABLE], LVS_EX_FULLROWSELECT | LVS_EX_GRIDLINES | LVS_EX_DOUBLEBUFFER);
    ListView_SetExtendedListViewStyle(c[LOG], LVS_EX_FULLROWSELECT | LVS_EX_DOUBLEBUFFER);
    for (int i = 0; i < 5; i++)
        ListView_InsertColumn(c[TABLE], i, &col);
    for (int i = 0; i < 4; i++)
        ListView_InsertColumn(c[LOG], i, &col);
    for (int i = 0; i < 8; i++) { /* a first run's table: eight rows */
        it.iItem = i;
        ListView_InsertItem(c[TABLE], &it);
    }
    SendMessageW(c[STATUS], SB_SETPARTS, 5, (LPARAM)parts);
    for (int i = 0; i < NCTL; i++)
        SendMessageW(c[i], WM_SETFONT, (WPARAM)font, FALSE);
}

/* The GUI's proportions: the toolbar, a row of labelled controls, the table over a pane on the left, a pane on the
 * right, the log across the bottom, the status bar. */
static void layout(const HWND *c, int cx, int cy)
{
    int row = 80, x = 4, w = cx / 2, log_y = cy * 70 / 100;
    RECT sr;
    SendMessageW(c[STATUS], WM_SIZE, 0, 0);
    GetWindowRect(c[STATUS], &sr);
    MoveWindow(c[TOOLBAR], 0, 0, cx, 40, FALSE);
    for (int i = LBL1; i <= VALUE; x += i % 2 ? 90 : 260, i++) /* a label, then its control */
        MoveWindow(c[i], x, 44, i % 2 ? 80 : 250, 30, FALSE);
    MoveWindow(c[TABLE], 4, row, w - 4, 260, FALSE);
    MoveWindow(c[PANE1], 4, row + 264, w - 4, log_y - row - 268, FALSE);
    MoveWindow(c[PANE2], w + 4, row, cx - w - 8, log_y - row - 4, FALSE);
    MoveWindow(c[LOG], 4, log_y, cx - 8, cy - (sr.bottom - sr.top) - log_y - 4, FALSE);
    for (int i = 0; i < 5; i++)
        ListView_SetColumnWidth(c[TABLE], i, (w - 8) / 5);
    for (int i = 0; i < 4; i++)
        ListView_SetColumnWidth(c[LOG], i, (cx - 12) / 4);
}
#endif

#ifdef SL_WITH_LOG
/* The event log's list view (src/ui/logview.c's styles), filling the window, focused. */
static void log_view(HWND parent, HINSTANCE inst)
{
    HWND lv = CreateWindowExW(0, WC_LISTVIEWW, L"",
                              WS_CHILD | WS_VISIBLE | WS_TABSTOP | LVS_REPORT | LVS_OWNERDATA | LVS_SINGLESEL |
                                  LVS_NOSORTHEADER,
                              0, 0, 0, 0, parent, NULL, inst, NULL);
    LVCOLUMNW col;
    RECT rc;
    ListView_SetExtendedListViewStyle(lv, LVS_EX_FULLROWSELECT | LVS_EX_DOUBLEBUFFER);
    memset(&col, 0, sizeof col);
    col.mask = LVCF_TEXT | LVCF_WIDTH;
    col.cx = 100;
    col.pszText = L"Column";
    for (int i = 0; i < 4; i++)
        ListView_InsertColumn(lv, i, &col);
    GetClientRect(parent, &rc);
    MoveWindow(lv, 4, 4, rc.right - 8, rc.bottom - 8, FALSE);
    SetFocus(lv);
}
#endif

/* A menu bar like the GUI's: five menus (their items are not drawn until opened). */
static HMENU menu_bar(void)
{
    static const wchar_t *menus[] = {L"&File", L"&Edit", L"&View", L"&Run", L"&Help"};
    HMENU bar = CreateMenu();
    for (int i = 0; i < 5; i++) {
        HMENU pop = CreatePopupMenu();
        AppendMenuW(pop, MF_STRING, 200 + i, L"Item");
        AppendMenuW(bar, MF_POPUP, (UINT_PTR)pop, menus[i]);
    }
    return bar;
}

static LRESULT CALLBACK wndproc(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp)
{
    if (msg == WM_DESTROY) {
        PostQuitMessage(0);
        return 0;
    }
    return DefWindowProcW(hwnd, msg, wp, lp);
}

int WINAPI wWinMain(HINSTANCE inst, HINSTANCE prev, LPWSTR cmd, int show)
{
    WNDCLASSEXW wc = {sizeof wc, 0, wndproc, 0, 0, inst, NULL, NULL, (HBRUSH)(COLOR_WINDOW + 1), NULL, L"EmptyWindow",
                      NULL};
    MSG m;
    HWND hwnd;
    (void)prev;
    (void)cmd;
#ifdef SL_WITH_DLLS
    {
        INITCOMMONCONTROLSEX icc = {sizeof icc, ICC_LISTVIEW_CLASSES | ICC_BAR_CLASSES | ICC_WIN95_CLASSES};
        WSADATA wsa;
        if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0)
            return 3;
        InitCommonControlsEx(&icc);
        if (!show) /* never: imports iphlpapi as the GUI does (its sampler calls it later) */
            GetExtendedTcpTable(NULL, NULL, FALSE, AF_INET, TCP_TABLE_OWNER_PID_ALL, 0);
    }
#endif
    RegisterClassExW(&wc);
#ifdef SL_WITH_CONTROLS
    {
        HWND c[NCTL];
        RECT rc;
        wc.lpszClassName = L"Pane";
        RegisterClassExW(&wc);
        hwnd = CreateWindowExW(WS_EX_CONTROLPARENT, L"EmptyWindow", L"Controls window", WS_OVERLAPPEDWINDOW | WS_CLIPCHILDREN,
                               CW_USEDEFAULT, CW_USEDEFAULT, 1240, 940, NULL, menu_bar(), inst, NULL);
        make_controls(c, hwnd, inst);
        GetClientRect(hwnd, &rc);
        layout(c, rc.right, rc.bottom);
        SetFocus(c[TABLE]);
    }
#else
    hwnd = CreateWindowExW(0, wc.lpszClassName, L"Empty window", WS_OVERLAPPEDWINDOW | WS_CLIPCHILDREN, CW_USEDEFAULT,
                           CW_USEDEFAULT, 1240, 940, NULL, menu_bar(), inst, NULL);
#ifdef SL_WITH_LOG
    log_view(hwnd, inst);
#endif
#endif
    ShowWindow(hwnd, show);
    UpdateWindow(hwnd);
    while (GetMessageW(&m, NULL, 0, 0) > 0) {
        TranslateMessage(&m);
        DispatchMessageW(&m);
    }
    return 0;
}
