/* ladder.c: the ladder (sequence) diagram, custom-drawn from ladder_model.c's items: two
 * lanes, each end's calls and messages on its own lane, each end's TCP state as the OS's
 * table reports it, the inferred arrows between the lanes, labelled so. */
#include "ui.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../res/resource.h"
#include "wsaerr.h"

/* ---- painting ----------------------------------------------------------------- */

static void text_at(HDC dc, const wchar_t *s, RECT r, UINT fmt)
{
    DrawTextW(dc, s, -1, &r, fmt | DT_SINGLELINE | DT_VCENTER | DT_NOPREFIX | DT_END_ELLIPSIS);
}

static void utf8_to_w(const char *s, wchar_t *w, int size)
{
    if (!MultiByteToWideChar(CP_UTF8, 0, s, -1, w, size))
        w[0] = L'\0';
}

static void arrow_line(App *a, HDC dc, int x0, int y0, int x1, int y1, COLORREF c, int dashed)
{
    LOGBRUSH lb = {BS_SOLID, c, 0};
    int w = ui_px(a, 3);
    HPEN pen = ExtCreatePen(PS_GEOMETRIC | (dashed ? PS_DASH : PS_SOLID) | PS_ENDCAP_FLAT, (DWORD)w, &lb, 0, NULL);
    HBRUSH br = CreateSolidBrush(c);
    HGDIOBJ op = SelectObject(dc, pen), ob;
    double ang = atan2(y1 - y0, x1 - x0), hl = ui_px(a, 14), hw = ui_px(a, 7);
    POINT head[3];
    int ex = x1 - (int)lround(cos(ang) * hl * 0.8), ey = y1 - (int)lround(sin(ang) * hl * 0.8);
    MoveToEx(dc, x0, y0, NULL);
    LineTo(dc, ex, ey);
    SelectObject(dc, op);
    DeleteObject(pen);
    head[0].x = x1;
    head[0].y = y1;
    head[1].x = x1 - (int)lround(cos(ang) * hl - sin(ang) * hw);
    head[1].y = y1 - (int)lround(sin(ang) * hl + cos(ang) * hw);
    head[2].x = x1 - (int)lround(cos(ang) * hl + sin(ang) * hw);
    head[2].y = y1 - (int)lround(sin(ang) * hl - cos(ang) * hw);
    pen = CreatePen(PS_SOLID, 1, c);
    op = SelectObject(dc, pen);
    ob = SelectObject(dc, br);
    Polygon(dc, head, 3);
    SelectObject(dc, ob);
    SelectObject(dc, op);
    DeleteObject(pen);
    DeleteObject(br);
}

/* A state pill's rectangle: centred on its lane, pushed outwards when it would cross
 * the middle of the pane (mid), so the two ends' pills never overlap. */
static RECT pill_rect(App *a, HDC dc, int cx, int cy, const wchar_t *s, int side, int mid)
{
    SIZE sz;
    RECT r;
    int half;
    GetTextExtentPoint32W(dc, s, (int)wcslen(s), &sz);
    half = sz.cx / 2 + ui_px(a, 8);
    if (side == SIDE_CLIENT && cx + half > mid - ui_px(a, 3))
        cx = mid - ui_px(a, 3) - half;
    else if (side == SIDE_SERVER && cx - half < mid + ui_px(a, 3))
        cx = mid + ui_px(a, 3) + half;
    r.left = cx - half;
    r.right = cx + half;
    r.top = cy - sz.cy / 2 - ui_px(a, 2);
    r.bottom = cy + sz.cy / 2 + ui_px(a, 2);
    return r;
}

