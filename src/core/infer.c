/* infer.c: the other program's end, inferred from what this end saw (infer.h). */
#include "infer.h"

#include <stdio.h>
#include <string.h>

#include "capture.h"
#include "group.h"
#include "wsaerr.h"

void infer_init(Inference *in, const Scenario *sc, Side local, int64_t payload, int on_wine)
{
    memset(in, 0, sizeof *in);
    in->sc = sc;
    in->local = local;
    in->payload = payload;
    in->on_wine = on_wine;
    in->t_data = in->t_eof = in->t_rst = in->t_read_all = -1;
}

/* A line of the other end that sends its FIN (or, closing abortively, its RST). */
static int fin_op(const Op *op)
{
    return (op->verb == OP_SHUTDOWN && (op->arg == 1 || op->arg == 2)) || op->verb == OP_SENDDISCONNECT ||
           op->verb == OP_CLOSESOCKET;
}

static int other_line(const Inference *in, const Op *op)
{
    return op->side != in->local && scenario_op_active(op, in->payload) && !op->if_open;
}

/* The other end's first line that sends its FIN: the one the end of its data settles. */
static const Op *first_fin(const Inference *in)
{
    for (size_t i = 0; in->sc && i < in->sc->nops; i++)
        if (other_line(in, &in->sc->ops[i]) && fin_op(&in->sc->ops[i]))
            return &in->sc->ops[i];
    return NULL;
}

/* The bytes the other end's lines send before op (a `send fill`: at least one). */
static int64_t sent_before(const Inference *in, const Op *op)
{
    int64_t n = 0;
    for (const Op *o = in->sc->ops; o < op; o++)
        if (other_line(in, o) && (o->verb == OP_SEND || o->verb == OP_SEND_FILL) && o->windows.kind != EXP_ERROR)
            n += o->verb == OP_SEND_FILL ? 1 : o->arg < 0 ? in->payload : o->arg;
    return n;
}

static const char *other_name(const Inference *in)
{
    return side_name((Side)!in->local);
}

static int eof_is_fin(const Inference *in);

static InferState send_state(const Inference *in, const Op *op, int when, char *reason, size_t size)
{
    char n[32], m[32];
    int64_t before = sent_before(in, op), len = op->verb == OP_SEND_FILL ? 1 : op->arg < 0 ? in->payload : op->arg;
    /* all of its data read to its FIN: what did not come was not sent (after a reset,
     * Windows throws unread data away, so nothing can be said of what did not come) */
    int all_read = in->t_read_all >= 0 && eof_is_fin(in);
    if (op->windows.kind == EXP_ERROR || len <= 0)
        return INFER_UNKNOWN; /* a send Windows fails puts nothing on the wire */
    format_thousands(in->received, n, sizeof n);
    if (in->received > before && (when & INFER_FINAL) && all_read && op->verb == OP_SEND &&
        in->received < before + len) {
        format_thousands(len, m, sizeof m);
        snprintf(reason, size, "only %s bytes came before its FIN, and this line sends %s: the %s sent less",
                 n, m, other_name(in));
        return INFER_NOT_DONE;
    }
    if (in->received > before) {
        snprintf(reason, size, "data arrived: recv returned %s bytes in all, so the %s sent", n, other_name(in));
        return INFER_DONE;
    }
    if (all_read) {
        if (in->received == 0)
            snprintf(reason, size, "its data ended (recv = 0 at %.3f ms) with 0 bytes: the %s sent nothing",
                     in->t_read_all / 1000.0, other_name(in));
        else
            snprintf(reason, size, "its data ended after %s bytes, none of them for this line: the %s did not send it",
                     n, other_name(in));
        return INFER_NOT_DONE;
    }
    return INFER_UNKNOWN;
}

/* At the end of a run in which this end waited for the other in vain, no FIN or reset ever
 * came, and its row is still there (or none could be read: another machine's, a class's):
 * it never sent its FIN. */
static int closed_wait(const Inference *in, int when)
{
    return (when & INFER_WAITED) && in->t_eof < 0 && in->t_rst < 0 &&
           (in->other_state == TCP_STATE_CLOSE_WAIT || in->other_state == TCP_STATE_ESTABLISHED || !in->other_state);
}

