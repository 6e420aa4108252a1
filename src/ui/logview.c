/* logview.c: the event log, a virtual list view (LVS_OWNERDATA) over the lines the drain
 * appends: t (ms), side, step, what happened. Bursts of FD_READ / recv (and FD_WRITE /
 * send) on one side and step become one line that keeps counting, as the text format
 * does (format.c), so a storm of thousands of FD_READs stays a few lines. */
#include "ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../res/resource.h"
#include "wsaerr.h"

enum { COL_T, COL_SIDE, COL_STEP, COL_EVENT, NCOLS };

HWND ui_log_create(App *a, HWND parent)
{
    static const UINT ids[NCOLS] = {IDS_COL_TIME, IDS_COL_SIDE, IDS_COL_STEP, IDS_COL_EVENT};
    HWND lv = CreateWindowExW(0, WC_LISTVIEWW, L"",
                              WS_CHILD | WS_VISIBLE | WS_TABSTOP | LVS_REPORT | LVS_OWNERDATA | LVS_SINGLESEL |
                                  LVS_NOSORTHEADER,
                              0, 0, 0, 0, parent, (HMENU)(INT_PTR)IDC_LOG, a->inst, NULL);
    LVCOLUMNW col;
    wchar_t title[64];
    if (!lv)
        return NULL;
    ListView_SetExtendedListViewStyle(lv, LVS_EX_FULLROWSELECT | LVS_EX_DOUBLEBUFFER);
    memset(&col, 0, sizeof col);
    col.mask = LVCF_TEXT | LVCF_WIDTH;
    for (int i = 0; i < NCOLS; i++) {
        ui_load(ids[i], title, 64);
        col.pszText = title;
        col.cx = 100;
        ListView_InsertColumn(lv, i, &col);
    }
    return lv;
}

static int text_width(HDC dc, const wchar_t *s)
{
    SIZE sz = {0, 0};
    GetTextExtentPoint32W(dc, s, (int)wcslen(s), &sz);
    return sz.cx;
}

static void cell_text(const App *a, const UiLogLine *l, int col, wchar_t *buf, int size);

/* Column widths from the zoomed font: t fits a burst's range of times, side and step
 * their words; the event column takes the rest, or the widest line when that is wider
 * (then the log scrolls sideways instead of cutting the line). */
void ui_log_fonts(App *a)
{
    RECT rc;
    HDC dc = GetDC(a->log);
    HGDIOBJ old = SelectObject(dc, a->font_bold);
    HWND hdr = ListView_GetHeader(a->log);
    wchar_t w1[32], w2[32];
    int pad = ui_px(a, 14), t, side, step, ev;
    ui_load(IDS_COL_TIME, w1, 32);
    t = text_width(dc, L"99,999.999-99,999.999");
    if (text_width(dc, w1) > t)
        t = text_width(dc, w1);
    ui_load(IDS_COL_SIDE, w1, 32);
    ui_load(IDS_SERVER, w2, 32);
    side = text_width(dc, w1) > text_width(dc, w2) ? text_width(dc, w1) : text_width(dc, w2);
    ui_load(IDS_CLIENT, w2, 32);
    if (text_width(dc, w2) > side)
        side = text_width(dc, w2);
    ui_load(IDS_COL_STEP, w1, 32);
    step = text_width(dc, w1) > text_width(dc, L"(99')") ? text_width(dc, w1) : text_width(dc, L"(99')");
    SelectObject(dc, old);
    ReleaseDC(a->log, dc);
    if (hdr)
        SendMessageW(hdr, WM_SETFONT, (WPARAM)a->font, FALSE);
    t += pad;
    side += pad;
    step += pad;
    GetClientRect(a->log, &rc);
    ev = rc.right - t - side - step - GetSystemMetrics(SM_CXVSCROLL) - 4;
    if (ev < a->log_text_w + pad)
        ev = a->log_text_w + pad;
    ListView_SetColumnWidth(a->log, COL_T, t);
    ListView_SetColumnWidth(a->log, COL_SIDE, side);
    ListView_SetColumnWidth(a->log, COL_STEP, step);
    ListView_SetColumnWidth(a->log, COL_EVENT, ev);
}

/* The widest event text, measured as lines come and bursts grow (the last lines only). */
static void measure_lines(App *a)
{
    HDC dc;
    HGDIOBJ old;
    int wmax = a->log_text_w;
    size_t from = a->nlines > 64 && a->log_text_w ? a->nlines - 64 : 0; /* all, after a zoom */
    wchar_t buf[260];
    if (!a->nlines)
        return;
    dc = GetDC(a->log);
    old = SelectObject(dc, a->font);
    for (size_t i = from; i < a->nlines; i++) {
        int tw;
        cell_text(a, &a->lines[i], COL_EVENT, buf, 260);
        SelectObject(dc, a->lines[i].kind == EV_STEP ? a->font_bold : a->font); /* as drawn */
        if ((tw = text_width(dc, buf)) > wmax)
            wmax = tw;
    }
    SelectObject(dc, old);
    ReleaseDC(a->log, dc);
    if (wmax > a->log_text_w) {
        a->log_text_w = wmax;
        ui_log_fonts(a);
    }
}

