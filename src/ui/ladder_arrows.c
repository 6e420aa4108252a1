/* ladder_arrows.c: the ladder's arrows (ladder_geo.h): what each call sent, inferred
 * (dashed beside a capture, and said seen on the wire when it was), and the segments a
 * capture observed (solid, at their capture time, labelled with flags, seq and ack). */
#include "ui.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../res/resource.h"
#include "capture.h"
#include "ladder_geo.h"

static int g_cuts; /* painting happens on the window's thread only */

void ladder_text_at(HDC dc, const wchar_t *s, RECT r, UINT fmt)
{
    SIZE sz;
    if (s[0] && GetTextExtentPoint32W(dc, s, (int)wcslen(s), &sz) && sz.cx > r.right - r.left)
        g_cuts++;
    DrawTextW(dc, s, -1, &r, fmt | DT_SINGLELINE | DT_VCENTER | DT_NOPREFIX | DT_END_ELLIPSIS);
}

int ladder_cuts(int reset)
{
    int n = g_cuts;
    if (reset)
        g_cuts = 0;
    return n;
}

void ladder_take(LadderGeo *g, RECT r)
{
    if (g->ntaken < g->cap_taken)
        g->taken[g->ntaken++] = r;
}

static void arrow_line(const App *a, HDC dc, POINT from, POINT to, COLORREF c, int dashed)
{
    LOGBRUSH lb = {BS_SOLID, c, 0};
    int w = ui_px(&a->theme, ARROW_PEN_PX);
    HPEN pen = ExtCreatePen(PS_GEOMETRIC | (dashed ? PS_DASH : PS_SOLID) | PS_ENDCAP_FLAT, (DWORD)w, &lb, 0, NULL);
    HBRUSH br = CreateSolidBrush(c);
    HGDIOBJ op = SelectObject(dc, pen), ob;
    double ang = atan2(to.y - from.y, to.x - from.x), hl = ui_px(&a->theme, ARROW_HEAD_PX),
           hw = ui_px(&a->theme, ARROW_HALF_PX);
    POINT head[3];
    MoveToEx(dc, from.x, from.y, NULL);
    LineTo(dc, to.x - (int)lround(cos(ang) * hl * 0.8), to.y - (int)lround(sin(ang) * hl * 0.8));
    SelectObject(dc, op);
    DeleteObject(pen);
    head[0] = to;
    head[1].x = to.x - (int)lround(cos(ang) * hl - sin(ang) * hw);
    head[1].y = to.y - (int)lround(sin(ang) * hl + cos(ang) * hw);
    head[2].x = to.x - (int)lround(cos(ang) * hl + sin(ang) * hw);
    head[2].y = to.y - (int)lround(sin(ang) * hl - cos(ang) * hw);
    pen = CreatePen(PS_SOLID, 1, c);
    op = SelectObject(dc, pen);
    ob = SelectObject(dc, br);
    Polygon(dc, head, 3);
    SelectObject(dc, ob);
    SelectObject(dc, op);
    DeleteObject(pen);
    DeleteObject(br);
}

static COLORREF arrow_color(const App *a, WireKind k)
{
    return ui_color(&a->theme, k == WIRE_DATA ? UC_DATA : k == WIRE_FIN ? UC_FIN : UC_RST);
}

/* "FIN (inferred)", or once a capture saw it "FIN (inferred; on the wire at 12.4 ms)" */
static void arrow_label(WireKind k, const LadderItem *it, wchar_t *buf, int size)
{
    wchar_t what[48], inferred[64];
    char n[32];
    if (it->seen)
        ui_format(inferred, 64, IDS_LADDER_SEEN, it->seen_us / 1000.0);
    else
        ui_load(IDS_LADDER_INFERRED, inferred, 64);
    if (k == WIRE_DATA)
        ui_format(what, 48, IDS_LADDER_DATA, format_thousands(it->bytes, n, sizeof n));
    else
        ui_load(k == WIRE_FIN ? IDS_LADDER_FIN : IDS_LADDER_RST, what, 48);
    _snwprintf(buf, (size_t)size, L"%ls (%ls)", what, inferred);
    buf[size - 1] = L'\0';
}

