/* explain.c: the explanation pane, custom-drawn: the current step (the latest, or the
 * row the student selected in the table) with the scenario's sentence for it and its
 * check against Windows, the last prediction's answer, and each end's byte counters
 * (queued: sent but not yet read by the peer; sent; received; lost, from the summary; a
 * dash where another program plays the other end and nothing here can know). */
#include "ui.h"

#include <stdio.h>
#include <string.h>

#include "../../res/resource.h"
#include "facts.h"

static int g_cuts; /* words still wider than the pane in this paint's measuring pass */

/* Draws s word-wrapped from r.top (when draw) and returns its height: nothing is cut or
 * drawn over, the pane scrolls when the sections need more than it has, and a word wider
 * than the pane (a source path at a large zoom) is broken (DT_EDITCONTROL). */
static int draw_wrapped(HDC dc, const wchar_t *s, RECT r, int draw)
{
    int right = r.right, h;
    /* drawing returns the height it took: one pass over the words, not a measure first */
    if (!s[0])
        return 0;
    r.bottom = r.top + 0x3fffffff;
    h = DrawTextW(dc, s, -1, &r, DT_WORDBREAK | DT_EDITCONTROL | DT_NOPREFIX | (draw ? 0 : DT_CALCRECT));
    if (!draw && r.right > right) /* measuring widens the rectangle for what still does not fit */
        g_cuts++;
    return h;
}

static void cell(HDC dc, HFONT f, COLORREF c, const wchar_t *s, int l, int t, int r, int b, UINT align, int draw)
{
    RECT rc = {l, t, r, b};
    if (!draw)
        return;
    SelectObject(dc, f);
    SetTextColor(dc, c);
    DrawTextW(dc, s, -1, &rc, align | DT_SINGLELINE | DT_NOPREFIX);
}

/* Each end's counters (queued, sent, received, lost) as shown: a dash for what nothing
 * here can know. */
static void counter_values(App *a, long long v[SIDE_COUNT][4], wchar_t val[SIDE_COUNT][4][32])
{
    for (int k = 0; k < SIDE_COUNT; k++) {
        char n[32];
        v[k][0] = a->model.sent[k] - a->model.received[!k];
        v[k][1] = a->model.sent[k];
        v[k][2] = a->model.received[k];
        v[k][3] = a->run.have_sum ? a->run.sum.side[k].bytes_lost : -1;
        if (ui_other_program(a)) {
            /* what the other program did is not observed: a dash, never 0; only what
             * ShutdownLab's lines send, when the handshake said it plays them, is known */
            int lines_known = k != (int)a->run.role && a->run.have_sum && a->run.sum.peer == PEER_SHUTDOWNLAB;
            for (int c = 0; c < 4; c++)
                if ((k != (int)a->run.role || c == 0 || c == 3) && !(c == 3 && lines_known))
                    v[k][c] = -1;
        }
        for (int c = 0; c < 4; c++) {
            if (v[k][c] < 0) {
                wcscpy(val[k][c], L"\x2014");
            } else {
                format_thousands(v[k][c], n, sizeof n);
                MultiByteToWideChar(CP_UTF8, 0, n, -1, val[k][c], 32);
            }
        }
    }
}

/* The byte counters, a grid whose columns are as wide as their words and numbers: ends
 * down, counters across; when that does not fit (a large zoom), counters down and the
 * two ends across; then in the small font. Returns the height. */
