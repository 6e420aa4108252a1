/* mainwnd.c: the main window. It is the local end's WSAAsyncSelect window: every message
 * goes to session_handle first, so the FD_* notifications the tool shows arrive here.
 * The window procedure only dispatches, one On* handler per message (HANDLE_MSG); this
 * file also owns the layout, zoom and the status bar. */
#include "ui.h"

#include <windowsx.h>

#include <stdio.h>
#include <string.h>

#include "../../res/resource.h"
#include "messages.h"

static App *app_of(HWND hwnd)
{
    return (App *)GetWindowLongPtrW(hwnd, GWLP_USERDATA);
}

static void set_fonts(App *a)
{
    HWND ctls[] = {a->lbl_scenario, a->scenario_combo, a->lbl_role, a->role_combo, a->lbl_speed, a->speed_value,
                   a->table, a->log, a->status, a->tips};
    for (size_t i = 0; i < sizeof ctls / sizeof ctls[0]; i++)
        if (ctls[i])
            SendMessageW(ctls[i], WM_SETFONT, (WPARAM)a->font, TRUE);
    ui_toolbar_fonts(a);
}

void ui_layout(App *a)
{
    RECT rc, sr;
    int cx, cy, y, status_h, bottom, log_h, left_w, table_h, fh = a->font_h, gap = ui_px(a, 4), scrolls;
    if (!a->status)
        return;
    GetClientRect(a->hwnd, &rc);
    cx = rc.right;
    cy = rc.bottom;
    SendMessageW(a->status, WM_SIZE, 0, 0);
    GetWindowRect(a->status, &sr);
    status_h = sr.bottom - sr.top;
    ui_status_layout(a);
    y = ui_toolbar_layout(a, 0, cx);
    bottom = cy - status_h;
    log_h = (bottom - y) * 27 / 100;
    if (log_h < fh * 5)
        log_h = fh * 5;
    /* zoomed in, the ladder takes more of the width: the table scrolls sideways, and the
     * lanes' words need the room */
    left_w = a->zoom > 1.3 ? cx * 42 / 100 : cx * 50 / 100;
    /* the columns first: they say whether the table needs a sideways scroll bar; a
     * table a little wider than half the window takes the room (up to 58 %) */
    MoveWindow(a->table, gap, y, left_w - gap, fh * 4, FALSE);
    ui_table_fonts(a);
    if (a->table_need + gap > left_w && a->table_need + gap <= cx * 58 / 100)
        left_w = a->table_need + gap;
    MoveWindow(a->table, gap, y, left_w - gap, fh * 4, FALSE);
    scrolls = ui_table_fonts(a);
    {
        /* every row visible: the header plus the rows as the list view measures them */
        RECT ir = {0, 0, 0, fh + 6}, hr = {0, 0, 0, fh + 8};
        HWND hdr = ListView_GetHeader(a->table);
        if (ListView_GetItemCount(a->table) > 0)
            ListView_GetItemRect(a->table, 0, &ir, LVIR_BOUNDS);
        if (hdr)
            GetWindowRect(hdr, &hr);
        table_h = (hr.bottom - hr.top) + (ir.bottom - ir.top) * (a->nrows > 0 ? a->nrows : 1) + ui_px(a, 6) +
                  (scrolls ? GetSystemMetrics(SM_CYHSCROLL) : 0);
    }
    /* the explanation keeps room for its heading and a few lines; the table scrolls */
    if (table_h > (bottom - log_h - y) * 55 / 100)
        table_h = (bottom - log_h - y) * 55 / 100;
    MoveWindow(a->table, gap, y, left_w - gap, table_h, TRUE);
    ui_table_fonts(a);
    MoveWindow(a->explain, gap, y + table_h + gap, left_w - gap, bottom - log_h - y - table_h - 2 * gap, TRUE);
    MoveWindow(a->ladder, left_w + gap, y, cx - left_w - 2 * gap, bottom - log_h - y - gap, TRUE);
    MoveWindow(a->log, gap, bottom - log_h, cx - 2 * gap, log_h - gap, TRUE);
    ui_log_fonts(a);
}

