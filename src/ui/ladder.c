/* ladder.c: the ladder diagram, custom-drawn from the core's model (ladder.h). Painting
 * goes in stages over one geometry: the lanes are placed so each end's words fit beside
 * its lane; each item's words are laid in lines; the rows get their heights; the words
 * and pills are placed; the arrows are drawn with their labels where nothing else is;
 * then the items on top (the arrows are ladder_arrows.c's; every proportion has a name
 * in ladder_geo.h). */
#include "ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../res/resource.h"
#include "ladder_geo.h"

/* ---- small drawing helpers ---------------------------------------------------------- */

/* A state pill's rectangle: centred on its lane, pushed outwards when it would cross
 * the middle of the pane, so the two ends' pills never overlap. */
static RECT pill_rect(const App *a, HDC dc, int cx, int cy, const wchar_t *s, int side, int mid)
{
    SIZE sz = ui_text_size(dc, NULL, s);
    RECT r;
    int half, gap = ui_px(&a->theme, 3);
    half = sz.cx / 2 + ui_px(&a->theme, 8);
    if (side == SIDE_CLIENT && cx + half > mid - gap)
        cx = mid - gap - half;
    else if (side == SIDE_SERVER && cx - half < mid + gap)
        cx = mid + gap + half;
    r.left = cx - half;
    r.right = cx + half;
    r.top = cy - sz.cy / 2 - ui_px(&a->theme, 2);
    r.bottom = cy + sz.cy / 2 + ui_px(&a->theme, 2);
    return r;
}

static void pill(const App *a, HDC dc, int cx, int cy, const wchar_t *s, COLORREF border, int side, int mid)
{
    RECT r = pill_rect(a, dc, cx, cy, s, side, mid);
    HPEN pen = CreatePen(PS_SOLID, ui_px(&a->theme, 2) > 0 ? ui_px(&a->theme, 2) : 1, border);
    HBRUSH br = CreateSolidBrush(ui_color(&a->theme, UC_STATE_BG));
    HGDIOBJ op = SelectObject(dc, pen), ob = SelectObject(dc, br);
    RoundRect(dc, r.left, r.top, r.right, r.bottom, ui_px(&a->theme, 12), ui_px(&a->theme, 12));
    SelectObject(dc, ob);
    SelectObject(dc, op);
    DeleteObject(pen);
    DeleteObject(br);
    SetTextColor(dc, ui_color(&a->theme, UC_TEXT));
    ladder_text_at(dc, s, r, DT_CENTER);
}

/* An item's words as shown: the observation, how long a lingering close has blocked so
 * far, and what Windows does where a check says this differs. */
static void item_words(const App *a, const LadderItem *it, double blocking_secs, wchar_t *buf, int size)
{
    size_t n;
    if (it->kind == LI_BLOCKING) {
        ui_format(buf, (size_t)size, IDS_LADDER_BLOCKING, blocking_secs);
        return;
    }
    ui_wide(it->text, buf, size);
    n = wcslen(buf);
    if (it->windows[0] && n + 2 < (size_t)size) {
        buf[n++] = L' ';
        ui_format(buf + n, (size_t)size - n, it->check == VERDICT_DISPUTED ? IDS_LADDER_DISPUTED : IDS_LADDER_WINDOWS,
                  it->windows);
    }
    (void)a;
}

static double blocked_for(const App *a, Side side)
{
    ULONGLONG since = a->model.blocking_since[side];
    return since ? (GetTickCount64() - since) / 1000.0 : 0;
}

/* Splits an item's words where a line may break: before " = ", after ", ", before " (",
 * and inside a call's name before its "(" (shutdown / (SD_SEND): glue[i] says such a
 * piece joins its predecessor without a space). The error name and what Windows does
 * are whole pieces: never cut. */
