/* status.c: the status bar (status.h): each part sized by its words, the run's state
 * first; the others give way on a narrow window. */
#include "ui.h"

#include <stdio.h>
#include <string.h>

#include "../../res/resource.h"


static int others_w(const int w[STATUS_PARTS])
{
    int sum = 0;
    for (int i = 1; i < STATUS_PARTS; i++)
        sum += w[i];
    return sum;
}

/* The status bar's parts sized by their text in the status bar's font: where the run
 * meets another program, a blocking close's clock, the score and the zoom take what they
 * need from the right, the run's state the rest (an empty part takes nothing). */
void ui_status_layout(App *a)
{
    RECT rc;
    HDC dc;
    HGDIOBJ old;
    int parts[STATUS_PARTS], w[STATUS_PARTS] = {0}, right, pad = ui_px(&a->theme, 24) + GetSystemMetrics(SM_CXEDGE) * 4;
    if (!a->status.hwnd)
        return;
    GetClientRect(a->status.hwnd, &rc);
    dc = GetDC(a->status.hwnd);
    old = SelectObject(dc, a->theme.font);
    for (int i = 1; i < STATUS_PARTS; i++)
        w[i] = a->status.text[i][0] ? ui_text_w(dc, NULL, a->status.text[i]) + pad : 0;
    {
        /* the run's state comes first: the zoom, then the score give way (never where the
         * run is played, nor a blocking close) */
        int avail = rc.right - GetSystemMetrics(SM_CXVSCROLL) - (ui_text_w(dc, NULL, a->status.text[0]) + pad);
        for (int i = STATUS_ZOOM; i >= STATUS_SCORE && others_w(w) > avail; i--)
            w[i] = 0;
    }
    SelectObject(dc, old);
    ReleaseDC(a->status.hwnd, dc);
    memcpy(a->status.w, w, sizeof w);
    a->status.w[0] = 1;
    parts[STATUS_PARTS - 1] = -1;
    right = rc.right - w[STATUS_PARTS - 1] - GetSystemMetrics(SM_CXVSCROLL); /* the size grip */
    for (int i = STATUS_PARTS - 2; i >= 1; i--) {
        parts[i] = right;
        right -= w[i];
    }
    parts[0] = right > 0 ? right : 0;
    if (memcmp(parts, a->status.parts, sizeof parts)) {
        memcpy(a->status.parts, parts, sizeof parts);
        SendMessageW(a->status.hwnd, SB_SETPARTS, STATUS_PARTS, (LPARAM)parts);
        for (int i = 0; i < STATUS_PARTS; i++) /* a part that gave way shows nothing, not a sliver */
            SendMessageW(a->status.hwnd, SB_SETTEXTW, (WPARAM)i, (LPARAM)(i && !w[i] ? L"" : a->status.text[i]));
    }
}

/* Sets one part of the status bar, only when its text changed (it is refreshed often). */
static void status_part(App *a, int part, const wchar_t *text)
{
    if (part < 0 || part >= STATUS_PARTS || !wcscmp(a->status.text[part], text))
        return;
    wcsncpy(a->status.text[part], text, 299);
    a->status.text[part][299] = L'\0';
    ui_status_layout(a);
    SendMessageW(a->status.hwnd, SB_SETTEXTW, (WPARAM)part, (LPARAM)(a->status.w[part] ? text : L""));
}

/* The run's result; what was not observable is counted apart, never as passed. */
static void done_text(const App *a, wchar_t *buf, size_t size)
{
    const Summary *s = &a->run.sum;
    if (s->not_observable)
        ui_format(buf, size, IDS_ST_DONE_UNOBSERVED, s->checks, s->mismatches, s->known_differences, s->disputed,
                  s->not_observable, s->exit_code);
    else
        ui_format(buf, size, IDS_ST_DONE, s->checks, s->mismatches, s->known_differences, s->disputed, s->exit_code);
}

/* The run's state: ready, waiting for another program, held where, running or paused, or
 * done. */
static void run_state(App *a, wchar_t *buf, size_t size)
{
    wchar_t side[16], step[32];
    int held = ui_next_held(a);
    wchar_t label[160];
    if (ui_replay_label(a, label, 160)) {
        int done, total;
        ui_replay_progress(a, &done, &total);
        if (a->run.run_done) {
            wchar_t sum[200];
            done_text(a, sum, 200);
            _snwprintf(buf, size, L"%ls. %ls", label, sum);
            buf[size - 1] = L'\0';
        } else {
            ui_format(buf, size, IDS_ST_REPLAY, label, done, total);
        }
    } else if (!a->run.session) {
        ui_load(IDS_ST_READY, buf, (int)size);
    } else if (a->run.run_done) {
        done_text(a, buf, size);
    } else if (ui_other_program(a) && !a->model.connected) {
        ui_load(a->run.role == SIDE_SERVER ? IDS_ST_WAIT_LISTEN : IDS_ST_WAIT_CONNECT, buf, (int)size);
    } else if (held >= 0 && !a->run.running) {
        char at[EVENT_STEP_MAX];
        ui_held_step(a, (Side)held, at);
        ui_load(held == SIDE_CLIENT ? IDS_CLIENT : IDS_SERVER, side, 16);
        if (at[0])
            _snwprintf(step, 32, L"(%hs)", at);
        else
            ui_load(IDS_ST_SETUP, step, 32);
        step[31] = L'\0';
        ui_format(buf, size, IDS_ST_HELD, side, step);
    } else {
        ui_load(a->run.running || !a->run.manual ? IDS_ST_RUNNING : IDS_ST_PAUSED, buf, (int)size);
    }
}

void ui_update_status(App *a)
{
    wchar_t buf[300] = L"", side[16];
    int any_blocking = 0;
    if (!a->status.hwnd)
        return;
    run_state(a, buf, 300);
    status_part(a, STATUS_RUN, buf);
    buf[0] = L'\0';
    if (ui_other_program(a)) /* "listening on 0.0.0.0:5000": another machine is never a surprise */
        ui_wide(a->model.info.where, buf, 300);
    status_part(a, STATUS_WHERE, buf);
    buf[0] = L'\0';
    for (int k = 0; k < SIDE_COUNT; k++)
        if (a->model.blocking_since[k]) {
            ui_load(k == SIDE_CLIENT ? IDS_CLIENT : IDS_SERVER, side, 16);
            ui_format(buf, 300, IDS_ST_BLOCKING, side, (GetTickCount64() - a->model.blocking_since[k]) / 1000.0);
            any_blocking = 1;
        }
    status_part(a, STATUS_BLOCKING, buf);
    buf[0] = L'\0';
    if (a->pred.on || a->pred.total)
        ui_format(buf, 300, IDS_ST_SCORE, a->pred.right, a->pred.total);
    status_part(a, STATUS_SCORE, buf);
    ui_format(buf, 300, IDS_ST_ZOOM, (int)(a->theme.zoom * 100 + 0.5));
    status_part(a, STATUS_ZOOM, buf);
    /* a lingering close is running: keep the clock in the status bar and ladder moving */
    if (any_blocking)
        SetTimer(a->hwnd, SL_TIMER_UI_BLOCKING, 100, NULL);
    else
        KillTimer(a->hwnd, SL_TIMER_UI_BLOCKING);
}