static void never_closed(const Inference *in, char *reason, size_t size)
{
    if (!in->other_state)
        snprintf(reason, size, "this end saw no FIN or reset from it while it waited: it had not shut down or closed");
    else
        snprintf(reason, size, "no FIN came, and its row was still in %s at %.3f ms: %s never shut down or closed",
                 tcp_state_label(in->other_state), in->t_other_state / 1000.0,
                 in->other_state == TCP_STATE_CLOSE_WAIT ? "it had this end's FIN and" : "it");
}

/* Whether the end of the data was a FIN: on Windows a reset is an error, never recv = 0;
 * under Wine 8 it reads as recv = 0 (reference fact 1), so there a reset seen after it, with
 * no row of this end's kept in between, says it was the reset. */
static int eof_is_fin(const Inference *in)
{
    return in->t_eof >= 0 && (!in->on_wine || in->t_rst < 0 || in->fin_confirmed);
}

/* Whether the other end's lines make this close a reset: SO_LINGER {1,0} before it, or its
 * FD_READ handler stopped reading (a close with data unread resets). */
static int expects_reset(const Inference *in, const Op *op)
{
    int linger0 = 0, unread = 0;
    if (op->verb != OP_CLOSESOCKET)
        return 0;
    for (const Op *o = in->sc->ops; o < op; o++) {
        if (!other_line(in, o))
            continue;
        if (o->verb == OP_LINGER || o->verb == OP_DONTLINGER)
            linger0 = o->verb == OP_LINGER && o->arg == 0;
        else if (o->verb == OP_READING)
            unread = !o->arg;
    }
    return linger0 || unread;
}

static InferState reset_state(const Inference *in, const Op *op, int after_fin, char *reason, size_t size)
{
    char e[64], how[160];
    const char *who = other_name(in);
    if (in->rst_at_accept)
        snprintf(how, sizeof how, "accept failed with %s at %.3f ms: it reset before this end accepted it",
                 wsaerr_format(in->rst_error, e, sizeof e), in->t_rst / 1000.0);
    else if (in->rst_error)
        snprintf(how, sizeof how, "%s at %.3f ms", wsaerr_format(in->rst_error, e, sizeof e), in->t_rst / 1000.0);
    else if (in->rst_captured)
        snprintf(how, sizeof how, "its RST on the wire at %.3f ms, captured", in->t_rst / 1000.0);
    else
        snprintf(how, sizeof how, "the rows left the TCP table at once, with no TIME_WAIT");
    if (op->verb == OP_CLOSESOCKET && expects_reset(in, op)) {
        snprintf(reason, size, "a reset came (%s): the abortive close its lines make", how);
        return INFER_DONE;
    }
    if (after_fin)
        snprintf(reason, size, "a reset followed its FIN (%s): the %s closed with data unread, or abortively, not "
                 "gracefully", how, who);
    else
        snprintf(reason, size, "a reset came, not a FIN (%s): the %s closed abortively (SO_LINGER {1,0}) or with "
                 "data unread", how, who);
    return INFER_NOT_DONE;
}

static InferState fin_state(const Inference *in, const Op *op, int when, char *reason, size_t size)
{
    if (op != first_fin(in)) {
        /* a close after the shutdown that sent the FIN: only a reset says anything of it */
        if (op->verb == OP_CLOSESOCKET && eof_is_fin(in) && in->t_rst > in->t_eof)
            return reset_state(in, op, 1, reason, size);
        if (op->verb == OP_CLOSESOCKET && closed_wait(in, when)) {
            never_closed(in, reason, size);
            return INFER_NOT_DONE;
        }
        return INFER_UNKNOWN;
    }
    if (eof_is_fin(in) && ((when & INFER_FINAL) || !in->on_wine || in->fin_confirmed)) { /* Wine: said once a row confirms it */
        if (expects_reset(in, op)) {
            if (in->on_wine && !in->fin_confirmed)
                return INFER_UNKNOWN; /* under Wine 8 the reset its lines make reads so too */
            snprintf(reason, size, "a FIN arrived (at %.3f ms), not the reset its lines make: the %s closed "
                     "gracefully", in->t_eof / 1000.0, other_name(in));
            return INFER_NOT_DONE;
        }
        snprintf(reason, size, "a FIN arrived (%s at %.3f ms): the %s shut down its sending side or closed%s",
                 in->t_eof == in->t_read_all ? "recv returned 0" : "FD_CLOSE, error 0", in->t_eof / 1000.0, other_name(in),
                 in->on_wine && !in->fin_confirmed ? " (under Wine 8 a reset reads so too)" : "");
        return INFER_DONE;
    }
    if (eof_is_fin(in))
        return INFER_UNKNOWN; /* not yet: under Wine the row after it says whether it was a reset */
    if (in->t_rst >= 0)
        return reset_state(in, op, 0, reason, size);
    if (closed_wait(in, when)) {
        never_closed(in, reason, size);
        return INFER_NOT_DONE;
    }
    return INFER_UNKNOWN;
}

