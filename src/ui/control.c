/* control.c: the run and how it advances (run.h). The only file of the GUI that talks to
 * the session: every question about holds and steps is the session's to answer. */
#include "ui.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../../res/resource.h"
#include "session.h"

static const int speeds_ms[] = {0, 250, 500, 1000, 2000, 4000};

int ui_speed_ms(const App *a)
{
    LRESULT pos = a->ctl.speed ? SendMessageW(a->ctl.speed, TBM_GETPOS, 0, 0) : 0;
    if (pos < 0 || pos >= (LRESULT)(sizeof speeds_ms / sizeof speeds_ms[0]))
        pos = 0;
    return speeds_ms[pos];
}

int ui_run_live(const App *a)
{
    return (a->run.session || a->run.replay) && !a->run.run_done;
}

int ui_awaiting(const App *a, Side side)
{
    return a->run.session && session_awaiting(a->run.session, side);
}

void ui_held_step(const App *a, Side side, char *step)
{
    step[0] = '\0';
    if (a->run.session)
        session_held_step(a->run.session, side, step);
}

int ui_route(App *a, HWND hwnd, UINT msg, WPARAM wp, LPARAM lp)
{
    return a->run.session && session_route(a->run.session, hwnd, msg, wp, lp);
}

/* --record: the live run's jsonl goes to the file as it happens, beside the window's
 * own sink; each new run overwrites it, so the file holds the last run. */
static void record_write(void *ctx, const char *s, size_t n)
{
    fwrite(s, 1, n, (FILE *)ctx);
}

static Sink *record_open(App *a)
{
    if (!a->opt.record[0] || !(a->run.record = _wfopen(a->opt.record, L"wb"))) {
        if (a->opt.record[0])
            fprintf(stderr, "shutdownlab: cannot write the recording %ls (error %d)\n", a->opt.record, errno);
        return NULL;
    }
    return formatter_init(&a->run.record_fmt, FORMAT_JSONL, (Out){record_write, a->run.record});
}

static void record_close(App *a)
{
    if (a->run.record && fclose(a->run.record) != 0) {
        fprintf(stderr, "shutdownlab: cannot write the recording %ls\n", a->opt.record);
        a->run.exit_code = 3;
    }
    a->run.record = NULL;
}

/* A parked run ends here, then the scenario it borrowed goes; its sink speaks again. */
static void bury(App *a)
{
    struct Session *s = a->run.parked;
    if (!s)
        return;
    a->run.parked = NULL;
    session_destroy(s);
    record_close(a); /* the parked run's recording: the next run writes the file anew */
    scenario_free(a->run.parked_sc);
    a->run.parked_sc = NULL;
    ui_sink_mute(a, 0);
}

void ui_park_run(App *a)
{
    bury(a); /* one parked at a time: an earlier switch's, if its run never started */
    KillTimer(a->hwnd, SL_TIMER_UI_SPEED);
    KillTimer(a->hwnd, SL_TIMER_UI_DRAIN);
    if (!a->run.session)
        return;
    ui_sink_mute(a, 1);
    a->run.parked = a->run.session;
    a->run.session = NULL;
}

void ui_end_run(App *a)
{
    bury(a);
    KillTimer(a->hwnd, SL_TIMER_UI_SPEED);
    KillTimer(a->hwnd, SL_TIMER_UI_DRAIN);
    {
        struct Session *s = a->run.session; /* cleared first: nothing can end it twice */
        a->run.session = NULL;
        session_destroy(s); /* the recording sink is called no more */
    }
    record_close(a);
}

static void run_failed(App *a, const char *err)
{
    wchar_t msg[320], title[64];
    ui_format(msg, 320, IDS_RUN_FAILED, err);
    fprintf(stderr, "%ls\n", msg);
    a->run.exit_code = 3;
    if (a->opt.exit_after_run) {
        DestroyWindow(a->hwnd);
        return;
    }
    ui_load(IDS_APP_TITLE, title, 64);
    ui_show_now(a); /* the box comes up over a window that paints, even inside a batch */
    MessageBoxW(a->hwnd, msg, title, MB_ICONERROR);
}

