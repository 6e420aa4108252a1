/* dialogs.c: the About box, the scenario details (title, what it shows, its source and
 * every step with its sentence) and who plays the other end (Run > Peer...), each a
 * DIALOGEX from the resources plus a dialog procedure and a small function that shows it. */
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

/* ---- Run > Peer... ------------------------------------------------------------------- */

static UiPeerMode peer_mode_checked(HWND dlg)
{
    for (int m = UI_PEER_LISTEN; m <= UI_PEER_CONNECT; m++)
        if (IsDlgButtonChecked(dlg, IDC_PEER_FIRST + m) == BST_CHECKED)
            return (UiPeerMode)m;
    return UI_PEER_EMBEDDED;
}

/* The address and --peer mean something only against another program. */
static void peer_enable(HWND dlg)
{
    BOOL other = peer_mode_checked(dlg) != UI_PEER_EMBEDDED;
    EnableWindow(GetDlgItem(dlg, IDC_PEER_ADDR_LABEL), other);
    EnableWindow(GetDlgItem(dlg, IDC_PEER_ADDR), other);
    EnableWindow(GetDlgItem(dlg, IDC_PEER_AS_PEER), other);
}

/* OK: the choice, or (a bad address) why not, with the dialog kept open on the address. */
static int peer_accept(HWND dlg, UiPeer *p)
{
    UiPeer n;
    wchar_t err[300], *s = n.text;
    size_t len;
    memset(&n, 0, sizeof n);
    n.mode = peer_mode_checked(dlg);
    if (n.mode != UI_PEER_EMBEDDED) {
        GetDlgItemTextW(dlg, IDC_PEER_ADDR, n.text, 128);
        while (*s == L' ')
            s++;
        memmove(n.text, s, (wcslen(s) + 1) * sizeof *s);
        for (len = wcslen(n.text); len && n.text[len - 1] == L' '; len--)
            n.text[len - 1] = L'\0';
        if (ui_parse_addr(n.text, n.mode == UI_PEER_LISTEN, &n.addr, err, 300) < 0) {
            SetDlgItemTextW(dlg, IDC_PEER_ERROR, err);
            MessageBeep(MB_ICONWARNING);
            SetFocus(GetDlgItem(dlg, IDC_PEER_ADDR));
            SendDlgItemMessageW(dlg, IDC_PEER_ADDR, EM_SETSEL, 0, -1);
            return 0;
        }
        n.as_peer = IsDlgButtonChecked(dlg, IDC_PEER_AS_PEER) == BST_CHECKED;
    } else {
        wcscpy(n.text, p->text); /* offered again next time */
    }
    *p = n;
    return 1;
}

static INT_PTR CALLBACK peer_proc(HWND dlg, UINT msg, WPARAM wParam, LPARAM lParam)
{
    UiPeer *p = (UiPeer *)GetWindowLongPtrW(dlg, DWLP_USER);
    switch (msg) {
    case WM_INITDIALOG: {
        wchar_t cue[80];
        p = (UiPeer *)lParam;
        SetWindowLongPtrW(dlg, DWLP_USER, (LONG_PTR)p);
        CheckRadioButton(dlg, IDC_PEER_FIRST, IDC_PEER_FIRST + UI_PEER_CONNECT, IDC_PEER_FIRST + p->mode);
        SetDlgItemTextW(dlg, IDC_PEER_ADDR, p->text);
        ui_load(IDS_PEER_CUE, cue, 80);
        SendDlgItemMessageW(dlg, IDC_PEER_ADDR, EM_SETCUEBANNER, TRUE, (LPARAM)cue);
        CheckDlgButton(dlg, IDC_PEER_AS_PEER, p->as_peer ? BST_CHECKED : BST_UNCHECKED);
        peer_enable(dlg);
        SetFocus(GetDlgItem(dlg, IDC_PEER_FIRST + p->mode));
        return FALSE;
    }
    case WM_CTLCOLORSTATIC: /* a bad address is said in red */
        if ((HWND)lParam == GetDlgItem(dlg, IDC_PEER_ERROR)) {
            const App *a = (const App *)GetWindowLongPtrW(GetParent(dlg), GWLP_USERDATA);
            INT_PTR brush = (INT_PTR)DefWindowProcW(dlg, msg, wParam, lParam);
            SetTextColor((HDC)wParam, ui_color(&a->theme, UC_ERROR));
            return brush;
        }
        break;
    case WM_COMMAND:
        switch (LOWORD(wParam)) {
        case IDC_PEER_FIRST + UI_PEER_EMBEDDED:
        case IDC_PEER_FIRST + UI_PEER_LISTEN:
        case IDC_PEER_FIRST + UI_PEER_CONNECT:
            peer_enable(dlg);
            SetDlgItemTextW(dlg, IDC_PEER_ERROR, L"");
            return TRUE;
        case IDOK:
            if (peer_accept(dlg, p))
                EndDialog(dlg, 1);
            return TRUE;
        case IDCANCEL:
            EndDialog(dlg, 0);
            return TRUE;
        }
        break;
    }
    return FALSE;
}

int ui_peer_dialog(App *a, UiPeer *p)
{
    return DialogBoxParamW(a->inst, MAKEINTRESOURCEW(IDD_PEER), a->hwnd, peer_proc, (LPARAM)p) == 1;
}
