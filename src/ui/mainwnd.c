/* mainwnd.c: the main window. It is the local end's WSAAsyncSelect window: every message
 * goes to the session first (one line: ui_route), so the FD_* notifications the tool
 * shows arrive here. The window procedure only dispatches, one On* handler per message
 * (HANDLE_MSG); this file also owns the layout and the zoom. */
#include "ui.h"

#include <windowsx.h>

#include <stdio.h>
#include <string.h>

#include "../../res/resource.h"

static App *app_of(HWND hwnd)
{
    return (App *)GetWindowLongPtrW(hwnd, GWLP_USERDATA);
}

/* The views (table, log, status) in the zoomed font; the toolbar row in the DPI's. */
static void set_fonts(App *a)
{
    HWND views[] = {a->table.hwnd, a->log.hwnd, a->status.hwnd},
         row[] = {a->ctl.lbl_scenario, a->ctl.scenario_combo, a->ctl.lbl_role, a->ctl.role_combo, a->ctl.lbl_speed,
                  a->ctl.speed_value, a->ctl.tips};
    BOOL shown = IsWindowVisible(a->hwnd); /* before the first paint, no control repaints */
    for (size_t i = 0; i < sizeof views / sizeof views[0]; i++)
        if (views[i])
            SendMessageW(views[i], WM_SETFONT, (WPARAM)a->theme.font, shown);
    for (size_t i = 0; i < sizeof row / sizeof row[0]; i++)
        if (row[i])
            SendMessageW(row[i], WM_SETFONT, (WPARAM)a->theme.font_ui, shown);
    ui_toolbar_fonts(a);
}

static void layout(App *a);

/* A batch of changes to a visible window (a layout, a new run, a scenario switch) with its
 * redraw off, then one repaint of everything: under Wine each child moved, each row
 * inserted, each line logged in a visible window otherwise repaints at once (a scenario
 * switch took ~300 ms, a layout ~110 ms). Nested batches repaint once, at the outermost
 * end; a window not yet shown needs neither. */
void ui_freeze(App *a)
{
    if (a->frozen++ == 0 && (a->thaw_paints = a->hwnd && IsWindowVisible(a->hwnd)))
        SendMessageW(a->hwnd, WM_SETREDRAW, FALSE, 0);
}

void ui_thaw(App *a)
{
    if (a->frozen == 1 && a->layout_due) {
        a->layout_due = 0;
        layout(a);
    }
    if (--a->frozen == 0 && a->thaw_paints && a->hwnd) { /* not when the batch closed it */
        SendMessageW(a->hwnd, WM_SETREDRAW, TRUE, 0);
        RedrawWindow(a->hwnd, NULL, NULL, RDW_ERASE | RDW_FRAME | RDW_INVALIDATE | RDW_ALLCHILDREN);
    }
}

/* Redraw back on now, inside a batch (a modal box is coming): the batch's end still
 * repaints, and its nesting stays balanced. */
void ui_show_now(App *a)
{
    if (a->frozen > 0 && a->thaw_paints && a->hwnd) {
        SendMessageW(a->hwnd, WM_SETREDRAW, TRUE, 0);
        RedrawWindow(a->hwnd, NULL, NULL, RDW_ERASE | RDW_FRAME | RDW_INVALIDATE | RDW_ALLCHILDREN | RDW_UPDATENOW);
    }
}

/* A switch the user asked for is shown before its command returns (bench/switch.c times
 * it). Other batches (a drain's layout, the first run) leave their paint to WM_PAINT, one
 * child at a time, so a storm's messages wait behind no whole-window paint. */
static void paint_now(App *a)
{
    RedrawWindow(a->hwnd, NULL, NULL, RDW_UPDATENOW | RDW_ALLCHILDREN);
}

/* Inside a batch the layout waits for the batch's end, so a scenario switch, whose new
 * run's table asks for one and whose command asks again, lays the window out once. */