InferState infer_op(const Inference *in, const Op *op, int when, char *reason, size_t size)
{
    const uint32_t had_fin = 1u << TCP_STATE_CLOSE_WAIT | 1u << TCP_STATE_LAST_ACK | 1u << TCP_STATE_CLOSING |
                             1u << TCP_STATE_TIME_WAIT;
    reason[0] = '\0';
    if (!in->sc || !other_line(in, op))
        return INFER_UNKNOWN;
    if (op->verb == OP_SEND || op->verb == OP_SEND_FILL)
        return send_state(in, op, when, reason, size);
    if (fin_op(op))
        return fin_state(in, op, when, reason, size);
    if (op->verb == OP_EXPECT && op->event == EW_FD_CLOSE && in->local_fin && (in->other_seen & had_fin)) {
        snprintf(reason, size, "after this end's FIN its row was in %s: the FIN reached it, and Winsock posts FD_CLOSE "
                 "for that", tcp_state_label(in->other_seen & 1u << TCP_STATE_CLOSE_WAIT ? TCP_STATE_CLOSE_WAIT
                                             : in->other_seen & 1u << TCP_STATE_TIME_WAIT ? TCP_STATE_TIME_WAIT
                                             : in->other_seen & 1u << TCP_STATE_LAST_ACK  ? TCP_STATE_LAST_ACK
                                                                                           : TCP_STATE_CLOSING));
        return INFER_DONE;
    }
    return INFER_UNKNOWN;
}

int infer_other_state(const Inference *in, char *step, int64_t *t_us)
{
    if (step)
        event_set(step, EVENT_STEP_MAX, in->other_step);
    if (t_us)
        *t_us = in->t_other_state;
    return in->other_state;
}

/* ---- evidence ------------------------------------------------------------------------ */

/* Both rows gone in one reading of the table, after the other end's data ended and before
 * this end closed, and neither ever in TIME_WAIT: a graceful close always leaves one end in
 * TIME_WAIT (the one that sent its FIN first), a reset leaves none (README: the reset Wine
 * reads as a graceful close). */
static int both_gone(const Inference *in)
{
    const uint32_t tw = 1u << TCP_STATE_TIME_WAIT;
    return in->t_eof >= 0 && in->t_rst < 0 && !in->local_closed && in->local_state == TCP_STATE_CLOSED &&
           in->other_state == TCP_STATE_CLOSED && in->t_local_state == in->t_other_state &&
           !((in->local_seen | in->other_seen) & tw);
}