/* ---- stage 5: the arrows -------------------------------------------------------------- */

/* Where an arrow's label goes: the first of ten places along it, above or below, that
 * meets nothing already there (else the first). */
static long overlap(const LadderGeo *g, const RECT *r)
{
    long sum = 0;
    for (int k = 0; k < g->ntaken; k++) {
        RECT t;
        if (IntersectRect(&t, r, &g->taken[k]))
            sum += (long)(t.right - t.left) * (t.bottom - t.top);
    }
    return sum;
}

/* Where an arrow's label goes: the first of ten places along it, above or below, that
 * meets nothing already there; else the one that covers least of what is there. */
static RECT label_place(const App *a, const LadderGeo *g, POINT from, POINT to, int lw, int lh)
{
    static const double along[] = {0.5, 0.3, 0.7, 0.15, 0.85};
    int lo = g->lane_x[0] + ui_px(&a->theme, 10), hi = g->lane_x[1] - ui_px(&a->theme, 10);
    int gap = ui_px(&a->theme, LABEL_GAP_PX);
    RECT best = {0, 0, 0, 0};
    long least = -1;
    for (int c = 0; c < 10 && least != 0; c++) {
        double t = along[c / 2];
        int px = (int)(from.x + (to.x - from.x) * t), py = (int)(from.y + (to.y - from.y) * t);
        long o;
        RECT r;
        r.left = px - lw / 2;
        if (r.left + lw > hi)
            r.left = hi - lw;
        if (r.left < lo)
            r.left = lo;
        r.right = r.left + lw;
        r.top = c % 2 ? py + gap : py - lh - gap;
        r.bottom = r.top + lh;
        if (least < 0 || (o = overlap(g, &r)) < least) {
            least = least < 0 ? overlap(g, &r) : o;
            best = r;
        }
    }
    return best;
}

/* Where a label line too wide for the middle breaks: before "(inferred...)", after its
 * "; ", before an observed one's "seq ...". NULL: nowhere. */
static wchar_t *label_break(wchar_t *l)
{
    wchar_t *p = wcsrchr(l, L'(');
    if (p && p > l)
        return p;
    if ((p = wcsstr(l, L"; ")) != NULL)
        return p + 2;
    return (p = wcsstr(l, L" seq ")) != NULL ? p + 1 : NULL;
}

/* An arrow and its label, on as many lines (up to three) as the middle needs. */
static void labelled_arrow(const App *a, HDC dc, LadderGeo *g, POINT from, POINT to, COLORREF c, int dashed,
                           const wchar_t *label)
{
    int width = g->lane_x[1] - g->lane_x[0] - ui_px(&a->theme, 20), lw = 0, n = 1;
    wchar_t line[LABEL_LINES][PIECE_MAX];
    RECT at;
    arrow_line(a, dc, from, to, c, dashed);
    memset(line, 0, sizeof line);
    wcsncpy(line[0], label, PIECE_MAX - 1);
    while (n < LABEL_LINES && ui_text_w(dc, a->theme.font_small, line[n - 1]) > width) {
        wchar_t *p = label_break(line[n - 1]);
        if (!p || p == line[n - 1])
            break;
        wcscpy(line[n], p);
        p[-1] = L'\0'; /* the space (or the "; "'s) before the break goes */
        n++;
    }
    for (int k = 0; k < n; k++)
        lw = max(lw, ui_text_w(dc, a->theme.font_small, line[k]));
    lw += ui_px(&a->theme, 6);
    at = label_place(a, g, from, to, lw, g->sl * n);
    ladder_take(g, at);
    if (g->labels) { /* drawn once every arrow is: no line crosses a label */
        ArrowLabel *al = &g->labels[g->nlabels++];
        al->at = at;
        al->c = c;
        memcpy(al->line, line, sizeof line);
    }
}

