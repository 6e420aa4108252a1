/* toolbar.h: the controls above the views: a toolbar of text buttons (Step, Run, Pause,
 * Reset, Back, Predict, zoom) and a row of labelled controls (scenario, role, speed) that
 * Tab and the labels' mnemonics reach, each with a tooltip. */
#ifndef SHUTDOWNLAB_TOOLBAR_H
#define SHUTDOWNLAB_TOOLBAR_H

#include <winsock2.h>
#include <windows.h>
#include <commctrl.h>

struct App;

enum { UI_PLACED = 10 }; /* the toolbar, then three labels, controls and extras */

typedef struct Controls {
    HWND toolbar, scenario_combo, role_combo, speed, tips;
    HWND lbl_scenario, lbl_role, lbl_speed, speed_value;
    RECT placed[UI_PLACED]; /* where each was last put: an unchanged one is not moved */
} Controls;

int ui_toolbar_create(struct App *a);
void ui_toolbar_update(struct App *a);
void ui_toolbar_fonts(struct App *a);
int ui_toolbar_layout(struct App *a, int y, int width); /* returns the bottom */
LRESULT ui_toolbar_notify(struct App *a, NMHDR *nm);
void ui_fill_scenarios(struct App *a);

#endif
