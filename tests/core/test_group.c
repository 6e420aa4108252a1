/* test_group.c: how events become lines (group.h), for every view: bursts and their
 * counts, what closes a burst and what only interrupts an end's lane run, repeated TCP
 * states, saturation; and the GUI log's model (linelog.h) holding the same lines the
 * text format writes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "group.h"
#include "linelog.h"
#include "tap.h"

#define MAX_LINES 64

typedef struct Lines {
    GroupLine l[MAX_LINES];
    int n;
} Lines;

static void keep(void *ctx, const GroupLine *line)
{
    Lines *ls = ctx;
    if (ls->n < MAX_LINES)
        ls->l[ls->n++] = *line;
}

static Event call(Side side, EventWhat what, int64_t result, int error, int64_t t, const char *step)
{
    Event ev;
    event_init(&ev, EV_CALL, side, what);
    ev.has_result = 1;
    ev.result = result;
    ev.error = result < 0 ? error : 0;
    ev.bytes = result > 0 && (what == EW_SEND || what == EW_RECV) ? result : -1;
    ev.t_us = t;
    EVENT_SET(ev.step, step);
    return ev;
}

static Event message(Side side, EventWhat what, int64_t t, const char *step)
{
    Event ev;
    event_init(&ev, EV_MESSAGE, side, what);
    ev.t_us = t;
    EVENT_SET(ev.step, step);
    return ev;
}

static Event state(Side side, int tcp, int64_t t)
{
    Event ev;
    event_init(&ev, EV_STATE, side, EW_TCP_STATE);
    ev.tcp_state = tcp;
    ev.t_us = t;
    return ev;
}

static void test_one_event(void)
{
    Grouper g;
    Lines ls = {.n = 0};
    Event ev = call(SIDE_CLIENT, EW_SHUTDOWN, 0, 0, 1500, "1");
    char want[128];
    ev.args.how = 1;
    grouper_init(&g, keep, &ls);
    tap_is_int(grouper_event(&g, &ev, NULL), GROUP_LINE, "a call that moves no data is a line of its own");
    group_event_text(&ev, want, sizeof want);
    tap_ok(ls.n == 1 && !strcmp(ls.l[0].text, want) && !strcmp(want, "shutdown(SD_SEND) = 0"),
           "its words are the event's, rendered from its what and how (%s)", ls.n ? ls.l[0].text : "none");
    tap_ok(ls.n == 1 && ls.l[0].t0 == 1500 && ls.l[0].t1 == 1500 && !strcmp(ls.l[0].step, "1") && ls.l[0].count == 1,
           "with its time, its step and a count of one");
}

static void test_burst(void)
{
    Grouper g;
    Lines ls = {.n = 0};
    GroupRef r1, r2;
    GroupLine peek;
    Event ev;
    grouper_init(&g, keep, &ls);
    for (int i = 0; i < 1000; i++) {
        ev = message(SIDE_CLIENT, EW_FD_READ, 100 + 2 * i, "5'");
        grouper_event(&g, &ev, i ? &r2 : &r1);
        ev = call(SIDE_CLIENT, EW_RECV, 8000, 0, 101 + 2 * i, "5'");
        grouper_event(&g, &ev, &r2);
    }
    tap_is_int(ls.n, 0, "a burst is not a line until it ends");
    tap_ok(r1.burst == r2.burst && r1.entry == 0 && r2.entry == 1, "FD_READ and recv are two entries of one burst");
    tap_ok(grouper_peek(&g, SIDE_CLIENT, &peek) && !strcmp(peek.text, "FD_READ x1,000, recv x1,000, 8,000,000 bytes"),
           "a live view reads it as it grows (%s)", peek.text);
    ev = message(SIDE_CLIENT, EW_FD_CLOSE, 5000, "5");
    grouper_event(&g, &ev, NULL);
    tap_is_int(ls.n, 2, "the next event of the end closes it: the burst's line, then the event's");
    tap_ok(ls.n == 2 && ls.l[0].t0 == 100 && ls.l[0].t1 == 2099 && ls.l[0].count == 2000 && !ls.l[0].ev,
           "the burst's line spans its first and last event and counts all of them");
    tap_ok(ls.n == 2 && ls.l[1].ev && ls.l[1].ev->what == EW_FD_CLOSE, "the event's own line carries the event");
}

static void test_what_closes(void)
{
    Grouper g;
    Lines ls = {.n = 0};
    GroupRef a, b, c, d;
    Event ev;
    grouper_init(&g, keep, &ls);
    ev = message(SIDE_CLIENT, EW_FD_READ, 10, "5");
    grouper_event(&g, &ev, &a);
    ev = call(SIDE_SERVER, EW_SHUTDOWN, 0, 0, 11, "4");
    grouper_event(&g, &ev, NULL);
    tap_is_int(ls.n, 2, "the other end's line closes the burst too, so lines keep close to time order");
    ev = message(SIDE_CLIENT, EW_FD_READ, 12, "5");
    grouper_event(&g, &ev, &b);
    tap_ok(a.burst != b.burst && a.lane == b.lane, "but the end's lane run goes on: the ladder shows one item");
    ev.kind = EV_STEP;
    ev.what = EW_QUIET;
    grouper_event(&g, &ev, NULL);
    ev = message(SIDE_CLIENT, EW_FD_READ, 14, "5");
    grouper_event(&g, &ev, &c);
    tap_ok(c.lane == b.lane, "a step line of the end closes its burst but is not on its lane");
    ev = call(SIDE_CLIENT, EW_RECV, 0, 0, 15, "5");
    grouper_event(&g, &ev, NULL);
    ev = call(SIDE_CLIENT, EW_SHUTDOWN, 0, 0, 16, "5");
    grouper_event(&g, &ev, NULL);
    ev = message(SIDE_CLIENT, EW_FD_READ, 17, "5");
    grouper_event(&g, &ev, &d);
    tap_ok(d.lane != c.lane, "the end's own call ends its lane run");
    ev = message(SIDE_CLIENT, EW_FD_READ, 18, "6");
    grouper_event(&g, &ev, &c);
    tap_ok(c.burst != d.burst && c.lane != d.lane, "a new step is a new burst and a new lane run");
    ev = message(SIDE_CLIENT, EW_FD_WRITE, 19, "6");
    grouper_event(&g, &ev, &d);
    tap_ok(c.burst != d.burst, "so is a new kind of data (FD_WRITE after FD_READ)");
    ev.stale = 1;
    tap_is_int(grouper_event(&g, &ev, &c), GROUP_BURST, "stale messages (Wine's late FD_READs) are a burst too");
    tap_ok(c.burst == d.burst && c.entry != d.entry, "but an entry of their own, never counted with live ones");
}

static void test_entries_and_saturation(void)
{
    Grouper g;
    Lines ls = {.n = 0};
    GroupRef r;
    GroupLine peek;
    Event ev;
    grouper_init(&g, keep, &ls);
    ev = message(SIDE_SERVER, EW_FD_READ, 1, "3");
    grouper_event(&g, &ev, &r);
    ev = call(SIDE_SERVER, EW_RECV, -1, 10035, 2, "3");
    grouper_event(&g, &ev, &r);
    ev = call(SIDE_SERVER, EW_RECV, -1, 10054, 3, "3");
    grouper_event(&g, &ev, &r);
    tap_ok(r.entry == 2 && ls.n == 0, "recv with another error is a third entry");
    ev = call(SIDE_SERVER, EW_RECV, INT64_MAX, 0, 4, "3");
    grouper_event(&g, &ev, &r);
    tap_ok(ls.n == 1 && r.entry == 0, "a fourth kind of event opens a new burst");
    ev = call(SIDE_SERVER, EW_RECV, 6, 0, 5, "3");
    grouper_event(&g, &ev, &r);
    tap_ok(grouper_peek(&g, SIDE_SERVER, &peek) && strstr(peek.text, "9,223,372,036,854,775,807 bytes") &&
               grouper_entry(&g, SIDE_SERVER, &r)->bytes == INT64_MAX,
           "a byte count saturates at INT64_MAX, never wraps (%s)", peek.text);
    tap_ok(ls.n == 1 && ls.l[0].bad == 1, "a burst with an error other than WSAEWOULDBLOCK is worth colouring");
}

static void test_states(void)
{
    Grouper g;
    Lines ls = {.n = 0};
    Event ev;
    grouper_init(&g, keep, &ls);
    ev = state(SIDE_CLIENT, TCP_STATE_ESTABLISHED, 1);
    tap_is_int(grouper_event(&g, &ev, NULL), GROUP_LINE, "a first TCP state is shown");
    ev = message(SIDE_CLIENT, EW_FD_READ, 2, "5");
    grouper_event(&g, &ev, NULL);
    ev = state(SIDE_CLIENT, TCP_STATE_ESTABLISHED, 3);
    EVENT_SET(ev.step, "4");
    tap_is_int(grouper_event(&g, &ev, NULL), GROUP_HIDDEN, "the same state again is not, whatever step it follows");
    tap_ok(g.burst[SIDE_CLIENT].open, "and a hidden sample does not close a burst");
    ev = state(SIDE_SERVER, TCP_STATE_ESTABLISHED, 3);
    tap_is_int(grouper_event(&g, &ev, NULL), GROUP_LINE, "each end's state is its own");
    ev = state(SIDE_CLIENT, TCP_STATE_CLOSED, 4);
    ev.when = SAMPLE_END;
    tap_is_int(grouper_event(&g, &ev, NULL), GROUP_LINE, "a changed state is shown");
    tap_ok(ls.n >= 1 && !strcmp(ls.l[ls.n - 1].text, "TCP table: CLOSED (no row in the table) at the end of the run"),
           "CLOSED says there is no row (%s)", ls.n ? ls.l[ls.n - 1].text : "");
}

/* The GUI log's model and the text format, fed the same events, have the same lines. */
static void text_write(void *ctx, const char *s, size_t n)
{
    char *buf = ctx;
    size_t len = strlen(buf);
    if (len + n < 65536) {
        memcpy(buf + len, s, n);
        buf[len + n] = '\0';
    }
}

