/* test_ladder.c: what the wire carried, inferred from the calls (wire.h) by the
 * transcript (its EV_WIRE events), and the ladder the GUI draws from them
 * (ladder_model.h): which call sends data, a FIN or an RST, which event of the other end
 * each arrow reaches, how bursts and repeated states appear, and a failed check labelling
 * its item; and a capture's segments observed on the wire, at their capture time, data and
 * pure ACKs coalesced, pure ACKs shown only when asked, each paired with its inference.
 * The events reach the ladder through a real transcript, as in a run. */
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "ladder_model.h"
#include "tap.h"
#include "transcript.h"
#include "wire.h"

static int64_t clock_us;

static Event call(Side side, EventWhat what, int64_t result, int error, const char *step)
{
    Event ev;
    event_init(&ev, EV_CALL, side, what);
    ev.has_result = 1;
    ev.result = result;
    ev.error = result < 0 ? error : 0;
    ev.bytes = result > 0 && (what == EW_SEND || what == EW_RECV) ? result : -1;
    ev.t_us = clock_us += 10;
    EVENT_SET(ev.step, step);
    return ev;
}

static Event shutdown_call(Side side, int how, const char *step)
{
    Event ev = call(side, EW_SHUTDOWN, 0, 0, step);
    ev.args.how = how;
    return ev;
}

static Event linger(Side side, int secs)
{
    Event ev = call(side, EW_LINGER, 0, 0, "");
    ev.args.linger_s = secs;
    return ev;
}

static Event message(Side side, EventWhat what, int error, const char *step)
{
    Event ev;
    event_init(&ev, EV_MESSAGE, side, what);
    ev.error = error;
    ev.t_us = clock_us += 10;
    EVENT_SET(ev.step, step);
    return ev;
}

static void test_wire(void)
{
    Wire w;
    Event ev;
    wire_reset(&w);
    ev = call(SIDE_SERVER, EW_SEND, 4000, 0, "3");
    tap_is_int(wire_infer(&w, &ev), WIRE_DATA, "a send that moved bytes carries data");
    ev = call(SIDE_SERVER, EW_SEND, -1, 10035, "3");
    tap_is_int(wire_infer(&w, &ev), WIRE_NONE, "a send that failed carries nothing");
    ev = shutdown_call(SIDE_CLIENT, 0, "1");
    tap_is_int(wire_infer(&w, &ev), WIRE_NONE, "shutdown(SD_RECEIVE) sends nothing");
    ev = shutdown_call(SIDE_CLIENT, 1, "1");
    tap_is_int(wire_infer(&w, &ev), WIRE_FIN, "shutdown(SD_SEND) sends a FIN");
    ev = shutdown_call(SIDE_CLIENT, 2, "1");
    tap_is_int(wire_infer(&w, &ev), WIRE_NONE, "only once");
    ev = call(SIDE_CLIENT, EW_RECV, 1000, 0, "5");
    wire_infer(&w, &ev);
    ev = call(SIDE_CLIENT, EW_CLOSESOCKET, 0, 0, "6");
    tap_is_int(wire_infer(&w, &ev), WIRE_RST, "closing with 3,000 of the peer's bytes unread resets (RFC 1122 4.2.2.13)");
    ev = call(SIDE_SERVER, EW_CLOSESOCKET, 0, 0, "7");
    tap_is_int(wire_infer(&w, &ev), WIRE_NONE, "after a reset nothing more goes out");

    wire_reset(&w);
    ev = call(SIDE_SERVER, EW_SENDDISCONNECT, 0, 0, "1");
    tap_is_int(wire_infer(&w, &ev), WIRE_FIN, "WSASendDisconnect sends a FIN");
    ev = call(SIDE_SERVER, EW_CLOSESOCKET, 0, 0, "2");
    tap_is_int(wire_infer(&w, &ev), WIRE_NONE, "and the close after it nothing more");
    ev = call(SIDE_CLIENT, EW_CLOSESOCKET, 0, 0, "3");
    tap_is_int(wire_infer(&w, &ev), WIRE_FIN, "a close with nothing unread and no shutdown before sends the FIN");

    wire_reset(&w);
    ev = linger(SIDE_CLIENT, 0);
    wire_infer(&w, &ev);
    ev = linger(SIDE_CLIENT, 2);
    wire_infer(&w, &ev);
    ev = call(SIDE_CLIENT, EW_CLOSESOCKET, 0, 0, "4");
    tap_is_int(wire_infer(&w, &ev), WIRE_FIN, "SO_LINGER {1,2} after {1,0}: the close is graceful again");
    wire_reset(&w);
    ev = linger(SIDE_CLIENT, 0);
    wire_infer(&w, &ev);
    ev = call(SIDE_CLIENT, EW_CLOSESOCKET, 0, 0, "4");
    tap_is_int(wire_infer(&w, &ev), WIRE_RST, "SO_LINGER {1,0}: the close is abortive");

    tap_ok(wire_reaches(WIRE_FIN, EV_MESSAGE, EW_FD_CLOSE, 0, 0) && wire_reaches(WIRE_FIN, EV_CALL, EW_RECV, 0, 1) &&
               !wire_reaches(WIRE_FIN, EV_CALL, EW_RECV, 0, 0) && !wire_reaches(WIRE_FIN, EV_MESSAGE, EW_FD_READ, 0, 0),
           "a FIN is what an FD_CLOSE or a recv that returned 0 reports");
    tap_ok(wire_reaches(WIRE_RST, EV_MESSAGE, EW_FD_CLOSE, 10053, 0) && wire_reaches(WIRE_RST, EV_CALL, EW_RECV, 10054, 0) &&
               !wire_reaches(WIRE_RST, EV_CALL, EW_RECV, 10058, 0),
           "an RST, an FD_CLOSE or a call failing with WSAECONNRESET or WSAECONNABORTED");
    tap_ok(wire_reaches(WIRE_DATA, EV_MESSAGE, EW_FD_READ, 0, 0) && !wire_reaches(WIRE_DATA, EV_MESSAGE, EW_FD_CLOSE, 0, 0),
           "data, an FD_READ");
}