static void paint_labels(const App *a, HDC dc, const LadderGeo *g)
{
    SelectObject(dc, a->theme.font_small);
    SetBkMode(dc, OPAQUE);
    SetBkColor(dc, ui_color(&a->theme, UC_BG));
    for (int i = 0; i < g->nlabels; i++) {
        RECT at = g->labels[i].at;
        SetTextColor(dc, g->labels[i].c);
        at.bottom = at.top + g->sl;
        for (int k = 0; k < LABEL_LINES && g->labels[i].line[k][0]; k++) {
            ladder_text_at(dc, g->labels[i].line[k], at, DT_CENTER);
            OffsetRect(&at, 0, g->sl);
        }
    }
    SetBkMode(dc, TRANSPARENT);
}

int ui_ladder_dashed(const App *a, const LadderItem *it)
{
    if (it->kind == LI_SEGMENT)
        return 0; /* observed: solid */
    /* inferred: dashed beside a capture's solid arrows; without one, an RST or an arrow
     * that reaches nothing */
    return a->ladder.model.segments > 0 || it->arrow == WIRE_RST || it->target < 0;
}

/* What a call sent, inferred: from its row to the first event of the other end that
 * can report it. */
static void paint_arrow(const App *a, HDC dc, LadderGeo *g, const LadderItem *it)
{
    const Ladder *m = &a->ladder.model;
    POINT from, to;
    wchar_t label[PIECE_MAX];
    from.x = g->lane_x[it->side];
    from.y = g->yc[it->row];
    to.x = g->lane_x[!it->side];
    to.y = it->target >= 0 ? g->yc[m->items[it->target].row] : from.y + g->rh[it->row] / 2;
    if (to.y < from.y + g->rh[it->row] / 3)
        to.y = from.y + g->rh[it->row] / 3;
    arrow_label(it->arrow, it, label, PIECE_MAX);
    labelled_arrow(a, dc, g, from, to, arrow_color(a, it->arrow), ui_ladder_dashed(a, it), label);
}

/* A segment the capture saw, at its own row: across to the receiver, a little lower
 * (it travels), in its kind's colour (the handshake and pure ACKs grey). */
static void paint_segment(const App *a, HDC dc, LadderGeo *g, const LadderItem *it)
{
    char label[LADDER_TEXT_MAX];
    wchar_t w[PIECE_MAX];
    POINT from, to;
    uint8_t f = it->seg.flags;
    int c = f & TCPF_RST ? UC_RST : f & TCPF_FIN ? UC_FIN : it->bytes > 0 && !(f & TCPF_SYN) ? UC_DATA : UC_DIM;
    int top = g->yc[it->row] - g->rh[it->row] / 2, lines = g->item[it - a->ladder.model.items].n;
    from.x = g->lane_x[it->side];
    from.y = top + max(lines, 1) * g->sl + ui_px(&a->theme, LABEL_GAP_PX); /* its label above, in its row */
    to.x = g->lane_x[!it->side];
    to.y = top + g->rh[it->row] - 1;
    if (to.y < from.y + 2)
        to.y = from.y + 2;
    ladder_segment_label(it, label, sizeof label);
    ui_wide(label, w, PIECE_MAX);
    labelled_arrow(a, dc, g, from, to, ui_color(&a->theme, c), 0, w);
}

void ladder_paint_arrows(const App *a, HDC dc, LadderGeo *g)
{
    const Ladder *m = &a->ladder.model;
    g->labels = calloc(m->n + 1, sizeof *g->labels); /* none drawn without memory: the arrows still are */
    g->nlabels = 0;
    /* the observed first: each keeps its own row's place for its label, and the inferred
     * ones, which span rows, find theirs around them */
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < m->n; i++) {
            if (m->items[i].row < g->first)
                continue;
            if (!pass && m->items[i].kind == LI_SEGMENT)
                paint_segment(a, dc, g, &m->items[i]);
            else if (pass && m->items[i].arrow != WIRE_NONE)
                paint_arrow(a, dc, g, &m->items[i]);
        }
    if (g->labels)
        paint_labels(a, dc, g);
    free(g->labels);
    g->labels = NULL;
}