static RECT pill(App *a, HDC dc, int cx, int cy, const wchar_t *s, COLORREF border, int side, int mid)
{
    RECT r = pill_rect(a, dc, cx, cy, s, side, mid);
    HPEN pen = CreatePen(PS_SOLID, ui_px(a, 2) > 0 ? ui_px(a, 2) : 1, border);
    HBRUSH br = CreateSolidBrush(ui_color(a, UC_STATE_BG));
    HGDIOBJ op = SelectObject(dc, pen), ob = SelectObject(dc, br);
    RoundRect(dc, r.left, r.top, r.right, r.bottom, ui_px(a, 12), ui_px(a, 12));
    SelectObject(dc, ob);
    SelectObject(dc, op);
    DeleteObject(pen);
    DeleteObject(br);
    SetTextColor(dc, ui_color(a, UC_TEXT));
    text_at(dc, s, r, DT_CENTER);
    return r;
}

static COLORREF arrow_color(const App *a, UiArrow k)
{
    return ui_color(a, k == AR_DATA ? UC_DATA : k == AR_FIN ? UC_FIN : UC_RST);
}

static void arrow_label(UiArrow k, const UiItem *it, wchar_t *buf, int size)
{
    wchar_t what[48], inferred[32];
    char n[32];
    ui_load(IDS_LADDER_INFERRED, inferred, 32);
    if (k == AR_DATA)
        ui_format(what, 48, IDS_LADDER_DATA, format_thousands(it->bytes, n, sizeof n));
    else
        ui_load(k == AR_FIN ? IDS_LADDER_FIN : IDS_LADDER_RST, what, 48);
    _snwprintf(buf, (size_t)size, L"%ls (%ls)", what, inferred);
    buf[size - 1] = L'\0';
}

static int text_w(HDC dc, HFONT f, const wchar_t *s)
{
    SIZE sz = {0, 0};
    HGDIOBJ o = SelectObject(dc, f);
    GetTextExtentPoint32W(dc, s, (int)wcslen(s), &sz);
    SelectObject(dc, o);
    return sz.cx;
}

static int pieces(const wchar_t *t, wchar_t out[8][120], int glue[8]);

/* Lanes placed so each side's widest text fits beside its lane, the arrows taking what
 * is left in the middle (at least a third of the width). */
static void lanes(App *a, HDC dc, const RECT *rc, int lane_x[SIDE_COUNT])
{
    int w = rc->right - rc->left, need[SIDE_COUNT] = {0, 0}, lo = w * 15 / 100, hi = w * 36 / 100;
    for (size_t i = 0; i < a->nitems; i++) {
        const UiItem *it = &a->items[i];
        wchar_t text[120], step[16] = L"";
        int tw;
        if (it->kind == LI_STATE)
            continue;
        if (it->kind == LI_BLOCKING)
            ui_format(text, 120, IDS_LADDER_BLOCKING, 10.0);
        else
            utf8_to_w(it->text, text, 120);
        if (it->step[0])
            _snwprintf(step, 16, L"(%hs) ", it->step);
        tw = text_w(dc, a->font_small_bold, step) + text_w(dc, a->font_small, text) + ui_px(a, 18);
        {
            /* words wrap where they may break: what must fit is the widest piece (an
             * error name is never cut), the step label with the call on the first line */
            wchar_t pc[8][120];
            int glue[8];
            int np = pieces(text, pc, glue), must = text_w(dc, a->font_small_bold, step) + text_w(dc, a->font_small, pc[0]);
            for (int p = 1; p < np; p++)
                if (text_w(dc, a->font_small, pc[p]) > must)
                    must = text_w(dc, a->font_small, pc[p]);
            must += ui_px(a, 18);
            if (tw > hi && must > hi)
                tw = must; /* beyond the usual share: take what the unbreakable needs */
            else if (tw > hi)
                tw = hi;
        }
        if (tw > need[it->side])
            need[it->side] = tw;
    }
    for (int k = 0; k < SIDE_COUNT; k++) /* up to 40 % when an unbreakable piece needs it */
        need[k] = need[k] < lo ? lo : need[k] > w * 40 / 100 ? w * 40 / 100 : need[k];
    /* the middle keeps at least 28 %: arrows and their labels; state pills move outwards */
    if (w - need[0] - need[1] < w * 25 / 100) { /* the middle keeps 25 % for the arrows */
        int cut = need[0] + need[1] - w * 75 / 100, c0 = cut * need[0] / (need[0] + need[1]);
        need[0] -= c0;
        need[1] -= cut - c0;
    }
    lane_x[SIDE_CLIENT] = rc->left + need[SIDE_CLIENT];
    lane_x[SIDE_SERVER] = rc->right - need[SIDE_SERVER];
}