void ui_log_reset(App *a)
{
    a->nlines = 0;
    a->log_text_w = 0;
    memset(a->last_state_line, 0, sizeof a->last_state_line);
    memset(a->burst, 0, sizeof a->burst);
    if (a->log)
        ListView_SetItemCountEx(a->log, 0, 0);
}

static UiLogLine *new_line(App *a)
{
    UiLogLine *l;
    if (a->nlines == a->caplines) {
        size_t cap = a->caplines ? a->caplines * 2 : 512;
        UiLogLine *p = realloc(a->lines, cap * sizeof *p);
        if (!p)
            return NULL;
        a->lines = p;
        a->caplines = cap;
    }
    l = &a->lines[a->nlines++];
    memset(l, 0, sizeof *l);
    return l;
}

static int burst_name(const char *name)
{
    return !strcmp(name, "FD_READ") || !strcmp(name, "FD_WRITE") || !strcmp(name, "recv") || !strcmp(name, "send");
}

static void burst_text(App *a, Side side)
{
    UiBurst *b = &a->burst[side];
    UiLogLine *l = &a->lines[b->line];
    char n[32], err[64];
    size_t len = 0;
    l->text[0] = '\0';
    for (int i = 0; i < b->n; i++) {
        err[0] = '\0';
        if (b->e[i].error)
            wsaerr_format(b->e[i].error, err, sizeof err);
        len += (size_t)snprintf(l->text + len, sizeof l->text - len, "%s%s x%s%s%s", i ? ", " : "", b->e[i].name,
                                format_thousands(b->e[i].count, n, sizeof n), err[0] ? " " : "", err);
        if (len >= sizeof l->text)
            return;
    }
    if (b->bytes > 0)
        snprintf(l->text + len, sizeof l->text - len, ", %s bytes", format_thousands(b->bytes, n, sizeof n));
}

/* Whether ev joined (or opened) its side's burst. */
static int add_to_burst(App *a, const Event *ev)
{
    UiBurst *b = &a->burst[ev->side];
    UiLogLine *l;
    int i;
    long long total = 0;
    if ((ev->kind != EV_MESSAGE && ev->kind != EV_CALL) || !burst_name(ev->name) || ev->stale)
        return 0;
    if (b->open && strcmp(b->step, ev->step))
        b->open = 0;
    if (b->open) {
        for (i = 0; i < b->n; i++)
            if (!strcmp(b->e[i].name, ev->name) && b->e[i].error == ev->error)
                break;
        if (i == b->n && b->n == BURST_NAMES)
            b->open = 0;
    }
    if (!b->open) {
        if (!(l = new_line(a)))
            return 1;
        memset(b, 0, sizeof *b);
        b->open = 1;
        b->line = a->nlines - 1;
        EVENT_SET(b->step, ev->step);
        l->t0 = l->t1 = ev->t_us;
        l->side = ev->side;
        l->kind = ev->kind;
        EVENT_SET(l->step, ev->step);
        format_event_line(ev, l->text, sizeof l->text);
        i = 0;
    }
    l = &a->lines[b->line];
    if (i == b->n) {
        b->n++;
        EVENT_SET(b->e[i].name, ev->name);
        b->e[i].error = ev->error;
        b->e[i].count = 0;
    }
    b->e[i].count++;
    if (ev->bytes > 0)
        b->bytes += ev->bytes;
    if (ev->t_us > l->t1)
        l->t1 = ev->t_us;
    if (ev->error && ev->error != 10035)
        l->bad = 1;
    for (int k = 0; k < b->n; k++)
        total += b->e[k].count;
    if (total > 1)
        burst_text(a, ev->side);
    return 1;
}