void ui_layout(App *a)
{
    ui_freeze(a);
    a->layout_due = 1;
    ui_thaw(a);
}

static void layout(App *a)
{
    RECT rc, sr;
    int cx, cy, y, status_h, bottom, log_h, left_w, table_h, fh = a->theme.font_h, gap = ui_px(&a->theme, 4), scrolls, most_h;
    if (!a->status.hwnd)
        return;
    GetClientRect(a->hwnd, &rc);
    cx = a->laid_cx = rc.right;
    cy = a->laid_cy = rc.bottom;
    SendMessageW(a->status.hwnd, WM_SIZE, 0, 0);
    GetWindowRect(a->status.hwnd, &sr);
    status_h = sr.bottom - sr.top;
    ui_status_layout(a);
    y = ui_toolbar_layout(a, 0, cx);
    bottom = cy - status_h;
    log_h = (bottom - y) * 27 / 100;
    if (log_h < fh * 5)
        log_h = fh * 5;
    /* at a large zoom five lines of log would take the table's, the explanation's and the
     * ladder's room (at 400 % all of it, over the toolbar's last row): they keep 60 % */
    if (log_h > (bottom - y) * 40 / 100)
        log_h = (bottom - y) * 40 / 100;
    /* when the window is narrow for its font (zoomed in, a high DPI on a small screen: fewer
     * than 50 lines' heights across), the ladder takes more of the width: the table scrolls
     * sideways, and the lanes' words need the room */
    left_w = cx < fh * 50 ? cx * 42 / 100 : cx * 50 / 100;
    /* the columns first: they say whether the table needs a sideways scroll bar; a
     * table a little wider than half the window takes the room (up to 58 %). Measured at
     * the most height the table may have, so that its rows fit as they will at the end and
     * the widths need not be set again for a scroll bar gone (under Wine ~2 ms each time) */
    most_h = (bottom - log_h - y) * 55 / 100;
    MoveWindow(a->table.hwnd, gap, y, left_w - gap, most_h, FALSE);
    ui_table_fonts(a);
    if (a->table.need + gap > left_w && a->table.need + gap <= cx * 58 / 100)
        left_w = a->table.need + gap;
    MoveWindow(a->table.hwnd, gap, y, left_w - gap, most_h, FALSE);
    scrolls = ui_table_fonts(a);
    {
        /* every row visible: the header plus the rows as the list view measures them */
        RECT ir = {0, 0, 0, fh + 6}, hr = {0, 0, 0, fh + 8};
        HWND hdr = ListView_GetHeader(a->table.hwnd);
        if (ListView_GetItemCount(a->table.hwnd) > 0)
            ListView_GetItemRect(a->table.hwnd, 0, &ir, LVIR_BOUNDS);
        if (hdr)
            GetWindowRect(hdr, &hr);
        table_h = (hr.bottom - hr.top) + (ir.bottom - ir.top) * (a->model.table.n > 0 ? a->model.table.n : 1) + ui_px(&a->theme, 6) +
                  (scrolls ? GetSystemMetrics(SM_CYHSCROLL) : 0);
    }
    /* the explanation keeps room for its heading and a few lines; the table scrolls */
    if (table_h > most_h)
        table_h = most_h;
    MoveWindow(a->table.hwnd, gap, y, left_w - gap, table_h, TRUE);
    ui_table_fonts(a);
    MoveWindow(a->explain.hwnd, gap, y + table_h + gap, left_w - gap, bottom - log_h - y - table_h - 2 * gap, TRUE);
    MoveWindow(a->ladder.hwnd, left_w + gap, y, cx - left_w - 2 * gap, bottom - log_h - y - gap, TRUE);
    MoveWindow(a->log.hwnd, gap, bottom - log_h, cx - 2 * gap, log_h - gap, TRUE);
    ui_log_fonts(a);
}

