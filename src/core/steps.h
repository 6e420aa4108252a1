/* steps.h: when each step of the table first happened (as the ends stamped it, not as
 * the events arrived), and the table's order rules judged on those times. The transcript
 * keeps one for its end-of-run checks; a view keeps its own, fed the same events, to show
 * the rules live: both ask the same questions here, so they cannot disagree. */
#ifndef SHUTDOWNLAB_STEPS_H
#define SHUTDOWNLAB_STEPS_H

#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "scenario.h"

#define STEPS_MAX 64

typedef struct StepTime {
    char label[EVENT_STEP_MAX];
    Side side;
    int64_t t_us;
} StepTime;

typedef struct StepTimes {
    StepTime step[STEPS_MAX];
    size_t n;
} StepTimes;

typedef enum RuleStatus {
    RULE_OPEN,  /* the later step has not happened yet */
    RULE_KEPT,  /* it happened, and the earlier step before (or with) it */
    RULE_BROKEN, /* it happened first, or without the earlier step */
    RULE_UNOBSERVED /* one of its steps is another program's: not observable here (table_model.h) */
} RuleStatus;

void steps_reset(StepTimes *st);
/* An EV_STEP event: keeps its label's first time. Returns 1 when the label is new. */
int steps_note(StepTimes *st, const Event *ev);
/* The label's first time, or -1; *side (when not NULL) gets the end that met it. */
int64_t steps_time(const StepTimes *st, const char *label, Side *side);
RuleStatus steps_rule(const StepTimes *st, const OrderRule *r);
/* The end whose lines carry the step's label (SIDE_COUNT: none). */
Side steps_side_of(const Scenario *sc, const char *label);
/* Whether both of the rule's steps are local's own: facing another program, a rule with a
 * step of the other end is judged by no one here (RULE_UNOBSERVED). */
int steps_rule_local(const Scenario *sc, const OrderRule *r, Side local);

#endif
