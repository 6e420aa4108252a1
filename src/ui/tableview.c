/* tableview.c: the documented table as a report list view: one row per step-labelled
 * op, the step's side in its own column, the time it happened, and the table's order
 * rule for that row, checked live. Rows light up (custom draw) as their events arrive;
 * a row that happened out of order is marked. Text comes by LVN_GETDISPINFO, so other
 * processes (the GUI tests) read exactly what is shown with LVM_GETITEMTEXT. */
#include "ui.h"

#include <stdio.h>
#include <string.h>

#include "../../res/resource.h"

enum { COL_STEP, COL_CLIENT, COL_SERVER, COL_T, COL_ORDER, NCOLS };

HWND ui_table_create(App *a, HWND parent)
{
    HWND lv = CreateWindowExW(0, WC_LISTVIEWW, L"",
                              WS_CHILD | WS_VISIBLE | WS_TABSTOP | LVS_REPORT | LVS_SINGLESEL | LVS_NOSORTHEADER,
                              0, 0, 0, 0, parent, (HMENU)(INT_PTR)IDC_TABLE, a->inst, NULL);
    LVCOLUMNW col;
    if (!lv)
        return NULL;
    ListView_SetExtendedListViewStyle(lv, LVS_EX_FULLROWSELECT | LVS_EX_GRIDLINES | LVS_EX_DOUBLEBUFFER);
    memset(&col, 0, sizeof col);
    col.mask = LVCF_TEXT | LVCF_WIDTH;
    col.pszText = L"";
    for (int i = 0; i < NCOLS; i++) {
        col.cx = 80;
        ListView_InsertColumn(lv, i, &col);
    }
    return lv;
}

static void set_header(App *a, int col, UINT name_id, Side side)
{
    wchar_t name[32], text[64];
    LVCOLUMNW c;
    ui_load(name_id, name, 32);
    if (side == SIDE_COUNT)
        wcscpy(text, name);
    else
        ui_format(text, 64, side == a->role ? IDS_YOU : IDS_PEER, name);
    memset(&c, 0, sizeof c);
    c.mask = LVCF_TEXT;
    c.pszText = text;
    ListView_SetColumn(a->table, col, &c);
}

static void cell_text(const App *a, int row, int col, wchar_t *buf, int size);

static int text_width(HDC dc, const wchar_t *s)
{
    SIZE sz = {0, 0};
    GetTextExtentPoint32W(dc, s, (int)wcslen(s), &sz);
    return sz.cx;
}

/* Column widths from the zoomed font: each column as wide as its header and its widest
 * cell (bold, as the current row is drawn); t (ms) fits "99,999.99". What is left of the
 * table's width goes to the two ends' columns; when nothing is left the list view
 * scrolls sideways rather than cutting a cell short. Returns 1 when it must scroll. */