static int counters(App *a, HDC dc, int x, int y, int w, int draw)
{
    static const UINT heads[] = {IDS_EX_COUNTERS, IDS_EX_QUEUED, IDS_EX_SENT, IDS_EX_RECEIVED, IDS_EX_LOST};
    wchar_t head[5][32], side[SIDE_COUNT][32], val[SIDE_COUNT][4][32];
    long long v[SIDE_COUNT][4];
    int pad = ui_px(&a->theme, 12), y0 = y;
    for (int c = 0; c < 5; c++)
        ui_load(heads[c], head[c], 32);
    for (int k = 0; k < SIDE_COUNT; k++)
        ui_load(k == SIDE_CLIENT ? IDS_COL_CLIENT : IDS_COL_SERVER, side[k], 32);
    counter_values(a, v, val);
    for (int pass = 0; pass < 4; pass++) {
        int transposed = pass & 1;
        HFONT f = pass < 2 ? a->theme.font : a->theme.font_small, fb = pass < 2 ? a->theme.font_bold : a->theme.font_small_bold;
        int lh = pass < 2 ? a->theme.font_h : a->theme.font_h * 11 / 12, rowh = lh + lh / 8;
        if (!transposed) {
            int col0 = 0, colw[4], total;
            for (int c = 0; c < 3; c++) {
                int t = ui_text_w(dc, fb, c ? side[c - 1] : head[0]);
                col0 = t > col0 ? t : col0;
            }
            col0 += pad;
            total = col0;
            for (int c = 0; c < 4; c++) {
                colw[c] = ui_text_w(dc, fb, head[c + 1]);
                for (int k = 0; k < SIDE_COUNT; k++)
                    if (ui_text_w(dc, f, val[k][c]) > colw[c])
                        colw[c] = ui_text_w(dc, f, val[k][c]);
                total += (colw[c] += pad);
            }
            if (total > w && pass < 3)
                continue;
            {
                int extra = total < w ? (w - total) / 4 : 0, cx = x + col0;
                cell(dc, fb, ui_color(&a->theme, UC_TEXT), head[0], x, y, x + col0, y + lh, DT_LEFT, draw);
                for (int c = 0; c < 4; c++) {
                    cell(dc, fb, ui_color(&a->theme, UC_TEXT), head[c + 1], cx, y, cx + colw[c] + extra, y + lh, DT_RIGHT, draw);
                    for (int k = 0; k < SIDE_COUNT; k++)
                        cell(dc, f, c == 3 && v[k][c] > 0 ? ui_color(&a->theme, UC_ERROR) : ui_color(&a->theme, UC_TEXT), val[k][c], cx,
                             y + (k + 1) * rowh, cx + colw[c] + extra, y + (k + 1) * rowh + lh, DT_RIGHT, draw);
                    cx += colw[c] + extra;
                }
                for (int k = 0; k < SIDE_COUNT; k++)
                    cell(dc, fb, ui_color(&a->theme, k == SIDE_CLIENT ? UC_CLIENT : UC_SERVER), side[k], x, y + (k + 1) * rowh,
                         x + col0, y + (k + 1) * rowh + lh, DT_LEFT, draw);
                return 2 * rowh + lh + (y - y0);
            }
        } else {
            int col0 = 0, colw[SIDE_COUNT], total;
            for (int c = 0; c < 5; c++)
                col0 = ui_text_w(dc, fb, head[c]) > col0 ? ui_text_w(dc, fb, head[c]) : col0;
            col0 += pad;
            total = col0;
            for (int k = 0; k < SIDE_COUNT; k++) {
                colw[k] = ui_text_w(dc, fb, side[k]);
                for (int c = 0; c < 4; c++)
                    if (ui_text_w(dc, f, val[k][c]) > colw[k])
                        colw[k] = ui_text_w(dc, f, val[k][c]);
                total += (colw[k] += pad);
            }
            if (total > w && pass < 3)
                continue;
            {
                int cx = x + col0;
                cell(dc, fb, ui_color(&a->theme, UC_TEXT), head[0], x, y, x + col0, y + lh, DT_LEFT, draw);
                for (int k = 0; k < SIDE_COUNT; k++) {
                    cell(dc, fb, ui_color(&a->theme, k == SIDE_CLIENT ? UC_CLIENT : UC_SERVER), side[k], cx, y, cx + colw[k], y + lh,
                         DT_RIGHT, draw);
                    for (int c = 0; c < 4; c++)
                        cell(dc, f, c == 3 && v[k][c] > 0 ? ui_color(&a->theme, UC_ERROR) : ui_color(&a->theme, UC_TEXT), val[k][c], cx,
                             y + (c + 1) * rowh, cx + colw[k], y + (c + 1) * rowh + lh, DT_RIGHT, draw);
                    cx += colw[k];
                }
                for (int c = 0; c < 4; c++)
                    cell(dc, fb, ui_color(&a->theme, UC_TEXT), head[c + 1], x, y + (c + 1) * rowh, x + col0, y + (c + 1) * rowh + lh,
                         DT_LEFT, draw);
                return 4 * rowh + lh;
            }
        }
    }
    return 0;
}

