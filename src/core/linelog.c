/* linelog.c: the GUI log's lines (linelog.h). */
#include "linelog.h"

#include <stdlib.h>
#include <string.h>

#include "grow.h"

static void keep(void *ctx, const GroupLine *line)
{
    linelog_add(ctx, line);
}

void linelog_init(LineLog *l)
{
    memset(l, 0, sizeof *l);
    grouper_init(&l->group, keep, l);
}

void linelog_reset(LineLog *l)
{
    const Scenario *sc = l->group.sc;
    l->n = 0;
    l->dropped = 0;
    grouper_init(&l->group, keep, l);
    grouper_set_scenario(&l->group, sc);
}

void linelog_set_scenario(LineLog *l, const Scenario *sc)
{
    grouper_set_scenario(&l->group, sc);
}

void linelog_free(LineLog *l)
{
    free(l->lines);
    memset(l, 0, sizeof *l);
}

void linelog_add(LineLog *l, const GroupLine *line)
{
    if (GROW(l->lines, l->cap, l->n + 1) < 0) {
        l->dropped++;
        return;
    }
    l->lines[l->n] = *line;
    l->lines[l->n].ev = NULL; /* the event lives only as long as the callback */
    l->n++;
}

void linelog_event(LineLog *l, const Event *ev)
{
    grouper_event(&l->group, ev, NULL);
}

void linelog_flush(LineLog *l)
{
    grouper_flush(&l->group);
}

size_t linelog_count(const LineLog *l)
{
    return l->n + (l->group.burst[SIDE_CLIENT].open != 0) + (l->group.burst[SIDE_SERVER].open != 0);
}

int linelog_get(const LineLog *l, size_t i, GroupLine *out)
{
    if (i < l->n) {
        *out = l->lines[i];
        return 1;
    }
    i -= l->n;
    for (int k = 0; k < SIDE_COUNT; k++) {
        if (!l->group.burst[k].open)
            continue;
        if (i-- == 0)
            return grouper_peek(&l->group, (Side)k, out);
    }
    return 0;
}