static const LadderItem *item(const Ladder *l, Side side, const char *text)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->items[i].side == side && !strncmp(l->items[i].text, text, strlen(text)))
            return &l->items[i];
    return NULL;
}

/* The transcript the events go through (it adds the wire's inferred events), and its sink
 * that feeds the ladder under test. */
typedef struct ToLadder {
    Sink sink;
    Ladder *ladder;
    int wires;
} ToLadder;

static Transcript g_t;
static ToLadder g_to;

static void to_ladder(Sink *s, const Event *ev)
{
    ToLadder *t = (ToLadder *)s;
    t->wires += ev->kind == EV_WIRE;
    ladder_add(t->ladder, ev);
}

static void start(Ladder *l)
{
    RunInfo info;
    memset(&info, 0, sizeof info);
    ladder_init(l);
    transcript_init(&g_t, &info);
    memset(&g_to, 0, sizeof g_to);
    g_to.sink.event = to_ladder;
    g_to.ladder = l;
    transcript_add_sink(&g_t, &g_to.sink);
}

static void add(Ladder *l, Event ev)
{
    (void)l;
    transcript_emit(&g_t, &ev);
}

/* graceful-client, as both ends report it */
static void test_graceful(void)
{
    Ladder l;
    Event st;
    const LadderItem *fin, *fd_close, *send, *fd_read, *recv;
    start(&l);
    add(&l, call(SIDE_SERVER, EW_SOCKET, 0, 0, ""));
    add(&l, message(SIDE_CLIENT, EW_FD_CONNECT, 0, ""));
    add(&l, message(SIDE_CLIENT, EW_FD_WRITE, 0, ""));
    event_init(&st, EV_STATE, SIDE_CLIENT, EW_TCP_STATE);
    st.tcp_state = TCP_STATE_ESTABLISHED;
    st.t_us = clock_us += 10;
    add(&l, st);
    add(&l, shutdown_call(SIDE_CLIENT, 1, "1"));
    add(&l, message(SIDE_SERVER, EW_FD_CLOSE, 0, "2"));
    add(&l, call(SIDE_SERVER, EW_RECV, 0, 0, "2"));
    add(&l, st); /* the same state again */
    add(&l, call(SIDE_SERVER, EW_SEND, 65536, 0, "3"));
    add(&l, message(SIDE_CLIENT, EW_FD_READ, 0, "5'"));
    add(&l, call(SIDE_CLIENT, EW_RECV, 40000, 0, "5'"));
    add(&l, message(SIDE_CLIENT, EW_FD_READ, 0, "5'"));
    add(&l, call(SIDE_CLIENT, EW_RECV, 25536, 0, "5'"));
    add(&l, call(SIDE_CLIENT, EW_RECV, 0, 0, "5'"));
    ladder_layout(&l);
    tap_ok(!item(&l, SIDE_SERVER, "socket") && !item(&l, SIDE_CLIENT, "FD_CONNECT") && !item(&l, SIDE_CLIENT, "FD_WRITE"),
           "the set-up's calls and messages are not on the ladder");
    tap_is_int(g_to.wires, 2, "the transcript emitted what went on the wire: a FIN, then data");
    tap_is_int(ladder_arrows(&l, WIRE_FIN), 1, "one FIN arrow");
    tap_is_int(ladder_arrows(&l, WIRE_DATA), 1, "one data arrow");
    fin = item(&l, SIDE_CLIENT, "shutdown(SD_SEND)");
    fd_close = item(&l, SIDE_SERVER, "FD_CLOSE, error 0");
    tap_ok(fin && fd_close && fin->arrow == WIRE_FIN && fin->target == (int)(fd_close - l.items),
           "the client's FIN reaches the server's FD_CLOSE");
    send = item(&l, SIDE_SERVER, "send = 65,536 B");
    fd_read = item(&l, SIDE_CLIENT, "FD_READ");
    tap_ok(send && fd_read && send->target == (int)(fd_read - l.items), "the data reaches the client's first FD_READ");
    tap_ok(fd_read && !strcmp(fd_read->text, "FD_READ \xc3\x97" "2"), "the FD_READs of a burst are one item (%s)",
           fd_read ? fd_read->text : "none");
    recv = item(&l, SIDE_CLIENT, "recv");
    tap_ok(recv && !strcmp(recv->text, "recv \xc3\x97" "3 = 65,536 B, the last = 0 (EOF)") && recv->eof,
           "and the recvs another, which says the last returned 0 (%s)", recv ? recv->text : "none");
    tap_ok(item(&l, SIDE_SERVER, "recv = 0 (EOF)") != NULL, "a recv that only returns 0 says EOF");
    {
        int states = 0;
        for (size_t i = 0; i < l.n; i++)
            states += l.items[i].kind == LI_STATE;
        tap_is_int(states, 1, "a TCP state is drawn once, until it changes");
    }
    ladder_free(&l);
}