/* The table's order rules, each marked kept, broken or still open as the core judges
 * them (table_model.h: the transcript's own rule), or not observable when one of its
 * steps is another program's. Returns the height. */
static int order_rules(App *a, HDC dc, RECT rc, int draw)
{
    wchar_t buf[1024], title[80], unobserved[40];
    const Scenario *sc = a->run.sc;
    size_t n = 0;
    int h;
    if (!sc->nrules)
        return 0;
    ui_load(IDS_EX_ORDER, title, 80);
    n = (size_t)_snwprintf(buf, 1024, L"%ls ", title);
    ui_load(IDS_ROW_UNOBSERVED, unobserved, 40);
    for (size_t k = 0; k < sc->nrules && n + 80 < 1024; k++) {
        RuleStatus st = table_rule(&a->model.table, k);
        const wchar_t *mark = st == RULE_UNOBSERVED ? unobserved
                              : st == RULE_OPEN     ? L"\x2026"
                              : st == RULE_BROKEN   ? L"\x2717"
                                                    : L"\x2713";
        n += (size_t)_snwprintf(buf + n, 1024 - n, L"  (%hs)\x2192(%hs)\x00a0%ls", sc->rules[k].before, sc->rules[k].after,
                                mark);
    }
    buf[1023] = L'\0';
    SelectObject(dc, a->theme.font_small);
    SetTextColor(dc, ui_color(&a->theme, UC_TEXT));
    h = draw_wrapped(dc, buf, rc, draw);
    SelectObject(dc, a->theme.font);
    return h;
}

/* A row's check: what Windows does beside what was observed, the verdict (a disputed one,
 * or one only another program could make, neither passes nor fails), and how we know,
 * with the source. Returns the height. */
static int check_section(App *a, HDC dc, RECT rc, const TableRow *r, int draw)
{
    char check[3 * EVENT_VALUE_MAX + EVENT_NAME_MAX + 48];
    wchar_t buf[900];
    int top = rc.top, color;
    snprintf(check, sizeof check, "%s: Windows %s%s%s, observed %s", r->what, r->expected, r->other[0] ? " or " : "",
             r->other, r->observed);
    if (r->verdict == VERDICT_UNOBSERVED) { /* nothing was observed: why, not "observed ..." */
        snprintf(check, sizeof check, "%s: Windows %s", r->what, r->expected);
        ui_format(buf, 900, IDS_EX_CHECK_UNOBSERVED, check, r->observed), color = UC_DIM;
    } else if (r->verdict == VERDICT_INFERRED) { /* the reason is said above, with the row */
        snprintf(check, sizeof check, "%s: Windows %s", r->what, r->expected);
        ui_format(buf, 900, IDS_EX_CHECK_INFERRED, check), color = UC_DIM;
    } else if (r->verdict == VERDICT_DISPUTED)
        ui_format(buf, 900, IDS_EX_CHECK_DISPUTED, check), color = UC_DISPUTED;
    else if (verdict_ok(r->verdict))
        ui_format(buf, 900, IDS_EX_CHECK_OK, check), color = UC_FIN;
    else if (r->verdict == VERDICT_KNOWN)
        ui_format(buf, 900, IDS_EX_CHECK_KNOWN, check, r->why ? r->why : ""), color = UC_SERVER;
    else
        ui_format(buf, 900, IDS_EX_CHECK_BAD, check), color = UC_ERROR;
    SetTextColor(dc, ui_color(&a->theme, color));
    rc.top += draw_wrapped(dc, buf, rc, draw) + a->theme.font_h / 8;
    ui_format(buf, 900, IDS_EX_EVIDENCE, evidence_name(r->evidence), r->source ? r->source : "");
    SetTextColor(dc, ui_color(&a->theme, UC_DIM));
    rc.top += draw_wrapped(dc, buf, rc, draw) + a->theme.font_h / 4;
    return rc.top - top;
}

