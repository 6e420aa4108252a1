/* recording.h: a run's jsonl read back: the scenario it ran (its own text, carried in the
 * first line), the platform it ran on, every event as the transcript emitted it, and the
 * summary. A recording made on real Windows (shutdownlab-cli --record) replays in the GUI
 * as a live run would show it, and compares with another (--compare). A recording is input
 * a user hands over: truncated, not jsonl, of another version or naming what this version
 * does not know, it gives an error naming its line and column, never a crash. */
#ifndef SHUTDOWNLAB_RECORDING_H
#define SHUTDOWNLAB_RECORDING_H

#include <stddef.h>

#include "event.h"
#include "format.h"
#include "scenario.h"
#include "transcript.h"

#define RECORDING_MAX_BYTES (512u << 20)

typedef struct Recording {
    Scenario *sc;         /* parsed from the recording's own scenario text */
    RunInfo info;         /* as the run line said it (info.sc is sc) */
    char version[32];     /* the ShutdownLab that recorded it */
    Event *events;        /* in the order the transcript emitted them */
    size_t n, cap;
    Summary sum;
    char **strings;       /* the texts events point at (why, source, explain), owned here */
    size_t nstrings, cap_strings;
} Recording;

typedef struct RecordingError {
    int line;   /* 1-based; 0: about the whole file */
    int column;
    char message[240];
} RecordingError;

/* Parses a recording (len bytes). NULL with *err filled, or a recording (recording_free). */
Recording *recording_parse(const char *text, size_t len, RecordingError *err);
void recording_free(Recording *r);
/* "Wine 8.0 (Windows 10.0.19045)" or "Windows 10.0.19045": where it was recorded. */
void recording_platform(const Recording *r, char *buf, size_t size);

/* Writes, step by step and end by end, where two recordings differ in what the OS
 * reported (their events, normalised as the golden transcripts are: times, ports and how
 * a burst was split do not count), then their summaries. Returns the number of
 * differences (0: they agree). */
int recording_compare(const Recording *a, const Recording *b, const char *name_a, const char *name_b, Out *out);

#endif
