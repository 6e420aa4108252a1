/* ladder_model.c: what the ladder shows, built from the run's events: each end's calls
 * and FD_* messages as items in the order the ends stamped them (bursts merged), the TCP
 * states, and the data / FIN / RST arrows inferred from the calls (no packet capture is
 * made or claimed). ladder.c draws it. */
#include "ui.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../res/resource.h"
#include "wsaerr.h"

void ui_ladder_reset(App *a)
{
    a->nitems = 0;
    memset(a->ladder_state, 0, sizeof a->ladder_state);
    a->ladder_t_max = 0;
    a->reset = 0;
}

static UiItem *insert_item(App *a, int64_t t_us)
{
    size_t at;
    if (a->nitems == a->capitems) {
        size_t cap = a->capitems ? a->capitems * 2 : 128;
        UiItem *p = realloc(a->items, cap * sizeof *p);
        if (!p)
            return NULL;
        a->items = p;
        a->capitems = cap;
    }
    /* in the order the ends stamped them: cause before effect, whatever the arrival */
    at = a->nitems;
    while (at > 0 && a->items[at - 1].t_us > t_us)
        at--;
    memmove(&a->items[at + 1], &a->items[at], (a->nitems - at) * sizeof *a->items);
    a->nitems++;
    memset(&a->items[at], 0, sizeof a->items[at]);
    a->items[at].t_us = a->items[at].t_last = t_us;
    a->items[at].target = -1;
    return &a->items[at];
}

static int setup_name(const char *n)
{
    static const char *const names[] = {"socket", "listen", "connect", "accept", "closesocket(listener)",
                                        "FD_ACCEPT", "FD_CONNECT", "FD_WRITE"};
    if (!strncmp(n, "bind", 4))
        return 1;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!strcmp(n, names[i]))
            return 1;
    return 0;
}

static int burst_name(const char *n)
{
    return !strcmp(n, "FD_READ") || !strcmp(n, "recv") || !strcmp(n, "send") || !strcmp(n, "FD_WRITE");
}

/* A burst (FD_READ, recv, FD_READ, recv...) joins the item it continues. */
static UiItem *burst_item(App *a, const Event *ev)
{
    int seen = 0;
    if (!burst_name(ev->name) || ev->stale)
        return NULL;
    for (size_t i = a->nitems; i-- > 0 && seen < 2;) {
        UiItem *it = &a->items[i];
        if (it->side != ev->side || it->kind == LI_STATE)
            continue;
        seen++;
        if (strcmp(it->step, ev->step) || !burst_name(it->name))
            return NULL;
        if (!strcmp(it->name, ev->name) && it->error == ev->error && (ev->bytes > 0) == (it->bytes > 0))
            return it;
    }
    return NULL;
}

static void item_observed(UiItem *it);

/* What the item says: the observation, and beside it what Windows does when it differs. */
static void item_text(UiItem *it)
{
    size_t n;
    item_observed(it);
    n = strlen(it->text);
    if (it->kind == LI_CALL && it->duration_us >= 1000)
        n += (size_t)snprintf(it->text + n, sizeof it->text - n, " (%.1f s)", it->duration_us / 1e6);
    if (it->windows[0] && n < sizeof it->text) {
        wchar_t w[80];
        char u[120];
        ui_format(w, 80, IDS_LADDER_WINDOWS, it->windows);
        if (WideCharToMultiByte(CP_UTF8, 0, w, -1, u, sizeof u, NULL, NULL))
            snprintf(it->text + n, sizeof it->text - n, " %s", u);
    }
}