/* ---- the rows: each item's words, wrapped where they may break, never over another's - */

#define LINES_MAX 4

typedef struct ItemGeo {
    wchar_t line[LINES_MAX][120];
    int n;        /* lines */
    RECT box;     /* where its words are */
} ItemGeo;

/* Splits an item's words where a line may break: before " = ", after ", ", before " (",
 * and inside a call's name before its "(" (shutdown / (SD_SEND): glue[i] says such a
 * piece joins its predecessor without a space). The error name and what Windows does
 * are whole pieces: never cut. */
static int pieces(const wchar_t *t, wchar_t out[8][120], int glue[8])
{
    int n = 0;
    size_t len = 0;
    out[0][0] = L'\0';
    memset(glue, 0, 8 * sizeof *glue);
    for (const wchar_t *p = t; *p && n < 8; p++) {
        int brk = (p[0] == L' ' && (p[1] == L'=' || p[1] == L'(' || p[1] == L'{')) ||
                  (p > t && (p[-1] == L',' || p[-1] == L':') && p[0] == L' ');
        if (brk && len && n < 7) {
            out[n][len] = L'\0';
            n++;
            len = 0;
            continue; /* the space goes */
        }
        if (p[0] == L'(' && p > t && p[-1] != L' ' && n == 0 && len && n < 7) {
            out[n][len] = L'\0';
            n++;
            len = 0;
            glue[n] = 1; /* no space was there: none comes back when the pieces share a line */
        }
        if (len < 119)
            out[n][len++] = *p;
    }
    out[n][len] = L'\0';
    return n + 1;
}

/* Lays an item's words in lines of at most avail pixels: the step label and the call on
 * the first line, the rest (result, error name, what Windows does) packed after it. */
static void item_lines(App *a, HDC dc, const wchar_t *step, const wchar_t *text, int avail, ItemGeo *g)
{
    wchar_t pc[8][120];
    int glue[8];
    int np = pieces(text, pc, glue), sw = text_w(dc, a->font_small_bold, step);
    g->n = 1;
    wcscpy(g->line[0], pc[0]);
    for (int i = 1; i < np; i++) {
        wchar_t *cur = g->line[g->n - 1];
        wchar_t trial[240];
        int lead = g->n == 1 ? sw : 0;
        _snwprintf(trial, 240, glue[i] ? L"%ls%ls" : L"%ls %ls", cur, pc[i]);
        trial[239] = L'\0';
        if (lead + text_w(dc, a->font_small, trial) <= avail || g->n == LINES_MAX) {
            wcsncpy(cur, trial, 119);
            cur[119] = L'\0';
        } else {
            wcscpy(g->line[g->n++], pc[i]);
        }
    }
}

static int rects_meet(const RECT *x, const RECT *y)
{
    RECT t;
    return IntersectRect(&t, x, y);
}