static int pieces(const wchar_t *t, wchar_t out[PIECES_MAX][PIECE_MAX], int glue[PIECES_MAX])
{
    int n = 0;
    size_t len = 0;
    out[0][0] = L'\0';
    memset(glue, 0, PIECES_MAX * sizeof *glue);
    for (const wchar_t *p = t; *p && n < PIECES_MAX; p++) {
        int brk = (p[0] == L' ' && (p[1] == L'=' || p[1] == L'(' || p[1] == L'{')) ||
                  (p > t && (p[-1] == L',' || p[-1] == L':') && p[0] == L' ');
        if (brk && len && n < PIECES_MAX - 1) {
            out[n][len] = L'\0';
            n++;
            len = 0;
            continue; /* the space goes */
        }
        if (p[0] == L'(' && p > t && p[-1] != L' ' && n == 0 && len) {
            out[n][len] = L'\0';
            n++;
            len = 0;
            glue[n] = 1; /* no space was there: none comes back when the pieces share a line */
        }
        if (len < PIECE_MAX - 1)
            out[n][len++] = *p;
    }
    out[n][len] = L'\0';
    return n + 1;
}

static void step_label(const LadderItem *it, wchar_t step[16])
{
    step[0] = L'\0';
    if (it->step[0])
        _snwprintf(step, 16, L"(%hs) ", it->step);
    step[15] = L'\0';
}

/* ---- stage 1: the lanes -------------------------------------------------------------- */

/* The width an item's words want beside their lane: all of them on one line, or, when
 * that is more than the usual share, what the widest unbreakable piece needs. */
static int words_want(const App *a, HDC dc, const LadderItem *it, int usual)
{
    wchar_t text[PIECE_MAX], step[16], pc[PIECES_MAX][PIECE_MAX];
    int glue[PIECES_MAX], np, tw, must, pad = ui_px(&a->theme, 18);
    if (it->kind == LI_BLOCKING)
        ui_format(text, PIECE_MAX, IDS_LADDER_BLOCKING, 10.0);
    else
        item_words(a, it, 0, text, PIECE_MAX);
    step_label(it, step);
    tw = ui_text_w(dc, a->theme.font_small_bold, step) + ui_text_w(dc, a->theme.font_small, text) + pad;
    if (tw <= usual)
        return tw;
    np = pieces(text, pc, glue);
    must = ui_text_w(dc, a->theme.font_small_bold, step) + ui_text_w(dc, a->theme.font_small, pc[0]);
    for (int p = 1; p < np; p++)
        must = max(must, ui_text_w(dc, a->theme.font_small, pc[p]));
    return must + pad > usual ? must + pad : usual; /* beyond the usual share only for the unbreakable */
}

static void measure_lanes(const App *a, HDC dc, LadderGeo *g)
{
    const Ladder *m = &a->ladder.model;
    int w = g->rc.right - g->rc.left, need[SIDE_COUNT] = {0, 0};
    int lo = w * LANE_MIN_PCT / 100, usual = w * LANE_USUAL_PCT / 100, hi = w * LANE_MAX_PCT / 100;
    int middle = m->segments ? MIDDLE_WIRE_PCT : MIDDLE_MIN_PCT;
    for (size_t i = 0; i < m->n; i++)
        if (m->items[i].kind != LI_STATE && m->items[i].kind != LI_SEGMENT) /* a segment: words between the lanes */
            need[m->items[i].side] = max(need[m->items[i].side], words_want(a, dc, &m->items[i], usual));
    for (int k = 0; k < SIDE_COUNT; k++)
        need[k] = need[k] < lo ? lo : need[k] > hi ? hi : need[k];
    if (w - need[0] - need[1] < w * middle / 100) {
        int cut = need[0] + need[1] - w * (100 - middle) / 100, c0 = cut * need[0] / (need[0] + need[1]);
        need[0] -= c0;
        need[1] -= cut - c0;
    }
    g->lane_x[SIDE_CLIENT] = g->rc.left + need[SIDE_CLIENT];
    g->lane_x[SIDE_SERVER] = g->rc.right - need[SIDE_SERVER];
    g->mid = (g->lane_x[0] + g->lane_x[1]) / 2;
}

