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
    SendMessageW(a->toolbar, TB_ADDBUTTONSW, NBUTTONS, (LPARAM)tb);
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
    SendMessageW(a->tips, TTM_ADDTOOLW, 0, (LPARAM)&ti);
}

void ui_fill_scenarios(App *a)
{
    SendMessageW(a->scenario_combo, CB_RESETCONTENT, 0, 0);
    for (size_t i = 0; i < scenario_builtin_count(); i++) {
        wchar_t name[SCENARIO_NAME_MAX];
        MultiByteToWideChar(CP_UTF8, 0, scenario_builtin_name(i), -1, name, SCENARIO_NAME_MAX);
        SendMessageW(a->scenario_combo, CB_ADDSTRING, 0, (LPARAM)name);
        if (!strcmp(scenario_builtin_name(i), a->sc->name))
            SendMessageW(a->scenario_combo, CB_SETCURSEL, i, 0);
    }
}

int ui_toolbar_create(App *a)
{
    wchar_t buf[64];
    a->toolbar = CreateWindowExW(0, TOOLBARCLASSNAMEW, L"",
                                 WS_CHILD | WS_VISIBLE | TBSTYLE_FLAT | TBSTYLE_LIST | TBSTYLE_TOOLTIPS | CCS_NODIVIDER |
                                     CCS_NORESIZE | CCS_NOPARENTALIGN,
                                 0, 0, 0, 0, a->hwnd, (HMENU)(INT_PTR)IDC_TOOLBAR, a->inst, NULL);
    if (!a->toolbar)
        return -1;
    SendMessageW(a->toolbar, TB_BUTTONSTRUCTSIZE, sizeof(TBBUTTON), 0);
    SendMessageW(a->toolbar, TB_SETEXTENDEDSTYLE, 0, TBSTYLE_EX_MIXEDBUTTONS);
    SendMessageW(a->toolbar, TB_SETBITMAPSIZE, 0, MAKELPARAM(0, 0));
    add_buttons(a);
    /* tab order = creation order: scenario, role, speed, then the views */
    a->lbl_scenario = label(a, IDS_LBL_SCENARIO, IDC_LBL_SCENARIO);
    a->scenario_combo = CreateWindowExW(0, WC_COMBOBOXW, L"", WS_CHILD | WS_VISIBLE | WS_TABSTOP | WS_VSCROLL | CBS_DROPDOWNLIST,
                                        0, 0, 0, 0, a->hwnd, (HMENU)(INT_PTR)IDC_SCENARIO, a->inst, NULL);
    a->lbl_role = label(a, IDS_LBL_ROLE, IDC_LBL_ROLE);
    a->role_combo = CreateWindowExW(0, WC_COMBOBOXW, L"", WS_CHILD | WS_VISIBLE | WS_TABSTOP | CBS_DROPDOWNLIST, 0, 0, 0,
                                    0, a->hwnd, (HMENU)(INT_PTR)IDC_ROLE, a->inst, NULL);
    a->lbl_speed = label(a, IDS_LBL_SPEED, IDC_LBL_SPEED);
    a->speed = CreateWindowExW(0, TRACKBAR_CLASSW, L"", WS_CHILD | WS_VISIBLE | WS_TABSTOP | TBS_AUTOTICKS | TBS_HORZ, 0,
                               0, 0, 0, a->hwnd, (HMENU)(INT_PTR)IDC_SPEED, a->inst, NULL);
    a->speed_value = CreateWindowExW(0, L"STATIC", L"", WS_CHILD | WS_VISIBLE | SS_LEFT | SS_CENTERIMAGE, 0, 0, 0, 0,
                                     a->hwnd, (HMENU)(INT_PTR)IDC_SPEED_VALUE, a->inst, NULL);
    if (!a->scenario_combo || !a->role_combo || !a->speed)
        return -1;
    ui_fill_scenarios(a);
    ui_load(IDS_ROLE_CLIENT, buf, 64);
    SendMessageW(a->role_combo, CB_ADDSTRING, 0, (LPARAM)buf);
    ui_load(IDS_ROLE_SERVER, buf, 64);
    SendMessageW(a->role_combo, CB_ADDSTRING, 0, (LPARAM)buf);
    SendMessageW(a->role_combo, CB_SETCURSEL, a->role, 0);
    SendMessageW(a->speed, TBM_SETRANGE, FALSE, MAKELPARAM(0, 5));
    SendMessageW(a->speed, TBM_SETPOS, TRUE, 0);
    a->tips = CreateWindowExW(WS_EX_TOPMOST, TOOLTIPS_CLASSW, NULL, WS_POPUP | TTS_ALWAYSTIP | TTS_NOPREFIX, 0, 0, 0, 0,
                              a->hwnd, NULL, a->inst, NULL);
    if (a->tips) {
        tip(a, a->scenario_combo, IDS_TIP_SCENARIO);
        tip(a, a->role_combo, IDS_TIP_ROLE);
        tip(a, a->speed, IDS_TIP_SPEED);
        SendMessageW(a->tips, TTM_SETMAXTIPWIDTH, 0, 500);
    }
    ui_toolbar_update(a);
    return 0;
}

