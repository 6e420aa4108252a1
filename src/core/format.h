/* format.h: the transcript's three formats (SPEC section 4) as sinks. `text` is for
 * people: one line per event, bursts coalesced ("FD_READ x2048, recv x2048 = 8,000,000
 * bytes"); `tap` makes every check a test point and the rest comments; `jsonl` is
 * machine-complete, one object per event and a summary object last. All three stream:
 * memory is bounded by one open burst per side. Text lines are group.h's, as the GUI's
 * log shows them. */
#ifndef SHUTDOWNLAB_FORMAT_H
#define SHUTDOWNLAB_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#include "group.h"
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

typedef enum FormatKind { FORMAT_TEXT, FORMAT_TAP, FORMAT_JSONL } FormatKind;

/* jsonl's version, in its first line: a recording of another version is refused, not
 * misread. */
#define JSONL_VERSION 1

typedef struct Formatter {
    Sink sink;
    FormatKind kind;
    Out out;
    Grouper group; /* text and tap: bursts and repeated states, as every view groups them */
    int tap_n;
    int conn;      /* a class run's connection: every jsonl line says which */
    Side local;
    const Scenario *sc; /* the run's (from begin): its `showed` sentences */
} Formatter;

/* Returns the formatter's sink, ready for transcript_add_sink. */
Sink *formatter_init(Formatter *f, FormatKind kind, Out out);
/* "text" / "tap" / "jsonl" -> kind; -1 when unknown. */
int format_kind_from_name(const char *name);

/* "2026-12-07 17:40:12.123456 UTC": a wall-clock time, ns since 1970. */
void format_wall_time(int64_t ns, char *buf, size_t size);

/* A grouped line as the text format writes it (no newline): "   21.397  client (5')  FD_READ, error 0". */
void format_line(const GroupLine *l, char *buf, size_t size);

#endif
