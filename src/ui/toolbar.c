/* toolbar.c: the controls above the views: a comctl32 toolbar of text buttons (Step, Run,
 * Pause, Reset, Back, Predict, zoom) and a row of labelled controls (scenario, role,
 * speed) that Tab and the labels' mnemonics reach, each with a tooltip. */
#include "ui.h"

#include <stdio.h>
#include <string.h>

#include "../../res/resource.h"

static const struct {
    int cmd;
    UINT text, tip;
    BYTE style;
} buttons[] = {
    {IDC_RUN_STEP, IDS_TB_STEP, IDS_TIP_STEP, BTNS_BUTTON},
    {IDC_RUN_RUN, IDS_TB_RUN, IDS_TIP_RUN, BTNS_BUTTON},
    {IDC_RUN_PAUSE, IDS_TB_PAUSE, IDS_TIP_PAUSE, BTNS_BUTTON},
    {IDC_RUN_RESET, IDS_TB_RESET, IDS_TIP_RESET, BTNS_BUTTON},
    {IDC_RUN_BACK, IDS_TB_BACK, IDS_TIP_BACK, BTNS_BUTTON},
    {0, 0, 0, BTNS_SEP},
    {IDC_RUN_PREDICT, IDS_TB_PREDICT, IDS_TIP_PREDICT, BTNS_CHECK},
    {0, 0, 0, BTNS_SEP},
    {IDC_VIEW_ZOOM_OUT, IDS_TB_ZOOM_OUT, IDS_TIP_ZOOM_OUT, BTNS_BUTTON},
    {IDC_VIEW_ZOOM_IN, IDS_TB_ZOOM_IN, IDS_TIP_ZOOM_IN, BTNS_BUTTON},
};
#define NBUTTONS (sizeof buttons / sizeof buttons[0])

static void add_buttons(App *a)
{
    TBBUTTON tb[NBUTTONS];
    static wchar_t text[NBUTTONS][32];
    memset(tb, 0, sizeof tb);
    for (size_t i = 0; i < NBUTTONS; i++) {
        tb[i].idCommand = buttons[i].cmd;
        tb[i].fsStyle = buttons[i].style | (buttons[i].cmd ? BTNS_AUTOSIZE | BTNS_SHOWTEXT : 0);
        tb[i].fsState = buttons[i].cmd ? TBSTATE_ENABLED : 0;
        tb[i].iBitmap = buttons[i].cmd ? I_IMAGENONE : 8;
        if (buttons[i].text) {
            ui_load(buttons[i].text, text[i], 32);
            tb[i].iString = (INT_PTR)text[i];
        }
    }
    SendMessageW(a->ctl.toolbar, TB_ADDBUTTONSW, NBUTTONS, (LPARAM)tb);
}

static HWND label(App *a, UINT text, int id)
{
    wchar_t buf[64];
    ui_load(text, buf, 64);
    return CreateWindowExW(0, L"STATIC", buf, WS_CHILD | WS_VISIBLE | SS_RIGHT | SS_CENTERIMAGE, 0, 0, 0, 0, a->hwnd,
                           (HMENU)(INT_PTR)id, a->inst, NULL);
}

static void tip(App *a, HWND ctl, UINT text)
{
    TOOLINFOW ti;
    wchar_t buf[200];
    ui_load(text, buf, 200);
    memset(&ti, 0, sizeof ti);
    ti.cbSize = sizeof ti;
    ti.uFlags = TTF_IDISHWND | TTF_SUBCLASS;
    ti.hwnd = a->hwnd;
    ti.uId = (UINT_PTR)ctl;
    ti.lpszText = buf;
    SendMessageW(a->ctl.tips, TTM_ADDTOOLW, 0, (LPARAM)&ti);
}

