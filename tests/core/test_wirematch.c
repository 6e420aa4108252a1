/* test_wirematch.c: a capture's segments matched to a run (wirematch.h): only the run's
 * connection is kept, in both directions; seq and ack are made relative to each ISN; times
 * land on the run's clock; every inferred data, FIN and RST is paired with the segment that
 * carries it, or said not seen; an observed FIN or RST nobody inferred is said too. */
#include <string.h>

#include "tap.h"
#include "wirematch.h"

static const int64_t T0 = 1700000000LL * 1000000000LL; /* the run's t = 0 */

static Segment seg(int from_client, uint32_t seq, uint32_t ack, uint8_t flags, uint32_t len, int64_t t_us)
{
    Segment s;
    memset(&s, 0, sizeof s);
    s.family = 4;
    s.src[0] = s.dst[0] = 127;
    s.src[3] = s.dst[3] = 1;
    s.sport = from_client ? 40000 : 5000;
    s.dport = from_client ? 5000 : 40000;
    s.seq = seq;
    s.ack = ack;
    s.flags = flags;
    s.len = len;
    s.win = 512;
    s.t_ns = T0 + t_us * 1000;
    return s;
}

static Event wire(Side from, EventWhat what, int64_t t_us, int64_t bytes)
{
    Event ev;
    event_init(&ev, EV_WIRE, from, what);
    ev.t_us = t_us;
    ev.bytes = bytes;
    return ev;
}

static void setup(WireMatch *m)
{
    WireEnd ends[SIDE_COUNT];
    memset(ends, 0, sizeof ends);
    for (int k = 0; k < SIDE_COUNT; k++) {
        ends[k].family = 4;
        ends[k].addr[0] = 127;
        ends[k].addr[3] = 1;
    }
    ends[SIDE_CLIENT].port = 40000;
    ends[SIDE_SERVER].port = 5000;
    wirematch_init(m, ends, T0);
}

static void feed(WireMatch *m, Segment s)
{
    wirematch_segment(m, &s);
}

static void guess(WireMatch *m, Event ev)
{
    wirematch_guess(m, &ev);
}

static void test_connection(void)
{
    WireMatch m;
    Segment other;
    setup(&m);
    feed(&m, seg(1, 7000, 0, TCPF_SYN, 0, 10));
    feed(&m, seg(0, 9000, 7001, TCPF_SYN | TCPF_ACK, 0, 11));
    feed(&m, seg(1, 7001, 9001, TCPF_ACK, 0, 12));
    other = seg(1, 1, 1, TCPF_ACK, 10, 13);
    other.sport = 40001; /* another connection on the same machine */
    tap_is_int(wirematch_segment(&m, &other), 0, "another connection's segment is left out");
    feed(&m, seg(1, 7001, 9001, TCPF_ACK | TCPF_PSH, 100, 20));       /* the client's request */
    feed(&m, seg(1, 7101, 9001, TCPF_ACK | TCPF_FIN, 0, 30));         /* its FIN */
    feed(&m, seg(0, 9001, 7102, TCPF_ACK, 1000, 40));                  /* the response, in three */
    feed(&m, seg(0, 10001, 7102, TCPF_ACK, 1000, 41));
    feed(&m, seg(0, 11001, 7102, TCPF_ACK | TCPF_PSH, 1000, 42));
    feed(&m, seg(0, 12001, 7102, TCPF_ACK | TCPF_FIN, 0, 50));
    feed(&m, seg(1, 7102, 12002, TCPF_ACK, 0, 51));
    tap_is_int(m.nseg, 10, "the run's connection's ten segments are kept, both directions");
    tap_is_int(m.others, 1, "the other one is counted");
    tap_ok(m.seg[0].seq == 0 && m.seg[3].seq == 1 && m.seg[3].ack == 1 && m.seg[6].seq == 1001 && m.seg[9].ack == 3002,
           "seq and ack are relative: the SYN 0, the first data byte 1 (%u, %u, %u, %u, %u)", m.seg[0].seq, m.seg[3].seq,
           m.seg[3].ack, m.seg[6].seq, m.seg[9].ack);
    tap_ok(m.seg[0].t_us == 10 && m.seg[9].t_us == 51, "times are on the run's clock (%lld, %lld us)",
           (long long)m.seg[0].t_us, (long long)m.seg[9].t_us);
    tap_ok(m.seg[0].from == SIDE_CLIENT && m.seg[1].from == SIDE_SERVER, "each segment knows the end that sent it");

    guess(&m, wire(SIDE_CLIENT, EW_WIRE_DATA, 19, 100));
    guess(&m, wire(SIDE_CLIENT, EW_WIRE_FIN, 29, -1));
    guess(&m, wire(SIDE_SERVER, EW_WIRE_DATA, 39, 2500)); /* two sends: 2,500 and 500 bytes */
    guess(&m, wire(SIDE_SERVER, EW_WIRE_DATA, 39, 500));
    guess(&m, wire(SIDE_SERVER, EW_WIRE_FIN, 49, -1));
    guess(&m, wire(SIDE_SERVER, EW_WIRE_RST, 60, -1)); /* inferred, never on the wire */
    tap_is_int(wirematch_pair(&m, 1000), 5, "five of the six inferred are seen on the wire");
    tap_ok(m.guess[0].pair == 3 && m.guess[1].pair == 4 && m.guess[2].pair == 5 && m.guess[3].pair == 7 &&
               m.guess[4].pair == 8,
           "each with the segment that carries it (%d %d %d %d %d)", m.guess[0].pair, m.guess[1].pair, m.guess[2].pair,
           m.guess[3].pair, m.guess[4].pair);
    tap_is_int(m.guess[5].pair, -1, "the RST nobody sent is not seen");
    tap_ok(m.seg[6].pair == 2 && m.seg[7].pair == 3, "a send split over segments: each segment is a send's whose bytes it carries");
    tap_ok(!wirematch_unguessed(&m, 0) && !wirematch_unguessed(&m, 9), "the handshake and pure ACKs are nobody's guess");
    wirematch_free(&m);
}

