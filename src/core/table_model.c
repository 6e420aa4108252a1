/* table_model.c: the documented table's rows (table_model.h). */
#include "table_model.h"

#include "facts.h"

#include <stdio.h>
#include <string.h>

void table_build(TableModel *t, const Scenario *sc, int64_t payload)
{
    memset(t, 0, sizeof *t);
    t->sc = sc;
    t->latest = -1;
    for (size_t i = 0; i < sc->nops && t->n < TABLE_MAX_ROWS; i++) {
        const Op *op = &sc->ops[i];
        TableRow *r;
        if (!op->step[0] || !scenario_op_active(op, payload))
            continue;
        r = &t->row[t->n++];
        r->op = (int)i;
        EVENT_SET(r->step, op->step);
        r->side = op->side;
        op_describe(op, payload, r->what, sizeof r->what);
        r->explain = op->explain;
    }
}

void table_set_peer(TableModel *t, Side local, int external)
{
    t->local = local;
    t->external = external;
}

RuleStatus table_rule(const TableModel *t, size_t i)
{
    const OrderRule *r;
    if (i >= t->sc->nrules)
        return RULE_OPEN;
    r = &t->sc->rules[i];
    if (t->external && !steps_rule_local(t->sc, r, t->local))
        return RULE_UNOBSERVED; /* as the transcript's end-of-run check says */
    return steps_rule(&t->steps, r);
}

static int row_of_op(const TableModel *t, int op)
{
    for (int i = 0; i < t->n; i++)
        if (t->row[i].op == op)
            return i;
    return -1;
}

/* A row is late when a rule that puts another step first is broken: the row of the
 * rule's later step that happened first carries the mark. */
static void mark_late(TableModel *t)
{
    for (int i = 0; i < t->n; i++)
        t->row[i].late = 0;
    for (size_t k = 0; t->sc && k < t->sc->nrules; k++) {
        const char *after = t->sc->rules[k].after;
        int first = -1;
        if (table_rule(t, k) != RULE_BROKEN)
            continue;
        for (int i = 0; i < t->n; i++)
            if (t->row[i].done && !strcmp(t->row[i].step, after) && (first < 0 || t->row[i].t_us < t->row[first].t_us))
                first = i;
        if (first >= 0)
            t->row[first].late = 1;
    }
}

static int facts_index(const TableModel *t, const char *step)
{
    for (int i = 0; i < t->nfacts; i++)
        if (!strcmp(t->facts[i].label, step))
            return i;
    return -1;
}

/* What a step showed, gathered as the transcript gathers it (facts.h). */
static void gather(TableModel *t, const Event *ev)
{
    int i = facts_index(t, ev->step);
    if (ev->kind == EV_SHOWED) {
        if (i < 0 && t->nfacts < STEPS_MAX)
            i = t->nfacts++;
        if (i >= 0) {
            t->facts[i] = ev->facts; /* the transcript's own count: the same events */
            t->facts_final[i] = 1;
        }
        return;
    }
    if (ev->kind == EV_STATE && i < 0)
        return; /* a sample after a step of which nothing came */
    if (i < 0) {
        Side owner = steps_side_of(t->sc, ev->step);
        if (t->nfacts == STEPS_MAX || owner == SIDE_COUNT)
            return;
        i = t->nfacts++;
        facts_init(&t->facts[i], ev->step, owner);
        t->facts_final[i] = 0;
    }
    if (!t->facts_final[i])
        facts_note(&t->facts[i], ev);
}

const StepFacts *table_facts(const TableModel *t, const char *step, int *final)
{
    int i = facts_index(t, step);
    if (final)
        *final = i >= 0 && t->facts_final[i];
    return i >= 0 ? &t->facts[i] : NULL;
}

int table_event(TableModel *t, const Event *ev)
{
    int i;
    if (ev->step[0] && t->sc &&
        (ev->kind == EV_CALL || ev->kind == EV_MESSAGE || ev->kind == EV_STATE || ev->kind == EV_SHOWED))
        gather(t, ev);
    if ((ev->kind != EV_STEP && ev->kind != EV_CHECK) || ev->op < 0 || (i = row_of_op(t, ev->op)) < 0)
        return -1;
    if (ev->kind == EV_STEP) {
        TableRow *r = &t->row[i];
        if (r->done)
            return -1;
        r->done = 1;
        r->t_us = ev->t_us;
        t->latest = i;
        if (ev->inferred) { /* another program's step: lit by evidence, its time is not its own */
            r->inferred = 1;
            EVENT_SET(r->reason, ev->text);
            return i;
        }
        steps_note(&t->steps, ev);
        mark_late(t);
        return i;
    }
    t->row[i].checked = 1;
    t->row[i].verdict = ev->verdict;
    EVENT_SET(t->row[i].expected, ev->expected);
    EVENT_SET(t->row[i].observed, ev->observed);
    EVENT_SET(t->row[i].other, ev->other);
    t->row[i].evidence = ev->evidence;
    t->row[i].source = ev->source;
    t->row[i].why = ev->why;
    if (ev->inferred) {
        t->row[i].inferred = 1; /* what this end saw says the other program did it, or did not */
        EVENT_SET(t->row[i].reason, ev->text);
    }
    return i;
}

int table_rows_done(const TableModel *t)
{
    int n = 0;
    for (int i = 0; i < t->n; i++)
        n += t->row[i].done;
    return n;
}

int table_row_of_step(const TableModel *t, Side side, const char *step)
{
    for (int i = 0; i < t->n; i++)
        if (t->row[i].side == side && !strcmp(t->row[i].step, step))
            return i;
    return -1;
}

void table_rule_befores(const TableModel *t, int r, char *buf, size_t size)
{
    size_t n = 0;
    buf[0] = '\0';
    for (size_t k = 0; k < t->sc->nrules && r >= 0 && r < t->n; k++)
        if (!strcmp(t->sc->rules[k].after, t->row[r].step) && table_rule(t, k) != RULE_UNOBSERVED &&
            n + EVENT_STEP_MAX + 4 < size)
            n += (size_t)snprintf(buf + n, size - n, "%s(%s)", n ? ", " : "", t->sc->rules[k].before);
}