static void test_reset_and_checks(void)
{
    Ladder l;
    Event ev;
    const LadderItem *close, *fd_close, *recv;
    start(&l);
    add(&l, linger(SIDE_SERVER, 0));
    add(&l, call(SIDE_SERVER, EW_SEND, 100, 0, "2"));
    add(&l, call(SIDE_SERVER, EW_CLOSESOCKET, 0, 0, "3"));
    add(&l, message(SIDE_CLIENT, EW_FD_CLOSE, 0, "4"));
    add(&l, call(SIDE_CLIENT, EW_RECV, 0, 0, "4"));
    event_init(&ev, EV_CHECK, SIDE_CLIENT, EW_FD_CLOSE);
    EVENT_SET(ev.step, "4");
    EVENT_SET(ev.expected, "WSAECONNABORTED");
    ev.evidence = EVIDENCE_TESTED;
    ev.verdict = VERDICT_KNOWN;
    add(&l, ev);
    event_init(&ev, EV_CHECK, SIDE_CLIENT, EW_ORDER);
    EVENT_SET(ev.step, "4");
    ev.evidence = EVIDENCE_DOCUMENTED;
    ev.verdict = VERDICT_MISMATCH;
    add(&l, ev);
    ladder_layout(&l);
    close = item(&l, SIDE_SERVER, "closesocket");
    fd_close = item(&l, SIDE_CLIENT, "FD_CLOSE");
    recv = item(&l, SIDE_CLIENT, "recv");
    tap_ok(close && close->arrow == WIRE_RST && fd_close && close->target == (int)(fd_close - l.items),
           "SO_LINGER {1,0} then closesocket: an RST, reaching the client's FD_CLOSE");
    tap_ok(fd_close && fd_close->check == VERDICT_KNOWN && !strcmp(fd_close->windows, "WSAECONNABORTED"),
           "a known difference labels the FD_CLOSE with what Windows reports");
    tap_ok(recv && recv->check == VERDICT_OK, "an order rule's check labels no item");
    event_init(&ev, EV_CHECK, SIDE_CLIENT, EW_RECV);
    EVENT_SET(ev.step, "4");
    EVENT_SET(ev.expected, "WSAECONNRESET");
    EVENT_SET(ev.other, "WSAECONNABORTED");
    ev.evidence = EVIDENCE_DISPUTED;
    ev.verdict = VERDICT_DISPUTED; /* this platform did what one of them says */
    add(&l, ev);
    recv = item(&l, SIDE_CLIENT, "recv");
    tap_ok(recv && recv->check == VERDICT_DISPUTED && !strcmp(recv->windows, "WSAECONNRESET or WSAECONNABORTED"),
           "a disputed check labels its item with both claims, as disputed (%s)", recv ? recv->windows : "none");
    ladder_free(&l);
}