/* Against another program (Run > Peer..., --listen, --connect): only the local end runs,
 * in the role the peer mode gives it, and waits a minute for the connection. */
static void peer_config(App *a, SessionConfig *cfg)
{
    const UiPeer *p = &a->run.peer;
    int64_t twice = a->run.sc->payload * 2;
    if (p->mode == UI_PEER_EMBEDDED)
        return;
    a->run.role = p->mode == UI_PEER_LISTEN ? SIDE_SERVER : SIDE_CLIENT;
    SendMessageW(a->ctl.role_combo, CB_SETCURSEL, a->run.role, 0);
    cfg->peer = p->as_peer ? SESSION_PEER : SESSION_EXTERNAL;
    cfg->addr = p->addr;
    cfg->wait_ms = 60000;
    cfg->max_received = twice > ((int64_t)64 << 20) ? twice : (int64_t)64 << 20;
}

/* The title names the run, and against another program where it is played: an address
 * other than loopback is always in sight. */
static void run_title(App *a)
{
    wchar_t label[200], title[260];
    ui_run_label(a, label, 200);
    ui_format(title, 260, IDS_RUN_TITLE, label);
    SetWindowTextW(a->hwnd, title);
}

void ui_start_soon(App *a)
{
    a->run.start_pending = 1;
    /* WM_TIMER comes only when the queue is empty: after the first paint */
    SetTimer(a->hwnd, SL_TIMER_UI_START, 1, NULL);
}

void ui_first_run(App *a)
{
    ui_new_run(a, !a->opt.autoplay);
    if (a->opt.autoplay)
        ui_cmd_run(a);
}

void ui_on_start_timer(App *a)
{
    KillTimer(a->hwnd, SL_TIMER_UI_START);
    if (a->run.start_pending == 2) /* a switch's: stepped, whatever --autoplay said at launch */
        ui_new_run(a, 1);
    else if (a->run.start_pending) /* else a Step or Run started it already */
        ui_first_run(a);
}

/* What the last run was doing: none of it carries over to the next. */
static void forget_run(App *a)
{
    a->run.running = 0;
    a->run.ff_target = -1; /* a Back under way is the old run's: only Back sets one, after this */
    a->run.nstops = 0;
    a->run.stops_gap = 0;
    a->pred.pending = 0;
}

void ui_new_run_soon(App *a)
{
    if (a->run.replay) { /* a recording opens no socket and no thread: shown at once */
        ui_new_run(a, 1);
        return;
    }
    ui_freeze(a);
    forget_run(a);
    a->run.manual = 1;
    ui_model_reset(a); /* the new scenario's table, before its run */
    ui_table_fill(a);
    a->run.start_pending = 2;
    SetTimer(a->hwnd, SL_TIMER_UI_START, 1, NULL); /* WM_TIMER: when the queue is empty */
    run_title(a);
    ui_toolbar_update(a);
    ui_update_status(a);
    ui_thaw(a);
}

static void new_run(App *a, int manual);

/* A new run's table, log and ladder change together: one repaint (ui_freeze). */
void ui_new_run(App *a, int manual)
{
    ui_freeze(a);
    new_run(a, manual);
    ui_thaw(a);
}

static void new_run(App *a, int manual)
{
    SessionConfig cfg;
    char err[300];
    a->run.start_pending = 0;
    ui_end_run(a);
    forget_run(a);
    if (a->run.replay) {
        ui_replay_start(a);
        return;
    }
    ui_model_reset(a);
    a->run.manual = manual;
    memset(&cfg, 0, sizeof cfg);
    peer_config(a, &cfg);
    ui_table_fill(a); /* its headers name the role the peer mode gave */
    cfg.sc = a->run.sc;
    cfg.local = a->run.role;
    cfg.payload = -1;
    cfg.timeout_ms = 5000;
    cfg.local_hwnd = a->hwnd;
    cfg.sinks[0] = ui_sink(a);
    cfg.nsinks = 1;
    if ((cfg.sinks[1] = record_open(a)))
        cfg.nsinks = 2;
    cfg.version = SL_VERSION;
    cfg.manual = manual;
    cfg.storm = a->opt.storm;
    cfg.wire = a->opt.wire[0] ? a->opt.wire : NULL; /* the options outlive every session */
    if (!(a->run.session = session_create(&cfg, err, sizeof err))) {
        run_failed(a, err);
        return;
    }
    session_start(a->run.session);
    run_title(a); /* after the run's info is in: it says where the other program is */
    SetTimer(a->hwnd, SL_TIMER_UI_DRAIN, 40, NULL);
    ui_drain(a);
    ui_toolbar_update(a);
    ui_update_status(a);
}

