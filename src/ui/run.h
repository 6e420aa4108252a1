/* run.h: the run and how it advances (control.c), the only part of the GUI that talks to
 * the session: Step releases the held end whose step comes first in the table; Run
 * releases every end at once or one per tick of the speed timer; Pause holds both after
 * their current step; Reset starts a new run on new sockets; Back replays the run and
 * releases automatically up to the previous step. The rest of the GUI asks here. */
#ifndef SHUTDOWNLAB_RUN_H
#define SHUTDOWNLAB_RUN_H

#include <winsock2.h>
#include <windows.h>

#include <stdio.h>

#include "cmdline.h"
#include "format.h"
#include "scenario.h"
#include "transcript.h"

struct App;
struct Session;
struct Recording;

typedef struct RunControl {
    struct Session *session; /* the run under way (session.h); NULL before the first */
    /* A switch's old run, ended after the window shows the new scenario (ui_end_run ends
     * it, and frees the scenario it borrows); its sink is muted meanwhile. */
    struct Session *parked;
    Scenario *parked_sc;
    Scenario *sc;            /* the App owns it; the session borrows it */
    int sc_is_file;          /* sc came from the opened file */
    char *file_text;         /* the opened scenario file, to choose it again */
    size_t file_len;
    Side role;
    UiPeer peer;   /* who plays the other end: the embedded peer, or another program (Run > Peer...) */
    int run_done;
    Summary sum;
    int have_sum;
    int manual;    /* stepping: ends hold after each step */
    int running;   /* Run pressed: released by the speed timer (or manual off) */
    int start_pending; /* the run starts after the window's paint: 1 the first (ui_start_soon),
                        * 2 a switch's (ui_new_run_soon) */
    int ff_target; /* Back: release automatically until this many rows are done; -1 off */
    /* Where this run held: the rows lit at each release, rising (Back's landing places: a
     * step may light two rows, so one row fewer may be no place the run ever held). */
    int stops[64];
    int nstops;
    int stops_gap; /* Run at full speed let the ends go unheld: stops after it are unknown */
    int exit_code;
    /* a recording played instead of a live run (replay.c) */
    struct Recording *replay;
    size_t replay_pos;   /* how many of its events are shown */
    int replay_steps;    /* how many of its steps are shown */
    int replay_ended;    /* its summary is shown; completion is posted */
    char replay_from[160]; /* where it was recorded: "Windows 10.0.19045" */
    /* --record: the live run's jsonl, as it happens */
    FILE *record;
    Formatter record_fmt;
} RunControl;

void ui_new_run(struct App *a, int manual);
/* A switch (another scenario, the other role): the window shows the new scenario's table
 * at once, and the old run ends and the new one starts when the window has painted, as
 * the first run does at launch; a Step or Run before then starts it itself. */
void ui_new_run_soon(struct App *a);
/* The run under way, parked: a switch's, before it replaces the scenario. */
void ui_park_run(struct App *a);
/* At launch: the window paints first, then the run starts (sockets, threads and the TCP
 * table cost a few hundred ms under Wine, and a teacher sees the window at once); a Step
 * or Run pressed before then starts it itself. ui_on_start_timer is SL_TIMER_UI_START's. */
void ui_start_soon(struct App *a);
void ui_on_start_timer(struct App *a);
/* The first run as the command line asks (--autoplay runs it through). */
void ui_first_run(struct App *a);
/* Replaces the scenario (the App owns it) and starts a new run on it: the one swap. */
void ui_use_scenario(struct App *a, Scenario *sc, int is_file);
int ui_select_scenario(struct App *a, const char *name);
void ui_cmd_step(struct App *a);
void ui_cmd_run(struct App *a);
void ui_cmd_pause(struct App *a);
void ui_cmd_reset(struct App *a);
void ui_cmd_back(struct App *a);
void ui_on_held(struct App *a, Side side);
void ui_on_speed_timer(struct App *a);
void ui_ff_continue(struct App *a);
void ui_on_complete(struct App *a);
int ui_speed_ms(const struct App *a);
void ui_apply_speed(struct App *a);
/* The run's questions, answered by the session (and nothing else). */
int ui_run_live(const struct App *a); /* a run is under way */
int ui_awaiting(const struct App *a, Side side);
/* The held end whose step comes first in the table, or -1. */
int ui_next_held(const struct App *a);
/* The last step the end completed, "" for the set-up. */
void ui_held_step(const struct App *a, Side side, char *step /* EVENT_STEP_MAX */);
/* Every message of the main window, to the session first (one line in the window
 * procedure); nonzero when it was the session's. */
int ui_route(struct App *a, HWND hwnd, UINT msg, WPARAM wp, LPARAM lp);
/* Ends the run and lets the session go (the window is closing). */
void ui_end_run(struct App *a);

#endif
