/* table_model.h: the documented table as the GUI shows it: one row per step-labelled
 * line of the scenario that takes part in the run, lit when its step happened (by the
 * op the step event names), with the check about it, and each order rule's status as
 * steps.h judges it (the same answer the transcript's end-of-run check gives). */
#ifndef SHUTDOWNLAB_TABLE_MODEL_H
#define SHUTDOWNLAB_TABLE_MODEL_H

#include <stdint.h>

#include "event.h"
#include "scenario.h"
#include "steps.h"

#define TABLE_MAX_ROWS 64

typedef struct TableRow {
    int op;                       /* its line in the scenario (index in ops) */
    char step[EVENT_STEP_MAX];
    Side side;
    char what[EVENT_NAME_MAX];    /* "shutdown(SD_SEND)", as the transcript names it */
    const char *explain;          /* scenario-owned */
    int done;
    int64_t t_us;
    int late;                     /* it happened before a step an order rule puts first */
    int inferred;                 /* another program's row, lit by what this end saw (infer.h) */
    char reason[EVENT_TEXT_MAX];  /* why it is inferred, done or not done; "" none */
    int checked;                  /* a check about it came */
    Verdict verdict;
    char expected[EVENT_VALUE_MAX], observed[EVENT_VALUE_MAX], other[EVENT_VALUE_MAX];
    Evidence evidence;            /* how we know what Windows does */
    const char *source;           /* scenario-owned, or static */
    const char *why;              /* scenario-owned */
} TableRow;

typedef struct TableModel {
    const Scenario *sc;           /* borrowed */
    TableRow row[TABLE_MAX_ROWS];
    int n;
    int latest;                   /* the row that happened last; -1 none yet */
    Side local;                   /* with another program as the peer: the end observed here */
    int external;                 /* the other end is another program (its rows are never lit) */
    StepTimes steps;
    /* what each step showed so far (facts.h), by label; final once its EV_SHOWED came */
    StepFacts facts[STEPS_MAX];
    int facts_final[STEPS_MAX];
    int nfacts;
} TableModel;

/* The rows of sc for a run with this payload, none done. */
void table_build(TableModel *t, const Scenario *sc, int64_t payload);
/* The other end is another program (external): rules with one of its steps are
 * RULE_UNOBSERVED, never broken by its steps that this end cannot see. */
void table_set_peer(TableModel *t, Side local, int external);
/* An EV_STEP lights its row, an EV_CHECK about a row gives it its check; a call, message
 * or sample under a step's label joins what the step showed, and its EV_SHOWED makes that
 * final. Returns the row it changed, or -1. */
int table_event(TableModel *t, const Event *ev);
int table_rows_done(const TableModel *t);
/* What the step of that label showed so far, or NULL when nothing of it came yet; *final
 * (when not NULL) is 1 once the step is over (its end moved on, or the run ended). */
const StepFacts *table_facts(const TableModel *t, const char *step, int *final);
/* The first row of that end with that step label, or -1. */
int table_row_of_step(const TableModel *t, Side side, const char *step);
/* The status of order rule i (of sc->rules): RULE_UNOBSERVED when one of its steps is
 * another program's. */
RuleStatus table_rule(const TableModel *t, size_t i);
/* "(1), (2)": the steps the rules that can be judged here put before row r's, "" when none. */
void table_rule_befores(const TableModel *t, int r, char *buf, size_t size);

#endif