void ui_use_scenario(App *a, Scenario *sc, int is_file)
{
    /* the session borrows the scenario, and the views' models point into it: both go first */
    int was_replay;
    ui_park_run(a);
    was_replay = ui_replay_close(a); /* a scenario chosen: live runs again */
    if (a->run.parked)
        a->run.parked_sc = a->run.sc; /* the parked run borrows it until it ends */
    else
        scenario_free(a->run.sc);
    a->run.sc = sc;
    a->run.sc_is_file = is_file;
    ui_new_run_soon(a);
    if (was_replay)
        ui_fill_scenarios(a);
}

int ui_select_scenario(App *a, const char *name)
{
    Scenario *sc = scenario_builtin(name);
    if (!sc)
        return -1;
    ui_use_scenario(a, sc, 0);
    return 0;
}

/* The rank of an end's held step in the table: the set-up counts as first. */
static int held_rank(const App *a, Side side)
{
    char step[EVENT_STEP_MAX];
    ui_held_step(a, side, step);
    return step[0] ? table_row_of_step(&a->model.table, side, step) : -1;
}

int ui_next_held(const App *a)
{
    int best = -1, best_rank = 0;
    if (a->run.replay)
        return -1; /* nothing is held: the recording shows its next step on Step */
    for (int k = 0; k < SIDE_COUNT; k++) {
        int rank;
        if (!ui_awaiting(a, (Side)k))
            continue;
        rank = held_rank(a, (Side)k);
        if (best < 0 || rank < best_rank) {
            best = k;
            best_rank = rank;
        }
    }
    return best;
}

/* Asks for a prediction before the peer goes on, while the local end can still see
 * something (once its socket is closed no FD_* message or recv can come). Returns 0 when
 * the student cancelled, or the run moved on meanwhile. */
static int predict_first(App *a, Side side)
{
    int was_running = a->run.running;
    KillTimer(a->hwnd, SL_TIMER_UI_SPEED);
    if (!ui_predict_ask(a)) {
        a->run.running = 0;
        ui_update_status(a);
        return 0;
    }
    if (was_running && a->run.running)
        SetTimer(a->hwnd, SL_TIMER_UI_SPEED, (UINT)(ui_speed_ms(a) > 300 ? ui_speed_ms(a) : 300), NULL);
    return ui_awaiting(a, side);
}

/* The run held here, with this many rows lit: a place Back can land on. */
static void note_stop(App *a)
{
    int rows = table_rows_done(&a->model.table);
    if (a->run.nstops < (int)(sizeof a->run.stops / sizeof a->run.stops[0]) &&
        (a->run.nstops == 0 || a->run.stops[a->run.nstops - 1] < rows))
        a->run.stops[a->run.nstops++] = rows;
}

/* Back's landing place: the last place this run held with fewer rows lit than now, which
 * is where the student stood one Step ago; one row fewer where that is unknown (Run at
 * full speed went through unheld). */
static int back_target(const App *a)
{
    int rows = table_rows_done(&a->model.table);
    if (!a->run.stops_gap)
        for (int i = a->run.nstops - 1; i >= 0; i--)
            if (a->run.stops[i] < rows)
                return a->run.stops[i];
    return rows > 0 ? rows - 1 : 0;
}

