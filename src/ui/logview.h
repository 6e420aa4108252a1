/* logview.h: the event log, a virtual list view over the core's LineLog (linelog.h): the
 * text transcript's own lines, t (ms), side, step, what happened; a storm of thousands
 * of FD_READs stays a few lines that keep counting. */
#ifndef SHUTDOWNLAB_LOGVIEW_H
#define SHUTDOWNLAB_LOGVIEW_H

#include <winsock2.h>
#include <windows.h>
#include <commctrl.h>

#include "linelog.h"
#include "transcript.h"

struct App;

typedef struct LogView {
    HWND hwnd;
    LineLog lines; /* written by the drain only */
    int text_w;    /* the widest line, in pixels of the log's font */
} LogView;

HWND ui_log_create(struct App *a, HWND parent);
void ui_log_reset(struct App *a);
void ui_log_end(struct App *a, const Summary *sum);
void ui_log_sync(struct App *a);
LRESULT ui_log_notify(struct App *a, NMHDR *nm);
void ui_log_fonts(struct App *a);

#endif