void ui_set_zoom(App *a, double zoom)
{
    if (zoom < 0.5)
        zoom = 0.5;
    if (zoom > 4.0)
        zoom = 4.0;
    a->zoom = zoom;
    a->log_text_w = 0; /* measured again in the new font */
    a->explain_scroll = 0;
    ui_fonts_make(a);
    set_fonts(a);
    ui_layout(a);
    InvalidateRect(a->hwnd, NULL, TRUE);
    ui_update_status(a);
}

static wchar_t g_status[4][300];
static int g_status_w[4]; /* each part's width; 0: it gave way */

/* The status bar's parts sized by their text in the status bar's font: the zoom, the
 * score and a blocking close's clock take what they need from the right, the run's
 * state the rest (an empty part takes nothing). */
void ui_status_layout(App *a)
{
    RECT rc;
    HDC dc;
    HGDIOBJ old;
    int parts[4], w[4], right, pad = ui_px(a, 24) + GetSystemMetrics(SM_CXEDGE) * 4;
    static int last[4] = {-1, -1, -1, -1};
    if (!a->status)
        return;
    GetClientRect(a->status, &rc);
    dc = GetDC(a->status);
    old = SelectObject(dc, a->font);
    for (int i = 1; i < 4; i++) {
        SIZE sz = {0, 0};
        GetTextExtentPoint32W(dc, g_status[i], (int)wcslen(g_status[i]), &sz);
        w[i] = g_status[i][0] ? sz.cx + pad : 0;
    }
    {
        /* the run's state comes first: the other parts give way (zoom, then score) */
        SIZE sz = {0, 0};
        int avail;
        GetTextExtentPoint32W(dc, g_status[0], (int)wcslen(g_status[0]), &sz);
        avail = rc.right - GetSystemMetrics(SM_CXVSCROLL) - (sz.cx + pad);
        for (int i = 3; i >= 1 && w[1] + w[2] + w[3] > avail; i--)
            if (i != 1)
                w[i] = 0;
    }
    SelectObject(dc, old);
    ReleaseDC(a->status, dc);
    memcpy(g_status_w, w, sizeof w);
    g_status_w[0] = 1;
    right = rc.right;
    parts[3] = -1;
    right -= w[3] + GetSystemMetrics(SM_CXVSCROLL); /* the size grip */
    parts[2] = right;
    right -= w[2];
    parts[1] = right;
    right -= w[1];
    parts[0] = right > 0 ? right : 0;
    if (memcmp(parts, last, sizeof parts)) {
        memcpy(last, parts, sizeof parts);
        SendMessageW(a->status, SB_SETPARTS, 4, (LPARAM)parts);
        for (int i = 0; i < 4; i++) /* a part that gave way shows nothing, not a sliver */
            SendMessageW(a->status, SB_SETTEXTW, (WPARAM)i, (LPARAM)(i && !w[i] ? L"" : g_status[i]));
    }
}

/* Sets one part of the status bar, only when its text changed (it is refreshed often). */
static void status_part(App *a, int part, const wchar_t *text)
{
    if (part < 0 || part >= 4 || !wcscmp(g_status[part], text))
        return;
    wcsncpy(g_status[part], text, 299);
    g_status[part][299] = L'\0';
    ui_status_layout(a);
    SendMessageW(a->status, SB_SETTEXTW, (WPARAM)part, (LPARAM)(g_status_w[part] ? text : L""));
}

