/* linelog.h: the GUI log's model: the run's events as group.h makes them lines, the same
 * lines the text transcript writes (a test holds the two together), kept for a virtual
 * list view. The open bursts come last, as their lines read so far, so a storm is one
 * line that keeps counting. Portable, so it is tested natively. */
#ifndef SHUTDOWNLAB_LINELOG_H
#define SHUTDOWNLAB_LINELOG_H

#include <stddef.h>

#include "group.h"

typedef struct LineLog {
    Grouper group;
    GroupLine *lines; /* the finished lines; a line's ev is always NULL here */
    size_t n, cap;
    size_t dropped;   /* lines that could not be kept (out of memory): counted, and shown */
} LineLog;

void linelog_init(LineLog *l);
void linelog_reset(LineLog *l);
/* The run's scenario (borrowed): its `showed` sentences join the lines of what steps showed. */
void linelog_set_scenario(LineLog *l, const Scenario *sc);
void linelog_free(LineLog *l);
/* One event of the run. */
void linelog_event(LineLog *l, const Event *ev);
/* The end of the run: the open bursts become lines. */
void linelog_flush(LineLog *l);
/* A line of the log's own (the byte counts at the end). */
void linelog_add(LineLog *l, const GroupLine *line);
/* How many lines the view shows: the finished ones, then each end's open burst. */
size_t linelog_count(const LineLog *l);
/* Line i into *out; 0 when there is none. */
int linelog_get(const LineLog *l, size_t i, GroupLine *out);

#endif
