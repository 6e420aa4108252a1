/* format.h: the transcript's three formats (SPEC section 4) as sinks. `text` is for
 * people: one line per event, bursts coalesced ("FD_READ x2048, recv x2048 = 8,000,000
 * bytes"); `tap` makes every check a test point and the rest comments; `jsonl` is
 * machine-complete, one object per event and a summary object last. All three stream:
 * memory is bounded by one open burst per side. */
#ifndef SHUTDOWNLAB_FORMAT_H
#define SHUTDOWNLAB_FORMAT_H

#include <stddef.h>

#include "transcript.h"

typedef struct Out {
    void (*write)(void *ctx, const char *s, size_t n);
    void *ctx;
} Out;

void out_printf(Out *o, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* "65,536" */
char *format_thousands(long long v, char *buf, size_t size);

#define BURST_NAMES 3

typedef struct BurstEntry {
    char name[EVENT_NAME_MAX];
    int error;
    long long count;
} BurstEntry;

typedef struct Burst {
    int open;
    int family; /* FD_READ/recv or FD_WRITE/send */
    char step[EVENT_STEP_MAX];
    long long t_first, t_last;
    long long events;
    long long bytes;
    BurstEntry e[BURST_NAMES];
    int n;
    Event first; /* printed as itself when the burst holds one event */
} Burst;

typedef enum FormatKind { FORMAT_TEXT, FORMAT_TAP, FORMAT_JSONL } FormatKind;

typedef struct Formatter {
    Sink sink;
    FormatKind kind;
    Out out;
    Burst burst[SIDE_COUNT];
    int tap_n;
    int on_wine;
    char last_state[SIDE_COUNT][EVENT_TEXT_MAX + 16]; /* text and tap show a TCP state when it changes */
} Formatter;

/* Returns the formatter's sink, ready for transcript_add_sink. */
Sink *formatter_init(Formatter *f, FormatKind kind, Out out);
/* "text" / "tap" / "jsonl" -> kind; -1 when unknown. */
int format_kind_from_name(const char *name);

/* One event as a line of text (no newline), as the text format and the GUI log show it. */
void format_event_line(const Event *ev, char *buf, size_t size);

#endif