void ui_update_status(App *a)
{
    wchar_t buf[300] = L"", side[16], step[32];
    int any_blocking = 0;
    if (!a->status)
        return;
    if (!a->session) {
        ui_load(IDS_ST_READY, buf, 300);
    } else if (a->run_done) {
        ui_format(buf, 300, IDS_ST_DONE, a->sum.checks, a->sum.mismatches, a->sum.known_differences, a->sum.exit_code);
    } else {
        int held = -1;
        for (int k = 0; k < SIDE_COUNT; k++)
            if (session_awaiting(a->session, (Side)k) &&
                (held < 0 || (a->held_step[k][0] && ui_row_of_step(a, a->held_step[k], (Side)k) <
                                                        ui_row_of_step(a, a->held_step[held], (Side)held))))
                held = k;
        if (held >= 0 && !a->running) {
            ui_load(held == SIDE_CLIENT ? IDS_CLIENT : IDS_SERVER, side, 16);
            if (a->held_step[held][0])
                _snwprintf(step, 32, L"(%hs)", a->held_step[held]);
            else
                ui_load(IDS_ST_SETUP, step, 32);
            step[31] = L'\0';
            ui_format(buf, 300, IDS_ST_HELD, side, step);
        } else {
            ui_load(a->running || !a->manual ? IDS_ST_RUNNING : IDS_ST_PAUSED, buf, 300);
        }
    }
    status_part(a, 0, buf);
    buf[0] = L'\0';
    for (int k = 0; k < SIDE_COUNT; k++)
        if (a->blocking_since[k]) {
            ui_load(k == SIDE_CLIENT ? IDS_CLIENT : IDS_SERVER, side, 16);
            ui_format(buf, 300, IDS_ST_BLOCKING, side, (GetTickCount64() - a->blocking_since[k]) / 1000.0);
            any_blocking = 1;
        }
    status_part(a, 1, buf);
    buf[0] = L'\0';
    if (a->predict || a->pred_total)
        ui_format(buf, 300, IDS_ST_SCORE, a->pred_right, a->pred_total);
    status_part(a, 2, buf);
    ui_format(buf, 300, IDS_ST_ZOOM, (int)(a->zoom * 100 + 0.5));
    status_part(a, 3, buf);
    /* a lingering close is running: keep the clock in the status bar and ladder moving */
    if (any_blocking)
        SetTimer(a->hwnd, UI_TIMER_BLOCKING, 100, NULL);
    else
        KillTimer(a->hwnd, UI_TIMER_BLOCKING);
}

static BOOL OnCreate(HWND hwnd, LPCREATESTRUCTW cs)
{
    App *a = app_of(hwnd);
    RECT work;
    int w, h;
    (void)cs;
    a->dpi = ui_window_dpi(hwnd);
    ui_theme_refresh(a);
    ui_fonts_make(a);
    if (ui_toolbar_create(a) < 0)
        return FALSE;
    a->table = ui_table_create(a, hwnd);
    a->explain = CreateWindowExW(0, UI_EXPLAIN_CLASS, L"", WS_CHILD | WS_VISIBLE | WS_VSCROLL, 0, 0, 0, 0, hwnd,
                                 (HMENU)(INT_PTR)IDC_EXPLAIN, a->inst, a);
    a->ladder = CreateWindowExW(0, UI_LADDER_CLASS, L"", WS_CHILD | WS_VISIBLE, 0, 0, 0, 0, hwnd,
                                (HMENU)(INT_PTR)IDC_LADDER, a->inst, a);
    a->log = ui_log_create(a, hwnd);
    a->status = CreateWindowExW(0, STATUSCLASSNAMEW, L"", WS_CHILD | WS_VISIBLE | SBARS_SIZEGRIP, 0, 0, 0, 0, hwnd,
                                (HMENU)(INT_PTR)IDC_STATUS, a->inst, NULL);
    if (!a->table || !a->explain || !a->ladder || !a->log || !a->status)
        return FALSE;
    set_fonts(a);
    ui_model_build_rows(a);
    ui_table_fill(a);
    /* the default size, in 96-DPI pixels scaled to this monitor, within its work area */
    SystemParametersInfoW(SPI_GETWORKAREA, 0, &work, 0);
    w = MulDiv(1240, (int)a->dpi, 96);
    h = MulDiv(940, (int)a->dpi, 96);
    if (w > work.right - work.left)
        w = work.right - work.left;
    if (h > work.bottom - work.top)
        h = work.bottom - work.top;
    SetWindowPos(hwnd, NULL, work.left + 10 > 0 ? work.left : 0, work.top, w, h, SWP_NOZORDER | SWP_NOACTIVATE);
    SetFocus(a->table);
    return TRUE;
}

static void OnSize(HWND hwnd, UINT state, int cx, int cy)
{
    (void)state;
    (void)cx;
    (void)cy;
    ui_layout(app_of(hwnd));
}

static LRESULT OnNotify(HWND hwnd, int id, NMHDR *nm)
{
    App *a = app_of(hwnd);
    if (id == IDC_TABLE)
        return ui_table_notify(a, nm);
    if (id == IDC_LOG)
        return ui_log_notify(a, nm);
    if (nm->code == TTN_GETDISPINFOW)
        return ui_toolbar_notify(a, nm);
    return 0;
}