static void paint_rows(App *a, HDC dc, const RECT *rc, const int lane_x[SIDE_COUNT], int top, int avail, int row_h,
                       int min_h)
{
    int nrows = a->items[a->nitems - 1].row + 1, first = 0, total, d = ui_px(a, 5), mid = (lane_x[0] + lane_x[1]) / 2;
    int *rh = calloc((size_t)nrows, sizeof *rh), *yc = calloc((size_t)nrows, sizeof *yc);
    ItemGeo *geo = calloc(a->nitems, sizeof *geo);
    RECT *taken = calloc(a->nitems * 2 + 2, sizeof *taken);
    int ntaken = 0, sl;
    TEXTMETRICW tm;
    wchar_t buf[160];
    if (!rh || !yc || !geo || !taken)
        goto out;
    SelectObject(dc, a->font_small);
    GetTextMetricsW(dc, &tm);
    sl = tm.tmHeight;
    /* each item's lines, in the room beside its lane */
    for (size_t i = 0; i < a->nitems; i++) {
        const UiItem *it = &a->items[i];
        wchar_t text[160], step[16] = L"";
        int room = it->side == SIDE_CLIENT ? lane_x[0] - d - ui_px(a, 6) - (rc->left + ui_px(a, 4))
                                           : rc->right - ui_px(a, 4) - (lane_x[1] + d + ui_px(a, 6));
        if (it->kind == LI_STATE)
            continue;
        if (it->kind == LI_BLOCKING) {
            double secs = a->blocking_since[it->side] ? (GetTickCount64() - a->blocking_since[it->side]) / 1000.0 : 0;
            ui_format(text, 160, IDS_LADDER_BLOCKING, secs);
        } else {
            utf8_to_w(it->text, text, 160);
        }
        if (it->step[0])
            _snwprintf(step, 16, L"(%hs) ", it->step);
        item_lines(a, dc, step, text, room, &geo[i]);
    }
    /* row heights: a row of wrapped words is taller; squeeze, then follow the latest */
    for (int pass = 0; pass < 2; pass++) {
        int base = pass ? min_h : row_h;
        for (int r = 0; r < nrows; r++)
            rh[r] = base;
        for (size_t i = 0; i < a->nitems; i++)
            if (geo[i].n > 1 && geo[i].n * sl + sl / 3 > rh[a->items[i].row])
                rh[a->items[i].row] = geo[i].n * sl + sl / 3;
        total = 0;
        for (int r = 0; r < nrows; r++)
            total += rh[r];
        if (total <= avail)
            break;
    }
    while (first < nrows - 1 && total > avail)
        total -= rh[first++];
    for (int r = first, y = top; r < nrows; r++) {
        yc[r] = y + rh[r] / 2;
        y += rh[r];
    }
    /* where each item's words and each pill go: arrow labels keep out of them */
    for (size_t i = 0; i < a->nitems; i++) {
        const UiItem *it = &a->items[i];
        ItemGeo *g = &geo[i];
        int w = 0, y = yc[it->row];
        if (it->row < first)
            continue;
        if (it->kind == LI_STATE) {
            utf8_to_w(it->text, buf, 160);
            taken[ntaken++] = pill_rect(a, dc, lane_x[it->side], y, buf, it->side, mid);
            continue;
        }
        for (int l = 0; l < g->n; l++) {
            wchar_t step[16] = L"";
            int lw;
            if (!l && it->step[0])
                _snwprintf(step, 16, L"(%hs) ", it->step);
            lw = text_w(dc, a->font_small_bold, step) + text_w(dc, a->font_small, g->line[l]);
            w = lw > w ? lw : w;
        }
        if (it->side == SIDE_CLIENT) {
            g->box.right = lane_x[0] - d - ui_px(a, 6);
            g->box.left = g->box.right - w;
            if (g->box.left < rc->left + ui_px(a, 4))
                g->box.left = rc->left + ui_px(a, 4);
        } else {
            g->box.left = lane_x[1] + d + ui_px(a, 6);
            g->box.right = g->box.left + w;
            if (g->box.right > rc->right - ui_px(a, 4))
                g->box.right = rc->right - ui_px(a, 4);
        }
        g->box.top = y - g->n * sl / 2;
        g->box.bottom = g->box.top + g->n * sl;
        taken[ntaken++] = g->box;
    }
    /* arrows first, so the lanes' words sit on top; each label where it meets nothing */
    for (size_t i = 0; i < a->nitems; i++) {
        const UiItem *it = &a->items[i];
        static const double along[] = {0.5, 0.3, 0.7, 0.15, 0.85};
        int y0, y1, x0, x1, lo = lane_x[0] + ui_px(a, 10), hi = lane_x[1] - ui_px(a, 10), lw, lh;
        RECT best = {0, 0, 0, 0};
        wchar_t l1[120], l2[40] = L"";
        if (it->arrow == AR_NONE || it->row < first)
            continue;
        y0 = yc[it->row];
        y1 = it->target >= 0 ? yc[a->items[it->target].row] : y0 + rh[it->row] / 2;
        x0 = lane_x[it->side];
        x1 = lane_x[!it->side];
        if (y1 < y0 + rh[it->row] / 3)
            y1 = y0 + rh[it->row] / 3;
        arrow_line(a, dc, x0, y0, x1, y1, arrow_color(a, it->arrow), it->arrow == AR_RST || it->target < 0);
        arrow_label(it->arrow, it, l1, 120);
        SelectObject(dc, a->font_small);
        if (text_w(dc, a->font_small, l1) > hi - lo) { /* "data 3,910,656 B" over "(inferred)" */
            wchar_t *p = wcsrchr(l1, L'(');
            if (p && p > l1) {
                wcsncpy(l2, p, 39);
                l2[39] = L'\0';
                p[-1] = L'\0';
            }
        }
        lw = text_w(dc, a->font_small, l1);
        if (l2[0] && text_w(dc, a->font_small, l2) > lw)
            lw = text_w(dc, a->font_small, l2);
        lw += ui_px(a, 6);
        lh = sl * (l2[0] ? 2 : 1);
        for (int c = 0; c < 10; c++) {
            double t = along[c / 2];
            int px = (int)(x0 + (x1 - x0) * t), py = (int)(y0 + (y1 - y0) * t), free_ = 1;
            RECT r;
            r.left = px - lw / 2;
            if (r.left + lw > hi)
                r.left = hi - lw;
            if (r.left < lo)
                r.left = lo;
            r.right = r.left + lw;
            r.top = c % 2 ? py + ui_px(a, 3) : py - lh - ui_px(a, 3);
            r.bottom = r.top + lh;
            for (int k = 0; k < ntaken && free_; k++)
                free_ = !rects_meet(&r, &taken[k]);
            if (!c)
                best = r;
            if (free_) {
                best = r;
                break;
            }
        }
        taken[ntaken++] = best;
        SetBkMode(dc, OPAQUE);
        SetBkColor(dc, ui_color(a, UC_BG));
        SetTextColor(dc, arrow_color(a, it->arrow));
        {
            RECT r1 = best, r2 = best;
            r1.bottom = r1.top + sl;
            text_at(dc, l1, r1, DT_CENTER);
            if (l2[0]) {
                r2.top = r1.bottom;
                text_at(dc, l2, r2, DT_CENTER);
            }
        }
        SetBkMode(dc, TRANSPARENT);
        if (ntaken >= (int)(a->nitems * 2 + 2))
            ntaken--;
    }
    /* the lanes' items: pills, then squares (calls) and dots (messages) with their words */
    for (size_t i = 0; i < a->nitems; i++) {
        const UiItem *it = &a->items[i];
        const ItemGeo *g = &geo[i];
        int y, x = lane_x[it->side];
        COLORREF c;
        wchar_t step[16] = L"";
        if (it->row < first)
            continue;
        y = yc[it->row];
        if (it->kind == LI_STATE) {
            SelectObject(dc, a->font_small);
            utf8_to_w(it->text, buf, 160);
            pill(a, dc, x, y, buf, ui_color(a, UC_LANE), it->side, mid);
            continue;
        }
        c = it->check_state == 3 || (it->error && it->error != 10035) ? ui_color(a, UC_ERROR)
            : it->check_state == 2 ? ui_color(a, UC_KNOWN_TEXT)
            : it->kind == LI_MESSAGE ? ui_color(a, UC_MESSAGE)
            : ui_color(a, it->side == SIDE_CLIENT ? UC_CLIENT : UC_SERVER);
        if (it->kind == LI_BLOCKING)
            c = ui_color(a, UC_ERROR);
        {
            HBRUSH br = CreateSolidBrush(c);
            RECT dot = {x - d, y - d, x + d, y + d};
            if (it->kind == LI_MESSAGE) {
                HGDIOBJ ob = SelectObject(dc, br), op = SelectObject(dc, GetStockObject(NULL_PEN));
                Ellipse(dc, dot.left, dot.top, dot.right + 1, dot.bottom + 1);
                SelectObject(dc, op);
                SelectObject(dc, ob);
            } else {
                FillRect(dc, &dot, br);
            }
            DeleteObject(br);
        }
        if (it->check_state == 2) { /* a known difference: amber behind the words */
            HBRUSH kb = CreateSolidBrush(ui_color(a, UC_KNOWN_BG));
            RECT hb = g->box;
            InflateRect(&hb, ui_px(a, 2), 1);
            FillRect(dc, &hb, kb);
            DeleteObject(kb);
        }
        if (it->step[0])
            _snwprintf(step, 16, L"(%hs) ", it->step);
        for (int l = 0; l < g->n; l++) {
            RECT r = g->box;
            int sw = l ? 0 : text_w(dc, a->font_small_bold, step);
            r.top = g->box.top + l * sl;
            r.bottom = r.top + sl;
            if (it->side == SIDE_CLIENT) {
                /* right-aligned to the lane; the step label keeps its place at the left */
                int lw = text_w(dc, a->font_small, g->line[l]);
                if (sw && lw + sw > r.right - r.left)
                    lw = r.right - r.left - sw;
                if (sw) {
                    RECT s2 = r;
                    s2.left = r.right - lw - sw;
                    s2.right = s2.left + sw;
                    SelectObject(dc, a->font_small_bold);
                    SetTextColor(dc, ui_color(a, UC_TEXT));
                    text_at(dc, step, s2, DT_LEFT);
                }
                r.left = r.right - lw;
                SelectObject(dc, a->font_small);
                SetTextColor(dc, c);
                text_at(dc, g->line[l], r, DT_RIGHT);
            } else {
                if (sw) {
                    SelectObject(dc, a->font_small_bold);
                    SetTextColor(dc, ui_color(a, UC_TEXT));
                    text_at(dc, step, r, DT_LEFT);
                    r.left += sw;
                }
                SelectObject(dc, a->font_small);
                SetTextColor(dc, c);
                text_at(dc, g->line[l], r, DT_LEFT);
            }
        }
    }
out:
    free(rh);
    free(yc);
    free(geo);
    free(taken);
    SelectObject(dc, a->font);
}

