/* replay.c: a recording played as a live run (replay.h). */
#include "ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "../../res/resource.h"
#include "recording.h"
#include "scnfile.h"

int ui_replay_label(const App *a, wchar_t *buf, int size)
{
    buf[0] = L'\0';
    if (!a->run.replay)
        return 0;
    ui_format(buf, (size_t)size, IDS_REPLAY_FROM, a->run.replay_from);
    return 1;
}

void ui_replay_title(const App *a, wchar_t *title, int size)
{
    wchar_t label[200], *rest;
    if (!ui_replay_label(a, label, 200))
        return;
    rest = wcschr(title, L':'); /* "ShutdownLab: NAME: done; ..." keeps what follows the app's name */
    if (!rest)
        return;
    {
        wchar_t tail[300];
        wcsncpy(tail, rest, 299);
        tail[299] = L'\0';
        _snwprintf(title, (size_t)size, L"ShutdownLab: %ls%ls", label, tail);
        title[size - 1] = L'\0';
    }
}

int ui_replay_close(App *a)
{
    if (!a->run.replay)
        return 0;
    recording_free(a->run.replay);
    a->run.replay = NULL;
    a->run.replay_from[0] = '\0';
    return 1;
}

/* File > Open recording... (Ctrl+Shift+O). */
void ui_open_recording(App *a)
{
    wchar_t path[MAX_PATH] = L"";
    if (ui_ask_path(a, IDS_REPLAY_FILTER, L"jsonl", path, 0) == 0)
        ui_replay_open(a, path, 0);
}

/* --replay with --wire: the recording's capture joined to it (wiremerge.h), its segments
 * observed beside the recorded calls. A capture that cannot be read is said with its file
 * and byte offset: on stderr, and with --exit-after-run that ends it (-1, r freed: exit 2);
 * else in a box too, and the recording plays without it. */
static int replay_capture(App *a, Recording **r, const wchar_t *path)
{
    WireMatch m;
    char msg[1400];
    int rc = recfile_merge_capture(*r, a->opt.wire, &m, msg, sizeof msg);
    wirematch_free(&m);
    if (rc == 0)
        return 0;
    fprintf(stderr, "shutdownlab: --wire %s\n", msg);
    recording_free(*r);
    *r = NULL;
    if (a->opt.exit_after_run)
        return -1;
    {
        wchar_t w[1500], title[64];
        ui_format(w, 1500, IDS_ERR_WIRE, msg);
        ui_load(IDS_APP_TITLE, title, 64);
        MessageBoxW(a->hwnd, w, title, MB_ICONWARNING);
    }
    *r = recfile_load(path, msg, sizeof msg); /* as it was read: the merge may have begun */
    return 0;
}

int ui_replay_open(App *a, const wchar_t *path, int cmdline)
{
    char msg[1400] = "";
    ScenarioError err;
    Recording *r = recfile_load(path, msg, sizeof msg);
    Scenario *sc = NULL;
    if (r && cmdline && a->opt.wire[0] && replay_capture(a, &r, path) < 0)
        return -1;
    if (!r && cmdline && a->opt.wire[0] && !msg[0])
        snprintf(msg, sizeof msg, "%s", "the recording could not be read again");
    /* the App owns its own copy of the recording's scenario, as it owns any scenario */
    if (r && !(sc = scenario_parse(r->sc->text, r->sc->text_len, &err)))
        snprintf(msg, sizeof msg, "out of memory");
    if (!r || !sc) {
        recording_free(r);
        if (cmdline) {
            fprintf(stderr, "shutdownlab: %s\n", msg);
        } else {
            wchar_t w[1400], title[64];
            ui_wide(msg, w, 1400);
            ui_load(IDS_APP_TITLE, title, 64);
            MessageBoxW(a->hwnd, w, title, MB_ICONERROR);
        }
        return -1;
    }
    if (a->hwnd)
        ui_end_run(a);
    ui_replay_close(a);
    a->run.replay_ended = 0;
    scenario_free(a->run.sc);
    a->run.sc = sc;
    a->run.sc_is_file = 0;
    a->run.role = r->info.local;
    a->run.replay = r;
    recording_platform(r, a->run.replay_from, sizeof a->run.replay_from);
    if (a->hwnd) {
        ui_freeze(a);
        SendMessageW(a->ctl.role_combo, CB_SETCURSEL, a->run.role, 0);
        ui_fill_scenarios(a);
        ui_new_run(a, 1);
        ui_layout(a);
        ui_thaw(a);
    }
    return 0;
}

/* How many events a reveal hands the sink before it takes them into the views' model: the
 * queue holds each as a whole record (UiRec, about 760 bytes), the model keeps it in a few
 * bytes, so a step of 100,000 FD_READs never queues more than these at once. The views are
 * shown once, at the end of the reveal (a drain per chunk took 7 s for 100,000, not 2). */