static void item_observed(UiItem *it)
{
    char n[32], e[48];
    if (it->kind == LI_MESSAGE) {
        if (it->count > 1)
            snprintf(it->text, sizeof it->text, "%s \xc3\x97%lld", it->name, it->count);
        else if (it->error)
            snprintf(it->text, sizeof it->text, "%s, %s", it->name, wsaerr_name(it->error) ? wsaerr_name(it->error) : "error");
        else
            snprintf(it->text, sizeof it->text, "%s, error 0", it->name);
        return;
    }
    if (it->error) {
        snprintf(e, sizeof e, "%s", wsaerr_name(it->error) ? wsaerr_name(it->error) : "error");
        if (it->count > 1)
            snprintf(it->text, sizeof it->text, "%s \xc3\x97%lld = -1, %s", it->name, it->count, e);
        else
            snprintf(it->text, sizeof it->text, "%s = -1, %s", it->name, e);
    } else if (it->bytes > 0) {
        format_thousands(it->bytes, n, sizeof n);
        if (it->count > 1)
            snprintf(it->text, sizeof it->text, "%s \xc3\x97%lld = %s B", it->name, it->count, n);
        else
            snprintf(it->text, sizeof it->text, "%s = %s B", it->name, n);
    } else if (!strcmp(it->name, "recv") && it->result == 0) {
        snprintf(it->text, sizeof it->text, "recv = 0 (EOF)");
    } else if (it->result) {
        snprintf(it->text, sizeof it->text, "%s = %lld", it->name, it->result);
    } else {
        snprintf(it->text, sizeof it->text, "%s", it->name); /* succeeded: 0 goes without saying */
    }
}

static UiItem *blocking_item(App *a, Side side)
{
    for (size_t i = a->nitems; i-- > 0;)
        if (a->items[i].kind == LI_BLOCKING && a->items[i].side == side)
            return &a->items[i];
    return NULL;
}

/* What a call sent to the peer, inferred from the call and what came before it. */
static UiArrow infer(App *a, const Event *ev)
{
    Side s = ev->side;
    if (ev->kind != EV_CALL || (ev->has_result && ev->result < 0))
        return AR_NONE;
    if (!strcmp(ev->name, "send") && ev->bytes > 0)
        return AR_DATA;
    if (!strncmp(ev->name, "setsockopt(SO_LINGER {1,0}", 26))
        a->linger0[s] = 1;
    else if (!strncmp(ev->name, "setsockopt(SO_LINGER", 20) || !strcmp(ev->name, "setsockopt(SO_DONTLINGER)"))
        a->linger0[s] = 0;
    if (!strcmp(ev->name, "shutdown(SD_SEND)") || !strcmp(ev->name, "shutdown(SD_BOTH)") ||
        !strcmp(ev->name, "WSASendDisconnect")) {
        if (a->fin_sent[s])
            return AR_NONE;
        a->fin_sent[s] = 1;
        return AR_FIN;
    }
    if (!strcmp(ev->name, "closesocket")) {
        int unread = a->sent[!s] > a->received[s]; /* closing with the peer's data unread */
        int was_fin = a->fin_sent[s];
        a->fin_sent[s] = 1;
        if (a->reset)
            return AR_NONE; /* the connection is gone: nothing more goes out */
        if (a->linger0[s] || unread) {
            a->reset = 1;
            return AR_RST;
        }
        return was_fin ? AR_NONE : AR_FIN;
    }
    return AR_NONE;
}

