/* ui.h: the classroom GUI's shared state (one App per process) and the functions each
 * file of src/ui/ offers the others. Data flows one way: the session's sink queues events,
 * model.c drains them on the UI thread into the views' stores; views only draw. */
#ifndef SHUTDOWNLAB_UI_H
#define SHUTDOWNLAB_UI_H

#include <winsock2.h>
#include <windows.h>
#include <commctrl.h>

#include <stdint.h>
#include <wchar.h>

#include "format.h"
#include "scenario.h"
#include "session.h"
#include "transcript.h"

#ifndef SL_VERSION
#define SL_VERSION "0.0.0"
#endif

#define UI_MAIN_CLASS L"ShutdownLabMain"
#define UI_LADDER_CLASS L"ShutdownLabLadder"
#define UI_EXPLAIN_CLASS L"ShutdownLabExplain"

/* Timers on the main window. */
enum { UI_TIMER_SPEED = 1, UI_TIMER_BLOCKING = 2, UI_TIMER_DRAIN = 4 };

/* ---- the command line (cmdline.c) ---------------------------------------------- */
typedef struct UiOptions {
    char scenario[SCENARIO_NAME_MAX];
    Side role;
    int autoplay;
    int exit_after_run;
    int predict;
    wchar_t scenario_file[MAX_PATH]; /* --scenario-file: a teacher's .scn */
    wchar_t screenshot[MAX_PATH];
    wchar_t state_out[MAX_PATH];
    wchar_t export_text[MAX_PATH];    /* --export-text: the transcript, when the run is over */
    wchar_t export_diagram[MAX_PATH]; /* --export-diagram: the ladder as PNG, likewise */
    double zoom;
} UiOptions;

/* 0 ok, 1 --help printed, -1 bad usage (message on stderr). */
int ui_parse_args(int argc, wchar_t **argv, UiOptions *o);
void ui_print_usage(void);

/* ---- the table: one row per step-labelled op -------------------------------------- */
typedef struct UiRow {
    char step[EVENT_STEP_MAX];
    Side side;
    char what[EVENT_NAME_MAX];
    const char *explain;
    int done;
    int64_t t_us;
    int late;                        /* happened before a step the table puts first */
    char check[2 * EVENT_VALUE_MAX]; /* the step's check, "Windows 0, observed 0" */
    int check_state;                 /* 0 none, 1 ok, 2 known difference, 3 mismatch */
    const char *why;
} UiRow;

#define UI_MAX_ROWS 64

/* ---- the log: one line per event, bursts coalesced --------------------------------- */
typedef struct UiLogLine {
    int64_t t0, t1;
    Side side;
    char step[EVENT_STEP_MAX];
    char text[240];
    EventKind kind;
    int bad; /* a failed check or an error worth colouring */
} UiLogLine;

typedef struct UiBurst {
    int open;
    size_t line;
    char step[EVENT_STEP_MAX];
    BurstEntry e[BURST_NAMES];
    int n;
    long long bytes;
} UiBurst;

/* ---- the ladder: calls and messages on their lane, inferred arrows between ---------- */
typedef enum UiArrow { AR_NONE, AR_DATA, AR_FIN, AR_RST } UiArrow;
typedef enum UiItemKind { LI_CALL, LI_MESSAGE, LI_STATE, LI_BLOCKING } UiItemKind;

typedef struct UiItem {
    UiItemKind kind;
    Side side;
    int64_t t_us, t_last;
    char step[EVENT_STEP_MAX];
    char name[EVENT_NAME_MAX];
    char text[160];
    int error;
    int64_t duration_us; /* calls: how long it took (a lingering close), 0 unknown */
    long long count, bytes;
    long long result;   /* the call's return value (recv 0: EOF) */
    UiArrow arrow;      /* what this call sent to the peer (inferred) */
    int target;         /* item index the arrow reaches, -1 none yet (computed) */
    int row;            /* row in the diagram (computed) */
    int check_state;    /* as UiRow's: 2 a known difference, 3 a mismatch */
    char windows[EVENT_VALUE_MAX]; /* what Windows does, when this differs from it */
} UiItem;

/* ---- a queued record from the sink ------------------------------------------------ */
typedef enum UiRecType { REC_BEGIN, REC_EVENT, REC_END } UiRecType;
typedef struct UiRec {
    UiRecType type;
    Event ev;
    Summary sum;
} UiRec;

typedef struct UiSink {
    Sink sink;
    struct App *app;
} UiSink;

/* ---- prediction (predict.c) ------------------------------------------------------ */
enum { PRED_FD_READ, PRED_FD_CLOSE_OK, PRED_FD_CLOSE_ERR, PRED_RECV_ERR, PRED_NOTHING, PRED_COUNT };