void ui_set_zoom(App *a, double zoom)
{
    if (zoom < 0.5)
        zoom = 0.5;
    if (zoom > 4.0)
        zoom = 4.0;
    a->theme.zoom = zoom;
    a->log.text_w = 0; /* measured again in the new font */
    a->explain.scroll = 0;
    ui_fonts_make(&a->theme, a->hwnd);
    set_fonts(a);
    /* Not a frozen batch: a list view whose header font changed while its window could not
     * paint draws a stray copy of its first row's text under the header afterwards (Wine 8).
     * Then every child is repainted: labels moved by the new font kept their old pixels. */
    layout(a);
    RedrawWindow(a->hwnd, NULL, NULL, RDW_ERASE | RDW_FRAME | RDW_INVALIDATE | RDW_ALLCHILDREN);
    ui_update_status(a);
}

static BOOL OnCreate(HWND hwnd, LPCREATESTRUCTW cs)
{
    App *a = app_of(hwnd);
    RECT work;
    int w, h;
    (void)cs;
    a->theme.dpi = ui_window_dpi(hwnd);
    ui_theme_refresh(&a->theme);
    ui_fonts_make(&a->theme, hwnd);
    if (ui_toolbar_create(a) < 0)
        return FALSE;
    a->table.hwnd = ui_table_create(a, hwnd);
    a->explain.hwnd = CreateWindowExW(0, UI_EXPLAIN_CLASS, L"", WS_CHILD | WS_VISIBLE | WS_VSCROLL, 0, 0, 0, 0, hwnd,
                                      (HMENU)(INT_PTR)IDC_EXPLAIN, a->inst, a);
    /* its scroll bar hidden until its text needs it: hidden by the first paint instead,
     * the pane's width changes and it paints a second time before the window is idle */
    if (a->explain.hwnd)
        SetScrollRange(a->explain.hwnd, SB_VERT, 0, 0, FALSE);
    a->ladder.hwnd = CreateWindowExW(0, UI_LADDER_CLASS, L"", WS_CHILD | WS_VISIBLE, 0, 0, 0, 0, hwnd,
                                     (HMENU)(INT_PTR)IDC_LADDER, a->inst, a);
    a->log.hwnd = ui_log_create(a, hwnd);
    a->status.hwnd = CreateWindowExW(0, STATUSCLASSNAMEW, L"", WS_CHILD | WS_VISIBLE | SBARS_SIZEGRIP, 0, 0, 0, 0,
                                     hwnd, (HMENU)(INT_PTR)IDC_STATUS, a->inst, NULL);
    if (!a->table.hwnd || !a->explain.hwnd || !a->ladder.hwnd || !a->log.hwnd || !a->status.hwnd)
        return FALSE;
    set_fonts(a);
    table_build(&a->model.table, a->run.sc, a->run.sc->payload);
    ui_table_fill(a);
    /* the default size, in 96-DPI pixels scaled to this monitor, within its work area */
    SystemParametersInfoW(SPI_GETWORKAREA, 0, &work, 0);
    w = MulDiv(1240, (int)a->theme.dpi, 96);
    h = MulDiv(940, (int)a->theme.dpi, 96);
    if (w > work.right - work.left)
        w = work.right - work.left;
    if (h > work.bottom - work.top)
        h = work.bottom - work.top;
    SetWindowPos(hwnd, NULL, work.left + 10 > 0 ? work.left : 0, work.top, w, h, SWP_NOZORDER | SWP_NOACTIVATE);
    /* laid out before it is shown: under Wine each child moved in a visible window costs
     * its repaint (the launch took 2.7 times an empty window's, 2.1 laid out here); the
     * SetWindowPos above has done it when it changed the size (its WM_SIZE) */
    {
        RECT rc;
        GetClientRect(hwnd, &rc);
        if (rc.right != a->laid_cx || rc.bottom != a->laid_cy)
            ui_layout(a);
    }
    SetFocus(a->table.hwnd);
    return TRUE;
}

