/* control.c: the run and how it advances. Step releases the held end whose step comes
 * first in the table; Run releases every end (instant) or one end per tick of the speed
 * timer; Pause holds both ends after their current step; Reset starts a new run on new
 * sockets; Back replays the run and releases automatically up to the previous step. */
#include "ui.h"

#include <stdio.h>
#include <string.h>

#include "../../res/resource.h"

static const int speeds_ms[] = {0, 250, 500, 1000, 2000, 4000};

int ui_speed_ms(const App *a)
{
    LRESULT pos = a->speed ? SendMessageW(a->speed, TBM_GETPOS, 0, 0) : 0;
    if (pos < 0 || pos >= (LRESULT)(sizeof speeds_ms / sizeof speeds_ms[0]))
        pos = 0;
    return speeds_ms[pos];
}

int ui_rows_done(const App *a)
{
    int n = 0;
    for (int i = 0; i < a->nrows; i++)
        n += a->rows[i].done;
    return n;
}

void ui_new_run(App *a, int manual)
{
    SessionConfig cfg;
    char err[160];
    KillTimer(a->hwnd, UI_TIMER_SPEED);
    a->running = 0;
    memset(a->holds, 0, sizeof a->holds);
    session_destroy(a->session);
    a->session = NULL;
    ui_model_reset(a);
    ui_table_fill(a);
    a->manual = manual;
    a->pred_pending = 0;
    memset(&cfg, 0, sizeof cfg);
    cfg.sc = a->sc;
    cfg.local = a->role;
    cfg.payload = -1;
    cfg.timeout_ms = 5000;
    cfg.local_hwnd = a->hwnd;
    cfg.sinks[0] = ui_sink_init(a);
    cfg.nsinks = 1;
    cfg.version = SL_VERSION;
    cfg.manual = manual;
    if (!(a->session = session_create(&cfg, err, sizeof err))) {
        wchar_t msg[320], title[64];
        ui_format(msg, 320, IDS_RUN_FAILED, err);
        fprintf(stderr, "%ls\n", msg);
        a->exit_code = 3;
        if (a->opt.exit_after_run) {
            DestroyWindow(a->hwnd);
            return;
        }
        ui_load(IDS_APP_TITLE, title, 64);
        MessageBoxW(a->hwnd, msg, title, MB_ICONERROR);
        return;
    }
    session_start(a->session);
    SetTimer(a->hwnd, UI_TIMER_DRAIN, 40, NULL);
    ui_drain(a);
    ui_toolbar_update(a);
    InvalidateRect(a->ladder, NULL, FALSE);
    InvalidateRect(a->explain, NULL, FALSE);
    ui_update_status(a);
}

void ui_use_scenario(App *a, Scenario *sc, int is_file)
{
    /* the session borrows the scenario: end it before the scenario goes */
    session_destroy(a->session);
    a->session = NULL;
    ui_model_reset(a);
    scenario_free(a->sc);
    a->sc = sc;
    a->sc_is_file = is_file;
    ui_new_run(a, 1);
}

int ui_select_scenario(App *a, const char *name)
{
    Scenario *sc = scenario_builtin(name);
    if (!sc)
        return -1;
    ui_use_scenario(a, sc, 0);
    return 0;
}

/* The held end whose held step comes first in the table (the set-up counts as first). */
static int next_held(const App *a)
{
    int best = -1, best_rank = 0;
    if (!a->session)
        return -1;
    for (int k = 0; k < SIDE_COUNT; k++) {
        int rank;
        if (!session_awaiting(a->session, (Side)k))
            continue;
        rank = a->held_step[k][0] ? ui_row_of_step(a, a->held_step[k], (Side)k) : -1;
        if (best < 0 || rank < best_rank) {
            best = k;
            best_rank = rank;
        }
    }
    return best;
}

/* One Step lets the end go on: session_release lets all of its holds go (a step it met
 * while held has already happened). */
static void release_side(App *a, Side side)
{
    a->holds[side] = 0;
    session_release(a->session, side);
}

/* Releases one end; asks for a prediction first when the peer is about to act. */
static int release_next(App *a, int ask)
{
    int side;
    ui_drain(a);
    side = next_held(a);
    if (side < 0)
        return 0;
    /* ask only while the local end can still see something: once its socket is closed
     * no FD_* message or recv can come (abortive-linger0 playing the client) */
    if (ask && a->predict && side != (int)a->role && !a->closed[a->role]) {
        int was_running = a->running;
        KillTimer(a->hwnd, UI_TIMER_SPEED);
        if (!ui_predict_ask(a)) {
            a->running = 0;
            ui_update_status(a);
            return 0;
        }
        if (was_running && a->running)
            SetTimer(a->hwnd, UI_TIMER_SPEED, (UINT)(ui_speed_ms(a) > 300 ? ui_speed_ms(a) : 300), NULL);
        if (!a->session || !session_awaiting(a->session, (Side)side))
            return 0;
    }
    release_side(a, (Side)side);
    ui_update_status(a);
    return 1;
}

void ui_cmd_step(App *a)
{
    if (!a->session || a->run_done) {
        ui_new_run(a, 1);
        return;
    }
    if (a->running || !a->manual)
        ui_cmd_pause(a);
    release_next(a, 1);
    ui_toolbar_update(a);
}

void ui_apply_speed(App *a)
{
    int ms = ui_speed_ms(a);
    if (!a->session || a->run_done || !a->running)
        return;
    KillTimer(a->hwnd, UI_TIMER_SPEED);
    if (ms == 0 && !a->predict) {
        a->manual = 0;
        for (int k = 0; k < SIDE_COUNT; k++)
            if (a->holds[k] > 0)
                release_side(a, (Side)k);
        session_set_manual(a->session, 0); /* releases both ends; no more holds */
    } else {
        a->manual = 1;
        session_set_manual(a->session, 1);
        SetTimer(a->hwnd, UI_TIMER_SPEED, (UINT)(ms > 0 ? ms : 300), NULL);
    }
}