/* ---- stage 2: each item's lines -------------------------------------------------------- */

/* Lays an item's words in lines of at most avail pixels: the step label and the call on
 * the first line, the rest (result, error name, what Windows does) packed after it. */
/* A piece wider than the room (an error name and what Windows does, in a narrow lane: a
 * small screen or a high DPI) breaks at its last space that fits, or else between two
 * characters: wrapped words are read, words cut short with an ellipsis are not. */
static int split_wide(const App *a, HDC dc, wchar_t pc[PIECES_MAX][PIECE_MAX], int glue[PIECES_MAX], int np, int sw,
                      int avail)
{
    for (int i = 0; i < np && np < PIECES_MAX; i++) {
        int lead = i ? 0 : sw, len = (int)wcslen(pc[i]), fit = 0, at = 0;
        SIZE sz;
        SelectObject(dc, a->theme.font_small);
        if (lead + ui_text_w(dc, a->theme.font_small, pc[i]) <= avail || len < 2)
            continue;
        GetTextExtentExPointW(dc, pc[i], len, avail - lead > 0 ? avail - lead : 0, &fit, NULL, &sz);
        for (int k = fit; k > 0; k--)
            if (pc[i][k] == L' ') {
                at = k;
                break;
            }
        memmove(pc[i + 2], pc[i + 1], (size_t)(np - i - 1) * sizeof pc[0]);
        memmove(glue + i + 2, glue + i + 1, (size_t)(np - i - 1) * sizeof glue[0]);
        if (at > 0) { /* at a space, which goes */
            wcscpy(pc[i + 1], pc[i] + at + 1);
            glue[i + 1] = 0;
        } else {
            at = fit > 0 ? fit : 1;
            wcscpy(pc[i + 1], pc[i] + at);
            glue[i + 1] = 1;
        }
        pc[i][at] = L'\0';
        np++;
    }
    return np;
}

static void item_lines(const App *a, HDC dc, const wchar_t *step, const wchar_t *text, int avail, ItemGeo *ig)
{
    wchar_t pc[PIECES_MAX][PIECE_MAX];
    int glue[PIECES_MAX];
    int np = pieces(text, pc, glue), sw = ui_text_w(dc, a->theme.font_small_bold, step);
    np = split_wide(a, dc, pc, glue, np, sw, avail);
    ig->n = 1;
    wcscpy(ig->line[0], pc[0]);
    for (int i = 1; i < np; i++) {
        wchar_t *cur = ig->line[ig->n - 1];
        wchar_t trial[2 * PIECE_MAX];
        int lead = ig->n == 1 ? sw : 0;
        _snwprintf(trial, 2 * PIECE_MAX, glue[i] ? L"%ls%ls" : L"%ls %ls", cur, pc[i]);
        trial[2 * PIECE_MAX - 1] = L'\0';
        if (lead + ui_text_w(dc, a->theme.font_small, trial) <= avail || ig->n == LINES_MAX) {
            wcsncpy(cur, trial, PIECE_MAX - 1);
            cur[PIECE_MAX - 1] = L'\0';
        } else {
            wcscpy(ig->line[ig->n++], pc[i]);
        }
    }
}

static int words_room(const App *a, const LadderGeo *g, Side side)
{
    int gap = g->dot + ui_px(&a->theme, WORDS_GAP_PX), edge = ui_px(&a->theme, EDGE_PX);
    return side == SIDE_CLIENT ? g->lane_x[0] - gap - (g->rc.left + edge) : g->rc.right - edge - (g->lane_x[1] + gap);
}

