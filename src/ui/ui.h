/* ui.h: the classroom GUI, a table of contents. One App per process holds one of each
 * concern; each concern owns its state and says what it offers in its own header. Data
 * flows one way: the session's sink queues events, the drain (model.h) writes the views'
 * models on the UI thread, and the views only read them to paint. Only run.h's control.c
 * (and the window procedure's one routing line) talks to the session. */
#ifndef SHUTDOWNLAB_UI_H
#define SHUTDOWNLAB_UI_H

#include <winsock2.h>
#include <windows.h>
#include <commctrl.h>

#include "cmdline.h"    /* the command line */
#include "explain.h"    /* the explanation pane */
#include "files.h"      /* scenario files in, transcript, diagram, picture and state out */
#include "ladder.h"     /* the ladder diagram */
#include "logview.h"    /* the event log */
#include "model.h"      /* the sink's queue and the drain: the one writer */
#include "predict.h"    /* prediction mode */
#include "replay.h"     /* a recording played as a live run */
#include "run.h"        /* the run and its stepping */
#include "status.h"     /* the status bar */
#include "tableview.h"  /* the documented table */
#include "theme.h"      /* DPI, zoom, fonts, colours, panels */
#include "toolbar.h"    /* buttons and choosers */
#include "ui_messages.h"
#include "uitext.h"     /* strings and text widths */

#ifndef SL_VERSION
#define SL_VERSION "0.0.0"
#endif

#define UI_MAIN_CLASS L"ShutdownLabMain"
#define UI_LADDER_CLASS L"ShutdownLabLadder"
/* the ladder's words its last paint cut short, plus one (a window property; test_dpi.c) */
#define UI_LADDER_CUTS_PROP L"ShutdownLab.LadderCuts"
#define UI_EXPLAIN_CLASS L"ShutdownLabExplain"
/* the explanation's words its last paint cut at the pane's edge, plus one (a window property) */
#define UI_EXPLAIN_CUTS_PROP L"ShutdownLab.ExplainCuts"

typedef struct App {
    HINSTANCE inst;
    HWND hwnd;
    HACCEL accel;
    int laid_cx, laid_cy; /* the client size ui_layout last laid out */
    int frozen, thaw_paints; /* ui_freeze's depth; whether its ui_thaw repaints */
    int layout_due;          /* a layout asked for inside a batch: done once, at its end */
    UiOptions opt;
    Theme theme;
    Controls ctl;
    RunControl run;
    ViewModel model;
    TableView table;
    LogView log;
    LadderView ladder;
    ExplainView explain;
    Prediction pred;
    StatusBar status;
} App;

/* mainwnd.c: the main window, a dispatch table of one handler per message */
ATOM ui_register_main(HINSTANCE inst);
LRESULT CALLBACK ui_main_proc(HWND hwnd, UINT msg, WPARAM wParam, LPARAM lParam);
void ui_layout(App *a);
void ui_freeze(App *a); /* redraw off for a batch of changes; ui_thaw repaints once */
void ui_thaw(App *a);
void ui_show_now(App *a); /* redraw on at once inside a batch, before a modal box */
void ui_set_zoom(App *a, double zoom);

#endif