void ui_ladder_add(App *a, const Event *ev)
{
    UiItem *it;
    Side s = ev->side;
    if (ev->kind == EV_STATE) {
        if (!strcmp(a->ladder_state[s], ev->tcp_state))
            return;
        EVENT_SET(a->ladder_state[s], ev->tcp_state);
        /* The sample is stamped before the table is read (40-110 ms under Wine), so it
         * shows the state after every event already in: place it after them. */
        if (!(it = insert_item(a, ev->t_us > a->ladder_t_max ? ev->t_us : a->ladder_t_max)))
            return;
        it->kind = LI_STATE;
        it->side = s;
        EVENT_SET(it->step, ev->step);
        snprintf(it->text, sizeof it->text, "%s", ev->tcp_state);
        return;
    }
    if (ev->kind == EV_NOTE && !strcmp(ev->name, "closesocket")) {
        if (!(it = insert_item(a, ev->t_us)))
            return;
        it->kind = LI_BLOCKING;
        it->side = s;
        EVENT_SET(it->step, ev->step);
        EVENT_SET(it->name, "closesocket");
        return;
    }
    if (ev->kind != EV_CALL && ev->kind != EV_MESSAGE)
        return;
    if (ev->t_us > a->ladder_t_max)
        a->ladder_t_max = ev->t_us;
    if (!ev->step[0] && setup_name(ev->name))
        return;
    if (ev->kind == EV_CALL && !strcmp(ev->name, "closesocket") && (it = blocking_item(a, s)) != NULL) {
        it->kind = LI_CALL; /* the lingering close returned: the item becomes the call */
    } else if ((it = burst_item(a, ev)) != NULL) {
        it->count++;
        if (ev->bytes > 0)
            it->bytes += ev->bytes;
        if (ev->t_us > it->t_last)
            it->t_last = ev->t_us;
        item_text(it);
        return;
    } else if (!(it = insert_item(a, ev->t_us))) {
        return;
    }
    it->kind = ev->kind == EV_CALL ? LI_CALL : LI_MESSAGE;
    it->side = s;
    EVENT_SET(it->step, ev->step);
    EVENT_SET(it->name, ev->name);
    it->error = ev->error;
    it->count = 1;
    it->bytes = ev->bytes > 0 ? ev->bytes : 0;
    it->result = ev->has_result ? ev->result : 0;
    it->arrow = infer(a, ev);
    it->duration_us = ev->kind == EV_CALL && ev->duration_us > 0 ? ev->duration_us : 0;
    item_text(it);
}

void ui_ladder_check(App *a, const Event *ev)
{
    UiItem *best = NULL;
    /* the latest call or message of that end and step; the one the check names first */
    for (size_t i = a->nitems; i-- > 0;) {
        UiItem *it = &a->items[i];
        if (it->side != ev->side || strcmp(it->step, ev->step) || (it->kind != LI_CALL && it->kind != LI_MESSAGE))
            continue;
        if (!strncmp(ev->name, it->name, strlen(it->name))) {
            best = it;
            break;
        }
        if (!best)
            best = it;
    }
    if (!best)
        return;
    best->check_state = ev->known_difference ? 2 : 3;
    EVENT_SET(best->windows, ev->expected);
    item_text(best);
}

static int reaches(const UiItem *from, const UiItem *to)
{
    if (to->side == from->side)
        return 0;
    switch (from->arrow) {
    case AR_DATA:
        return to->kind == LI_MESSAGE && !strcmp(to->name, "FD_READ");
    case AR_FIN:
        return (to->kind == LI_MESSAGE && !strcmp(to->name, "FD_CLOSE")) ||
               (to->kind == LI_CALL && !strcmp(to->name, "recv") && !to->error && to->result == 0);
    case AR_RST:
        return (to->kind == LI_MESSAGE && !strcmp(to->name, "FD_CLOSE")) ||
               (to->kind == LI_CALL && (to->error == 10054 || to->error == 10053));
    default:
        return 0;
    }
}

void ui_ladder_layout(App *a)
{
    int row = 0;
    for (size_t i = 0; i < a->nitems; i++) {
        UiItem *it = &a->items[i];
        const UiItem *prev = i ? &a->items[i - 1] : NULL;
        if (prev && it->kind == LI_STATE && prev->kind == LI_STATE && prev->side != it->side && prev->t_us == it->t_us)
            it->row = prev->row;
        else
            it->row = row++;
        it->target = -1;
    }
    for (size_t i = 0; i < a->nitems; i++) {
        UiItem *it = &a->items[i];
        if (it->arrow == AR_NONE)
            continue;
        for (size_t j = i + 1; j < a->nitems; j++) {
            int used = 0;
            if (!reaches(it, &a->items[j]))
                continue;
            for (size_t k = 0; k < i; k++)
                if (a->items[k].target == (int)j && (a->items[k].arrow == AR_DATA) == (it->arrow == AR_DATA))
                    used = 1;
            if (!used) {
                it->target = (int)j;
                break;
            }
        }
    }
}

int ui_ladder_arrows(const App *a, UiArrow kind)
{
    int n = 0;
    for (size_t i = 0; i < a->nitems; i++)
        n += a->items[i].arrow == kind;
    return n;
}