static void measure_items(const App *a, HDC dc, LadderGeo *g)
{
    const Ladder *m = &a->ladder.model;
    for (size_t i = 0; i < m->n; i++) {
        const LadderItem *it = &m->items[i];
        wchar_t text[LADDER_TEXT_MAX + 64], step[16];
        if (it->kind == LI_SEGMENT) { /* its label, between the lanes: a taller row when it takes two lines */
            char label[LADDER_TEXT_MAX];
            ladder_segment_label(it, label, sizeof label);
            ui_wide(label, text, LADDER_TEXT_MAX);
            g->item[i].n = ui_text_w(dc, a->theme.font_small, text) > g->lane_x[1] - g->lane_x[0] - ui_px(&a->theme, 20)
                               ? 2 : 1;
            continue;
        }
        if (it->kind == LI_STATE)
            continue;
        item_words(a, it, blocked_for(a, it->side), text, LADDER_TEXT_MAX + 64);
        step_label(it, step);
        item_lines(a, dc, step, text, words_room(a, g, it->side), &g->item[i]);
    }
}

/* ---- stage 3: the rows' heights -------------------------------------------------------- */

/* A row of wrapped words is taller; when they do not all fit, the rows are squeezed, and
 * then the diagram follows the latest. */
static void row_heights(const App *a, LadderGeo *g)
{
    const Ladder *m = &a->ladder.model;
    int total = 0;
    for (int pass = 0; pass < 2; pass++) {
        int base = pass ? g->min_h : g->row_h;
        for (int r = 0; r < g->nrows; r++)
            g->rh[r] = base;
        for (size_t i = 0; i < m->n; i++) {
            int need = g->item[i].n * g->sl + g->sl / 3;
            if (m->items[i].row < 0)
                continue;
            if (m->items[i].kind == LI_SEGMENT) /* its label and a slope: as tall as its lines need */
                g->rh[m->items[i].row] = g->item[i].n * g->sl + g->sl * SEG_SLOPE_PCT / 100;
            else if (g->item[i].n > 1 && need > g->rh[m->items[i].row])
                g->rh[m->items[i].row] = need;
        }
        total = 0;
        for (int r = 0; r < g->nrows; r++)
            total += g->rh[r];
        if (total <= g->avail)
            break;
    }
    g->first = 0;
    while (g->first < g->nrows - 1 && total > g->avail)
        total -= g->rh[g->first++];
    for (int r = g->first, y = g->top; r < g->nrows; r++) {
        g->yc[r] = y + g->rh[r] / 2;
        y += g->rh[r];
    }
}

/* ---- stage 4: where the words and pills go ------------------------------------------------ */

static void place_items(const App *a, HDC dc, LadderGeo *g)
{
    const Ladder *m = &a->ladder.model;
    int gap = g->dot + ui_px(&a->theme, WORDS_GAP_PX), edge = ui_px(&a->theme, EDGE_PX);
    SelectObject(dc, a->theme.font_small);
    for (size_t i = 0; i < m->n; i++) {
        const LadderItem *it = &m->items[i];
        ItemGeo *ig = &g->item[i];
        int w = 0, y;
        wchar_t buf[LADDER_TEXT_MAX], step[16];
        if (it->row < g->first || it->kind == LI_SEGMENT) /* a segment's label is placed with its arrow */
            continue;
        y = g->yc[it->row];
        if (it->kind == LI_STATE) {
            ui_wide(it->text, buf, LADDER_TEXT_MAX);
            ladder_take(g, pill_rect(a, dc, g->lane_x[it->side], y, buf, it->side, g->mid));
            continue;
        }
        step_label(it, step);
        for (int l = 0; l < ig->n; l++)
            w = max(w, (l ? 0 : ui_text_w(dc, a->theme.font_small_bold, step)) +
                           ui_text_w(dc, a->theme.font_small, ig->line[l]));
        if (it->side == SIDE_CLIENT) {
            ig->box.right = g->lane_x[0] - gap;
            ig->box.left = max(ig->box.right - w, g->rc.left + edge);
        } else {
            ig->box.left = g->lane_x[1] + gap;
            ig->box.right = min(ig->box.left + w, g->rc.right - edge);
        }
        ig->box.top = y - ig->n * g->sl / 2;
        ig->box.bottom = ig->box.top + ig->n * g->sl;
        ladder_take(g, ig->box);
    }
}