int ui_table_fonts(App *a)
{
    RECT rc;
    HDC dc;
    HGDIOBJ old;
    HWND hdr = ListView_GetHeader(a->table);
    int need[NCOLS], total = 0, w, pad = ui_px(a, 10);
    wchar_t buf[256];
    GetClientRect(a->table, &rc);
    if (hdr)
        SendMessageW(hdr, WM_SETFONT, (WPARAM)a->font, FALSE);
    dc = GetDC(a->table);
    old = SelectObject(dc, a->font_bold);
    /* a row is bold when current or when it differs from Windows: measure as drawn */
    for (int c = 0; c < NCOLS; c++) {
        LVCOLUMNW col;
        memset(&col, 0, sizeof col);
        col.mask = LVCF_TEXT;
        col.pszText = buf;
        col.cchTextMax = 256;
        buf[0] = L'\0';
        ListView_GetColumn(a->table, c, &col);
        need[c] = text_width(dc, buf);
        for (int i = 0; i < a->nrows; i++) {
            int tw;
            cell_text(a, i, c, buf, 256);
            if ((tw = text_width(dc, buf)) > need[c])
                need[c] = tw;
        }
    }
    if (text_width(dc, L"99,999.99") > need[COL_T])
        need[COL_T] = text_width(dc, L"99,999.99");
    if (text_width(dc, L"(99')") > need[COL_STEP])
        need[COL_STEP] = text_width(dc, L"(99')");
    SelectObject(dc, old);
    ReleaseDC(a->table, dc);
    for (int c = 0; c < NCOLS; c++)
        total += (need[c] += pad);
    w = rc.right - (ListView_GetCountPerPage(a->table) < a->nrows ? GetSystemMetrics(SM_CXVSCROLL) : 0) - 2;
    if (total < w) { /* the room left: to the ends' columns and the rule, by their need */
        int extra = w - total, cs = need[COL_CLIENT] + need[COL_SERVER] + need[COL_ORDER], given = 0;
        for (int c = COL_CLIENT; c <= COL_ORDER; c++) {
            int add;
            if (c == COL_T)
                continue;
            add = c == COL_ORDER ? extra - given : (int)((long long)extra * need[c] / (cs ? cs : 1));
            need[c] += add;
            given += add;
        }
    }
    for (int c = 0; c < NCOLS; c++)
        if (ListView_GetColumnWidth(a->table, c) != need[c])
            ListView_SetColumnWidth(a->table, c, need[c]);
    a->table_need = total + (rc.right - w) + GetSystemMetrics(SM_CXVSCROLL);
    return total > w;
}

void ui_table_fill(App *a)
{
    LVITEMW it;
    ListView_DeleteAllItems(a->table);
    set_header(a, COL_STEP, IDS_COL_STEP, SIDE_COUNT);
    set_header(a, COL_CLIENT, IDS_COL_CLIENT, SIDE_CLIENT);
    set_header(a, COL_SERVER, IDS_COL_SERVER, SIDE_SERVER);
    set_header(a, COL_T, IDS_COL_T, SIDE_COUNT);
    set_header(a, COL_ORDER, IDS_COL_ORDER, SIDE_COUNT);
    memset(&it, 0, sizeof it);
    it.mask = LVIF_TEXT;
    it.pszText = LPSTR_TEXTCALLBACKW;
    for (int i = 0; i < a->nrows; i++) {
        it.iItem = i;
        ListView_InsertItem(a->table, &it);
    }
}

void ui_table_update(App *a)
{
    int need = a->table_need;
    /* a cell's text grows as its row happens ("✓ after (3)", "differs from Windows"):
     * the layout may give the table the room it now needs */
    if (ui_table_fonts(a) && a->table_need != need)
        ui_layout(a);
    InvalidateRect(a->table, NULL, FALSE);
}

static void order_text(const App *a, const UiRow *r, wchar_t *buf, int size)
{
    char befores[64] = "";
    size_t n = 0;
    for (size_t k = 0; k < a->sc->nrules; k++)
        if (!strcmp(a->sc->rules[k].after, r->step) && n + 12 < sizeof befores)
            n += (size_t)snprintf(befores + n, sizeof befores - n, "%s(%s)", n ? ", " : "", a->sc->rules[k].before);
    if (!n) {
        buf[0] = L'\0';
        return;
    }
    ui_format(buf, (size_t)size, !r->done ? IDS_ORDER_AFTER : r->late ? IDS_ORDER_LATE : IDS_ORDER_OK, befores);
}