static void test_order_and_blocking(void)
{
    Ladder l;
    Event late, ev;
    const LadderItem *blocking;
    start(&l);
    late = call(SIDE_CLIENT, EW_CLOSESOCKET, 0, 0, "1");
    ev = message(SIDE_SERVER, EW_FD_CLOSE, 0, "2");
    add(&l, ev);   /* the effect reached the transcript first */
    add(&l, late); /* the cause, stamped earlier */
    ladder_layout(&l);
    tap_ok(l.n == 2 && l.items[0].side == SIDE_CLIENT && l.items[0].target == 1,
           "items stand in the order the ends stamped them, cause before effect");
    ladder_free(&l);
    start(&l);
    event_init(&ev, EV_NOTE, SIDE_CLIENT, EW_CLOSE_ON_WORKER);
    EVENT_SET(ev.step, "4");
    ev.t_us = clock_us += 10;
    add(&l, ev);
    blocking = item(&l, SIDE_CLIENT, "");
    tap_ok(l.n == 1 && blocking && blocking->kind == LI_BLOCKING, "a lingering close under way is an item of its own");
    ev = call(SIDE_CLIENT, EW_CLOSESOCKET, 0, 0, "4");
    ev.duration_us = 1000000;
    add(&l, ev);
    tap_ok(l.n == 1 && l.items[0].kind == LI_CALL && !strcmp(l.items[0].text, "closesocket (1.0 s)"),
           "when it returns, that item becomes the call, with how long it took (%s)", l.items[0].text);
    ladder_free(&l);
}

/* A segment a capture observed, as the capture reader hands it over (late). */
static Event segment(Side from, uint8_t flags, uint32_t seq, uint32_t ack, uint32_t len, int64_t t_us)
{
    Event ev;
    event_init(&ev, EV_WIRE, from, EW_SEGMENT);
    memset(&ev.wire, 0, sizeof ev.wire);
    ev.t_us = t_us;
    ev.wire.flags = flags;
    ev.wire.seq = seq;
    ev.wire.ack = ack;
    ev.wire.len = len;
    ev.wire.win = 512;
    ev.wire.relative = 1;
    ev.wire.guess_t_us = -1;
    ev.wire.seg_t_us = t_us;
    return ev;
}