/* Releases the end held first; asks for a prediction first when the peer is about to act. */
static int release_next(App *a, int ask)
{
    int side;
    ui_drain(a);
    side = ui_next_held(a);
    if (side < 0)
        return 0;
    if (ask && a->pred.on && side != (int)a->run.role && !a->model.closed[a->run.role] &&
        !predict_first(a, (Side)side))
        return 0;
    note_stop(a);
    session_release(a->run.session, (Side)side);
    ui_update_status(a);
    return 1;
}

void ui_cmd_step(App *a)
{
    if (!ui_run_live(a)) {
        ui_new_run(a, 1);
        return;
    }
    if (a->run.running || !a->run.manual)
        ui_cmd_pause(a);
    if (a->run.replay)
        ui_replay_step(a);
    else
        release_next(a, 1);
    ui_toolbar_update(a);
}

void ui_apply_speed(App *a)
{
    int ms = ui_speed_ms(a);
    if (!ui_run_live(a) || !a->run.running)
        return;
    KillTimer(a->hwnd, SL_TIMER_UI_SPEED);
    if (a->run.replay) { /* Instant shows the rest; otherwise one step per tick */
        if (ms == 0 && !a->pred.on)
            ui_replay_all(a);
        else
            SetTimer(a->hwnd, SL_TIMER_UI_SPEED, (UINT)(ms > 0 ? ms : 300), NULL);
        return;
    }
    if (ms == 0 && !a->pred.on) {
        a->run.stops_gap = 1;
        a->run.manual = 0;
        session_set_manual(a->run.session, 0); /* releases both ends; no more holds */
    } else {
        a->run.manual = 1;
        session_set_manual(a->run.session, 1);
        SetTimer(a->hwnd, SL_TIMER_UI_SPEED, (UINT)(ms > 0 ? ms : 300), NULL);
    }
}

void ui_cmd_run(App *a)
{
    if (!ui_run_live(a))
        ui_new_run(a, 1);
    if (!ui_run_live(a))
        return;
    a->run.running = 1;
    a->run.ff_target = -1;
    ui_apply_speed(a);
    ui_toolbar_update(a);
    ui_update_status(a);
}

void ui_cmd_pause(App *a)
{
    KillTimer(a->hwnd, SL_TIMER_UI_SPEED);
    a->run.running = 0;
    a->run.manual = 1;
    if (ui_run_live(a) && a->run.session)
        session_set_manual(a->run.session, 1);
    ui_toolbar_update(a);
    ui_update_status(a);
}

void ui_cmd_reset(App *a)
{
    a->run.ff_target = -1;
    ui_new_run(a, 1);
}

void ui_cmd_back(App *a)
{
    int target = back_target(a);
    if (a->run.replay) {
        ui_replay_back(a);
        return;
    }
    if (a->run.peer.mode != UI_PEER_EMBEDDED)
        return; /* Back replays the run from its start: another program would have to connect again */
    if (target < 0)
        target = 0;
    ui_new_run(a, 1);
    a->run.ff_target = target;
    if (target > 0)
        release_next(a, 0);
    else
        a->run.ff_target = -1;
}

void ui_on_speed_timer(App *a)
{
    if (!a->run.running || !ui_run_live(a)) {
        KillTimer(a->hwnd, SL_TIMER_UI_SPEED);
        return;
    }
    if (a->run.replay)
        ui_replay_step(a);
    else
        release_next(a, 1);
}

/* An end waits for the student's Step (the session let through the ends that only wait
 * for a message: stepping.h). */
void ui_on_held(App *a, Side side)
{
    ui_drain(a);
    if (!a->run.manual) { /* Run turned stepping off as this end stopped: let it go */
        session_release(a->run.session, side);
        ui_update_status(a);
        return;
    }
    if (a->pred.pending && side != a->run.role)
        ui_predict_reveal(a);
    ui_ff_continue(a);
    ui_toolbar_update(a);
    ui_update_status(a);
}

/* Back's replay: release the next end until the target number of rows is lit. Called on
 * each hold and on the drain timer. */