/* ---- stage 6: the items on top ----------------------------------------------------------- */

static COLORREF item_color(const App *a, const LadderItem *it)
{
    if (it->kind == LI_BLOCKING || it->check == VERDICT_MISMATCH || (it->error && it->error != 10035))
        return ui_color(&a->theme, UC_ERROR);
    if (it->kind == LI_INFERRED) /* the other program's, inferred: never drawn as if observed */
        return ui_color(&a->theme, UC_DIM);
    if (it->check == VERDICT_KNOWN)
        return ui_color(&a->theme, UC_KNOWN_TEXT);
    if (it->check == VERDICT_DISPUTED)
        return ui_color(&a->theme, UC_DISPUTED);
    if (it->kind == LI_MESSAGE)
        return ui_color(&a->theme, UC_MESSAGE);
    return ui_color(&a->theme, it->side == SIDE_CLIENT ? UC_CLIENT : UC_SERVER);
}

/* A call is a square on its lane, a message a dot. */
static void marker(const App *a, HDC dc, const LadderGeo *g, const LadderItem *it, COLORREF c)
{
    int x = g->lane_x[it->side], y = g->yc[it->row], d = g->dot;
    HBRUSH br = CreateSolidBrush(c);
    RECT dot = {x - d, y - d, x + d, y + d};
    if (it->kind == LI_MESSAGE) {
        HGDIOBJ ob = SelectObject(dc, br), op = SelectObject(dc, GetStockObject(NULL_PEN));
        Ellipse(dc, dot.left, dot.top, dot.right + 1, dot.bottom + 1);
        SelectObject(dc, op);
        SelectObject(dc, ob);
    } else if (it->kind == LI_INFERRED) { /* hollow: nothing was observed on this lane */
        FrameRect(dc, &dot, br);
    } else {
        FillRect(dc, &dot, br);
    }
    DeleteObject(br);
    (void)a;
}

/* The item's lines: the client's right-aligned to its lane (the step label keeps its
 * place at the left of the first), the server's left-aligned. */
static void item_text_lines(const App *a, HDC dc, const LadderGeo *g, const LadderItem *it, const ItemGeo *ig,
                            COLORREF c)
{
    wchar_t step[16];
    step_label(it, step);
    for (int l = 0; l < ig->n; l++) {
        RECT r = ig->box;
        int sw = l ? 0 : ui_text_w(dc, a->theme.font_small_bold, step), lw;
        r.top = ig->box.top + l * g->sl;
        r.bottom = r.top + g->sl;
        if (it->side == SIDE_CLIENT) {
            lw = ui_text_w(dc, a->theme.font_small, ig->line[l]);
            if (sw && lw + sw > r.right - r.left)
                lw = r.right - r.left - sw;
            if (sw) {
                RECT s2 = r;
                s2.left = r.right - lw - sw;
                s2.right = s2.left + sw;
                SelectObject(dc, a->theme.font_small_bold);
                SetTextColor(dc, ui_color(&a->theme, UC_TEXT));
                ladder_text_at(dc, step, s2, DT_LEFT);
            }
            r.left = r.right - lw;
        } else if (sw) {
            SelectObject(dc, a->theme.font_small_bold);
            SetTextColor(dc, ui_color(&a->theme, UC_TEXT));
            ladder_text_at(dc, step, r, DT_LEFT);
            r.left += sw;
        }
        SelectObject(dc, a->theme.font_small);
        SetTextColor(dc, c);
        ladder_text_at(dc, ig->line[l], r, it->side == SIDE_CLIENT ? DT_RIGHT : DT_LEFT);
    }
}