/* ShowWindow's WM_SIZE comes with the size OnCreate laid out: nothing to do again. */
static void OnSize(HWND hwnd, UINT state, int cx, int cy)
{
    App *a = app_of(hwnd);
    if (state == SIZE_MINIMIZED || (cx == a->laid_cx && cy == a->laid_cy))
        return;
    ui_layout(a);
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
    if (a->run.role == role && (a->run.session || a->run.replay || a->run.start_pending))
        return;
    if (ui_replay_close(a)) /* a recording is of one role: the other is a live run */
        ui_fill_scenarios(a);
    a->run.role = role;
    SendMessageW(a->ctl.role_combo, CB_SETCURSEL, role, 0);
    ui_park_run(a);
    ui_new_run_soon(a);
    paint_now(a);
}

/* Run > Peer... (Ctrl+L): the embedded peer, or another program to listen for or connect
 * to. A new choice restarts the run in that mode, as a new role does. */
static void choose_peer(App *a)
{
    UiPeer p = a->run.peer;
    const UiPeer *was = &a->run.peer;
    if (!ui_peer_dialog(a, &p))
        return;
    if (p.mode == was->mode && p.as_peer == was->as_peer && !memcmp(&p.addr, &was->addr, sizeof p.addr) &&
        (a->run.session || a->run.replay))
        return;
    if (ui_replay_close(a)) /* a peer is chosen for a live run */
        ui_fill_scenarios(a);
    a->run.peer = p;
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
        a->pred.on = !a->pred.on;
        ui_toolbar_update(a);
        ui_update_status(a);
        break;
    case IDC_ROLE_CLIENT: set_role(a, SIDE_CLIENT); break;
    case IDC_ROLE_SERVER: set_role(a, SIDE_SERVER); break;
    case IDC_RUN_PEER: choose_peer(a); break;
    case IDC_VIEW_ZOOM_IN: ui_set_zoom(a, a->theme.zoom * 1.25); break;
    case IDC_VIEW_ZOOM_OUT: ui_set_zoom(a, a->theme.zoom / 1.25); break;
    case IDC_VIEW_ZOOM_RESET: ui_set_zoom(a, 1.0); break;
    case IDC_VIEW_PURE_ACKS: /* a captured run's pure ACKs on the ladder, or not */
        ladder_set_pure_acks(&a->ladder.model, !a->ladder.model.pure_acks);
        ui_toolbar_update(a);
        InvalidateRect(a->ladder.hwnd, NULL, FALSE);
        break;
    case IDC_FILE_OPEN: ui_open_file(a); break;
    case IDC_FILE_OPEN_RECORDING: ui_open_recording(a); break;
    case IDC_FILE_EXPORT_TEXT: ui_export_text(a); break;
    case IDC_FILE_EXPORT_PNG: ui_export_diagram(a); break;
    case IDC_EDIT_COPY: ui_copy_transcript(a); break;
    case IDC_FILE_EXIT: DestroyWindow(hwnd); break;
    case IDC_HELP_ABOUT: ui_about(a); break;
    case IDC_HELP_SCENARIO:
    case IDC_VIEW_SCENARIO: ui_scenario_details(a); break;
    case IDC_SCENARIO:
        if (code == CBN_SELCHANGE) {
            LRESULT i = SendMessageW(a->ctl.scenario_combo, CB_GETCURSEL, 0, 0);
            ui_freeze(a); /* the new table, ladder and log appear in one paint */
            if (i >= 0 && (size_t)i < scenario_builtin_count() &&
                (a->run.sc_is_file || a->run.replay || strcmp(scenario_builtin_name((size_t)i), a->run.sc->name)))
                ui_select_scenario(a, scenario_builtin_name((size_t)i));
            else if ((size_t)i == scenario_builtin_count() && a->run.file_text && (!a->run.sc_is_file || a->run.replay))
                ui_select_file_scenario(a);
            ui_layout(a);
            ui_thaw(a);
            paint_now(a);
        }
        break;
    case IDC_ROLE:
        if (code == CBN_SELCHANGE)
            set_role(a, SendMessageW(a->ctl.role_combo, CB_GETCURSEL, 0, 0) == 1 ? SIDE_SERVER : SIDE_CLIENT);
        break;
    }
}

