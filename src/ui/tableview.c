/* tableview.c: the documented table as a report list view (tableview.h): one row per
 * step-labelled op, the step's side in its own column, the time it happened, and the
 * table's order rule for that row as the core judges it. Rows light up (custom draw) as
 * their events arrive; a row that happened out of order is marked. */
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
        ui_format(text, 64, side == a->run.role ? IDS_YOU : IDS_PEER, name); /* narrow: the ladder says more */
    memset(&c, 0, sizeof c);
    c.mask = LVCF_TEXT;
    c.pszText = text;
    ListView_SetColumn(a->table.hwnd, col, &c);
}

static void cell_text(const App *a, int row, int col, wchar_t *buf, int size);

/* Column widths from the zoomed font: each column as wide as its header and its widest
 * cell (bold, as the current row is drawn); t (ms) fits "99,999.99". What is left of the
 * table's width goes to the two ends' columns; when nothing is left the list view
 * scrolls sideways rather than cutting a cell short. Returns 1 when it must scroll. */
int ui_table_fonts(App *a)
{
    RECT rc;
    HDC dc;
    HGDIOBJ old;
    HWND hdr = ListView_GetHeader(a->table.hwnd);
    int need[NCOLS], total = 0, w, pad = ui_px(&a->theme, 10);
    wchar_t buf[256];
    GetClientRect(a->table.hwnd, &rc);
    if (hdr)
        SendMessageW(hdr, WM_SETFONT, (WPARAM)a->theme.font, FALSE);
    dc = GetDC(a->table.hwnd);
    old = SelectObject(dc, a->theme.font_bold);
    /* a row is bold when current or when it differs from Windows: measure as drawn */
    for (int c = 0; c < NCOLS; c++) {
        LVCOLUMNW col;
        memset(&col, 0, sizeof col);
        col.mask = LVCF_TEXT;
        col.pszText = buf;
        col.cchTextMax = 256;
        buf[0] = L'\0';
        ListView_GetColumn(a->table.hwnd, c, &col);
        need[c] = ui_text_w(dc, NULL, buf);
        for (int i = 0; i < a->model.table.n; i++) {
            int tw;
            cell_text(a, i, c, buf, 256);
            if ((tw = ui_text_w(dc, NULL, buf)) > need[c])
                need[c] = tw;
        }
    }
    if (ui_text_w(dc, NULL, L"99,999.99") > need[COL_T])
        need[COL_T] = ui_text_w(dc, NULL, L"99,999.99");
    if (ui_text_w(dc, NULL, L"(99')") > need[COL_STEP])
        need[COL_STEP] = ui_text_w(dc, NULL, L"(99')");
    SelectObject(dc, old);
    ReleaseDC(a->table.hwnd, dc);
    for (int c = 0; c < NCOLS; c++)
        total += (need[c] += pad);
    w = rc.right - (ListView_GetCountPerPage(a->table.hwnd) < a->model.table.n ? GetSystemMetrics(SM_CXVSCROLL) : 0) - 2;
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
    /* one redraw for all the widths, not one each (under Wine each costs ~20 ms at launch),
     * and none when no width changes (the drain asks after every batch of events) */
    for (int c = 0; c < NCOLS; c++)
        if (ListView_GetColumnWidth(a->table.hwnd, c) != need[c]) {
            SendMessageW(a->table.hwnd, WM_SETREDRAW, FALSE, 0);
            for (int d = c; d < NCOLS; d++)
                ListView_SetColumnWidth(a->table.hwnd, d, need[d]);
            SendMessageW(a->table.hwnd, WM_SETREDRAW, TRUE, 0);
            break;
        }
    a->table.need = total + (rc.right - w) + GetSystemMetrics(SM_CXVSCROLL);
    return total > w;
}

void ui_table_fill(App *a)
{
    LVITEMW it;
    ListView_DeleteAllItems(a->table.hwnd);
    a->table.chosen = -1; /* a new run: the latest step is explained */
    set_header(a, COL_STEP, IDS_COL_STEP, SIDE_COUNT);
    set_header(a, COL_CLIENT, IDS_COL_CLIENT, SIDE_CLIENT);
    set_header(a, COL_SERVER, IDS_COL_SERVER, SIDE_SERVER);
    set_header(a, COL_T, IDS_COL_T, SIDE_COUNT);
    set_header(a, COL_ORDER, IDS_COL_ORDER, SIDE_COUNT);
    memset(&it, 0, sizeof it);
    it.mask = LVIF_TEXT;
    it.pszText = LPSTR_TEXTCALLBACKW;
    ui_freeze(a); /* one repaint for all the rows, not a scroll bar update and paint each */
    for (int i = 0; i < a->model.table.n; i++) {
        it.iItem = i;
        ListView_InsertItem(a->table.hwnd, &it);
    }
    ui_thaw(a);
}