static void paint_items(const App *a, HDC dc, const LadderGeo *g)
{
    const Ladder *m = &a->ladder.model;
    for (size_t i = 0; i < m->n; i++) {
        const LadderItem *it = &m->items[i];
        COLORREF c;
        if (it->row < g->first || it->kind == LI_SEGMENT)
            continue;
        if (it->kind == LI_STATE) {
            wchar_t buf[LADDER_TEXT_MAX];
            SelectObject(dc, a->theme.font_small);
            ui_wide(it->text, buf, LADDER_TEXT_MAX);
            pill(a, dc, g->lane_x[it->side], g->yc[it->row], buf, ui_color(&a->theme, UC_LANE), it->side, g->mid);
            continue;
        }
        c = item_color(a, it);
        marker(a, dc, g, it, c);
        if (it->check == VERDICT_KNOWN || it->check == VERDICT_DISPUTED) { /* amber: known; slate: disputed */
            HBRUSH kb = CreateSolidBrush(ui_color(&a->theme, it->check == VERDICT_KNOWN ? UC_KNOWN_BG : UC_DISPUTED_BG));
            RECT hb = g->item[i].box;
            InflateRect(&hb, ui_px(&a->theme, 2), 1);
            FillRect(dc, &hb, kb);
            DeleteObject(kb);
        }
        item_text_lines(a, dc, g, it, &g->item[i], c);
    }
}

/* ---- the frame: lanes, titles, each end's state now, the legend ------------------------ */

static void paint_lane(const App *a, HDC dc, const LadderGeo *g, Side k, int hdr_h, int legend_h)
{
    const RECT *rc = &g->rc;
    int fh = a->theme.font_h, half = g->lane_x[k] - (k == SIDE_CLIENT ? rc->left : g->mid);
    COLORREF c = ui_color(&a->theme, k == SIDE_CLIENT ? UC_CLIENT : UC_SERVER);
    HPEN pen = CreatePen(PS_SOLID, ui_px(&a->theme, 3), ui_color(&a->theme, UC_LANE));
    HGDIOBJ op = SelectObject(dc, pen);
    RECT r = {g->lane_x[k] - half, rc->top + fh / 4, g->lane_x[k] + half, rc->top + fh * 3 / 2};
    wchar_t name[32], buf[160];
    HFONT f;
    int room;
    UINT al = DT_CENTER;
    if (k == SIDE_SERVER) {
        half = min(rc->right - g->lane_x[k], g->lane_x[k] - g->mid);
        r.left = g->lane_x[k] - half;
        r.right = g->lane_x[k] + half;
    } else if (g->mid - g->lane_x[k] < half) {
        r.left = g->lane_x[k] - (g->mid - g->lane_x[k]);
        r.right = g->mid;
    }
    MoveToEx(dc, g->lane_x[k], rc->top + hdr_h, NULL);
    LineTo(dc, g->lane_x[k], rc->bottom - legend_h);
    SelectObject(dc, op);
    DeleteObject(pen);
    ui_load(k == SIDE_CLIENT ? IDS_COL_CLIENT : IDS_COL_SERVER, name, 32);
    ui_format(buf, 160, k == a->run.role ? IDS_YOU : ui_other_program(a) ? IDS_OTHER_PROGRAM : IDS_PEER, name);
    /* centred on its lane when it fits there, else in its half of the pane (up to the
     * middle between the lanes, which an end with few words leaves narrow), then in the
     * bold font, then the small one: never over the other end's title */
    room = (k == SIDE_CLIENT ? g->mid - rc->left : rc->right - g->mid) - ui_px(&a->theme, 8);
    f = ui_text_w(dc, a->theme.font_big, buf) <= room    ? a->theme.font_big
        : ui_text_w(dc, a->theme.font_bold, buf) <= room ? a->theme.font_bold
                                                         : a->theme.font_small_bold;
    if (ui_text_w(dc, f, buf) > r.right - r.left) {
        r.left = k == SIDE_CLIENT ? rc->left + ui_px(&a->theme, 4) : g->mid;
        r.right = k == SIDE_CLIENT ? g->mid : rc->right - ui_px(&a->theme, 4);
        al = k == SIDE_CLIENT ? DT_LEFT : DT_RIGHT;
    }
    SelectObject(dc, f);
    SetTextColor(dc, c);
    ladder_text_at(dc, buf, r, al);
    SelectObject(dc, a->theme.font_bold);
    ui_wide(a->model.tcp_state[k] ? tcp_state_label(a->model.tcp_state[k]) : "-", buf, 160);
    pill(a, dc, g->lane_x[k], rc->top + fh * 2 + fh / 4, buf, c, k, g->mid);
}

