/* logview.c: the event log (logview.h), a virtual list view (LVS_OWNERDATA) over the
 * core's LineLog: the text transcript's own lines, and, after the last, a line saying how
 * many could not be kept if memory ran out. */
#include "ui.h"

#include <stdio.h>
#include <string.h>

#include "../../res/resource.h"

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

static size_t dropped(const App *a)
{
    return a->log.lines.dropped + a->model.records_dropped;
}

/* How many lines the view shows: the log's, and one more to say what was lost. */
static size_t line_count(const App *a)
{
    return linelog_count(&a->log.lines) + (dropped(a) ? 1 : 0);
}

/* Line i; the last, when lines were lost, says so. */
static void line_at(const App *a, size_t i, GroupLine *l)
{
    if (linelog_get(&a->log.lines, i, l))
        return;
    memset(l, 0, sizeof *l);
    l->kind = EV_NOTE;
    l->bad = 2;
    {
        wchar_t w[120];
        ui_format(w, 120, IDS_LOG_DROPPED, (int)dropped(a));
        WideCharToMultiByte(CP_UTF8, 0, w, -1, l->text, sizeof l->text, NULL, NULL);
    }
}

static void cell_text(const GroupLine *l, int col, wchar_t *buf, int size)
{
    buf[0] = L'\0';
    switch (col) {
    case COL_T:
        if (l->t1 > l->t0)
            _snwprintf(buf, (size_t)size, L"%.3f-%.3f", l->t0 / 1000.0, l->t1 / 1000.0);
        else
            _snwprintf(buf, (size_t)size, L"%.3f", l->t0 / 1000.0);
        break;
    case COL_SIDE:
        ui_load(l->side == SIDE_CLIENT ? IDS_CLIENT : IDS_SERVER, buf, size);
        break;
    case COL_STEP:
        if (l->step[0])
            _snwprintf(buf, (size_t)size, L"(%hs)", l->step);
        break;
    case COL_EVENT:
        ui_wide(l->text, buf, size);
        break;
    }
    buf[size - 1] = L'\0';
}

/* Column widths from the zoomed font: t fits a burst's range of times, side and step
 * their words; the event column takes the rest, or the widest line when that is wider
 * (then the log scrolls sideways instead of cutting the line). */
void ui_log_fonts(App *a)
{
    RECT rc;
    HDC dc = GetDC(a->log.hwnd);
    HFONT fb = a->theme.font_bold;
    HWND hdr = ListView_GetHeader(a->log.hwnd);
    wchar_t w1[32], w2[32], w3[32];
    int pad = ui_px(&a->theme, 14), t, side, step, ev;
    ui_load(IDS_COL_TIME, w1, 32);
    t = max(ui_text_w(dc, fb, L"99,999.999-99,999.999"), ui_text_w(dc, fb, w1));
    ui_load(IDS_COL_SIDE, w1, 32);
    ui_load(IDS_SERVER, w2, 32);
    ui_load(IDS_CLIENT, w3, 32);
    side = max(ui_text_w(dc, fb, w1), max(ui_text_w(dc, fb, w2), ui_text_w(dc, fb, w3)));
    ui_load(IDS_COL_STEP, w1, 32);
    step = max(ui_text_w(dc, fb, w1), ui_text_w(dc, fb, L"(99')"));
    ReleaseDC(a->log.hwnd, dc);
    if (hdr)
        SendMessageW(hdr, WM_SETFONT, (WPARAM)a->theme.font, FALSE);
    t += pad;
    side += pad;
    step += pad;
    GetClientRect(a->log.hwnd, &rc);
    ev = rc.right - t - side - step - GetSystemMetrics(SM_CXVSCROLL) - 4;
    if (ev < a->log.text_w + pad)
        ev = a->log.text_w + pad;
    ListView_SetColumnWidth(a->log.hwnd, COL_T, t);
    ListView_SetColumnWidth(a->log.hwnd, COL_SIDE, side);
    ListView_SetColumnWidth(a->log.hwnd, COL_STEP, step);
    ListView_SetColumnWidth(a->log.hwnd, COL_EVENT, ev);
}

/* The widest event text, measured as lines come and bursts grow (the last lines only). */
static void measure_lines(App *a)
{
    HDC dc;
    int wmax = a->log.text_w;
    size_t n = line_count(a), from = n > 64 && a->log.text_w ? n - 64 : 0; /* all, after a zoom */
    wchar_t buf[GROUP_TEXT_MAX];
    if (!n)
        return;
    dc = GetDC(a->log.hwnd);
    for (size_t i = from; i < n; i++) {
        GroupLine l;
        int tw;
        line_at(a, i, &l);
        cell_text(&l, COL_EVENT, buf, GROUP_TEXT_MAX);
        tw = ui_text_w(dc, l.kind == EV_STEP ? a->theme.font_bold : a->theme.font, buf); /* as drawn */
        if (tw > wmax)
            wmax = tw;
    }
    ReleaseDC(a->log.hwnd, dc);
    if (wmax > a->log.text_w) {
        a->log.text_w = wmax;
        ui_log_fonts(a);
    }
}