void ui_log_add(App *a, const Event *ev)
{
    UiLogLine *l;
    if (add_to_burst(a, ev))
        return;
    if (ev->kind == EV_STATE) {
        /* a state line only when that end's state changed, as the core's text format
         * does: compared as formatted, so it follows the core's wording */
        char line[240];
        format_event_line(ev, line, sizeof line);
        if (!strcmp(a->last_state_line[ev->side], line))
            return;
        snprintf(a->last_state_line[ev->side], sizeof a->last_state_line[ev->side], "%s", line);
    }
    a->burst[SIDE_CLIENT].open = a->burst[SIDE_SERVER].open = 0;
    if (!(l = new_line(a)))
        return;
    l->t0 = l->t1 = ev->t_us;
    l->side = ev->side;
    l->kind = ev->kind;
    EVENT_SET(l->step, ev->step);
    format_event_line(ev, l->text, sizeof l->text);
    if (ev->kind == EV_CHECK && !ev->ok)
        l->bad = ev->known_difference ? 1 : 2;
    else if ((ev->kind == EV_CALL || ev->kind == EV_MESSAGE) && ev->error && ev->error != 10035)
        l->bad = 1;
}

void ui_log_end(App *a, const Summary *sum)
{
    char x[32], y[32], z[32];
    for (int k = 0; k < SIDE_COUNT; k++) {
        UiLogLine *l = new_line(a);
        if (!l)
            return;
        l->t0 = l->t1 = sum->t_us;
        l->side = (Side)k;
        l->kind = EV_NOTE;
        snprintf(l->text, sizeof l->text, "sent %s bytes, received %s bytes, lost %s bytes",
                 format_thousands(sum->side[k].bytes_sent, x, sizeof x),
                 format_thousands(sum->side[k].bytes_received, y, sizeof y),
                 format_thousands(sum->side[k].bytes_lost, z, sizeof z));
    }
}

void ui_log_sync(App *a)
{
    ListView_SetItemCountEx(a->log, (int)a->nlines, LVSICF_NOSCROLL | LVSICF_NOINVALIDATEALL);
    measure_lines(a);
    InvalidateRect(a->log, NULL, FALSE);
    if (a->nlines)
        ListView_EnsureVisible(a->log, (int)a->nlines - 1, FALSE);
}

static void cell_text(const App *a, const UiLogLine *l, int col, wchar_t *buf, int size)
{
    wchar_t side[16];
    buf[0] = L'\0';
    switch (col) {
    case COL_T:
        if (l->t1 > l->t0)
            _snwprintf(buf, (size_t)size, L"%.3f-%.3f", l->t0 / 1000.0, l->t1 / 1000.0);
        else
            _snwprintf(buf, (size_t)size, L"%.3f", l->t0 / 1000.0);
        break;
    case COL_SIDE:
        ui_load(l->side == SIDE_CLIENT ? IDS_CLIENT : IDS_SERVER, side, 16);
        _snwprintf(buf, (size_t)size, L"%ls", side);
        break;
    case COL_STEP:
        if (l->step[0])
            _snwprintf(buf, (size_t)size, L"(%hs)", l->step);
        break;
    case COL_EVENT:
        MultiByteToWideChar(CP_UTF8, 0, l->text, -1, buf, size);
        break;
    }
    (void)a;
    buf[size - 1] = L'\0';
}

LRESULT ui_log_notify(App *a, NMHDR *nm)
{
    if (nm->code == LVN_GETDISPINFOW) {
        NMLVDISPINFOW *di = (NMLVDISPINFOW *)nm;
        if ((di->item.mask & LVIF_TEXT) && di->item.iItem >= 0 && (size_t)di->item.iItem < a->nlines &&
            di->item.cchTextMax > 0)
            cell_text(a, &a->lines[di->item.iItem], di->item.iSubItem, di->item.pszText, di->item.cchTextMax);
        return 0;
    }
    if (nm->code == NM_CUSTOMDRAW) {
        NMLVCUSTOMDRAW *cd = (NMLVCUSTOMDRAW *)nm;
        size_t i = cd->nmcd.dwItemSpec;
        if (cd->nmcd.dwDrawStage == CDDS_PREPAINT)
            return CDRF_NOTIFYITEMDRAW;
        if (cd->nmcd.dwDrawStage != CDDS_ITEMPREPAINT || i >= a->nlines)
            return CDRF_DODEFAULT;
        cd->clrTextBk = ui_color(a, UC_BG);
        if (a->lines[i].bad)
            cd->clrText = ui_color(a, UC_ERROR);
        else if (a->lines[i].kind == EV_STATE || a->lines[i].kind == EV_NOTE)
            cd->clrText = ui_color(a, UC_DIM);
        else if (a->lines[i].kind == EV_MESSAGE)
            cd->clrText = ui_color(a, UC_MESSAGE);
        else
            cd->clrText = ui_color(a, a->lines[i].side == SIDE_CLIENT ? UC_CLIENT : UC_SERVER);
        if (a->lines[i].kind == EV_STEP) {
            SelectObject(cd->nmcd.hdc, a->font_bold);
            return CDRF_NEWFONT;
        }
        return CDRF_DODEFAULT;
    }
    return 0;
}