void ui_fill_scenarios(App *a)
{
    SendMessageW(a->ctl.scenario_combo, CB_RESETCONTENT, 0, 0);
    for (size_t i = 0; i < scenario_builtin_count(); i++) {
        wchar_t name[SCENARIO_NAME_MAX];
        MultiByteToWideChar(CP_UTF8, 0, scenario_builtin_name(i), -1, name, SCENARIO_NAME_MAX);
        SendMessageW(a->ctl.scenario_combo, CB_ADDSTRING, 0, (LPARAM)name);
        if (!a->run.sc_is_file && !a->run.replay && !strcmp(scenario_builtin_name(i), a->run.sc->name))
            SendMessageW(a->ctl.scenario_combo, CB_SETCURSEL, i, 0);
    }
    if (a->run.file_text) { /* the opened file's scenario, last: "NAME (file)" */
        ScenarioError err;
        Scenario *sc = a->run.sc_is_file && !a->run.replay ? NULL : scenario_parse(a->run.file_text, a->run.file_len, &err);
        wchar_t item[SCENARIO_NAME_MAX + 40];
        ui_format(item, SCENARIO_NAME_MAX + 40, IDS_OPEN_ITEM, sc ? sc->name : a->run.sc->name);
        SendMessageW(a->ctl.scenario_combo, CB_ADDSTRING, 0, (LPARAM)item);
        if (a->run.sc_is_file && !a->run.replay)
            SendMessageW(a->ctl.scenario_combo, CB_SETCURSEL, scenario_builtin_count(), 0);
        scenario_free(sc);
    }
    if (a->run.replay) { /* the recording's scenario, last: "NAME (recording)" */
        wchar_t item[SCENARIO_NAME_MAX + 40];
        LRESULT at;
        ui_format(item, SCENARIO_NAME_MAX + 40, IDS_REPLAY_ITEM, a->run.sc->name);
        at = SendMessageW(a->ctl.scenario_combo, CB_ADDSTRING, 0, (LPARAM)item);
        SendMessageW(a->ctl.scenario_combo, CB_SETCURSEL, (WPARAM)at, 0);
    }
}

int ui_toolbar_create(App *a)
{
    wchar_t buf[64];
    a->ctl.toolbar = CreateWindowExW(0, TOOLBARCLASSNAMEW, L"",
                                 WS_CHILD | WS_VISIBLE | TBSTYLE_FLAT | TBSTYLE_LIST | TBSTYLE_TOOLTIPS | TBSTYLE_WRAPABLE | CCS_NODIVIDER |
                                     CCS_NORESIZE | CCS_NOPARENTALIGN,
                                 0, 0, 0, 0, a->hwnd, (HMENU)(INT_PTR)IDC_TOOLBAR, a->inst, NULL);
    if (!a->ctl.toolbar)
        return -1;
    SendMessageW(a->ctl.toolbar, TB_BUTTONSTRUCTSIZE, sizeof(TBBUTTON), 0);
    SendMessageW(a->ctl.toolbar, TB_SETEXTENDEDSTYLE, 0, TBSTYLE_EX_MIXEDBUTTONS);
    SendMessageW(a->ctl.toolbar, TB_SETBITMAPSIZE, 0, MAKELPARAM(0, 0));
    add_buttons(a);
    /* tab order = creation order: scenario, role, speed, then the views */
    a->ctl.lbl_scenario = label(a, IDS_LBL_SCENARIO, IDC_LBL_SCENARIO);
    a->ctl.scenario_combo = CreateWindowExW(0, WC_COMBOBOXW, L"", WS_CHILD | WS_VISIBLE | WS_TABSTOP | WS_VSCROLL | CBS_DROPDOWNLIST,
                                        0, 0, 0, 0, a->hwnd, (HMENU)(INT_PTR)IDC_SCENARIO, a->inst, NULL);
    a->ctl.lbl_role = label(a, IDS_LBL_ROLE, IDC_LBL_ROLE);
    a->ctl.role_combo = CreateWindowExW(0, WC_COMBOBOXW, L"", WS_CHILD | WS_VISIBLE | WS_TABSTOP | CBS_DROPDOWNLIST, 0, 0, 0,
                                    0, a->hwnd, (HMENU)(INT_PTR)IDC_ROLE, a->inst, NULL);
    a->ctl.lbl_speed = label(a, IDS_LBL_SPEED, IDC_LBL_SPEED);
    a->ctl.speed = CreateWindowExW(0, TRACKBAR_CLASSW, L"", WS_CHILD | WS_VISIBLE | WS_TABSTOP | TBS_AUTOTICKS | TBS_HORZ, 0,
                               0, 0, 0, a->hwnd, (HMENU)(INT_PTR)IDC_SPEED, a->inst, NULL);
    a->ctl.speed_value = CreateWindowExW(0, L"STATIC", L"", WS_CHILD | WS_VISIBLE | SS_LEFT | SS_CENTERIMAGE, 0, 0, 0, 0,
                                     a->hwnd, (HMENU)(INT_PTR)IDC_SPEED_VALUE, a->inst, NULL);
    if (!a->ctl.scenario_combo || !a->ctl.role_combo || !a->ctl.speed)
        return -1;
    ui_fill_scenarios(a);
    ui_load(IDS_ROLE_CLIENT, buf, 64);
    SendMessageW(a->ctl.role_combo, CB_ADDSTRING, 0, (LPARAM)buf);
    ui_load(IDS_ROLE_SERVER, buf, 64);
    SendMessageW(a->ctl.role_combo, CB_ADDSTRING, 0, (LPARAM)buf);
    SendMessageW(a->ctl.role_combo, CB_SETCURSEL, a->run.role, 0);
    SendMessageW(a->ctl.speed, TBM_SETRANGE, FALSE, MAKELPARAM(0, 5));
    SendMessageW(a->ctl.speed, TBM_SETPOS, TRUE, 0);
    a->ctl.tips = CreateWindowExW(WS_EX_TOPMOST, TOOLTIPS_CLASSW, NULL, WS_POPUP | TTS_ALWAYSTIP | TTS_NOPREFIX, 0, 0, 0, 0,
                              a->hwnd, NULL, a->inst, NULL);
    if (a->ctl.tips) {
        tip(a, a->ctl.scenario_combo, IDS_TIP_SCENARIO);
        tip(a, a->ctl.role_combo, IDS_TIP_ROLE);
        tip(a, a->ctl.speed, IDS_TIP_SPEED);
        SendMessageW(a->ctl.tips, TTM_SETMAXTIPWIDTH, 0, 500);
    }
    ui_toolbar_update(a);
    return 0;
}