void ui_cmd_run(App *a)
{
    if (!a->session || a->run_done)
        ui_new_run(a, 1);
    if (!a->session)
        return;
    a->running = 1;
    a->ff_target = -1;
    ui_apply_speed(a);
    ui_toolbar_update(a);
    ui_update_status(a);
}

void ui_cmd_pause(App *a)
{
    KillTimer(a->hwnd, UI_TIMER_SPEED);
    a->running = 0;
    a->manual = 1;
    if (a->session && !a->run_done)
        session_set_manual(a->session, 1);
    ui_toolbar_update(a);
    ui_update_status(a);
}

void ui_cmd_reset(App *a)
{
    a->ff_target = -1;
    ui_new_run(a, 1);
}

void ui_cmd_back(App *a)
{
    int target = ui_rows_done(a) - 1;
    if (target < 0)
        target = 0;
    ui_new_run(a, 1);
    a->ff_target = target;
    if (target > 0)
        release_next(a, 0);
    else
        a->ff_target = -1;
}

void ui_on_speed_timer(App *a)
{
    if (!a->running || !a->session || a->run_done) {
        KillTimer(a->hwnd, UI_TIMER_SPEED);
        return;
    }
    release_next(a, 1);
}

/* The next step-labelled op of that end after the step it is held at (or after the set-up). */
static const Op *next_op(const App *a, Side side)
{
    const char *held = a->held_step[side];
    size_t i = 0;
    int64_t payload = a->session ? a->session->t.info.payload : a->sc->payload;
    if (held[0]) {
        while (i < a->sc->nops && !(a->sc->ops[i].side == side && !strcmp(a->sc->ops[i].step, held)))
            i++;
        i++;
    }
    /* the next op with a step label: the unlabelled ones before it run on its release */
    for (; i < a->sc->nops; i++)
        if (a->sc->ops[i].side == side && a->sc->ops[i].step[0] && scenario_op_active(&a->sc->ops[i], payload))
            return &a->sc->ops[i];
    return NULL;
}

void ui_on_held(App *a, Side side)
{
    const Op *op;
    ui_drain(a);
    a->holds[side]++;
    /* Step lets the next *actor* act. An end about to wait for a message (or at the end
     * of its script) has nothing to hold back: it goes on at once, so a message it meets
     * while waiting is its next step, shown in turn. */
    op = next_op(a, side);
    if (!a->run_done && session_awaiting(a->session, side) && (!a->manual || !op || op->verb == OP_EXPECT)) {
        release_side(a, side);
        ui_update_status(a);
        return;
    }
    if (a->pred_pending && side != a->role)
        ui_predict_reveal(a);
    ui_ff_continue(a);
    ui_toolbar_update(a);
    ui_update_status(a);
}

/* Back's replay: release the next end until the target number of rows is lit. Called on
 * each hold and on the drain timer (a hold can be let go by the extra releases above). */
void ui_ff_continue(App *a)
{
    if (a->ff_target < 0 || !a->session || a->run_done)
        return;
    if (ui_rows_done(a) >= a->ff_target)
        a->ff_target = -1;
    else if (next_held(a) >= 0)
        release_next(a, 0);
}

void ui_on_complete(App *a)
{
    const Summary *s = session_summary(a->session);
    wchar_t title[200];
    ui_drain(a);
    if (!a->have_sum) {
        a->sum = *s;
        a->have_sum = 1;
    }
    a->run_done = 1;
    a->running = 0;
    a->ff_target = -1;
    KillTimer(a->hwnd, UI_TIMER_SPEED);
    KillTimer(a->hwnd, UI_TIMER_DRAIN);
    if (a->pred_pending)
        ui_predict_reveal(a);
    a->exit_code = a->sum.exit_code;
    ui_format(title, 200, IDS_RUN_DONE, a->sc->name, a->sum.checks, a->sum.mismatches, a->sum.known_differences);
    SetWindowTextW(a->hwnd, title);
    ui_toolbar_update(a);
    ui_update_status(a);
    InvalidateRect(a->ladder, NULL, FALSE);
    InvalidateRect(a->explain, NULL, FALSE);
    ui_table_update(a);
    if (a->opt.screenshot[0] || a->opt.state_out[0]) {
        int w = 0, h = 0;
        RedrawWindow(a->hwnd, NULL, NULL, RDW_INVALIDATE | RDW_ERASE | RDW_FRAME | RDW_ALLCHILDREN | RDW_UPDATENOW);
        if (a->opt.screenshot[0] && ui_capture_window(a, a->opt.screenshot, &w, &h) < 0) {
            wchar_t msg[160];
            ui_load(IDS_ERR_SHOT, msg, 160);
            fprintf(stderr, "%ls\n", msg);
            a->exit_code = 3;
        }
        if (a->opt.state_out[0] && ui_write_state(a, a->opt.state_out, w, h) < 0)
            a->exit_code = 3;
        a->opt.screenshot[0] = a->opt.state_out[0] = L'\0';
    }
    if ((a->opt.export_text[0] && ui_write_text(a, a->opt.export_text) < 0) ||
        (a->opt.export_diagram[0] && ui_write_diagram(a, a->opt.export_diagram) < 0)) {
        fprintf(stderr, "shutdownlab: cannot write the export (error %lu)\n", GetLastError());
        a->exit_code = 3;
    }
    a->opt.export_text[0] = a->opt.export_diagram[0] = L'\0';
    if (a->opt.exit_after_run)
        DestroyWindow(a->hwnd);
}