static void set_role(App *a, Side role)
{
    if (a->role == role && a->session)
        return;
    a->role = role;
    SendMessageW(a->role_combo, CB_SETCURSEL, role, 0);
    ui_new_run(a, 1);
}

static void OnCommand(HWND hwnd, int id, HWND ctl, UINT code)
{
    App *a = app_of(hwnd);
    (void)ctl;
    switch (id) {
    case IDC_RUN_STEP: ui_cmd_step(a); break;
    case IDC_RUN_RUN: ui_cmd_run(a); break;
    case IDC_RUN_PAUSE: ui_cmd_pause(a); break;
    case IDC_RUN_RESET: ui_cmd_reset(a); break;
    case IDC_RUN_BACK: ui_cmd_back(a); break;
    case IDC_RUN_PREDICT:
        a->predict = !a->predict;
        ui_toolbar_update(a);
        ui_update_status(a);
        break;
    case IDC_ROLE_CLIENT: set_role(a, SIDE_CLIENT); break;
    case IDC_ROLE_SERVER: set_role(a, SIDE_SERVER); break;
    case IDC_VIEW_ZOOM_IN: ui_set_zoom(a, a->zoom * 1.25); break;
    case IDC_VIEW_ZOOM_OUT: ui_set_zoom(a, a->zoom / 1.25); break;
    case IDC_VIEW_ZOOM_RESET: ui_set_zoom(a, 1.0); break;
    case IDC_FILE_OPEN: ui_open_file(a); break;
    case IDC_FILE_EXPORT_TEXT: ui_export_text(a); break;
    case IDC_FILE_EXPORT_PNG: ui_export_diagram(a); break;
    case IDC_EDIT_COPY: ui_copy_transcript(a); break;
    case IDC_FILE_EXIT: DestroyWindow(hwnd); break;
    case IDC_HELP_ABOUT: ui_about(a); break;
    case IDC_HELP_SCENARIO:
    case IDC_VIEW_SCENARIO: ui_scenario_details(a); break;
    case IDC_SCENARIO:
        if (code == CBN_SELCHANGE) {
            LRESULT i = SendMessageW(a->scenario_combo, CB_GETCURSEL, 0, 0);
            if (i >= 0 && (size_t)i < scenario_builtin_count() &&
                (a->sc_is_file || strcmp(scenario_builtin_name((size_t)i), a->sc->name)))
                ui_select_scenario(a, scenario_builtin_name((size_t)i));
            else if ((size_t)i == scenario_builtin_count() && !a->sc_is_file)
                ui_select_file_scenario(a);
            ui_layout(a);
        }
        break;
    case IDC_ROLE:
        if (code == CBN_SELCHANGE)
            set_role(a, SendMessageW(a->role_combo, CB_GETCURSEL, 0, 0) == 1 ? SIDE_SERVER : SIDE_CLIENT);
        break;
    }
}

static void OnHScroll(HWND hwnd, HWND ctl, UINT code, int pos)
{
    App *a = app_of(hwnd);
    (void)code;
    (void)pos;
    if (ctl == a->speed) {
        ui_toolbar_update(a);
        ui_apply_speed(a);
    }
}

static void OnTimer(HWND hwnd, UINT id)
{
    App *a = app_of(hwnd);
    if (id == UI_TIMER_SPEED) {
        ui_on_speed_timer(a);
    } else if (id == UI_TIMER_DRAIN) {
        ui_drain(a);
        ui_ff_continue(a);
        ui_update_status(a); /* a release taken by an end changes what is held */
    } else if (id == UI_TIMER_BLOCKING) {
        ui_update_status(a);
        InvalidateRect(a->ladder, NULL, FALSE);
    }
}

static void OnGetMinMaxInfo(HWND hwnd, LPMINMAXINFO mmi)
{
    (void)hwnd;
    mmi->ptMinTrackSize.x = 800;
    mmi->ptMinTrackSize.y = 500;
}