/* Buttons follow the run: what can be done now is enabled. */
void ui_toolbar_update(App *a)
{
    wchar_t buf[64];
    int ms = ui_speed_ms(a);
    int live = ui_run_live(a) || a->run.start_pending, embedded = a->run.peer.mode == UI_PEER_EMBEDDED;
    SendMessageW(a->ctl.toolbar, TB_ENABLEBUTTON, IDC_RUN_STEP, MAKELONG(live || a->run.run_done, 0));
    SendMessageW(a->ctl.toolbar, TB_ENABLEBUTTON, IDC_RUN_RUN, MAKELONG(live || a->run.run_done, 0));
    SendMessageW(a->ctl.toolbar, TB_ENABLEBUTTON, IDC_RUN_PAUSE, MAKELONG(live && (a->run.running || !a->run.manual), 0));
    /* against another program the role is the peer mode's (listen: server), and Back, which
     * plays the run again from its start, would need the program to connect again */
    SendMessageW(a->ctl.toolbar, TB_ENABLEBUTTON, IDC_RUN_BACK,
                 MAKELONG(table_rows_done(&a->model.table) > 0 && (embedded || a->run.replay), 0));
    EnableWindow(a->ctl.role_combo, embedded);
    EnableMenuItem(GetMenu(a->hwnd), IDC_ROLE_CLIENT, embedded ? MF_ENABLED : MF_GRAYED);
    EnableMenuItem(GetMenu(a->hwnd), IDC_ROLE_SERVER, embedded ? MF_ENABLED : MF_GRAYED);
    SendMessageW(a->ctl.toolbar, TB_CHECKBUTTON, IDC_RUN_PREDICT, MAKELONG(a->pred.on, 0));
    CheckMenuItem(GetMenu(a->hwnd), IDC_RUN_PREDICT, a->pred.on ? MF_CHECKED : MF_UNCHECKED);
    CheckMenuItem(GetMenu(a->hwnd), IDC_VIEW_PURE_ACKS, a->ladder.model.pure_acks ? MF_CHECKED : MF_UNCHECKED);
    CheckMenuRadioItem(GetMenu(a->hwnd), IDC_ROLE_CLIENT, IDC_ROLE_SERVER,
                       a->run.role == SIDE_CLIENT ? IDC_ROLE_CLIENT : IDC_ROLE_SERVER, MF_BYCOMMAND);
    if (ms)
        ui_format(buf, 64, IDS_SPEED_SECS, ms / 1000.0);
    else
        ui_load(IDS_SPEED_INSTANT, buf, 64);
    SetWindowTextW(a->ctl.speed_value, buf);
}

