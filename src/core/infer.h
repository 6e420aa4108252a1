/* infer.h: the other program's end, inferred from what this end observed (SPEC section 9).
 * Against another program only this end is observed, yet what arrived says what the other
 * end did: data means it sent; the end of its data (recv returned 0) that it shut down its
 * sending side or closed; a reset that it closed abortively (SO_LINGER {1,0}) or with data
 * unread; its row of the TCP table (on the same machine) gives its state, and a row still
 * in CLOSE_WAIT at the end means it never closed. Each of the other end's lines that such
 * evidence settles is said as an inferred step with its reason, never as observed; a line
 * no evidence settles stays not observable. Under Wine 8 a reset reads as the end of the
 * data (reference fact 1): a reset is told apart by this end's own row, which leaves the
 * table at once where a graceful close would keep TIME_WAIT or CLOSE_WAIT. Fixed size: a
 * class keeps one per connection. */
#ifndef SHUTDOWNLAB_INFER_H
#define SHUTDOWNLAB_INFER_H

#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "scenario.h"

typedef enum InferState { INFER_UNKNOWN, INFER_DONE, INFER_NOT_DONE } InferState;

typedef struct Inference {
    const Scenario *sc;
    Side local;              /* the end observed here; the other is another program */
    int64_t payload;
    int on_wine;
    int64_t received;        /* bytes this end's recv calls returned */
    int64_t t_data, t_eof, t_rst; /* the first data, its FIN (FD_CLOSE error 0, or recv returned
                                   * 0), a reset; -1 none */
    int64_t t_read_all;      /* recv returned 0: every byte it sent has been read here; -1 not yet */
    int rst_error;           /* the error that said so (0: this end's own row did, or the capture) */
    int rst_captured;        /* a capture of the run (--wire) showed its RST */
    int rst_at_accept;       /* this end's accept failed: it reset while in the backlog */
    int local_fin;           /* this end shut down its sending side or closed */
    int local_active;        /* ... first: its row was seen in FIN_WAIT_1 or FIN_WAIT_2 before the
                              * other's data ended, so a graceful end keeps TIME_WAIT */
    int local_closed;        /* this end called closesocket */
    int fin_confirmed;       /* after the end of the data this end's row stayed (CLOSE_WAIT or
                              * TIME_WAIT), or a send still went through: a FIN, not a reset
                              * read as one */
    int local_state;         /* each end's TCP row at its last sample; 0 none */
    int64_t t_local_state;
    uint32_t local_seen;     /* this end's states seen, as bits */
    int other_state;
    int64_t t_other_state;
    char other_step[EVENT_STEP_MAX]; /* the step after which it was read ("" another time) */
    uint32_t other_seen;     /* the other end's states seen, as bits (1 << TCP_STATE_*) */
    uint8_t said[(SCENARIO_MAX_OPS + 7) / 8]; /* the other end's lines already said inferred */
} Inference;

void infer_init(Inference *in, const Scenario *sc, Side local, int64_t payload, int on_wine);
/* One event of the run: this end's call or message, or a TCP sample. Calls out with each
 * inferred step it settles now: an EV_STEP of the other end, inferred, its reason in text.
 * An inference that something did not happen waits for the end (infer_op, final). */
void infer_event(Inference *in, const Event *ev, void (*out)(void *ctx, const Event *step), void *ctx);
/* What the evidence says of the other end's line op, with the reason (size bytes). when:
 * 0 during the run; INFER_FINAL the run is over (what is likeliest is said, with its
 * doubt); with INFER_WAITED too, this end waited for the other in vain (a watchdog
 * expired), so a row still in ESTABLISHED or CLOSE_WAIT, with no FIN ever come, means it
 * never closed: a run whose own lines were over first says nothing of what the other end
 * did after it. */
enum { INFER_FINAL = 1, INFER_WAITED = 2 };
InferState infer_op(const Inference *in, const Op *op, int when, char *reason, size_t size);
/* The other end's last TCP row, or 0 when none was read (another machine's). */
int infer_other_state(const Inference *in, char *step, int64_t *t_us);

#endif