void ui_ff_continue(App *a)
{
    if (a->run.ff_target < 0 || !ui_run_live(a))
        return;
    if (table_rows_done(&a->model.table) >= a->run.ff_target)
        a->run.ff_target = -1;
    else if (ui_next_held(a) >= 0)
        release_next(a, 0);
}

/* What the command line asked for once the run is over: a picture, the state file, the
 * exports; then, maybe, the end. */
static void command_line_outputs(App *a)
{
    if (a->opt.screenshot[0] || a->opt.state_out[0]) {
        int w = 0, h = 0;
        RedrawWindow(a->hwnd, NULL, NULL, RDW_INVALIDATE | RDW_ERASE | RDW_FRAME | RDW_ALLCHILDREN | RDW_UPDATENOW);
        if (a->opt.screenshot[0] && ui_capture_window(a, a->opt.screenshot, &w, &h) < 0) {
            wchar_t msg[160];
            ui_load(IDS_ERR_SHOT, msg, 160);
            fprintf(stderr, "%ls\n", msg);
            a->run.exit_code = 3;
        }
        if (a->opt.state_out[0] && ui_write_state(a, a->opt.state_out, w, h) < 0)
            a->run.exit_code = 3;
        a->opt.screenshot[0] = a->opt.state_out[0] = L'\0';
    }
    if ((a->opt.export_text[0] && ui_write_text(a, a->opt.export_text) < 0) ||
        (a->opt.export_diagram[0] && ui_write_diagram(a, a->opt.export_diagram) < 0)) {
        fprintf(stderr, "shutdownlab: cannot write the export (error %lu)\n", GetLastError());
        a->run.exit_code = 3;
    }
    a->opt.export_text[0] = a->opt.export_diagram[0] = L'\0';
    if (a->opt.exit_after_run)
        DestroyWindow(a->hwnd);
}

/* A capture (--wire) that could not be read is bad input, said where it is wrong (the
 * file and the byte offset): on stderr with exit status 2 for --exit-after-run, else in a
 * box; the run itself stands. */
static void wire_failed(App *a)
{
    char why[600];
    wchar_t msg[700], title[64];
    if (!a->run.session || !session_wire_failed(a->run.session, why, sizeof why))
        return;
    ui_format(msg, 700, IDS_ERR_WIRE, why);
    fprintf(stderr, "shutdownlab: --wire %s\n", why);
    if (a->opt.exit_after_run) {
        a->run.exit_code = 2;
        return;
    }
    ui_load(IDS_APP_TITLE, title, 64);
    MessageBoxW(a->hwnd, msg, title, MB_ICONWARNING);
}

/* WM_SL_COMPLETE: the run is over and its summary is in. */
void ui_on_complete(App *a)
{
    wchar_t title[300], label[200];
    ui_drain(a);
    if (!a->run.have_sum && a->run.session) {
        a->run.sum = *session_summary(a->run.session);
        a->run.have_sum = 1;
    }
    record_close(a); /* the summary line is in: the recording is whole */
    a->run.run_done = 1;
    a->run.running = 0;
    a->run.ff_target = -1;
    KillTimer(a->hwnd, SL_TIMER_UI_SPEED);
    KillTimer(a->hwnd, SL_TIMER_UI_DRAIN);
    if (a->pred.pending)
        ui_predict_reveal(a);
    a->run.exit_code = a->run.sum.exit_code;
    ui_run_label(a, label, 200);
    ui_format(title, 300, a->run.sum.not_observable ? IDS_RUN_DONE_UNOBSERVED : IDS_RUN_DONE, label, a->run.sum.checks,
              a->run.sum.mismatches, a->run.sum.known_differences, a->run.sum.disputed, a->run.sum.not_observable);
    ui_replay_title(a, title, 300);
    SetWindowTextW(a->hwnd, title);
    ui_toolbar_update(a);
    ui_update_status(a);
    InvalidateRect(a->ladder.hwnd, NULL, FALSE);
    InvalidateRect(a->explain.hwnd, NULL, FALSE);
    ui_table_update(a);
    wire_failed(a);
    command_line_outputs(a);
}
