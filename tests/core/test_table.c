/* test_table.c: the documented table's model (table_model.h) and the step times and order
 * rules it shares with the transcript (steps.h): rows from the scenario, lit by the op a
 * step event names, checks on their rows, rules judged on the times the ends stamped. */
#include <stdlib.h>
#include <string.h>

#include "table_model.h"
#include "tap.h"

static const char TEXT[] =
    "scenario t\n"
    "step 1 client shutdown SD_SEND\n"
    "step 2 server expect FD_CLOSE windows=0\n"
    "step 3 server send payload if=payload\n"
    "step 4 server closesocket\n"
    "step 4 server tcp windows=CLOSED\n"
    "step 5 client expect FD_CLOSE\n"
    "order 1 2 4 5\n";

static Event step_event(const Scenario *sc, int op, int64_t t)
{
    Event ev;
    EventArgs args;
    EventWhat what;
    op_subject(&sc->ops[op], 0, &what, &args);
    event_init(&ev, EV_STEP, sc->ops[op].side, what);
    ev.args = args;
    ev.op = op;
    ev.t_us = t;
    EVENT_SET(ev.step, sc->ops[op].step);
    return ev;
}

static void test_steps(void)
{
    StepTimes st;
    Event ev;
    OrderRule r = {"1", "2", {EVIDENCE_NONE, NULL}};
    Side side = SIDE_CLIENT;
    steps_reset(&st);
    tap_is_int(steps_rule(&st, &r), RULE_OPEN, "a rule is open until its later step happens");
    event_init(&ev, EV_STEP, SIDE_SERVER, EW_FD_CLOSE);
    EVENT_SET(ev.step, "2");
    ev.t_us = 500;
    tap_is_int(steps_note(&st, &ev), 1, "a step's first time is kept");
    tap_is_int(steps_rule(&st, &r), RULE_BROKEN, "the later step without the earlier one breaks the rule");
    event_init(&ev, EV_STEP, SIDE_CLIENT, EW_SHUTDOWN);
    EVENT_SET(ev.step, "1");
    ev.t_us = 400;
    steps_note(&st, &ev);
    tap_is_int(steps_rule(&st, &r), RULE_KEPT, "reported late but stamped earlier, the earlier step keeps it");
    ev.t_us = 300;
    tap_is_int(steps_note(&st, &ev), 0, "a label seen again is not new");
    tap_ok(steps_time(&st, "1", &side) == 300 && side == SIDE_CLIENT, "but an earlier stamp is its first time");
}

static void test_rows(void)
{
    ScenarioError err;
    Scenario *sc = scenario_parse(TEXT, sizeof TEXT - 1, &err);
    TableModel t;
    Event ev;
    char befores[64];
    if (!tap_ok(sc != NULL, "the fixture parses"))
        return;
    table_build(&t, sc, 0);
    tap_is_int(t.n, 5, "a row per step-labelled line, if=payload left out when the payload is 0");
    tap_ok(!strcmp(t.row[3].what, "TCP table") && t.row[3].op == 4, "two lines of one step are two rows");
    table_rule_befores(&t, 2, befores, sizeof befores);
    tap_is_str(befores, "(2)", "row (4) comes after (2)");
    ev = step_event(sc, 4, 100);
    tap_is_int(table_event(&t, &ev), 3, "a step lights the row of the op it names, not the first of its label");
    tap_ok(t.row[3].done && !t.row[2].done && t.latest == 3, "that row only, and it is the latest");
    tap_ok(t.row[3].late, "(4) before (2) happened: out of order");
    ev = step_event(sc, 0, 10);
    table_event(&t, &ev);
    ev = step_event(sc, 1, 50);
    table_event(&t, &ev);
    tap_ok(!t.row[3].late && table_rule(&t, 1) == RULE_KEPT, "once (2) is in, stamped before (4), the rule is kept");
    tap_is_int(table_rule(&t, 2), RULE_OPEN, "(4) before (5): open while (5) has not happened");
    event_init(&ev, EV_CHECK, SIDE_SERVER, EW_FD_CLOSE);
    ev.op = 1;
    ev.verdict = VERDICT_KNOWN;
    EVENT_SET(ev.expected, "WSAECONNABORTED");
    EVENT_SET(ev.observed, "0");
    tap_is_int(table_event(&t, &ev), 1, "a check finds its row by op");
    tap_ok(t.row[1].checked && t.row[1].verdict == VERDICT_KNOWN && !strcmp(t.row[1].expected, "WSAECONNABORTED"),
           "and keeps its verdict and values");
    ev.op = -1;
    tap_is_int(table_event(&t, &ev), -1, "a check about the run as a whole has no row");
    tap_is_int(table_rows_done(&t), 3, "three rows done");
    tap_is_int(table_row_of_step(&t, SIDE_SERVER, "4"), 2, "the first row of (4)");
    scenario_free(sc);
}

int main(void)
{
    test_steps();
    test_rows();
    return tap_done();
}