static void test_unguessed_and_clocks(void)
{
    WireMatch m;
    setup(&m);
    feed(&m, seg(1, 1, 0, TCPF_SYN, 0, 0));
    feed(&m, seg(0, 1, 2, TCPF_SYN | TCPF_ACK, 0, 1));
    feed(&m, seg(1, 2, 2, TCPF_ACK | TCPF_RST, 0, 5)); /* an RST no call explains */
    guess(&m, wire(SIDE_CLIENT, EW_WIRE_FIN, 8, -1)); /* and a FIN that never went */
    tap_is_int(wirematch_pair(&m, 1000), 0, "a FIN is not paired with an RST");
    tap_ok(wirematch_unguessed(&m, 2), "the RST nobody inferred is said");
    wirematch_free(&m);

    setup(&m);
    feed(&m, seg(1, 1, 0, TCPF_SYN, 0, 0));
    feed(&m, seg(0, 1, 2, TCPF_SYN | TCPF_ACK, 0, 1));
    feed(&m, seg(1, 2, 2, TCPF_ACK | TCPF_FIN, 0, 100)); /* the capture's clock 300 us behind the run's */
    guess(&m, wire(SIDE_CLIENT, EW_WIRE_FIN, 400, -1));
    tap_is_int(wirematch_pair(&m, 100), 0, "a segment too early for its call is not it, within 100 us");
    tap_is_int(wirematch_pair(&m, 500), 1, "it is, within 500 us: the tolerance is the two clocks' distance");
    wirematch_free(&m);

    setup(&m);
    feed(&m, seg(1, 5000, 9000, TCPF_ACK, 10, 3)); /* no SYN: the capture began mid-connection */
    guess(&m, wire(SIDE_CLIENT, EW_WIRE_DATA, 1, 10));
    tap_ok(!m.seg[0].relative && m.seg[0].seq == 5000, "without the SYNs, seq stays absolute and says so");
    tap_is_int(wirematch_pair(&m, 1000), 0, "and data is not matched by bytes it cannot place");
    wirematch_free(&m);
}

int main(void)
{
    test_connection();
    test_unguessed_and_clocks();
    return tap_done();
}
