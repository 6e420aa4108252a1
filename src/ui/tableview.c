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

/* Column widths follow the font (zoom) and the table's width. */
void ui_table_fonts(App *a)
{
    RECT rc;
    int w, step_w = ui_px(a, 48), t_w = ui_px(a, 72), rest;
    GetClientRect(a->table, &rc);
    w = rc.right - (ListView_GetCountPerPage(a->table) < a->nrows ? GetSystemMetrics(SM_CXVSCROLL) : 0) - 2;
    rest = w - step_w - t_w;
    if (rest < 300)
        rest = 300;
    ListView_SetColumnWidth(a->table, COL_STEP, step_w);
    ListView_SetColumnWidth(a->table, COL_CLIENT, rest * 36 / 100);
    ListView_SetColumnWidth(a->table, COL_SERVER, rest * 36 / 100);
    ListView_SetColumnWidth(a->table, COL_T, t_w);
    ListView_SetColumnWidth(a->table, COL_ORDER, rest - 2 * (rest * 36 / 100));
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
        if ((col == COL_CLIENT) == (r->side == SIDE_CLIENT))
            MultiByteToWideChar(CP_UTF8, 0, r->what, -1, buf, size);
        break;
    case COL_T:
        if (r->done)
            _snwprintf(buf, (size_t)size, L"%.2f", r->t_us / 1000.0);
        break;
    case COL_ORDER:
        order_text(a, r, buf, size);
        if (r->check_state >= 2) { /* said in the row, not only by its colour */
            wchar_t rule[160];
            wcsncpy(rule, buf, 159);
            rule[159] = L'\0';
            ui_format(buf, (size_t)size, r->check_state == 2 ? IDS_ROW_KNOWN : IDS_ROW_MISMATCH);
            if (rule[0]) {
                size_t n = wcslen(buf);
                _snwprintf(buf + n, (size_t)size - n, L"; %ls", rule);
            }
        }
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