#define REVEAL_CHUNK 512

/* Shows the recording's events up to (not including) index end, each read from its line
 * (recording_event), through the sink and the drain, as a live run's events come. */
static void reveal(App *a, size_t end)
{
    Sink *s = ui_sink(a);
    const Recording *r = a->run.replay;
    size_t queued = 0;
    for (; a->run.replay_pos < end && a->run.replay_pos < r->n; a->run.replay_pos++) {
        Event ev;
        if (recording_event(r, a->run.replay_pos, &ev) < 0)
            break; /* out of memory: what was read is shown, and the replay holds here */
        s->event(s, &ev);
        if (++queued == REVEAL_CHUNK) {
            ui_model_take(a);
            queued = 0;
        }
    }
    if (a->run.replay_pos == r->n && !a->run.replay_ended) {
        s->end(s, &r->sum);
        a->run.replay_ended = 1;
        /* completed from the message loop, as a live run's WM_SL_COMPLETE is: what
         * completion does (exports, --exit-after-run) never runs inside a command */
        PostMessageW(a->hwnd, WM_UI_REPLAY_END, 0, 0);
    }
    ui_drain(a);
}

/* Where step k (0: the set-up) ends: the index of the (k+1)-th step event, or the end. */
static size_t step_end(const Recording *r, int k)
{
    return recording_step_at(r, (size_t)k);
}

void ui_replay_progress(const App *a, int *done, int *total)
{
    const Recording *r = a->run.replay;
    *done = a->run.replay_steps;
    *total = r ? (int)r->nsteps : 0;
    if (*done > *total)
        *done = *total;
}

void ui_replay_start(App *a)
{
    wchar_t title[300];
    const Recording *r = a->run.replay;
    Sink *s;
    ui_model_reset(a);
    ui_table_fill(a);
    a->run.replay_pos = 0;
    a->run.replay_steps = 0;
    a->run.replay_ended = 0;
    a->run.running = 0;
    a->run.manual = 1;
    s = ui_sink(a);
    s->begin(s, &r->info);
    a->model.info.sc = a->run.sc; /* the views read the App's copy of the same scenario */
    ui_format(title, 300, IDS_REPLAY_TITLE, a->run.replay_from, r->sc->name, side_name(r->info.local));
    SetWindowTextW(a->hwnd, title);
    reveal(a, step_end(r, 0)); /* the set-up, as a live run shows it before its first step */
    ui_toolbar_update(a);
    ui_update_status(a);
}

/* Prediction mode: before the peer's recorded step, as before its live one, the student
 * says what their end will see. 0 when they cancelled (the replay pauses). */
static int ask_first(App *a)
{
    const Recording *r = a->run.replay;
    size_t next = a->run.replay_pos;
    Event ev;
    if (!a->pred.on || next >= r->n || recording_event(r, next, &ev) < 0 || ev.kind != EV_STEP ||
        ev.side == a->run.role || a->model.closed[a->run.role])
        return 1;
    KillTimer(a->hwnd, SL_TIMER_UI_SPEED);
    if (ui_predict_ask(a)) {
        if (a->run.running)
            SetTimer(a->hwnd, SL_TIMER_UI_SPEED, (UINT)(ui_speed_ms(a) > 300 ? ui_speed_ms(a) : 300), NULL);
        return 1;
    }
    a->run.running = 0;
    ui_toolbar_update(a);
    ui_update_status(a);
    return 0;
}

static void advance(App *a, int ask)
{
    if (a->run.run_done) {
        ui_replay_start(a);
        return;
    }
    if (a->run.replay_ended)
        return; /* completion is on its way */
    if (ask && !ask_first(a))
        return;
    a->run.replay_steps++;
    reveal(a, step_end(a->run.replay, a->run.replay_steps));
    if (a->pred.pending) /* what the student's end saw, up to the next step */
        ui_predict_reveal(a);
    ui_toolbar_update(a);
    ui_update_status(a);
}

void ui_replay_step(App *a)
{
    advance(a, 1);
}

void ui_replay_back(App *a)
{
    int target = a->run.replay_steps - 1;
    ui_replay_start(a);
    while (a->run.replay_steps < target && !a->run.replay_ended)
        advance(a, 0); /* Back asks nothing: those steps were answered */
}

void ui_replay_end(App *a)
{
    if (a->run.replay && a->run.replay_ended && !a->run.run_done)
        ui_on_complete(a);
}

void ui_replay_all(App *a)
{
    a->run.replay_steps = (int)a->run.replay->nsteps; /* every step shown: Back counts from here */
    reveal(a, a->run.replay->n);
    ui_toolbar_update(a);
    ui_update_status(a);
}