static const LadderItem *seg_item(const Ladder *l, const char *label, size_t *at)
{
    char buf[LADDER_TEXT_MAX];
    for (size_t i = 0; i < l->n; i++) {
        if (l->items[i].kind != LI_SEGMENT)
            continue;
        ladder_segment_label(&l->items[i], buf, sizeof buf);
        if (!strcmp(buf, label)) {
            if (at)
                *at = i;
            return &l->items[i];
        }
    }
    return NULL;
}

static size_t index_of(const Ladder *l, const LadderItem *it)
{
    return it ? (size_t)(it - l->items) : (size_t)-1;
}

/* abortive-linger0 in short: the calls first, the capture's segments later (it is polled),
 * then the pairing note at the end of the run. */
static void test_observed(void)
{
    Ladder l;
    Event ev;
    int64_t t_send, t_close, t_sends[3];
    const LadderItem *close, *fd_close, *rst, *sends, *data, *acks;
    size_t at_rst = 0, at_data = 0;
    char label[LADDER_TEXT_MAX];
    start(&l);
    add(&l, call(SIDE_SERVER, EW_SEND, 16, 0, "0"));
    t_send = clock_us;
    add(&l, message(SIDE_CLIENT, EW_FD_READ, 0, "0"));
    add(&l, call(SIDE_CLIENT, EW_RECV, 16, 0, "0"));
    for (int k = 0; k < 3; k++) {
        add(&l, call(SIDE_CLIENT, EW_SEND, 100, 0, "1"));
        t_sends[k] = clock_us;
    }
    add(&l, linger(SIDE_CLIENT, 0));
    add(&l, call(SIDE_CLIENT, EW_CLOSESOCKET, 0, 0, "3"));
    t_close = clock_us;
    add(&l, message(SIDE_SERVER, EW_FD_CLOSE, 0, "4"));
    /* the capture, read late */
    ev = segment(SIDE_CLIENT, TCPF_SYN, 0, 0, 0, 1);
    ladder_add(&l, &ev);
    ev = segment(SIDE_SERVER, TCPF_SYN | TCPF_ACK, 0, 1, 0, 2);
    ladder_add(&l, &ev);
    ev = segment(SIDE_SERVER, TCPF_PSH | TCPF_ACK, 1, 1, 16, t_send + 1);
    ladder_add(&l, &ev);
    for (int k = 0; k < 3; k++) {
        ev = segment(SIDE_CLIENT, TCPF_PSH | TCPF_ACK, 1 + 100 * (uint32_t)k, 17, 100, t_sends[k] + 1);
        ladder_add(&l, &ev);
        ev = segment(SIDE_SERVER, TCPF_ACK, 17, 101 + 100 * (uint32_t)k, 0, t_sends[k] + 2);
        ladder_add(&l, &ev);
    }
    ev = segment(SIDE_CLIENT, TCPF_RST | TCPF_ACK, 301, 17, 0, t_close + 1);
    ladder_add(&l, &ev);
    ladder_layout(&l);
    tap_is_int((int)l.segments, 10, "the ladder holds the capture's ten segments");
    close = item(&l, SIDE_CLIENT, "closesocket");
    fd_close = item(&l, SIDE_SERVER, "FD_CLOSE");
    rst = seg_item(&l, "RST, ACK seq 301 ack 17", &at_rst);
    tap_ok(close && fd_close && rst && index_of(&l, close) < at_rst && at_rst < index_of(&l, fd_close),
           "the observed RST, read last, stands at its capture time: after the closesocket, before the FD_CLOSE");
    tap_ok(rst && rst->side == SIDE_CLIENT && rst->row >= 0, "from the client, on a row of its own");
    tap_ok(seg_item(&l, "SYN seq 0", NULL) && seg_item(&l, "SYN, ACK seq 0 ack 1", NULL) &&
               seg_item(&l, "PSH, ACK seq 1 len 16", NULL),
           "the handshake and the server's 16 bytes are labelled with their flags, seq, ack and len");
    sends = item(&l, SIDE_CLIENT, "send \xc3\x97" "3");
    tap_ok(sends != NULL, "the client's sends stay one lane run though segments stand among them");
    data = seg_item(&l, "data \xc3\x97" "3, seq 1-300", &at_data);
    tap_ok(data && data->bytes == 300, "the client's three data segments are one arrow, over the server's ACKs between "
                                       "them");
    acks = seg_item(&l, "ACK \xc3\x97" "3, ack 101-301", NULL);
    tap_ok(acks && acks->row < 0 && ladder_segments(&l, TCPF_ACK) == 4,
           "the server's pure ACKs are one item too, not shown by default (%d shown with ACK)", ladder_segments(&l, TCPF_ACK));
    ladder_set_pure_acks(&l, 1);
    tap_ok(acks && acks->row >= 0 && ladder_segments(&l, TCPF_ACK) == 5, "shown when the view asks");
    ladder_set_pure_acks(&l, 0);
    tap_ok(close && close->arrow == WIRE_RST && !close->seen && rst && !rst->seg.paired,
           "before the pairing the inferred RST is not said seen");
    event_init(&ev, EV_NOTE, SIDE_CLIENT, EW_WIRE_SEEN);
    memset(&ev.wire, 0, sizeof ev.wire);
    ev.wire.guess = EW_WIRE_RST;
    ev.wire.guess_t_us = t_close;
    ev.wire.seg_t_us = ev.t_us = t_close + 1;
    ev.wire.flags = TCPF_RST | TCPF_ACK;
    ladder_add(&l, &ev);
    ladder_layout(&l);
    tap_ok(close && close->seen && close->seen_us == t_close + 1 && rst && rst->seg.paired &&
               ladder_arrows_seen(&l, WIRE_RST) == 1 && ladder_arrows_seen(&l, WIRE_DATA) == 0,
           "EW_WIRE_SEEN pairs the closesocket's inferred RST with the observed one");
    tap_ok(close && close->target == (int)index_of(&l, fd_close), "the inferred arrow still reaches the FD_CLOSE");
    if (rst) {
        ladder_segment_label(rst, label, sizeof label);
        tap_is_str(label, "RST, ACK seq 301 ack 17", "a label is its flags, seq and ack");
    }
    ladder_reset(&l);
    tap_ok(l.n == 0 && l.segments == 0 && !l.pure_acks, "a reset forgets the segments");
    ladder_set_pure_acks(&l, 1);
    ladder_reset(&l);
    tap_ok(l.pure_acks, "but keeps the view's choice of pure ACKs");
    ladder_free(&l);
}

