/* dialogs.c: the About box and the scenario details (title, what it shows, its source
 * and every step with its sentence), each a DIALOGEX from the resources plus a dialog
 * procedure and a small function that shows it. */
#include "ui.h"

#include <stdlib.h>
#include <string.h>

#include "../../res/resource.h"

static INT_PTR CALLBACK text_proc(HWND dlg, UINT msg, WPARAM wParam, LPARAM lParam)
{
    switch (msg) {
    case WM_INITDIALOG: {
        const wchar_t *text = (const wchar_t *)lParam;
        SetDlgItemTextW(dlg, GetDlgItem(dlg, IDC_ABOUT_TEXT) ? IDC_ABOUT_TEXT : IDC_SC_TEXT, text);
        SetFocus(GetDlgItem(dlg, IDOK));
        return FALSE;
    }
    case WM_COMMAND:
        if (LOWORD(wParam) == IDOK || LOWORD(wParam) == IDCANCEL) {
            EndDialog(dlg, 0);
            return TRUE;
        }
        break;
    }
    return FALSE;
}

void ui_about(App *a)
{
    wchar_t text[800];
    ui_format(text, 800, IDS_ABOUT_TEXT, SL_VERSION);
    DialogBoxParamW(a->inst, MAKEINTRESOURCEW(IDD_ABOUT), a->hwnd, text_proc, (LPARAM)text);
}

void ui_scenario_details(App *a)
{
    size_t cap = 16384;
    wchar_t *steps = calloc(cap, sizeof *steps), *text = calloc(cap + 2048, sizeof *text);
    size_t n = 0;
    if (!steps || !text) {
        free(steps);
        free(text);
        return;
    }
    for (int i = 0; i < a->model.table.n && n + 600 < cap; i++) {
        const TableRow *r = &a->model.table.row[i];
        int w = _snwprintf(steps + n, cap - n, L"(%hs) %hs: %hs\r\n    %hs\r\n", r->step, side_name(r->side), r->what,
                           r->explain ? r->explain : "");
        if (w > 0)
            n += (size_t)w;
    }
    ui_format(text, cap + 2048, IDS_SC_FORMAT, a->run.sc->title ? a->run.sc->title : a->run.sc->name,
              a->run.sc->about ? a->run.sc->about : "", a->run.sc->source ? a->run.sc->source : "", steps);
    DialogBoxParamW(a->inst, MAKEINTRESOURCEW(IDD_SCENARIO), a->hwnd, text_proc, (LPARAM)text);
    free(steps);
    free(text);
}
