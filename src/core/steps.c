/* steps.c: the first time of each step and the order rules on them (steps.h). */
#include "steps.h"

#include <string.h>

void steps_reset(StepTimes *st)
{
    st->n = 0;
}

int steps_note(StepTimes *st, const Event *ev)
{
    StepTime *s;
    if (ev->kind != EV_STEP || !ev->step[0] || st->n >= STEPS_MAX)
        return 0;
    for (size_t i = 0; i < st->n; i++)
        if (strcmp(st->step[i].label, ev->step) == 0) {
            if (ev->t_us < st->step[i].t_us) { /* stamped earlier, reported later */
                st->step[i].t_us = ev->t_us;
                st->step[i].side = ev->side;
            }
            return 0;
        }
    s = &st->step[st->n++];
    EVENT_SET(s->label, ev->step);
    s->side = ev->side;
    s->t_us = ev->t_us;
    return 1;
}

int64_t steps_time(const StepTimes *st, const char *label, Side *side)
{
    for (size_t i = 0; i < st->n; i++)
        if (strcmp(st->step[i].label, label) == 0) {
            if (side)
                *side = st->step[i].side;
            return st->step[i].t_us;
        }
    return -1;
}

RuleStatus steps_rule(const StepTimes *st, const OrderRule *r)
{
    int64_t before = steps_time(st, r->before, NULL), after = steps_time(st, r->after, NULL);
    if (after < 0)
        return RULE_OPEN;
    return before >= 0 && before <= after ? RULE_KEPT : RULE_BROKEN;
}

Side steps_side_of(const Scenario *sc, const char *label)
{
    for (size_t i = 0; i < sc->nops; i++)
        if (!strcmp(sc->ops[i].step, label))
            return sc->ops[i].side;
    return SIDE_COUNT;
}

int steps_rule_local(const Scenario *sc, const OrderRule *r, Side local)
{
    return steps_side_of(sc, r->before) == local && steps_side_of(sc, r->after) == local;
}
