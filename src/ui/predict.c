/* predict.c: prediction mode. Before each of the peer's steps the student picks what
 * their own end will see next (a small keyboard-driven dialog); after the step the tool
 * reveals what the end actually saw, first of: FD_READ, FD_CLOSE with error 0, FD_CLOSE
 * with an error, a failed recv, or nothing, and keeps the score. */
#include "ui.h"

#include <string.h>

#include "../../res/resource.h"

static const UINT names[PRED_COUNT] = {IDS_PRED_FD_READ, IDS_PRED_FD_CLOSE_OK, IDS_PRED_FD_CLOSE_ERR,
                                       IDS_PRED_RECV_ERR, IDS_PRED_NOTHING};

const wchar_t *ui_predict_name(int which, wchar_t *buf, int size)
{
    ui_load(names[which >= 0 && which < PRED_COUNT ? which : PRED_NOTHING], buf, size);
    return buf;
}

static INT_PTR CALLBACK predict_proc(HWND dlg, UINT msg, WPARAM wParam, LPARAM lParam)
{
    App *a = (App *)GetWindowLongPtrW(dlg, DWLP_USER);
    switch (msg) {
    case WM_INITDIALOG: {
        wchar_t buf[300], peer[16], local[16];
        char step[EVENT_STEP_MAX];
        Side p;
        a = (App *)lParam;
        SetWindowLongPtrW(dlg, DWLP_USER, (LONG_PTR)a);
        p = (Side)!a->run.role;
        ui_load(p == SIDE_CLIENT ? IDS_CLIENT : IDS_SERVER, peer, 16);
        ui_load(a->run.role == SIDE_CLIENT ? IDS_CLIENT : IDS_SERVER, local, 16);
        ui_held_step(a, p, step);
        ui_format(buf, 300, IDS_PRED_PROMPT, peer, step[0] ? step : "-", local);
        SetDlgItemTextW(dlg, IDC_PRED_PROMPT, buf);
        ui_format(buf, 300, IDS_PRED_SCORE, a->pred.right, a->pred.total);
        SetDlgItemTextW(dlg, IDC_PRED_SCORE, buf);
        /* nothing chosen, and Predict disabled until a choice is made: Enter alone must
         * not record a guess. Focus first (focusing a radio may check it), then clear. */
        SetFocus(GetDlgItem(dlg, IDC_PRED_FIRST));
        for (int i = 0; i < PRED_COUNT; i++)
            CheckDlgButton(dlg, IDC_PRED_FIRST + i, BST_UNCHECKED);
        EnableWindow(GetDlgItem(dlg, IDOK), FALSE);
        return FALSE;
    }
    case WM_COMMAND:
        if (LOWORD(wParam) >= IDC_PRED_FIRST && LOWORD(wParam) < IDC_PRED_FIRST + PRED_COUNT) {
            int any = 0;
            for (int i = 0; i < PRED_COUNT; i++)
                any |= IsDlgButtonChecked(dlg, IDC_PRED_FIRST + i) == BST_CHECKED;
            EnableWindow(GetDlgItem(dlg, IDOK), any);
            return TRUE;
        }
        if (LOWORD(wParam) == IDOK) {
            for (int i = 0; i < PRED_COUNT; i++)
                if (IsDlgButtonChecked(dlg, IDC_PRED_FIRST + i) == BST_CHECKED)
                    EndDialog(dlg, i + 1);
            return TRUE;
        }
        if (LOWORD(wParam) == IDCANCEL) {
            EndDialog(dlg, 0);
            return TRUE;
        }
        break;
    }
    (void)a;
    return FALSE;
}

int ui_predict_ask(App *a)
{
    INT_PTR r = DialogBoxParamW(a->inst, MAKEINTRESOURCEW(IDD_PREDICT), a->hwnd, predict_proc, (LPARAM)a);
    if (r <= 0)
        return 0;
    a->pred.choice = (int)r - 1;
    a->pred.pending = 1;
    a->pred.seen = -1;
    return 1;
}

void ui_predict_observe(App *a, const Event *ev)
{
    if (!a->pred.pending || a->pred.seen >= 0 || ev->side != a->run.role || ev->stale)
        return;
    if (ev->kind == EV_MESSAGE && ev->what == EW_FD_READ)
        a->pred.seen = PRED_FD_READ;
    else if (ev->kind == EV_MESSAGE && ev->what == EW_FD_CLOSE)
        a->pred.seen = ev->error ? PRED_FD_CLOSE_ERR : PRED_FD_CLOSE_OK;
    else if (ev->kind == EV_CALL && ev->what == EW_RECV && ev->result < 0 && ev->error != 10035)
        a->pred.seen = PRED_RECV_ERR; /* WSAEWOULDBLOCK (10035) only means "nothing yet" */
}

void ui_predict_reveal(App *a)
{
    wchar_t said[48], saw[48], local[16];
    int seen = a->pred.seen >= 0 ? a->pred.seen : PRED_NOTHING, right = seen == a->pred.choice;
    if (!a->pred.pending)
        return;
    a->pred.pending = 0;
    a->pred.total++;
    a->pred.right += right;
    ui_load(a->run.role == SIDE_CLIENT ? IDS_CLIENT : IDS_SERVER, local, 16);
    ui_format(a->pred.result, sizeof a->pred.result / sizeof a->pred.result[0], right ? IDS_PRED_RIGHT : IDS_PRED_WRONG,
              ui_predict_name(a->pred.choice, said, 48), local, ui_predict_name(seen, saw, 48));
    InvalidateRect(a->explain.hwnd, NULL, FALSE);
    ui_update_status(a);
}