/* What the step showed in this run, apart from what it teaches (facts.h): the tool's
 * words and the scenario's `showed` sentences that hold, "so far" while its end is still
 * at it. Returns the height. */
static int run_section(App *a, HDC dc, RECT rc, const TableRow *r, int draw)
{
    int final;
    const StepFacts *f = table_facts(&a->model.table, r->step, &final);
    char text[2 * GROUP_TEXT_MAX];
    wchar_t w[2 * GROUP_TEXT_MAX], buf[2 * GROUP_TEXT_MAX + 64];
    size_t n;
    if (!f || (int)r->side != f->side || (!final && !facts_any(f)))
        return 0;
    facts_sentence(f, text, sizeof text);
    n = strlen(text);
    if (n + 1 < sizeof text) {
        text[n] = ' ';
        if (!facts_said(a->run.sc, f, text + n + 1, sizeof text - n - 1))
            text[n] = '\0';
    }
    ui_wide(text, w, (int)(sizeof w / sizeof w[0]));
    ui_format(buf, sizeof buf / sizeof buf[0], final ? IDS_EX_RUN : IDS_EX_RUN_SO_FAR, w);
    SelectObject(dc, a->theme.font);
    SetTextColor(dc, ui_color(&a->theme, UC_MESSAGE));
    return draw_wrapped(dc, buf, rc, draw) + a->theme.font_h / 4;
}