static void OnHScroll(HWND hwnd, HWND ctl, UINT code, int pos)
{
    App *a = app_of(hwnd);
    (void)code;
    (void)pos;
    if (ctl == a->ctl.speed) {
        ui_toolbar_update(a);
        ui_apply_speed(a);
    }
}

static void OnTimer(HWND hwnd, UINT id)
{
    App *a = app_of(hwnd);
    if (id == SL_TIMER_UI_SPEED) {
        ui_on_speed_timer(a);
    } else if (id == SL_TIMER_UI_DRAIN) {
        ui_drain(a);
        ui_ff_continue(a);
        ui_update_status(a); /* a release taken by an end changes what is held */
    } else if (id == SL_TIMER_UI_START) {
        ui_on_start_timer(a);
    } else if (id == SL_TIMER_UI_BLOCKING) {
        ui_update_status(a);
        InvalidateRect(a->ladder.hwnd, NULL, FALSE);
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
        ui_theme_refresh(&a->theme);
        ui_set_zoom(a, a->theme.zoom);
    }
}

static void OnDestroy(HWND hwnd)
{
    App *a = app_of(hwnd);
    KillTimer(hwnd, SL_TIMER_UI_BLOCKING);
    ui_end_run(a);
    ui_fonts_free(&a->theme);
    a->hwnd = NULL;
    PostQuitMessage(a->run.exit_code);
}

/* WM_DPICHANGED: the window moved to a monitor of another DPI; take its suggested rect. */
static void on_dpi_changed(App *a, UINT dpi, const RECT *suggested)
{
    a->theme.dpi = dpi;
    SetWindowPos(a->hwnd, NULL, suggested->left, suggested->top, suggested->right - suggested->left,
                 suggested->bottom - suggested->top, SWP_NOZORDER | SWP_NOACTIVATE);
    ui_set_zoom(a, a->theme.zoom);
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
    if (a && ui_route(a, hwnd, msg, wParam, lParam))
        return 0;
    switch (msg) {
        HANDLE_MSG(hwnd, WM_CREATE, OnCreate);
        HANDLE_MSG(hwnd, WM_SIZE, OnSize);
        HANDLE_MSG(hwnd, WM_NOTIFY, OnNotify);
        HANDLE_MSG(hwnd, WM_COMMAND, OnCommand);
        HANDLE_MSG(hwnd, WM_HSCROLL, OnHScroll);
        HANDLE_MSG(hwnd, WM_TIMER, OnTimer);
        HANDLE_MSG(hwnd, WM_GETMINMAXINFO, OnGetMinMaxInfo);
        HANDLE_MSG(hwnd, WM_DESTROY, OnDestroy);
    case WM_UI_EVENTS:
        if (a)
            ui_drain(a);
        return 0;
    case WM_UI_REPLAY_END:
        if (a)
            ui_replay_end(a);
        return 0;
    case WM_SL_HELD: /* this run's: ui_route dropped an earlier one */
        if (a && a->run.session && ui_run_live(a))
            ui_on_held(a, (Side)wParam);
        return 0;
    case WM_SL_COMPLETE:
        if (a && a->run.session && ui_run_live(a))
            ui_on_complete(a);
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
        if (a) { /* common controls learn it only from their parent (WM_SYSCOLORCHANGE's page) */
            HWND ctls[] = {a->table.hwnd, a->log.hwnd, a->status.hwnd};
            for (size_t i = 0; i < sizeof ctls / sizeof ctls[0]; i++)
                if (ctls[i])
                    SendMessageW(ctls[i], WM_SYSCOLORCHANGE, wParam, lParam);
            ui_theme_refresh(&a->theme);
            RedrawWindow(hwnd, NULL, NULL, RDW_ERASE | RDW_FRAME | RDW_INVALIDATE | RDW_ALLCHILDREN);
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
