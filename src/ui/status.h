/* status.h: the status bar: the run's state (held where, running, done), where it meets
 * another program, a lingering close's clock, the prediction score and the zoom, each part
 * as wide as its words. */
#ifndef SHUTDOWNLAB_STATUS_H
#define SHUTDOWNLAB_STATUS_H

#include <winsock2.h>
#include <windows.h>

struct App;

enum { STATUS_RUN, STATUS_WHERE, STATUS_BLOCKING, STATUS_SCORE, STATUS_ZOOM, STATUS_PARTS };

typedef struct StatusBar {
    HWND hwnd;
    wchar_t text[STATUS_PARTS][300];
    int w[STATUS_PARTS];     /* each part's width; 0: it gave way */
    int parts[STATUS_PARTS]; /* the right edges set last */
} StatusBar;

void ui_status_layout(struct App *a);
void ui_update_status(struct App *a);

#endif
