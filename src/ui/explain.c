/* explain.c: the explanation pane, custom-drawn: the current step (the latest, or the
 * row the student selected in the table) with the scenario's sentence for it and its
 * check against Windows, the last prediction's answer, and each end's byte counters
 * (queued: sent but not yet read by the peer; sent; received; lost, from the summary). */
#include "ui.h"

#include <stdio.h>
#include <string.h>

#include "../../res/resource.h"

static int draw_wrapped(HDC dc, const wchar_t *s, RECT r)
{
    RECT m = r;
    DrawTextW(dc, s, -1, &m, DT_WORDBREAK | DT_NOPREFIX | DT_CALCRECT);
    DrawTextW(dc, s, -1, &r, DT_WORDBREAK | DT_NOPREFIX | DT_END_ELLIPSIS);
    return m.bottom - m.top;
}

static void counters(App *a, HDC dc, const RECT *rc)
{
    static const UINT heads[] = {IDS_EX_COUNTERS, IDS_EX_QUEUED, IDS_EX_SENT, IDS_EX_RECEIVED, IDS_EX_LOST};
    int fh = a->font_h, w = rc->right - rc->left, col0 = w * 22 / 100, colw = (w - col0) / 4;
    int y = rc->bottom - fh * 3 - fh / 2;
    wchar_t buf[64];
    char n[32];
    HPEN pen = CreatePen(PS_SOLID, 1, ui_color(a, UC_LANE));
    HGDIOBJ op = SelectObject(dc, pen);
    MoveToEx(dc, rc->left, y - fh / 4, NULL);
    LineTo(dc, rc->right, y - fh / 4);
    SelectObject(dc, op);
    DeleteObject(pen);
    SelectObject(dc, a->font_bold);
    SetTextColor(dc, ui_color(a, UC_TEXT));
    for (int c = 0; c < 5; c++) {
        RECT r = {c ? rc->left + col0 + (c - 1) * colw : rc->left, y,
                  c ? rc->left + col0 + c * colw - ui_px(a, 4) : rc->left + col0, y + fh};
        ui_load(heads[c], buf, 64);
        DrawTextW(dc, buf, -1, &r, (c ? DT_RIGHT : DT_LEFT) | DT_SINGLELINE | DT_NOPREFIX);
    }
    for (int k = 0; k < SIDE_COUNT; k++) {
        long long v[4];
        y += fh + fh / 8;
        v[0] = a->sent[k] - a->received[!k];
        v[1] = a->sent[k];
        v[2] = a->received[k];
        v[3] = a->have_sum ? a->sum.side[k].bytes_lost : -1;
        SelectObject(dc, a->font_bold);
        SetTextColor(dc, ui_color(a, k == SIDE_CLIENT ? UC_CLIENT : UC_SERVER));
        {
            wchar_t name[32];
            RECT r = {rc->left, y, rc->left + col0, y + fh};
            ui_load(k == SIDE_CLIENT ? IDS_COL_CLIENT : IDS_COL_SERVER, name, 32);
            DrawTextW(dc, name, -1, &r, DT_LEFT | DT_SINGLELINE | DT_NOPREFIX);
        }
        SelectObject(dc, a->font);
        for (int c = 0; c < 4; c++) {
            RECT r = {rc->left + col0 + c * colw, y, rc->left + col0 + (c + 1) * colw - ui_px(a, 4), y + fh};
            if (v[c] < 0) {
                wcscpy(buf, L"\x2014");
            } else {
                format_thousands(v[c], n, sizeof n);
                MultiByteToWideChar(CP_UTF8, 0, n, -1, buf, 64);
            }
            SetTextColor(dc, c == 3 && v[c] > 0 ? ui_color(a, UC_ERROR) : ui_color(a, UC_TEXT));
            DrawTextW(dc, buf, -1, &r, DT_RIGHT | DT_SINGLELINE | DT_NOPREFIX);
        }
    }
}

/* The table's order rules, each marked kept, broken or still open; drawn at the
 * bottom of rc, returns the height used. */
static int order_rules(App *a, HDC dc, const RECT *rc)
{
    wchar_t buf[1024], title[80];
    size_t n = 0;
    RECT m = *rc;
    int h;
    if (!a->sc->nrules)
        return 0;
    ui_load(IDS_EX_ORDER, title, 80);
    n = (size_t)_snwprintf(buf, 1024, L"%ls ", title);
    for (size_t k = 0; k < a->sc->nrules && n + 40 < 1024; k++) {
        const OrderRule *ru = &a->sc->rules[k];
        int64_t tb = -1, ta = -1; /* each label's first time, as the transcript checks */
        const wchar_t *mark;
        for (int i = 0; i < a->nrows; i++) {
            const UiRow *r = &a->rows[i];
            if (r->done && !strcmp(r->step, ru->before) && (tb < 0 || r->t_us < tb))
                tb = r->t_us;
            if (r->done && !strcmp(r->step, ru->after) && (ta < 0 || r->t_us < ta))
                ta = r->t_us;
        }
        if (ta < 0)
            mark = L"\x2026"; /* not decided yet */
        else if (tb < 0 || tb > ta)
            mark = L"\x2717";
        else
            mark = L"\x2713";
        n += (size_t)_snwprintf(buf + n, 1024 - n, L"  (%hs)\x2192(%hs) %ls", ru->before, ru->after, mark);
    }
    buf[1023] = L'\0';
    SelectObject(dc, a->font_small);
    DrawTextW(dc, buf, -1, &m, DT_WORDBREAK | DT_NOPREFIX | DT_CALCRECT);
    h = m.bottom - m.top;
    m = *rc;
    m.top = rc->bottom - h - a->font_h / 2;
    SetTextColor(dc, ui_color(a, UC_TEXT));
    DrawTextW(dc, buf, -1, &m, DT_WORDBREAK | DT_NOPREFIX);
    SelectObject(dc, a->font);
    return h + a->font_h / 2;
}