static void OnSettingChange(HWND hwnd, UINT flag, LPCWSTR section)
{
    App *a = app_of(hwnd);
    (void)section;
    if (flag == SPI_SETHIGHCONTRAST || flag == SPI_SETNONCLIENTMETRICS || !flag) {
        ui_theme_refresh(a);
        ui_set_zoom(a, a->zoom);
    }
}

static void OnDestroy(HWND hwnd)
{
    App *a = app_of(hwnd);
    KillTimer(hwnd, UI_TIMER_SPEED);
    KillTimer(hwnd, UI_TIMER_BLOCKING);
    session_destroy(a->session);
    a->session = NULL;
    ui_fonts_free(a);
    a->hwnd = NULL;
    PostQuitMessage(a->exit_code);
}

/* WM_DPICHANGED: the window moved to a monitor of another DPI; take its suggested rect. */
static void on_dpi_changed(App *a, UINT dpi, const RECT *suggested)
{
    a->dpi = dpi;
    SetWindowPos(a->hwnd, NULL, suggested->left, suggested->top, suggested->right - suggested->left,
                 suggested->bottom - suggested->top, SWP_NOZORDER | SWP_NOACTIVATE);
    ui_set_zoom(a, a->zoom);
}

#ifndef WM_DPICHANGED
#define WM_DPICHANGED 0x02E0
#endif

/* HANDLE_MSG (windowsx.h) expects the parameters to be called wParam and lParam. */
LRESULT CALLBACK ui_main_proc(HWND hwnd, UINT msg, WPARAM wParam, LPARAM lParam)
{
    App *a = app_of(hwnd);
    if (msg == WM_NCCREATE) {
        a = ((CREATESTRUCTW *)lParam)->lpCreateParams;
        a->hwnd = hwnd;
        SetWindowLongPtrW(hwnd, GWLP_USERDATA, (LONG_PTR)a);
    }
    if (a && a->session && session_handle(a->session, hwnd, msg, wParam, lParam)) {
        if (session_complete(a->session) && !a->run_done)
            ui_on_complete(a);
        return 0;
    }
    switch (msg) {
        HANDLE_MSG(hwnd, WM_CREATE, OnCreate);
        HANDLE_MSG(hwnd, WM_SIZE, OnSize);
        HANDLE_MSG(hwnd, WM_NOTIFY, OnNotify);
        HANDLE_MSG(hwnd, WM_COMMAND, OnCommand);
        HANDLE_MSG(hwnd, WM_HSCROLL, OnHScroll);
        HANDLE_MSG(hwnd, WM_TIMER, OnTimer);
        HANDLE_MSG(hwnd, WM_GETMINMAXINFO, OnGetMinMaxInfo);
        HANDLE_MSG(hwnd, WM_DESTROY, OnDestroy);
    case WM_SL_EVENT:
        if (a)
            ui_drain(a);
        return 0;
    case WM_SL_HELD:
        if (a && a->session)
            ui_on_held(a, (Side)wParam);
        return 0;
    case WM_DPICHANGED:
        if (a)
            on_dpi_changed(a, HIWORD(wParam), (const RECT *)lParam);
        return 0;
    case WM_SETTINGCHANGE: /* windowsx.h has no cracker for it under this name */
        if (a)
            OnSettingChange(hwnd, (UINT)wParam, (LPCWSTR)lParam);
        break;
    case WM_SYSCOLORCHANGE:
        if (a) {
            ui_theme_refresh(a);
            InvalidateRect(hwnd, NULL, TRUE);
        }
        break;
    }
    return DefWindowProcW(hwnd, msg, wParam, lParam);
}

ATOM ui_register_main(HINSTANCE inst)
{
    WNDCLASSEXW wc;
    memset(&wc, 0, sizeof wc);
    wc.cbSize = sizeof wc;
    wc.lpfnWndProc = ui_main_proc;
    wc.hInstance = inst;
    wc.hIcon = LoadIconW(inst, MAKEINTRESOURCEW(IDI_APP));
    wc.hCursor = LoadCursorW(NULL, (LPCWSTR)IDC_ARROW);
    wc.hbrBackground = (HBRUSH)(COLOR_BTNFACE + 1);
    wc.lpszMenuName = MAKEINTRESOURCEW(IDM_MAIN);
    wc.lpszClassName = UI_MAIN_CLASS;
    return RegisterClassExW(&wc);
}