void ui_toolbar_fonts(App *a)
{
    memset(a->ctl.placed, 0, sizeof a->ctl.placed); /* a new font resizes them: place all again */
    SendMessageW(a->ctl.toolbar, WM_SETFONT, (WPARAM)a->theme.font_ui, TRUE);
    SendMessageW(a->ctl.toolbar, TB_SETPADDING, 0, MAKELPARAM(ui_px_ui(&a->theme, 14), ui_px_ui(&a->theme, 8)));
    SendMessageW(a->ctl.toolbar, TB_AUTOSIZE, 0, 0);
}

/* Puts a control where the layout wants it, unless it is there already: under Wine a
 * combo box moved moves its drop-down list, a window of its own, each time. */
static void place(App *a, int slot, HWND h, int x, int y, int w, int hgt)
{
    RECT r = {x, y, x + w, y + hgt};
    if (EqualRect(&r, &a->ctl.placed[slot]))
        return;
    a->ctl.placed[slot] = r;
    SetWindowPos(h, NULL, x, y, w, hgt, SWP_NOZORDER | SWP_NOACTIVATE);
}

/* The width of a control's own words (or of extra), measured on dc in the row's font. */
static int win_text_w(HDC dc, HWND h, const wchar_t *extra)
{
    wchar_t buf[128];
    if (extra)
        wcsncpy(buf, extra, 127);
    else
        GetWindowTextW(h, buf, 128);
    buf[127] = L'\0';
    return ui_text_w(dc, NULL, buf);
}

/* The widest string of a combo box, measured on dc in the row's font. */
static int combo_w(App *a, HDC dc, HWND combo)
{
    int n = (int)SendMessageW(combo, CB_GETCOUNT, 0, 0), w = 0;
    for (int i = 0; i < n; i++) {
        wchar_t buf[128];
        if (SendMessageW(combo, CB_GETLBTEXTLEN, (WPARAM)i, 0) < 128) {
            int tw;
            SendMessageW(combo, CB_GETLBTEXT, (WPARAM)i, (LPARAM)buf);
            if ((tw = win_text_w(dc, combo, buf)) > w)
                w = tw;
        }
    }
    return w + GetSystemMetrics(SM_CXVSCROLL) + ui_px_ui(&a->theme, 16);
}

/* The toolbar, then the labelled controls in a row sized from their text; a group that
 * does not fit on the row (a high DPI on a narrow window) goes on the next one. Returns the
 * bottom. The row keeps the DPI's size at any zoom: the zoom is the views'. */