/* The legend's words (in buf, 300): what the arrows are, or that events are missing. */
static void legend_text(const App *a, wchar_t *buf)
{
    wchar_t label[160];
    if (a->ladder.model.dropped) { /* said, not hidden: some events are missing here */
        ui_format(buf, 160, IDS_LADDER_DROPPED, (int)a->ladder.model.dropped);
    } else if (a->ladder.model.segments) { /* a capture was read: solid is observed, dashed inferred */
        wchar_t acks[32]; /* a recording says so in the title, the status and the pane: not here, for room */
        ui_load(a->ladder.model.pure_acks ? IDS_LADDER_ACKS_SHOWN : IDS_LADDER_ACKS_HIDDEN, acks, 32);
        ui_format(buf, 300, IDS_LADDER_LEGEND_WIRE, acks);
    } else if (ui_replay_label(a, label, 160)) {
        ui_format(buf, 300, IDS_LADDER_LEGEND_REPLAY, label);
    } else if (ui_other_program(a)) { /* the other lane is what this end saw of the program */
        wchar_t you[16], other[16];
        ui_load(a->run.role == SIDE_CLIENT ? IDS_CLIENT : IDS_SERVER, you, 16);
        ui_load(a->run.role == SIDE_CLIENT ? IDS_SERVER : IDS_CLIENT, other, 16);
        ui_format(buf, 300, IDS_LADDER_LEGEND_EXTERNAL, you, other);
    } else {
        ui_load(IDS_LADDER_LEGEND, buf, 160);
    }
}

static RECT legend_rect(const App *a, const LadderGeo *g, int legend_h)
{
    RECT r = {g->rc.left + ui_px(&a->theme, 6), g->rc.bottom - legend_h, g->rc.right - ui_px(&a->theme, 6), g->rc.bottom};
    return r;
}

/* Its height: two lines of the body font, or what its words take wrapped in the pane
 * (three lines at a large zoom), up to a quarter of the pane: the rows keep the rest. */
static int legend_height(const App *a, HDC dc, const LadderGeo *g)
{
    wchar_t buf[300];
    RECT r = legend_rect(a, g, 0);
    int two = a->theme.font_h * 2, h, most = (g->rc.bottom - g->rc.top) / 4;
    legend_text(a, buf);
    SelectObject(dc, a->theme.font_small);
    DrawTextW(dc, buf, -1, &r, DT_CENTER | DT_WORDBREAK | DT_NOPREFIX | DT_CALCRECT);
    h = r.bottom - r.top + a->theme.font_h / 4;
    if (h > most)
        h = most;
    return h > two ? h : two;
}

static void paint_legend(const App *a, HDC dc, const LadderGeo *g, int legend_h)
{
    RECT r = legend_rect(a, g, legend_h);
    wchar_t buf[300];
    legend_text(a, buf);
    SelectObject(dc, a->theme.font_small);
    SetTextColor(dc, ui_color(&a->theme, a->ladder.model.dropped ? UC_ERROR : UC_DIM));
    DrawTextW(dc, buf, -1, &r, DT_CENTER | DT_WORDBREAK | DT_NOPREFIX);
}

