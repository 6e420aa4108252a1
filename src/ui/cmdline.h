/* cmdline.h: shutdownlab.exe's command line, for demos and tests (SPEC section 6). */
#ifndef SHUTDOWNLAB_CMDLINE_H
#define SHUTDOWNLAB_CMDLINE_H

#include <winsock2.h>
#include <windows.h>

#include "event.h"
#include "scenario.h"

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
    wchar_t replay[MAX_PATH];         /* --replay: a recording to play instead of a live run */
    wchar_t record[MAX_PATH];         /* --record: the live run's jsonl, written as it happens */
    double zoom;
} UiOptions;

/* 0 ok, 1 --help printed, -1 bad usage (message on stderr). */
int ui_parse_args(int argc, wchar_t **argv, UiOptions *o);
void ui_print_usage(void);

#endif