static void cell_text(const App *a, int row, int col, wchar_t *buf, int size)
{
    const UiRow *r = &a->rows[row];
    buf[0] = L'\0';
    switch (col) {
    case COL_STEP:
        _snwprintf(buf, (size_t)size, L"(%hs)", r->step);
        break;
    case COL_CLIENT:
    case COL_SERVER:
        if ((col == COL_CLIENT) == (r->side == SIDE_CLIENT)) {
            MultiByteToWideChar(CP_UTF8, 0, r->what, -1, buf, size);
            if (r->check_state >= 2) { /* said in the row, not only by its colour */
                size_t n = wcslen(buf);
                buf[n++] = L' ';
                ui_load(r->check_state == 2 ? IDS_ROW_KNOWN : IDS_ROW_MISMATCH, buf + n, size - (int)n);
            }
        }
        break;
    case COL_T:
        if (r->done)
            _snwprintf(buf, (size_t)size, L"%.2f", r->t_us / 1000.0);
        break;
    case COL_ORDER:
        order_text(a, r, buf, size);
        break;
    }
    buf[size - 1] = L'\0';
}

static int next_row(const App *a)
{
    for (int i = 0; i < a->nrows; i++)
        if (!a->rows[i].done)
            return i;
    return -1;
}

LRESULT ui_table_notify(App *a, NMHDR *nm)
{
    if (nm->code == LVN_GETDISPINFOW) {
        NMLVDISPINFOW *di = (NMLVDISPINFOW *)nm;
        if ((di->item.mask & LVIF_TEXT) && di->item.iItem >= 0 && di->item.iItem < a->nrows && di->item.cchTextMax > 0)
            cell_text(a, di->item.iItem, di->item.iSubItem, di->item.pszText, di->item.cchTextMax);
        return 0;
    }
    if (nm->code == LVN_ITEMCHANGED) {
        NMLISTVIEW *lv = (NMLISTVIEW *)nm;
        if ((lv->uNewState & LVIS_SELECTED) && lv->iItem >= 0 && lv->iItem < a->nrows) {
            a->current_row = lv->iItem;
            InvalidateRect(a->explain, NULL, FALSE);
        }
        return 0;
    }
    if (nm->code == NM_CUSTOMDRAW) {
        NMLVCUSTOMDRAW *cd = (NMLVCUSTOMDRAW *)nm;
        int i;
        if (cd->nmcd.dwDrawStage == CDDS_PREPAINT)
            return CDRF_NOTIFYITEMDRAW;
        if (cd->nmcd.dwDrawStage != CDDS_ITEMPREPAINT)
            return CDRF_DODEFAULT;
        i = (int)cd->nmcd.dwItemSpec;
        if (i < 0 || i >= a->nrows)
            return CDRF_DODEFAULT;
        if (a->rows[i].late || a->rows[i].check_state == 3) { /* out of order, or a mismatch: red */
            cd->clrTextBk = ui_color(a, UC_LATE_BG);
            cd->clrText = a->high_contrast ? GetSysColor(COLOR_HIGHLIGHTTEXT) : ui_color(a, UC_ERROR);
        } else if (a->rows[i].done && a->rows[i].check_state == 2) { /* a known difference: amber */
            cd->clrTextBk = ui_color(a, UC_KNOWN_BG);
            cd->clrText = ui_color(a, UC_KNOWN_TEXT);
        } else if (a->rows[i].done) {
            cd->clrTextBk = ui_color(a, UC_DONE_BG);
            cd->clrText = a->high_contrast ? GetSysColor(COLOR_HIGHLIGHTTEXT) : ui_color(a, UC_TEXT);
        } else if (i == next_row(a) && a->session && !a->run_done) {
            cd->clrTextBk = ui_color(a, UC_NEXT_BG);
            cd->clrText = a->high_contrast ? GetSysColor(COLOR_BTNTEXT) : ui_color(a, UC_TEXT);
        } else {
            cd->clrTextBk = ui_color(a, UC_BG);
            cd->clrText = ui_color(a, UC_DIM);
        }
        if (i == a->current_row || a->rows[i].late || a->rows[i].check_state >= 2) {
            SelectObject(cd->nmcd.hdc, a->font_bold);
            return CDRF_NEWFONT;
        }
        return CDRF_DODEFAULT;
    }
    return 0;
}
