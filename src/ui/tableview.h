/* tableview.h: the documented table as a report list view over the core's table model
 * (table_model.h): rows light up as their events arrive; order rules checked live. Text
 * comes by LVN_GETDISPINFO, so other processes (the GUI tests) read what is shown. */
#ifndef SHUTDOWNLAB_TABLEVIEW_H
#define SHUTDOWNLAB_TABLEVIEW_H

#include <winsock2.h>
#include <windows.h>
#include <commctrl.h>

struct App;

typedef struct TableView {
    HWND hwnd;
    int need;        /* its width with no column cut short */
    int chosen;      /* the row the student selected, -1 none */
    int chosen_when; /* how many rows were done then: the next step takes over again */
} TableView;

HWND ui_table_create(struct App *a, HWND parent);
void ui_table_fill(struct App *a);
void ui_table_update(struct App *a);
LRESULT ui_table_notify(struct App *a, NMHDR *nm);
int ui_table_fonts(struct App *a); /* column widths from the font; 1 when it scrolls sideways */
/* The row the explanation shows: the one the student selected, until the next step
 * happens; else the latest that happened; -1 none. */
int ui_current_row(const struct App *a);
/* Row i happened before a step a judged rule puts first. */
int ui_row_late(const struct App *a, int i);

#endif