/* The step's sections, top down from rc.top. Returns the height. */
static int step_sections(App *a, HDC dc, RECT rc, int draw)
{
    wchar_t buf[600], side[16];
    int top = rc.top;
    const TableModel *t = &a->model.table;
    int cur = ui_current_row(a);
    const TableRow *r = cur >= 0 && cur < t->n ? &t->row[cur] : NULL;
    if (ui_replay_label(a, buf, 600)) { /* what is shown was recorded, not run here */
        SelectObject(dc, a->theme.font_bold);
        SetTextColor(dc, ui_color(&a->theme, UC_MESSAGE));
        rc.top += draw_wrapped(dc, buf, rc, draw) + a->theme.font_h / 4;
    }
    if (!r) {
        SelectObject(dc, a->theme.font);
        SetTextColor(dc, ui_color(&a->theme, UC_DIM));
        if (ui_other_program(a)) {
            wchar_t you[16];
            ui_load(a->run.role == SIDE_CLIENT ? IDS_SERVER : IDS_CLIENT, side, 16);
            ui_load(a->run.role == SIDE_CLIENT ? IDS_CLIENT : IDS_SERVER, you, 16);
            ui_format(buf, 600, IDS_EX_NONE_EXTERNAL, a->model.info.where, side, you);
        } else {
            ui_load(IDS_EX_NONE, buf, 600);
        }
        return rc.top - top + draw_wrapped(dc, buf, rc, draw);
    }
    ui_load(r->side == SIDE_CLIENT ? IDS_CLIENT : IDS_SERVER, side, 16);
    ui_format(buf, 600, IDS_EX_STEP, r->step, side, r->what);
    SelectObject(dc, a->theme.font_big);
    SetTextColor(dc, ui_color(&a->theme, r->side == SIDE_CLIENT ? UC_CLIENT : UC_SERVER));
    rc.top += draw_wrapped(dc, buf, rc, draw) + a->theme.font_h / 4;
    SelectObject(dc, a->theme.font);
    SetTextColor(dc, ui_color(&a->theme, UC_TEXT));
    if (r->explain) {
        ui_wide(r->explain, buf, 600);
        rc.top += draw_wrapped(dc, buf, rc, draw) + a->theme.font_h / 4;
    }
    rc.top += run_section(a, dc, rc, r, draw);
    if (r->inferred && r->reason[0]) { /* another program's step: what this end saw, and why */
        wchar_t why[EVENT_TEXT_MAX];
        ui_wide(r->reason, why, EVENT_TEXT_MAX);
        ui_format(buf, 600, IDS_EX_INFERRED, why);
        SelectObject(dc, a->theme.font);
        SetTextColor(dc, ui_color(&a->theme, r->side == SIDE_CLIENT ? UC_CLIENT : UC_SERVER));
        rc.top += draw_wrapped(dc, buf, rc, draw) + a->theme.font_h / 4;
    }
    SelectObject(dc, a->theme.font_small);
    if (r->checked) {
        rc.top += check_section(a, dc, rc, r, draw);
    } else if (!r->done) {
        ui_load(IDS_EX_WAITING, buf, 600);
        SetTextColor(dc, ui_color(&a->theme, UC_DIM));
        rc.top += draw_wrapped(dc, buf, rc, draw) + a->theme.font_h / 4;
    }
    if (a->pred.result[0]) {
        SelectObject(dc, a->theme.font_bold);
        SetTextColor(dc, ui_color(&a->theme, UC_MESSAGE));
        rc.top += draw_wrapped(dc, a->pred.result, rc, draw);
    }
    return rc.top - top;
}

static void rule_line(App *a, HDC dc, int x0, int x1, int y)
{
    HPEN pen = CreatePen(PS_SOLID, 1, ui_color(&a->theme, UC_LANE));
    HGDIOBJ op = SelectObject(dc, pen);
    MoveToEx(dc, x0, y, NULL);
    LineTo(dc, x1, y);
    SelectObject(dc, op);
    DeleteObject(pen);
}

/* The step at the top; the order rules and the counters at the bottom when all fits,
 * else everything in one column that scrolls (the pane's scroll bar). */
static void paint(App *a, HDC dc, const RECT *full)
{
    RECT rc = *full;
    HBRUSH bg = CreateSolidBrush(ui_color(&a->theme, UC_BG));
    HGDIOBJ of = SelectObject(dc, a->theme.font);
    int pad = ui_px(&a->theme, 8), gap = a->theme.font_h / 2, hs, ho, hc, total, h;
    SCROLLINFO si;
    FillRect(dc, &rc, bg);
    DeleteObject(bg);
    SetBkMode(dc, TRANSPARENT);
    InflateRect(&rc, -pad, -pad / 2);
    h = rc.bottom - rc.top;
    hs = step_sections(a, dc, rc, 0);
    ho = order_rules(a, dc, rc, 0);
    hc = counters(a, dc, rc.left, rc.top, rc.right - rc.left, 0);
    total = hs + gap + (ho ? ho + gap : 0) + gap + hc;
    a->explain.total = total + pad;
    if (a->explain.scroll > a->explain.total - (full->bottom - full->top))
        a->explain.scroll = a->explain.total - (full->bottom - full->top);
    if (a->explain.scroll < 0 || total <= h)
        a->explain.scroll = 0;
    if (total <= h) {
        RECT b = rc;
        step_sections(a, dc, rc, 1);
        b.top = rc.bottom - hc - gap - (ho ? ho + gap : 0);
        if (ho) {
            order_rules(a, dc, b, 1);
            b.top += ho + gap;
        }
        rule_line(a, dc, rc.left, rc.right, b.top - gap / 2);
        counters(a, dc, rc.left, b.top + gap / 2, rc.right - rc.left, 1);
    } else {
        RECT f = rc;
        f.top -= a->explain.scroll;
        f.top += step_sections(a, dc, f, 1) + gap;
        if (ho) {
            order_rules(a, dc, f, 1);
            f.top += ho + gap;
        }
        rule_line(a, dc, rc.left, rc.right, f.top);
        counters(a, dc, rc.left, f.top + gap, rc.right - rc.left, 1);
    }
    memset(&si, 0, sizeof si);
    si.cbSize = sizeof si;
    si.fMask = SIF_RANGE | SIF_PAGE | SIF_POS;
    si.nMax = total <= h ? 0 : a->explain.total;
    si.nPage = (UINT)(full->bottom - full->top);
    si.nPos = a->explain.scroll;
    SetScrollInfo(WindowFromDC(dc) ? WindowFromDC(dc) : a->explain.hwnd, SB_VERT, &si, TRUE);
    SelectObject(dc, of);
}