int ui_toolbar_layout(App *a, int y, int width)
{
    DWORD bs = (DWORD)SendMessageW(a->ctl.toolbar, TB_GETBUTTONSIZE, 0, 0);
    int tb_h = HIWORD(bs) + ui_px_ui(&a->theme, 4), fh = a->theme.font_ui_h, row_h, x0 = ui_px_ui(&a->theme, 6), x = x0, gap = ui_px_ui(&a->theme, 8);
    RECT cr, tr;
    struct {
        HWND label, ctl, extra;
        int lw, cw, ew, h;
    } g[3];
    HDC dc;
    HGDIOBJ old;
    SendMessageW(a->ctl.toolbar, TB_AUTOSIZE, 0, 0);
    /* a toolbar wider than the window wraps its buttons (TBSTYLE_WRAPABLE) */
    place(a, 0, a->ctl.toolbar, 0, y, width, tb_h);
    if (SendMessageW(a->ctl.toolbar, TB_GETITEMRECT, SendMessageW(a->ctl.toolbar, TB_BUTTONCOUNT, 0, 0) - 1, (LPARAM)&tr) &&
        tr.bottom + ui_px_ui(&a->theme, 4) > tb_h) {
        tb_h = tr.bottom + ui_px_ui(&a->theme, 4);
        place(a, 0, a->ctl.toolbar, 0, y, width, tb_h);
    }
    y += tb_h;
    /* a combo box keeps the height its font gives it: placed taller, it sizes itself back
     * and moves its drop-down list a second time (under Wine, 3-4 ms each at launch). With
     * Common Controls 6 the list's height comes from CB_SETMINVISIBLE (30 items by
     * default: every scenario shows), not from the height the combo box is given */
    GetWindowRect(a->ctl.scenario_combo, &cr);
    row_h = cr.bottom - cr.top;
    if (row_h < fh + 8)
        row_h = fh + 8;
    y += ui_px_ui(&a->theme, 2);
    g[0].label = a->ctl.lbl_scenario, g[0].ctl = a->ctl.scenario_combo, g[0].extra = NULL;
    g[1].label = a->ctl.lbl_role, g[1].ctl = a->ctl.role_combo, g[1].extra = NULL;
    g[2].label = a->ctl.lbl_speed, g[2].ctl = a->ctl.speed, g[2].extra = a->ctl.speed_value;
    g[0].h = g[1].h = cr.bottom - cr.top, g[2].h = row_h;
    /* one DC for every word measured here (each GetDC is a round trip to Wine's server) */
    dc = GetDC(a->hwnd);
    old = SelectObject(dc, a->theme.font_ui);
    g[0].cw = combo_w(a, dc, a->ctl.scenario_combo);
    g[1].cw = combo_w(a, dc, a->ctl.role_combo);
    g[2].cw = ui_px_ui(&a->theme, 160);
    for (int i = 0; i < 3; i++) {
        g[i].lw = win_text_w(dc, g[i].label, NULL) + ui_px_ui(&a->theme, 4);
        g[i].ew = g[i].extra ? win_text_w(dc, g[i].extra, L"0.25 s / step") + ui_px_ui(&a->theme, 8) : 0;
    }
    SelectObject(dc, old);
    ReleaseDC(a->hwnd, dc);
    for (int i = 0; i < 3; i++) {
        int need = g[i].lw + gap / 2 + g[i].cw + (g[i].extra ? gap / 2 + g[i].ew : 0);
        if (x > x0 && x + need > width - x0) { /* next row */
            x = x0;
            y += row_h + ui_px_ui(&a->theme, 4);
        }
        if (need > width - 2 * x0 && g[i].cw > ui_px_ui(&a->theme, 80)) /* alone and still too wide: the control gives */
            g[i].cw -= need - (width - 2 * x0) < g[i].cw - ui_px_ui(&a->theme, 80) ? need - (width - 2 * x0) : g[i].cw - ui_px_ui(&a->theme, 80);
        place(a, 1 + i * 3, g[i].label, x, y, g[i].lw, row_h);
        x += g[i].lw + gap / 2;
        place(a, 2 + i * 3, g[i].ctl, x, y, g[i].cw, g[i].h);
        x += g[i].cw;
        if (g[i].extra) {
            x += gap / 2;
            place(a, 3 + i * 3, g[i].extra, x, y, g[i].ew, row_h);
            x += g[i].ew;
        }
        x += gap * 2;
    }
    return y + row_h + ui_px_ui(&a->theme, 4);
}

LRESULT ui_toolbar_notify(App *a, NMHDR *nm)
{
    if (nm->code == TTN_GETDISPINFOW) {
        NMTTDISPINFOW *di = (NMTTDISPINFOW *)nm;
        static wchar_t text[200];
        for (size_t i = 0; i < NBUTTONS; i++)
            if (buttons[i].cmd && (UINT_PTR)buttons[i].cmd == nm->idFrom) {
                ui_load(buttons[i].tip, text, 200);
                di->lpszText = text;
                di->hinst = NULL;
            }
    }
    (void)a;
    return 0;
}