/* Buttons follow the run: what can be done now is enabled. */
void ui_toolbar_update(App *a)
{
    wchar_t buf[64];
    int ms = ui_speed_ms(a);
    int live = a->session && !a->run_done;
    SendMessageW(a->toolbar, TB_ENABLEBUTTON, IDC_RUN_STEP, MAKELONG(live || a->run_done, 0));
    SendMessageW(a->toolbar, TB_ENABLEBUTTON, IDC_RUN_RUN, MAKELONG(live || a->run_done, 0));
    SendMessageW(a->toolbar, TB_ENABLEBUTTON, IDC_RUN_PAUSE, MAKELONG(live && (a->running || !a->manual), 0));
    SendMessageW(a->toolbar, TB_ENABLEBUTTON, IDC_RUN_BACK, MAKELONG(ui_rows_done(a) > 0, 0));
    SendMessageW(a->toolbar, TB_CHECKBUTTON, IDC_RUN_PREDICT, MAKELONG(a->predict, 0));
    CheckMenuItem(GetMenu(a->hwnd), IDC_RUN_PREDICT, a->predict ? MF_CHECKED : MF_UNCHECKED);
    CheckMenuRadioItem(GetMenu(a->hwnd), IDC_ROLE_CLIENT, IDC_ROLE_SERVER,
                       a->role == SIDE_CLIENT ? IDC_ROLE_CLIENT : IDC_ROLE_SERVER, MF_BYCOMMAND);
    if (ms)
        ui_format(buf, 64, IDS_SPEED_SECS, ms / 1000.0);
    else
        ui_load(IDS_SPEED_INSTANT, buf, 64);
    SetWindowTextW(a->speed_value, buf);
}

void ui_toolbar_fonts(App *a)
{
    SendMessageW(a->toolbar, WM_SETFONT, (WPARAM)a->font, TRUE);
    SendMessageW(a->toolbar, TB_SETPADDING, 0, MAKELPARAM(ui_px(a, 14), ui_px(a, 8)));
    SendMessageW(a->toolbar, TB_AUTOSIZE, 0, 0);
}

static void place(HWND h, int x, int y, int w, int hgt)
{
    SetWindowPos(h, NULL, x, y, w, hgt, SWP_NOZORDER | SWP_NOACTIVATE);
}

int ui_toolbar_layout(App *a, int y, int width)
{
    DWORD bs = (DWORD)SendMessageW(a->toolbar, TB_GETBUTTONSIZE, 0, 0);
    int tb_h = HIWORD(bs) + ui_px(a, 4), fh = a->font_h, row_h, x = ui_px(a, 6), gap = ui_px(a, 8);
    RECT cr;
    place(a->toolbar, 0, y, width, tb_h);
    y += tb_h;
    GetWindowRect(a->scenario_combo, &cr);
    row_h = cr.bottom - cr.top;
    if (row_h < fh + 8)
        row_h = fh + 8;
    y += ui_px(a, 2);
    place(a->lbl_scenario, x, y, ui_px(a, 90), row_h);
    x += ui_px(a, 90) + gap / 2;
    place(a->scenario_combo, x, y, ui_px(a, 260), row_h * 10);
    x += ui_px(a, 260) + gap * 2;
    place(a->lbl_role, x, y, ui_px(a, 60), row_h);
    x += ui_px(a, 60) + gap / 2;
    place(a->role_combo, x, y, ui_px(a, 220), row_h * 4);
    x += ui_px(a, 220) + gap * 2;
    place(a->lbl_speed, x, y, ui_px(a, 70), row_h);
    x += ui_px(a, 70) + gap / 2;
    place(a->speed, x, y, ui_px(a, 160), row_h);
    x += ui_px(a, 160) + gap / 2;
    place(a->speed_value, x, y, ui_px(a, 140), row_h);
    return y + row_h + ui_px(a, 4);
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