void ui_ladder_paint(App *a, HDC dc, const RECT *rc)
{
    int h = rc->bottom - rc->top, fh = a->font_h;
    int lane_x[SIDE_COUNT];
    int hdr_h = fh * 3, legend_h = fh * 2, top = rc->top + hdr_h + fh / 2;
    int avail = h - hdr_h - legend_h - fh, row_h = fh * 17 / 10, min_h = fh * 5 / 4;
    HBRUSH bg = CreateSolidBrush(ui_color(a, UC_BG));
    HGDIOBJ of = SelectObject(dc, a->font);
    wchar_t buf[160];
    FillRect(dc, rc, bg);
    DeleteObject(bg);
    lanes(a, dc, rc, lane_x);
    SetBkMode(dc, TRANSPARENT);
    /* lanes, titles and each end's TCP state now */
    for (int k = 0; k < SIDE_COUNT; k++) {
        wchar_t name[32];
        COLORREF c = ui_color(a, k == SIDE_CLIENT ? UC_CLIENT : UC_SERVER);
        HPEN pen = CreatePen(PS_SOLID, ui_px(a, 3), ui_color(a, UC_LANE));
        HGDIOBJ op = SelectObject(dc, pen);
        int mid = (lane_x[0] + lane_x[1]) / 2, half = lane_x[k] - (k == SIDE_CLIENT ? rc->left : mid);
        RECT r = {lane_x[k] - half, rc->top + fh / 4, lane_x[k] + half, rc->top + fh * 3 / 2};
        if (k == SIDE_SERVER) {
            half = rc->right - lane_x[k] < lane_x[k] - mid ? rc->right - lane_x[k] : lane_x[k] - mid;
            r.left = lane_x[k] - half;
            r.right = lane_x[k] + half;
        } else if (mid - lane_x[k] < half) {
            r.left = lane_x[k] - (mid - lane_x[k]);
            r.right = mid;
        }
        MoveToEx(dc, lane_x[k], rc->top + hdr_h, NULL);
        LineTo(dc, lane_x[k], rc->bottom - legend_h);
        SelectObject(dc, op);
        DeleteObject(pen);
        ui_load(k == SIDE_CLIENT ? IDS_COL_CLIENT : IDS_COL_SERVER, name, 32);
        ui_format(buf, 160, (Side)k == a->role ? IDS_YOU : IDS_PEER, name);
        {
            /* centred on its lane when it fits there, else in its half of the pane,
             * then in the bold font: never over the other end's title */
            HFONT f = text_w(dc, a->font_big, buf) <= (rc->right - rc->left) / 2 - ui_px(a, 8) ? a->font_big : a->font_bold;
            UINT al = DT_CENTER;
            if (text_w(dc, f, buf) > r.right - r.left) {
                r.left = k == SIDE_CLIENT ? rc->left + ui_px(a, 4) : mid;
                r.right = k == SIDE_CLIENT ? mid : rc->right - ui_px(a, 4);
                al = k == SIDE_CLIENT ? DT_LEFT : DT_RIGHT;
            }
            SelectObject(dc, f);
            SetTextColor(dc, c);
            text_at(dc, buf, r, al);
        }
        SelectObject(dc, a->font_bold);
        utf8_to_w(a->tcp_state[k][0] ? a->tcp_state[k] : "-", buf, 160);
        pill(a, dc, lane_x[k], rc->top + fh * 2 + fh / 4, buf, c, k, mid);
        SelectObject(dc, a->font);
    }
    if (!a->nitems) {
        RECT r = {rc->left + fh, top, rc->right - fh, top + fh * 2};
        ui_load(IDS_LADDER_EMPTY, buf, 160);
        SetTextColor(dc, ui_color(a, UC_DIM));
        text_at(dc, buf, r, DT_CENTER);
    }
    if (a->nitems)
        paint_rows(a, dc, rc, lane_x, top, avail, row_h, min_h);
    {
        RECT r = {rc->left + ui_px(a, 6), rc->bottom - legend_h, rc->right - ui_px(a, 6), rc->bottom};
        SelectObject(dc, a->font_small);
        SetTextColor(dc, ui_color(a, UC_DIM));
        ui_load(IDS_LADDER_LEGEND, buf, 160);
        DrawTextW(dc, buf, -1, &r, DT_CENTER | DT_WORDBREAK | DT_NOPREFIX);
    }
    SelectObject(dc, of);
}

/* ---- the window ------------------------------------------------------------------- */

static LRESULT CALLBACK ladder_proc(HWND hwnd, UINT msg, WPARAM wParam, LPARAM lParam)
{
    App *a = ui_panel_app(hwnd, msg, lParam);
    if (ui_panel_paint_msg(a, hwnd, msg, wParam, ui_ladder_paint))
        return msg == WM_ERASEBKGND;
    return DefWindowProcW(hwnd, msg, wParam, lParam);
}

ATOM ui_register_ladder(HINSTANCE inst)
{
    return ui_register_panel(inst, ladder_proc, UI_LADDER_CLASS);
}