typedef struct App {
    HINSTANCE inst;
    HWND hwnd, toolbar, ctlbar, scenario_combo, role_combo, speed, table, ladder, explain, log, status, tips;
    HWND lbl_scenario, lbl_role, lbl_speed, speed_value;
    HACCEL accel;
    UiOptions opt;
    /* projector: one zoom factor, the window's DPI, fonts made from both */
    double zoom;
    UINT dpi;
    int high_contrast;
    HFONT font, font_bold, font_small, font_small_bold, font_big;
    int font_h; /* pixel height of a line of `font` */
    int table_need; /* the table's width with no column cut short */
    int log_text_w; /* the widest log line, in `font` pixels */
    int explain_scroll, explain_total; /* the explanation pane's scroll offset and content height */
    /* the scenario and its run */
    Scenario *sc;
    int sc_is_file;       /* a->sc came from the opened file */
    char *file_text;      /* the opened scenario file, for choosing it again */
    size_t file_len;
    Side role;
    Session *session;
    int run_done;
    Summary sum;
    int have_sum;
    int manual;   /* stepping: ends hold after each step */
    int running;  /* Run pressed: released by the speed timer (or manual off) */
    int ff_target; /* Back: release automatically until this many rows are done; -1 off */
    char held_step[SIDE_COUNT][EVENT_STEP_MAX]; /* last step each end completed */
    int holds[SIDE_COUNT];         /* WM_SL_HELD received and not yet released */
    /* the sink's queue (any thread) */
    UiSink sink;
    CRITICAL_SECTION qlock;
    UiRec *queue;
    size_t nqueue, capqueue;
    volatile LONG posted;
    DWORD ui_thread;
    volatile LONG last_post_ms;
    /* what the views show */
    UiRow rows[UI_MAX_ROWS];
    int nrows;
    int current_row; /* the row the explanation pane shows; -1 none */
    UiLogLine *lines;
    size_t nlines, caplines;
    UiBurst burst[SIDE_COUNT];
    char last_state_line[SIDE_COUNT][240]; /* the log's last TCP-table line of each end */
    UiItem *items;
    size_t nitems, capitems;
    char tcp_state[SIDE_COUNT][16];
    char ladder_state[SIDE_COUNT][16]; /* the last state drawn on each lane */
    int64_t ladder_t_max;              /* the latest call or message the ladder holds */
    long long sent[SIDE_COUNT], received[SIDE_COUNT];
    int fin_sent[SIDE_COUNT], linger0[SIDE_COUNT];
    int closed[SIDE_COUNT]; /* the end's socket is closed: it can see nothing more */
    int reset; /* an RST was inferred: later closes send nothing */
    ULONGLONG blocking_since[SIDE_COUNT]; /* GetTickCount64 when a lingering close began; 0 none */
    /* export: the core's text formatter, fed on the UI thread */
    Formatter textfmt;
    char *text;
    size_t ntext, captext;
    /* prediction */
    int predict;
    int pred_pending;       /* a prediction waits for its answer */
    int pred_choice;
    int pred_seen;          /* PRED_* the local end saw since the release, -1 none */
    int pred_right, pred_total;
    wchar_t pred_result[200];
    int exit_code;
} App;

/* main.c */
void ui_load(UINT id, wchar_t *buf, int size);
/* A STRINGTABLE format string filled in (_snwprintf). */
void ui_format(wchar_t *buf, size_t size, UINT id, ...);

/* theme.c: DPI, zoom, fonts, colours */
void ui_dpi_init(void);
UINT ui_window_dpi(HWND hwnd);
void ui_fonts_make(App *a);
void ui_fonts_free(App *a);
int ui_px(const App *a, int px96); /* scales 96-DPI pixels by DPI and zoom */
COLORREF ui_color(const App *a, int which);
enum {
    UC_BG, UC_TEXT, UC_DIM, UC_DONE_BG, UC_LATE_BG, UC_NEXT_BG, UC_CLIENT, UC_SERVER, UC_DATA, UC_FIN, UC_RST,
    UC_MESSAGE, UC_ERROR, UC_STATE_BG, UC_LANE, UC_KNOWN_BG, UC_KNOWN_TEXT, UC_COUNT
};
void ui_theme_refresh(App *a);

/* mainwnd.c */
ATOM ui_register_main(HINSTANCE inst);
LRESULT CALLBACK ui_main_proc(HWND hwnd, UINT msg, WPARAM wParam, LPARAM lParam);
void ui_layout(App *a);
void ui_set_zoom(App *a, double zoom);
void ui_update_status(App *a);