void ui_table_update(App *a)
{
    int need = a->table.need;
    /* a cell's text grows as its row happens ("✓ after (3)", "differs from Windows"):
     * the layout may give the table the room it now needs */
    if (ui_table_fonts(a) && a->table.need != need)
        ui_layout(a);
    InvalidateRect(a->table.hwnd, NULL, FALSE);
}

int ui_row_late(const App *a, int i)
{
    return a->model.table.row[i].late; /* the table counts only rules it can judge */
}

/* A row's check: 0 none or met, 2 a known difference, 3 a mismatch, 4 disputed, 5 not
 * observable (only the other program could have seen it), 6 inferred (the other program's,
 * lit by what this end saw). */
static int differs(const TableRow *r)
{
    if (r->inferred && (!r->checked || r->verdict == VERDICT_INFERRED))
        return 6;
    if (!r->checked || verdict_ok(r->verdict))
        return 0;
    switch (r->verdict) {
    case VERDICT_KNOWN: return 2;
    case VERDICT_DISPUTED: return 4;
    case VERDICT_UNOBSERVED: return 5;
    default: return 3;
    }
}

/* The row's order rule as judged. A row of another program says here that nothing of it
 * was observable (in this column: the ends' columns stay narrow enough for the window);
 * a rule about such a row is shown without a mark, neither kept nor broken, or left out
 * beside one that was judged. */
static void order_text(const App *a, int row, wchar_t *buf, int size)
{
    const TableRow *r = &a->model.table.row[row];
    char befores[64];
    if (differs(r) == 5 || differs(r) == 6) {
        ui_load(differs(r) == 5 ? IDS_ROW_UNOBSERVED : IDS_ROW_INFERRED, buf, size);
        return;
    }
    table_rule_befores(&a->model.table, row, befores, sizeof befores); /* the rules it can judge */
    if (!befores[0]) {
        buf[0] = L'\0';
        return;
    }
    ui_format(buf, (size_t)size, !r->done ? IDS_ORDER_AFTER : ui_row_late(a, row) ? IDS_ORDER_LATE : IDS_ORDER_OK, befores);
}

static void cell_text(const App *a, int row, int col, wchar_t *buf, int size)
{
    const TableRow *r = &a->model.table.row[row];
    buf[0] = L'\0';
    switch (col) {
    case COL_STEP:
        _snwprintf(buf, (size_t)size, L"(%hs)", r->step);
        break;
    case COL_CLIENT:
    case COL_SERVER:
        if ((col == COL_CLIENT) == (r->side == SIDE_CLIENT)) {
            ui_wide(r->what, buf, size);
            if (differs(r) && differs(r) < 5) { /* said in the row, not only by its colour */
                size_t n = wcslen(buf);
                buf[n++] = L' ';
                ui_load(differs(r) == 2 ? IDS_ROW_KNOWN : differs(r) == 4 ? IDS_ROW_DISPUTED : IDS_ROW_MISMATCH, buf + n,
                        size - (int)n);
            }
        }
        break;
    case COL_T:
        if (r->done) /* an inferred step happened by the time this end saw its evidence */
            _snwprintf(buf, (size_t)size, r->inferred ? L"\x2264%.2f" : L"%.2f", r->t_us / 1000.0);
        break;
    case COL_ORDER:
        order_text(a, row, buf, size);
        break;
    }
    buf[size - 1] = L'\0';
}

int ui_current_row(const App *a)
{
    const TableModel *t = &a->model.table;
    if (a->table.chosen >= 0 && a->table.chosen < t->n && a->table.chosen_when == table_rows_done(t))
        return a->table.chosen;
    return t->latest;
}

/* The first row still to happen here: another program's rows never light up. */
static int next_row(const App *a)
{
    for (int i = 0; i < a->model.table.n; i++)
        if (!a->model.table.row[i].done && (!ui_other_program(a) || a->model.table.row[i].side == a->run.role))
            return i;
    return -1;
}