/* Whether the event changed what is known. */
static int note(Inference *in, const Event *ev)
{
    Side other = (Side)!in->local;
    if (ev->kind == EV_STATE && ev->tcp_state > 0 && ev->tcp_state < 32) {
        if (ev->side == other)
            in->other_seen |= 1u << ev->tcp_state;
        else
            in->local_seen |= 1u << ev->tcp_state;
    }
    if (ev->kind == EV_STATE && ev->side == other) {
        in->other_state = ev->tcp_state;
        in->t_other_state = ev->t_us;
        EVENT_SET(in->other_step, ev->when == SAMPLE_AFTER_STEP ? ev->step : "");
        if (both_gone(in))
            in->t_rst = ev->t_us;
        return 1;
    }
    if (ev->kind == EV_STATE && ev->side == in->local) {
        in->local_state = ev->tcp_state;
        in->t_local_state = ev->t_us;
        if (both_gone(in)) {
            in->t_rst = ev->t_us;
            return 1;
        }
        if (in->t_eof < 0 && (ev->tcp_state == TCP_STATE_FIN_WAIT_1 || ev->tcp_state == TCP_STATE_FIN_WAIT_2))
            in->local_active = 1;
        if (in->t_eof >= 0 && in->t_rst < 0 && !in->fin_confirmed &&
            (ev->tcp_state == TCP_STATE_CLOSE_WAIT || ev->tcp_state == TCP_STATE_TIME_WAIT)) {
            in->fin_confirmed = 1;
            return 1;
        }
        /* gone before this end closed, where a graceful end keeps a row (CLOSE_WAIT without this
         * end's FIN, TIME_WAIT after it when it went first): a reset read as recv = 0. A
         * passive close (its FIN first, then this end's) may leave no row: nothing is said */
        if (ev->tcp_state == TCP_STATE_CLOSED && in->t_eof >= 0 && in->t_rst < 0 && !in->local_closed &&
            (!in->local_fin || in->local_active)) {
            in->t_rst = ev->t_us;
            return 1;
        }
        return 0;
    }
    if (ev->kind == EV_WIRE && ev->what == EW_SEGMENT && ev->side == other) {
        /* a capture of the run shows what it sent: an RST settles a reset (which Wine 8
         * reads as recv = 0), a FIN that the end of its data was one */
        if ((ev->wire.flags & TCPF_RST) && in->t_rst < 0) {
            in->t_rst = ev->t_us;
            in->rst_error = 0;
            in->rst_captured = 1;
            return 1;
        }
        if ((ev->wire.flags & TCPF_FIN) && !(ev->wire.flags & TCPF_RST) && in->t_rst < 0 && !in->fin_confirmed) {
            in->fin_confirmed = 1;
            return 1;
        }
        return 0;
    }
    if (ev->side != in->local || ev->stale)
        return 0;
    if (ev->kind == EV_CALL && ev->what == EW_SEND && ev->has_result && ev->result > 0 && in->t_eof >= 0 &&
        in->t_rst < 0 && !in->fin_confirmed) {
        in->fin_confirmed = 1; /* a send went through after it: the connection was half-closed, not reset */
        return 1;
    }
    if (ev->kind == EV_CALL && ev->what == EW_RECV && ev->has_result) {
        if (ev->result > 0) {
            in->received += ev->result;
            if (in->t_data < 0)
                in->t_data = ev->t_us;
            return 1;
        }
        if (ev->result == 0 && in->t_read_all < 0) {
            in->t_read_all = ev->t_us;
            if (in->t_eof < 0)
                in->t_eof = ev->t_us;
            return 1;
        }
    }
    if (ev->kind == EV_MESSAGE && ev->what == EW_FD_CLOSE && !ev->error && in->t_eof < 0) {
        in->t_eof = ev->t_us; /* its FIN arrived, though data may still be unread */
        return 1;
    }
    if (ev->kind == EV_CALL && ev->what == EW_ACCEPT && ev->has_result && ev->result < 0 &&
        (ev->error == 10054 || ev->error == 10057) && in->t_rst < 0) {
        in->t_rst = ev->t_us; /* reset in the backlog: Windows says WSAECONNRESET, Wine 8 WSAENOTCONN */
        in->rst_error = ev->error;
        in->rst_at_accept = 1;
        return 1;
    }
    if (((ev->kind == EV_CALL && (ev->what == EW_RECV || ev->what == EW_SEND) && ev->result < 0) ||
         (ev->kind == EV_MESSAGE && ev->what == EW_FD_CLOSE)) &&
        (ev->error == 10053 || ev->error == 10054) && in->t_rst < 0) {
        in->t_rst = ev->t_us;
        in->rst_error = ev->error;
        return 1;
    }
    if (ev->kind == EV_CALL && ev->has_result && ev->result == 0) {
        if ((ev->what == EW_SHUTDOWN && ev->args.how != 0) || ev->what == EW_SENDDISCONNECT ||
            ev->what == EW_CLOSESOCKET)
            in->local_fin = 1;
        if (ev->what == EW_CLOSESOCKET)
            in->local_closed = 1;
    }
    return 0;
}

void infer_event(Inference *in, const Event *ev, void (*out)(void *ctx, const Event *step), void *ctx)
{
    if (!in->sc || !note(in, ev))
        return;
    for (size_t i = 0; i < in->sc->nops && i < SCENARIO_MAX_OPS; i++) {
        const Op *op = &in->sc->ops[i];
        Event st;
        char reason[2 * EVENT_TEXT_MAX];
        if ((in->said[i / 8] >> (i % 8) & 1) || !op->step[0] || infer_op(in, op, 0, reason, sizeof reason) != INFER_DONE)
            continue;
        in->said[i / 8] |= (uint8_t)(1u << (i % 8));
        event_init(&st, EV_STEP, op->side, EW_NONE);
        op_subject(op, in->payload, &st.what, &st.args);
        st.op = (int)i;
        st.t_us = ev->t_us;
        st.inferred = 1;
        EVENT_SET(st.step, op->step);
        EVENT_SET(st.text, reason);
        out(ctx, &st);
    }
}
