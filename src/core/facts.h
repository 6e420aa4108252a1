/* facts.h: what one step showed in this run, written from its events (SPEC section 9). A
 * step's explain= says what the step teaches, true of every run; its facts say what this
 * run did: the calls and messages its end made and got under its label, the bytes per send
 * and recv (smallest, largest), whether a send met WSAEWOULDBLOCK and FD_WRITE resumed it,
 * whether FD_CLOSE came before the last byte was read, the TCP states after it. A
 * scenario's `showed` lines add a sentence of their own only when its condition holds of
 * these facts, with their values in it. Everything here renders from a StepFacts alone, so
 * the text, jsonl, the GUI and a recording read back say the same words. */
#ifndef SHUTDOWNLAB_FACTS_H
#define SHUTDOWNLAB_FACTS_H

#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "scenario.h"

/* The names a `showed` line's condition and placeholders use ("recv.max", "FD_CLOSE"). */
typedef enum FactName {
    FACT_NONE = -1,
    FACT_SEND, FACT_SEND_BYTES, FACT_SEND_MIN, FACT_SEND_MAX, FACT_SEND_WOULDBLOCK, FACT_SEND_FAILED,
    FACT_RECV, FACT_RECV_BYTES, FACT_RECV_MIN, FACT_RECV_MAX, FACT_RECV_WOULDBLOCK, FACT_RECV_FAILED, FACT_RECV_EOF,
    FACT_FD_READ, FACT_FD_WRITE, FACT_FD_CLOSE, FACT_FD_CLOSE_ERROR, FACT_AFTER_CLOSE,
    FACT_MS, FACT_CALL_MS, FACT_CALL_ERROR, FACT_STATE, FACT_OTHER_STATE,
    FACT_COUNT
} FactName;

/* What kind of value a name has: how a condition's value is read and a placeholder written. */
typedef enum FactType { FACT_NUMBER, FACT_ERROR, FACT_MILLIS, FACT_TCP_STATE } FactType;

/* The name of len bytes; FACT_NONE when it is none. */
FactName facts_name(const char *s, size_t len);
FactType facts_type(FactName n);
/* A name as a file writes it ("recv.max"). */
const char *facts_name_text(FactName n);
/* "send, send.bytes, ...": every name, for error messages and the docs. */
const char *facts_names_list(void);
/* The value of a name (FACT_MILLIS: microseconds; FACT_TCP_STATE: TCP_STATE_*, 0 not sampled). */
int64_t facts_value(const StepFacts *f, FactName n);

/* An empty record of the step `label` of `side`. */
void facts_init(StepFacts *f, const char *label, Side side);
/* One event under the step's label: a call or message of its end, or a TCP sample taken
 * after the step (either end's row). Others are ignored. */
void facts_note(StepFacts *f, const Event *ev);
/* Whether a call or message came at all. */
int facts_any(const StepFacts *f);

/* The tool's sentence about the step, from its facts alone ("16 sends moved 4,000,000
 * bytes, 65,536 to 262,144 per call; none failed with WSAEWOULDBLOCK, so no FD_WRITE was
 * needed."). A TCP state is said only where a row was read (not for another machine's
 * end). */
void facts_sentence(const StepFacts *f, char *buf, size_t size);
/* The scenario's `showed` sentences for this step whose condition holds of f, with their
 * placeholders filled, each after a space; "" when none. Returns the length. */
size_t facts_said(const Scenario *sc, const StepFacts *f, char *buf, size_t size);
/* Whether one `showed` line's condition holds of f. */
int facts_holds(const Showed *sh, const StepFacts *f);

/* Parses a `showed` condition ("send.wouldblock>0,FD_WRITE") into sh's terms. 0, or -1 with
 * *bad (the byte offset in s where it is wrong) and msg. */
int facts_parse_condition(const char *s, size_t len, Showed *sh, size_t *bad, char *msg, size_t msg_size);
/* Checks a `showed` text's {placeholders}. 0, or -1 with *bad (offset) and msg. */
int facts_check_text(const char *s, size_t *bad, char *msg, size_t msg_size);

/* The open steps of a run, each end's: a step's facts gather until its end moves on to
 * another step (then it is reported, facts_take), or the run ends. A few at once, since an
 * event can arrive early for a step its end has not reached. Fixed size, no allocation:
 * every connection of a class keeps one. */
#define FACTS_OPEN 8

typedef struct OpenFacts {
    StepFacts slot[FACTS_OPEN];
    int used[FACTS_OPEN];
    uint32_t age[FACTS_OPEN]; /* order of opening: the oldest is reported when all are in use */
    uint32_t ages;
} OpenFacts;

void openfacts_reset(OpenFacts *o);
/* The open step of that label, opened (for side) when it is new; when every slot is in use
 * the oldest is moved to *evicted (and *had_evicted set) to be reported first. */
StepFacts *openfacts_get(OpenFacts *o, const char *label, Side side, StepFacts *evicted, int *had_evicted);
/* The open step of that label, or NULL (nothing is opened). */
StepFacts *openfacts_find(OpenFacts *o, const char *label);
/* Closes the step of that label: 1 with its facts in *out, 0 when it is not open. */
int openfacts_take(OpenFacts *o, const char *label, StepFacts *out);
/* Closes the oldest open step: 1 with its facts, 0 when none is open. */
int openfacts_take_oldest(OpenFacts *o, StepFacts *out);

#endif