LRESULT ui_table_notify(App *a, NMHDR *nm)
{
    if (nm->code == LVN_GETDISPINFOW) {
        NMLVDISPINFOW *di = (NMLVDISPINFOW *)nm;
        if ((di->item.mask & LVIF_TEXT) && di->item.iItem >= 0 && di->item.iItem < a->model.table.n && di->item.cchTextMax > 0)
            cell_text(a, di->item.iItem, di->item.iSubItem, di->item.pszText, di->item.cchTextMax);
        return 0;
    }
    if (nm->code == LVN_ITEMCHANGED) {
        NMLISTVIEW *lv = (NMLISTVIEW *)nm;
        if ((lv->uNewState & LVIS_SELECTED) && lv->iItem >= 0 && lv->iItem < a->model.table.n) {
            a->table.chosen = lv->iItem; /* the student's choice: what the pane explains */
            a->table.chosen_when = table_rows_done(&a->model.table);
            InvalidateRect(a->explain.hwnd, NULL, FALSE);
        }
        return 0;
    }
    if (nm->code == NM_CUSTOMDRAW) {
        NMLVCUSTOMDRAW *cd = (NMLVCUSTOMDRAW *)nm;
        const TableRow *r;
        int i;
        if (cd->nmcd.dwDrawStage == CDDS_PREPAINT)
            return CDRF_NOTIFYITEMDRAW;
        if (cd->nmcd.dwDrawStage != CDDS_ITEMPREPAINT)
            return CDRF_DODEFAULT;
        i = (int)cd->nmcd.dwItemSpec;
        if (i < 0 || i >= a->model.table.n)
            return CDRF_DODEFAULT;
        r = &a->model.table.row[i];
        if (ui_row_late(a, i) || differs(r) == 3) { /* out of order, or a mismatch: red */
            cd->clrTextBk = ui_color(&a->theme, UC_LATE_BG);
            cd->clrText = a->theme.high_contrast ? GetSysColor(COLOR_HIGHLIGHTTEXT) : ui_color(&a->theme, UC_ERROR);
        } else if (r->done && differs(r) == 2) { /* a known difference: amber */
            cd->clrTextBk = ui_color(&a->theme, UC_KNOWN_BG);
            cd->clrText = ui_color(&a->theme, UC_KNOWN_TEXT);
        } else if (r->done && differs(r) == 4) { /* disputed: neither a pass nor a failure */
            cd->clrTextBk = ui_color(&a->theme, UC_DISPUTED_BG);
            cd->clrText = ui_color(&a->theme, UC_DISPUTED);
        } else if (differs(r) == 5) { /* not observable: neither, and nothing seen here */
            cd->clrTextBk = ui_color(&a->theme, UC_UNOBSERVED_BG);
            cd->clrText = ui_color(&a->theme, UC_DIM);
        } else if (differs(r) == 6) { /* inferred: the other program's, not observed, in its end's colour */
            cd->clrTextBk = ui_color(&a->theme, UC_UNOBSERVED_BG);
            cd->clrText = ui_color(&a->theme, r->side == SIDE_CLIENT ? UC_CLIENT : UC_SERVER);
        } else if (r->done) {
            cd->clrTextBk = ui_color(&a->theme, UC_DONE_BG);
            cd->clrText = a->theme.high_contrast ? GetSysColor(COLOR_HIGHLIGHTTEXT) : ui_color(&a->theme, UC_TEXT);
        } else if (i == next_row(a) && ui_run_live(a)) {
            cd->clrTextBk = ui_color(&a->theme, UC_NEXT_BG);
            cd->clrText = a->theme.high_contrast ? GetSysColor(COLOR_BTNTEXT) : ui_color(&a->theme, UC_TEXT);
        } else {
            cd->clrTextBk = ui_color(&a->theme, UC_BG);
            cd->clrText = ui_color(&a->theme, UC_DIM);
        }
        if (i == ui_current_row(a) || ui_row_late(a, i) || (differs(r) && differs(r) < 5)) {
            SelectObject(cd->nmcd.hdc, a->theme.font_bold);
            return CDRF_NEWFONT;
        }
        return CDRF_DODEFAULT;
    }
    return 0;
}