/* toolbar.c: toolbar, control bar and tooltips */
int ui_toolbar_create(App *a);
void ui_toolbar_update(App *a);
void ui_toolbar_fonts(App *a);
int ui_toolbar_layout(App *a, int y, int width); /* returns the bottom */
LRESULT ui_toolbar_notify(App *a, NMHDR *nm);
void ui_fill_scenarios(App *a);

/* control.c: the run and its stepping */
void ui_new_run(App *a, int manual);
/* Replaces the scenario (the App owns it) and starts a new run on it. */
void ui_use_scenario(App *a, Scenario *sc, int is_file);
int ui_select_scenario(App *a, const char *name);
void ui_cmd_step(App *a);
void ui_cmd_run(App *a);
void ui_cmd_pause(App *a);
void ui_cmd_reset(App *a);
void ui_cmd_back(App *a);
void ui_on_held(App *a, Side side);
void ui_on_speed_timer(App *a);
void ui_ff_continue(App *a);
void ui_on_complete(App *a);
int ui_rows_done(const App *a);
int ui_speed_ms(const App *a);
void ui_apply_speed(App *a);

/* model.c: the sink, its queue and the drain that feeds every view */
Sink *ui_sink_init(App *a);
void ui_model_reset(App *a);
void ui_model_build_rows(App *a);
void ui_drain(App *a);
int ui_row_of_step(const App *a, const char *step, Side side);

/* tableview.c */
HWND ui_table_create(App *a, HWND parent);
void ui_table_fill(App *a);
void ui_table_update(App *a);
LRESULT ui_table_notify(App *a, NMHDR *nm);
int ui_table_fonts(App *a); /* column widths from the font; 1 when it scrolls sideways */

/* logview.c */
HWND ui_log_create(App *a, HWND parent);
void ui_log_reset(App *a);
void ui_log_add(App *a, const Event *ev);
void ui_log_end(App *a, const Summary *sum);
void ui_log_sync(App *a);
LRESULT ui_log_notify(App *a, NMHDR *nm);
void ui_log_fonts(App *a);
void ui_status_layout(App *a);

/* ladder.c */
ATOM ui_register_ladder(HINSTANCE inst);
void ui_ladder_reset(App *a);
void ui_ladder_add(App *a, const Event *ev);
/* A failed check (known difference or mismatch): label the call or message it is about. */
void ui_ladder_check(App *a, const Event *ev);
void ui_ladder_layout(App *a); /* arrow targets and rows */
int ui_ladder_arrows(const App *a, UiArrow kind);
void ui_ladder_paint(App *a, HDC dc, const RECT *rc);
/* Double-buffered painting of a custom-drawn child (theme.c). */
void ui_paint_buffered(App *a, HWND hwnd, HDC dc, void (*paint)(App *a, HDC dc, const RECT *rc));
/* A custom-drawn panel's App (set at WM_NCCREATE), and its painting messages: returns
 * nonzero when msg was one of them (WM_ERASEBKGND, WM_PAINT, WM_PRINTCLIENT, WM_SIZE),
 * whose result is then 1 for WM_ERASEBKGND and 0 otherwise. */
App *ui_panel_app(HWND hwnd, UINT msg, LPARAM lParam);
/* Registers a custom-drawn panel's window class (no background brush: it paints it all). */
ATOM ui_register_panel(HINSTANCE inst, WNDPROC proc, const wchar_t *name);
int ui_panel_paint_msg(App *a, HWND hwnd, UINT msg, WPARAM wParam, void (*paint)(App *a, HDC dc, const RECT *rc));

/* explain.c: the explanation pane and the byte counters */
ATOM ui_register_explain(HINSTANCE inst);

/* predict.c */
int ui_predict_ask(App *a); /* 1 asked and chosen, 0 cancelled */
void ui_predict_observe(App *a, const Event *ev);
void ui_predict_reveal(App *a);
const wchar_t *ui_predict_name(int which, wchar_t *buf, int size);

/* export.c and capture.c */
void ui_export_text(App *a);
/* Write the transcript / the ladder to path without asking (the command line's exports);
 * 0 or -1. */
int ui_write_text(App *a, const wchar_t *path);
int ui_write_diagram(App *a, const wchar_t *path);
void ui_copy_transcript(App *a);
void ui_export_diagram(App *a);
int ui_write_png(const wchar_t *path, HBITMAP bmp, int w, int h);
int ui_capture_window(App *a, const wchar_t *path, int *w, int *h);
int ui_write_state(App *a, const wchar_t *path, int shot_w, int shot_h);

/* openfile.c: a scenario file (File > Open, --scenario-file) */
int ui_open_file_arg(App *a, const wchar_t *path);
int ui_select_file_scenario(App *a);
void ui_open_file(App *a);

/* dialogs.c */
void ui_about(App *a);
void ui_scenario_details(App *a);

#endif