static void on_vscroll(App *a, HWND hwnd, int code)
{
    SCROLLINFO si;
    RECT rc;
    int line = a->theme.font_h, page;
    GetClientRect(hwnd, &rc);
    page = rc.bottom - line;
    memset(&si, 0, sizeof si);
    si.cbSize = sizeof si;
    si.fMask = SIF_TRACKPOS;
    GetScrollInfo(hwnd, SB_VERT, &si);
    switch (code) {
    case SB_LINEUP: a->explain.scroll -= line; break;
    case SB_LINEDOWN: a->explain.scroll += line; break;
    case SB_PAGEUP: a->explain.scroll -= page; break;
    case SB_PAGEDOWN: a->explain.scroll += page; break;
    case SB_THUMBTRACK:
    case SB_THUMBPOSITION: a->explain.scroll = si.nTrackPos; break;
    case SB_TOP: a->explain.scroll = 0; break;
    case SB_BOTTOM: a->explain.scroll = a->explain.total; break;
    default: return;
    }
    if (a->explain.scroll > a->explain.total - rc.bottom)
        a->explain.scroll = a->explain.total - rc.bottom;
    if (a->explain.scroll < 0)
        a->explain.scroll = 0;
    InvalidateRect(hwnd, NULL, FALSE);
}

static LRESULT CALLBACK explain_proc(HWND hwnd, UINT msg, WPARAM wParam, LPARAM lParam)
{
    App *a = ui_panel_app(hwnd, msg, lParam);
    if (msg == WM_PAINT || msg == WM_PRINTCLIENT)
        g_cuts = 0;
    if (ui_panel_paint_msg(a, hwnd, msg, wParam, paint)) {
        /* words this paint cut at the pane's edge, for tests/gui/test_dpi.c to read */
        if (msg == WM_PAINT || msg == WM_PRINTCLIENT)
            SetPropW(hwnd, UI_EXPLAIN_CUTS_PROP, (HANDLE)(INT_PTR)(g_cuts + 1));
        return msg == WM_ERASEBKGND;
    }
    switch (msg) {
    case WM_NCDESTROY:
        RemovePropW(hwnd, UI_EXPLAIN_CUTS_PROP);
        break;
    case WM_VSCROLL:
        if (a)
            on_vscroll(a, hwnd, LOWORD(wParam));
        return 0;
    case WM_MOUSEWHEEL:
        if (a)
            on_vscroll(a, hwnd, GET_WHEEL_DELTA_WPARAM(wParam) > 0 ? SB_LINEUP : SB_LINEDOWN);
        return 0;
    }
    return DefWindowProcW(hwnd, msg, wParam, lParam);
}

ATOM ui_register_explain(HINSTANCE inst)
{
    return ui_register_panel(inst, explain_proc, UI_EXPLAIN_CLASS);
}