/* A recording joined to its capture after the fact comes in emit order: a pairing may
 * come before its call and its segment; it holds once they are in. */
static void test_seen_first(void)
{
    Ladder l;
    Event ev;
    const LadderItem *close, *rst;
    int64_t t_close = clock_us + 20;
    start(&l);
    event_init(&ev, EV_NOTE, SIDE_CLIENT, EW_WIRE_SEEN);
    memset(&ev.wire, 0, sizeof ev.wire);
    ev.wire.guess = EW_WIRE_RST;
    ev.wire.guess_t_us = t_close;
    ev.wire.seg_t_us = ev.t_us = t_close + 5;
    ladder_add(&l, &ev);
    ladder_layout(&l);
    add(&l, linger(SIDE_CLIENT, 0));
    add(&l, call(SIDE_CLIENT, EW_CLOSESOCKET, 0, 0, "3")); /* at t_close */
    ev = segment(SIDE_CLIENT, TCPF_RST | TCPF_ACK, 1, 1, 0, t_close + 5);
    ladder_add(&l, &ev);
    ladder_layout(&l);
    close = item(&l, SIDE_CLIENT, "closesocket");
    rst = seg_item(&l, "RST, ACK seq 1 ack 1", NULL);
    tap_ok(close && close->seen && close->seen_us == t_close + 5 && rst && rst->seg.paired && l.nseen == 0,
           "a pairing that came first is applied once its call and segment are in (t %lld)",
           close ? (long long)close->t_us : -1);
    ladder_free(&l);
}

int main(void)
{
    test_wire();
    test_graceful();
    test_reset_and_checks();
    test_order_and_blocking();
    test_observed();
    test_seen_first();
    return tap_done();
}
