/* recording.h: a run's jsonl read back: the scenario it ran (its own text, carried in the
 * first line), the platform it ran on, every event as the transcript emitted it, and the
 * summary. A recording made on real Windows (shutdownlab-cli --record) replays in the GUI
 * as a live run would show it, and compares with another (--compare). A recording is input
 * a user hands over: truncated, not jsonl, of another version or naming what this version
 * does not know, it gives an error naming its line and column, never a crash. */
#ifndef SHUTDOWNLAB_RECORDING_H
#define SHUTDOWNLAB_RECORDING_H

#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "format.h"
#include "scenario.h"
#include "transcript.h"

#define RECORDING_MAX_BYTES (512u << 20)

struct RecordingReader; /* recording.c's: the line reader and the texts events point at */

/* A recording keeps the file's bytes and a small index of them, not its events: opening
 * reads every line once, to refuse a bad file with its line and column, and keeps of each
 * event only where its line starts (4 bytes); an event is read again from its line when
 * it is asked for (recording_event). A replay's first paint needs only its first events,
 * and a recording of 100,000 costs the file's size and 4 bytes an event, not 600. */
typedef struct Recording {
    Scenario *sc;         /* parsed from the recording's own scenario text */
    RunInfo info;         /* as the run line said it (info.sc is sc) */
    char version[32];     /* the ShutdownLab that recorded it */
    size_t n;             /* its events, in the order the transcript emitted them */
    Summary sum;
    char *text;           /* the file's bytes, owned */
    size_t len;
    uint32_t *at;         /* event i: its line's offset in text, or RECORDING_ADDED | k: added[k] */
    size_t cap;
    Event *added;         /* events in no line of the file: a capture's, joined (wiremerge.h) */
    size_t nadded, cap_added;
    uint32_t *steps;      /* the index of each step event, in order: where each step begins */
    size_t nsteps, cap_steps;
    Event *events;        /* every event, for the readers that walk them all at once
                           * (recording_compare): NULL until recording_load_events */
    struct RecordingReader *reader;
} Recording;

#define RECORDING_ADDED 0x80000000u

typedef struct RecordingError {
    int line;   /* 1-based; 0: about the whole file */
    int column;
    char message[240];
} RecordingError;

/* Opens a recording of len bytes, taking text (malloc'd; freed by recording_free, or here
 * when it is refused): every line is read and checked, none is kept but in the index. NULL
 * with *err filled, or a recording (recording_free). */
Recording *recording_open(char *text, size_t len, RecordingError *err);
/* The same on a copy of text, with every event loaded (recording_load_events). */
Recording *recording_parse(const char *text, size_t len, RecordingError *err);
/* Event i (< r->n), read from its line (or from r->events once loaded). 0; -1 when it
 * cannot be (out of memory: the line was read at open). Not thread-safe: one reader at a
 * time (the UI thread; the CLI). */
int recording_event(const Recording *r, size_t i, Event *ev);
/* Index of the first event of step k (k-th step event, from 0); r->n when there is none. */
size_t recording_step_at(const Recording *r, size_t k);
/* Loads every event into r->events (600 bytes each), for recording_compare. 0, or -1. */
int recording_load_events(Recording *r);
/* Adds events that are in no line (a capture's segments and pairings, wiremerge.h): each of
 * add, in the order given, before the first of r's events stamped later than it; then
 * tail, at the end. The recording's own events stay in their lines; when r->events was
 * loaded it is loaded again. 0, or -1: out of memory (r unchanged, or joined but its
 * events no longer loaded). */
int recording_join(Recording *r, const Event *add, size_t nadd, const Event *tail, size_t ntail);
void recording_free(Recording *r);
/* "Wine 8.0 (Windows 10.0.19045)" or "Windows 10.0.19045": where it was recorded. */
void recording_platform(const Recording *r, char *buf, size_t size);

/* Writes, step by step and end by end, where two recordings differ in what the OS
 * reported (their events, normalised as the golden transcripts are: times, ports and how
 * a burst was split do not count), then their summaries. Returns the number of
 * differences (0: they agree). Reads r->events: recording_parse loads them; a recording
 * opened with recording_open needs recording_load_events first. */
int recording_compare(const Recording *a, const Recording *b, const char *name_a, const char *name_b, Out *out);

#endif