static void paint_rows(App *a, HDC dc, LadderGeo *g)
{
    size_t n = a->ladder.model.n;
    g->nrows = a->ladder.model.rows;
    g->rh = calloc((size_t)g->nrows + 1, sizeof *g->rh);
    g->yc = calloc((size_t)g->nrows + 1, sizeof *g->yc);
    g->item = calloc(n, sizeof *g->item);
    g->cap_taken = (int)n * 2 + 2;
    g->taken = calloc((size_t)g->cap_taken, sizeof *g->taken);
    if (g->rh && g->yc && g->item && g->taken) {
        SelectObject(dc, a->theme.font_small);
        measure_items(a, dc, g);
        row_heights(a, g);
        place_items(a, dc, g);
        ladder_paint_arrows(a, dc, g);
        paint_items(a, dc, g);
    }
    free(g->rh);
    free(g->yc);
    free(g->item);
    free(g->taken);
}

void ui_ladder_paint(App *a, HDC dc, const RECT *rc)
{
    LadderGeo g;
    int fh = a->theme.font_h, hdr_h = fh * 3, legend_h;
    HBRUSH bg = CreateSolidBrush(ui_color(&a->theme, UC_BG));
    HGDIOBJ of = SelectObject(dc, a->theme.font);
    TEXTMETRICW tm;
    memset(&g, 0, sizeof g);
    g.rc = *rc;
    legend_h = legend_height(a, dc, &g);
    g.top = rc->top + hdr_h + fh / 2;
    g.avail = rc->bottom - rc->top - hdr_h - legend_h - fh;
    g.row_h = fh * ROW_PCT / 100;
    g.min_h = fh * ROW_MIN_PCT / 100;
    g.dot = ui_px(&a->theme, DOT_PX);
    SelectObject(dc, a->theme.font_small);
    GetTextMetricsW(dc, &tm);
    g.sl = tm.tmHeight;
    FillRect(dc, rc, bg);
    DeleteObject(bg);
    measure_lanes(a, dc, &g);
    SetBkMode(dc, TRANSPARENT);
    for (int k = 0; k < SIDE_COUNT; k++)
        paint_lane(a, dc, &g, (Side)k, hdr_h, legend_h);
    if (!a->ladder.model.n) {
        RECT r = {rc->left + fh, g.top, rc->right - fh, g.top + fh * 2};
        wchar_t buf[160];
        SelectObject(dc, a->theme.font);
        ui_load(IDS_LADDER_EMPTY, buf, 160);
        SetTextColor(dc, ui_color(&a->theme, UC_DIM));
        ladder_text_at(dc, buf, r, DT_CENTER);
    } else {
        paint_rows(a, dc, &g);
    }
    paint_legend(a, dc, &g, legend_h);
    SelectObject(dc, of);
}

/* ---- the window ------------------------------------------------------------------------- */

static LRESULT CALLBACK ladder_proc(HWND hwnd, UINT msg, WPARAM wParam, LPARAM lParam)
{
    App *a = ui_panel_app(hwnd, msg, lParam);
    if (msg == WM_PAINT || msg == WM_PRINTCLIENT)
        ladder_cuts(1);
    if (ui_panel_paint_msg(a, hwnd, msg, wParam, ui_ladder_paint)) {
        /* words this paint cut short (an ellipsis), for tests/gui/test_dpi.c to read */
        if (msg == WM_PAINT || msg == WM_PRINTCLIENT)
            SetPropW(hwnd, UI_LADDER_CUTS_PROP, (HANDLE)(INT_PTR)(ladder_cuts(0) + 1));
        return msg == WM_ERASEBKGND;
    }
    if (msg == WM_NCDESTROY)
        RemovePropW(hwnd, UI_LADDER_CUTS_PROP);
    return DefWindowProcW(hwnd, msg, wParam, lParam);
}

ATOM ui_register_ladder(HINSTANCE inst)
{
    return ui_register_panel(inst, ladder_proc, UI_LADDER_CLASS);
}