void ui_log_reset(App *a)
{
    linelog_reset(&a->log.lines);
    linelog_set_scenario(&a->log.lines, a->run.sc); /* its showed sentences, as the text says them */
    a->log.text_w = 0;
    if (a->log.hwnd)
        ListView_SetItemCountEx(a->log.hwnd, 0, 0);
}

/* The end of the run: the open bursts become lines, then each end's byte counts. */
void ui_log_end(App *a, const Summary *sum)
{
    char x[32], y[32], z[32];
    linelog_flush(&a->log.lines);
    for (int k = 0; k < SIDE_COUNT; k++) {
        GroupLine l;
        memset(&l, 0, sizeof l);
        l.t0 = l.t1 = sum->t_us;
        l.side = (Side)k;
        l.kind = EV_NOTE;
        format_thousands(sum->side[k].bytes_sent, x, sizeof x);
        format_thousands(sum->side[k].bytes_received, y, sizeof y);
        format_thousands(sum->side[k].bytes_lost, z, sizeof z);
        /* against another program, as the transcript says it: its counts are not observed,
         * and what this end sent is not known to have arrived */
        if (sum->peer != PEER_EMBEDDED && k != (int)a->model.info.local)
            snprintf(l.text, sizeof l.text, "another program%s: what it sent and received is not observable here",
                     sum->peer == PEER_SHUTDOWNLAB ? " (ShutdownLab, by its handshake)" : "");
        else if (sum->peer != PEER_EMBEDDED)
            snprintf(l.text, sizeof l.text, "sent %s bytes, received %s bytes", x, y);
        else
            snprintf(l.text, sizeof l.text, "sent %s bytes, received %s bytes, lost %s bytes", x, y, z);
        linelog_add(&a->log.lines, &l);
    }
}

void ui_log_sync(App *a)
{
    size_t n = line_count(a);
    ListView_SetItemCountEx(a->log.hwnd, (int)n, LVSICF_NOSCROLL | LVSICF_NOINVALIDATEALL);
    measure_lines(a);
    InvalidateRect(a->log.hwnd, NULL, FALSE);
    if (n)
        ListView_EnsureVisible(a->log.hwnd, (int)n - 1, FALSE);
}

static LRESULT custom_draw(App *a, NMLVCUSTOMDRAW *cd)
{
    size_t i = cd->nmcd.dwItemSpec;
    GroupLine l;
    if (cd->nmcd.dwDrawStage == CDDS_PREPAINT)
        return CDRF_NOTIFYITEMDRAW;
    if (cd->nmcd.dwDrawStage != CDDS_ITEMPREPAINT || i >= line_count(a))
        return CDRF_DODEFAULT;
    line_at(a, i, &l);
    cd->clrTextBk = ui_color(&a->theme, UC_BG);
    if (l.bad == 3) { /* disputed: its own colours, neither a pass nor a failure */
        cd->clrTextBk = ui_color(&a->theme, UC_DISPUTED_BG);
        cd->clrText = ui_color(&a->theme, UC_DISPUTED);
    } else if (l.bad == 4) { /* not observable: the table's grey, neither either */
        cd->clrTextBk = ui_color(&a->theme, UC_UNOBSERVED_BG);
        cd->clrText = ui_color(&a->theme, UC_DIM);
    } else if (l.bad == 5) { /* inferred: the other program's, on the table's grey in its end's colour */
        cd->clrTextBk = ui_color(&a->theme, UC_UNOBSERVED_BG);
        cd->clrText = ui_color(&a->theme, l.side == SIDE_CLIENT ? UC_CLIENT : UC_SERVER);
    } else if (l.bad)
        cd->clrText = ui_color(&a->theme, UC_ERROR);
    else if (l.kind == EV_STATE || l.kind == EV_NOTE)
        cd->clrText = ui_color(&a->theme, UC_DIM);
    else if (l.kind == EV_MESSAGE)
        cd->clrText = ui_color(&a->theme, UC_MESSAGE);
    else
        cd->clrText = ui_color(&a->theme, l.side == SIDE_CLIENT ? UC_CLIENT : UC_SERVER);
    if (l.kind == EV_STEP) {
        SelectObject(cd->nmcd.hdc, a->theme.font_bold);
        return CDRF_NEWFONT;
    }
    return CDRF_DODEFAULT;
}

LRESULT ui_log_notify(App *a, NMHDR *nm)
{
    if (nm->code == LVN_GETDISPINFOW) {
        NMLVDISPINFOW *di = (NMLVDISPINFOW *)nm;
        if ((di->item.mask & LVIF_TEXT) && di->item.iItem >= 0 && (size_t)di->item.iItem < line_count(a) &&
            di->item.cchTextMax > 0) {
            GroupLine l;
            line_at(a, (size_t)di->item.iItem, &l);
            cell_text(&l, di->item.iSubItem, di->item.pszText, di->item.cchTextMax);
        }
        return 0;
    }
    if (nm->code == NM_CUSTOMDRAW)
        return custom_draw(a, (NMLVCUSTOMDRAW *)nm);
    return 0;
}