static int g_open(const LineLog *log)
{
    GroupLine l;
    return linelog_get(log, log->n, &l) && l.side == SIDE_CLIENT && linelog_get(log, log->n + 1, &l) &&
           l.side == SIDE_SERVER && !linelog_get(log, log->n + 2, &l);
}

static void test_linelog_is_text(void)
{
    static char text[65536], logged[65536];
    static const char name[] = "scenario x\nstep 1 client closesocket\n";
    ScenarioError err;
    Scenario *sc = scenario_parse(name, sizeof name - 1, &err);
    RunInfo info;
    Summary sum;
    Formatter f;
    LineLog log;
    Event ev;
    size_t body;
    Sink *s = formatter_init(&f, FORMAT_TEXT, (Out){text_write, text});
    if (!tap_ok(sc != NULL, "the fixture parses (%s)", sc ? "" : err.message))
        return;
    memset(&info, 0, sizeof info);
    memset(&sum, 0, sizeof sum);
    info.sc = sc;
    linelog_init(&log);
    s->begin(s, &info);
    body = strlen(text);
    for (int i = 0; i < 299; i++) { /* it ends with both ends' bursts open */
        Side side = (Side)(i % 7 == 0);
        if (i % 50 == 0)
            ev = call(side, EW_CLOSESOCKET, 0, 0, i, "9");
        else if (i % 13 == 0)
            ev = state(side, TCP_STATE_ESTABLISHED + i % 2, i);
        else if (i % 2)
            ev = message(side, EW_FD_READ, i, "5");
        else
            ev = call(side, EW_RECV, -1, 10058, i, "5");
        s->event(s, &ev);
        linelog_event(&log, &ev);
    }
    tap_ok(linelog_count(&log) == log.n + 2 && g_open(&log), "while bursts are open the log shows them as its last lines");
    s->end(s, &sum);
    linelog_flush(&log);
    for (size_t i = 0; i < log.n; i++) {
        char line[GROUP_TEXT_MAX + 64];
        format_line(&log.lines[i], line, sizeof line);
        text_write(logged, line, strlen(line));
        text_write(logged, "\n", 1);
    }
    {
        /* the text's lines between its header and its end (the byte counts) */
        char *end = strstr(text + body, "client: sent ");
        if (end)
            *end = '\0';
        tap_ok(end && !strcmp(text + body, logged) && log.n > 20,
               "the log's %zu lines are the text format's, word for word, none missing", log.n);
    }
    tap_is_int(log.dropped, 0, "none was dropped");
    linelog_free(&log);
    scenario_free(sc);
}

int main(void)
{
    test_one_event();
    test_burst();
    test_what_closes();
    test_entries_and_saturation();
    test_states();
    test_linelog_is_text();
    return tap_done();
}