static void paint(App *a, HDC dc, const RECT *full)
{
    RECT rc = *full;
    HBRUSH bg = CreateSolidBrush(ui_color(a, UC_BG));
    HGDIOBJ of = SelectObject(dc, a->font);
    wchar_t buf[600], side[16];
    int pad = ui_px(a, 8), used;
    const UiRow *r = a->current_row >= 0 && a->current_row < a->nrows ? &a->rows[a->current_row] : NULL;
    FillRect(dc, &rc, bg);
    DeleteObject(bg);
    SetBkMode(dc, TRANSPARENT);
    InflateRect(&rc, -pad, -pad / 2);
    counters(a, dc, &rc);
    rc.bottom -= a->font_h * 4;
    rc.bottom -= order_rules(a, dc, &rc);
    if (!r) {
        SetTextColor(dc, ui_color(a, UC_DIM));
        ui_load(IDS_EX_NONE, buf, 600);
        draw_wrapped(dc, buf, rc);
        SelectObject(dc, of);
        return;
    }
    ui_load(r->side == SIDE_CLIENT ? IDS_CLIENT : IDS_SERVER, side, 16);
    ui_format(buf, 600, IDS_EX_STEP, r->step, side, r->what);
    SelectObject(dc, a->font_big);
    SetTextColor(dc, ui_color(a, r->side == SIDE_CLIENT ? UC_CLIENT : UC_SERVER));
    used = draw_wrapped(dc, buf, rc);
    rc.top += used + a->font_h / 4;
    SelectObject(dc, a->font);
    SetTextColor(dc, ui_color(a, UC_TEXT));
    if (r->explain) {
        MultiByteToWideChar(CP_UTF8, 0, r->explain, -1, buf, 600);
        rc.top += draw_wrapped(dc, buf, rc) + a->font_h / 4;
    }
    SelectObject(dc, a->font_small);
    if (r->check_state) {
        if (r->check_state == 1)
            ui_format(buf, 600, IDS_EX_CHECK_OK, r->check);
        else if (r->check_state == 2)
            ui_format(buf, 600, IDS_EX_CHECK_KNOWN, r->check, r->why ? r->why : "");
        else
            ui_format(buf, 600, IDS_EX_CHECK_BAD, r->check);
        SetTextColor(dc, ui_color(a, r->check_state == 1 ? UC_FIN : r->check_state == 2 ? UC_SERVER : UC_ERROR));
        rc.top += draw_wrapped(dc, buf, rc) + a->font_h / 4;
    } else if (!r->done) {
        ui_load(IDS_EX_WAITING, buf, 600);
        SetTextColor(dc, ui_color(a, UC_DIM));
        rc.top += draw_wrapped(dc, buf, rc);
    }
    if (a->pred_result[0] && rc.top < rc.bottom) {
        SelectObject(dc, a->font_bold);
        SetTextColor(dc, ui_color(a, UC_MESSAGE));
        draw_wrapped(dc, a->pred_result, rc);
    }
    SelectObject(dc, of);
}

static LRESULT CALLBACK explain_proc(HWND hwnd, UINT msg, WPARAM wParam, LPARAM lParam)
{
    App *a = (App *)GetWindowLongPtrW(hwnd, GWLP_USERDATA);
    if (msg == WM_NCCREATE) {
        a = ((CREATESTRUCTW *)lParam)->lpCreateParams;
        SetWindowLongPtrW(hwnd, GWLP_USERDATA, (LONG_PTR)a);
    }
    switch (msg) {
    case WM_ERASEBKGND:
        return 1;
    case WM_PAINT: {
        PAINTSTRUCT ps;
        HDC dc = BeginPaint(hwnd, &ps);
        if (a)
            ui_paint_buffered(a, hwnd, dc, paint);
        EndPaint(hwnd, &ps);
        return 0;
    }
    case WM_PRINTCLIENT:
        if (a)
            ui_paint_buffered(a, hwnd, (HDC)wParam, paint);
        return 0;
    case WM_SIZE:
        InvalidateRect(hwnd, NULL, FALSE);
        return 0;
    }
    return DefWindowProcW(hwnd, msg, wParam, lParam);
}

ATOM ui_register_explain(HINSTANCE inst)
{
    WNDCLASSEXW wc;
    memset(&wc, 0, sizeof wc);
    wc.cbSize = sizeof wc;
    wc.lpfnWndProc = explain_proc;
    wc.hInstance = inst;
    wc.hCursor = LoadCursorW(NULL, (LPCWSTR)IDC_ARROW);
    wc.lpszClassName = UI_EXPLAIN_CLASS;
    return RegisterClassExW(&wc);
}
