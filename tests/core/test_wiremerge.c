/* test_wiremerge.c: a capture joined to a recording after the fact, and the export
 * (wiremerge.h); and a captured run's wire events read back from jsonl as they were written
 * (recording.h). The recording is a formatter's jsonl of a small run: a connection note,
 * the wall clock at t = 0, a send and a shutdown(SD_SEND) with their inferred data and FIN;
 * the capture a pcap in memory, raw IP: the handshake, the data, the FIN, a segment of
 * another connection and one FIN no call explains. */
#include <stdlib.h>
#include <string.h>

#include "buffer.h"
#include "capture.h"
#include "format.h"
#include "recording.h"
#include "scenario.h"
#include "tap.h"
#include "wiremerge.h"

static const char scenario_text[] = "scenario wm\n"
                                    "title \"wire merge\"\n"
                                    "step 1 client send 16\n"
                                    "step 2 client shutdown SD_SEND\n";

#define T0_NS 1796665226000000000LL /* the run's t = 0 on the wall clock */
#define CLIENT 0x7f000001u
#define SERVER 0x7f000001u

static Event make(EventKind kind, Side side, EventWhat what, int64_t t, const char *step)
{
    Event ev;
    event_init(&ev, kind, side, what);
    ev.t_us = t;
    EVENT_SET(ev.step, step);
    return ev;
}

static void write_recording(const Scenario *sc, Buffer *b)
{
    Formatter f;
    RunInfo info;
    Summary sum;
    Event ev;
    Sink *s;
    memset(b, 0, sizeof *b);
    memset(&info, 0, sizeof info);
    info.sc = sc;
    info.local = SIDE_CLIENT;
    info.timeout_ms = 5000;
    info.on_wine = 1;
    strcpy(info.platform, "Wine 8.0");
    info.version = "9.9.9";
    info.wall_t0_ns = T0_NS;
    info.wall_within_us = 1;
    s = formatter_init(&f, FORMAT_JSONL, (Out){buf_write, b});
    s->begin(s, &info);
    ev = make(EV_NOTE, SIDE_CLIENT, EW_CONNECTION, 500, "");
    ev.args.addr = CLIENT, ev.args.port = 40000, ev.args.addr2 = SERVER, ev.args.port2 = 5000;
    strcpy(ev.text, "client 127.0.0.1:40000, server 127.0.0.1:5000");
    s->event(s, &ev);
    ev = make(EV_CALL, SIDE_CLIENT, EW_SEND, 1000, "1");
    ev.has_result = 1, ev.result = ev.bytes = 16;
    s->event(s, &ev);
    ev = make(EV_WIRE, SIDE_CLIENT, EW_WIRE_DATA, 1000, "1");
    ev.bytes = 16, ev.wire.cause = EW_SEND;
    s->event(s, &ev);
    ev = make(EV_CALL, SIDE_CLIENT, EW_SHUTDOWN, 2000, "2");
    ev.args.how = 1, ev.has_result = 1;
    s->event(s, &ev);
    ev = make(EV_WIRE, SIDE_CLIENT, EW_WIRE_FIN, 2000, "2");
    ev.args.how = 1, ev.wire.cause = EW_SHUTDOWN;
    s->event(s, &ev);
    memset(&sum, 0, sizeof sum);
    s->end(s, &sum);
}

/* ---- a pcap of raw IPv4 TCP segments ---------------------------------------------------- */

static void put32(Buffer *b, uint32_t v)
{
    unsigned char p[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16), (unsigned char)(v >> 24)};
    buf_write(b, (const char *)p, 4);
}

static void segment(Buffer *b, int64_t t_us, uint16_t sport, uint16_t dport, uint32_t seq, uint32_t ack, uint8_t flags,
                    uint16_t len)
{
    unsigned char p[40 + 16];
    int64_t ns = T0_NS + t_us * 1000;
    memset(p, 0, sizeof p);
    p[0] = 0x45, p[2] = (unsigned char)((40 + len) >> 8), p[3] = (unsigned char)(40 + len), p[8] = 64, p[9] = 6;
    p[12] = 127, p[15] = 1, p[16] = 127, p[19] = 1;
    p[20] = (unsigned char)(sport >> 8), p[21] = (unsigned char)sport, p[22] = (unsigned char)(dport >> 8);
    p[23] = (unsigned char)dport;
    for (int i = 0; i < 4; i++) {
        p[24 + i] = (unsigned char)(seq >> (24 - 8 * i));
        p[28 + i] = (unsigned char)(ack >> (24 - 8 * i));
    }
    p[32] = 0x50, p[33] = flags, p[34] = 0x01;
    put32(b, (uint32_t)(ns / 1000000000)), put32(b, (uint32_t)(ns % 1000000000 / 1000));
    put32(b, 40u + (len > 16 ? 16 : len)), put32(b, 40u + len);
    buf_write(b, (const char *)p, 40u + (len > 16 ? 16 : len));
}

static void write_capture(Buffer *b)
{
    memset(b, 0, sizeof *b);
    put32(b, 0xa1b2c3d4), put32(b, 0x00040002), put32(b, 0), put32(b, 0), put32(b, 65535), put32(b, 101);
    segment(b, 600, 40000, 5000, 1000, 0, TCPF_SYN, 0);
    segment(b, 610, 5000, 40000, 7000, 1001, TCPF_SYN | TCPF_ACK, 0);
    segment(b, 620, 40000, 5000, 1001, 7001, TCPF_ACK, 0);
    segment(b, 900, 40001, 5000, 1, 1, TCPF_ACK, 0); /* another connection */
    segment(b, 1050, 40000, 5000, 1001, 7001, TCPF_ACK | TCPF_PSH, 16);
    segment(b, 2040, 40000, 5000, 1017, 7001, TCPF_FIN | TCPF_ACK, 0);
    segment(b, 2500, 5000, 40000, 7001, 1018, TCPF_FIN | TCPF_ACK, 0); /* the server's: nothing inferred it */
}

static void out_bytes(void *ctx, const void *p, size_t n)
{
    buf_write(ctx, p, n);
}

/* Whether the n bytes at p hold s. */
static int holds(const char *p, size_t n, const char *s)
{
    size_t k = strlen(s);
    for (size_t i = 0; i + k <= n; i++)
        if (!memcmp(p + i, s, k))
            return 1;
    return 0;
}

static const Event *find(const Recording *r, EventKind kind, EventWhat what, Side side)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->events[i].kind == kind && r->events[i].what == what && r->events[i].side == side)
            return &r->events[i];
    return NULL;
}

/* The segments are in time order among the recording's events, and the capture's notes
 * come after every other event, as a live run says them. */
static int joined_in_order(const Recording *r)
{
    size_t first_note = r->n;
    int64_t last = INT64_MIN;
    for (size_t i = 0; i < r->n; i++) {
        const Event *ev = &r->events[i];
        int note = ev->kind == EV_NOTE && ev->what >= EW_CAPTURE;
        if (note && first_note == r->n)
            first_note = i;
        if (!note && first_note < r->n)
            return 0;
        if (!note && ev->t_us < last)
            return 0;
        if (!note)
            last = ev->t_us;
    }
    return first_note < r->n;
}

static void rewrite(const Recording *r, Buffer *b)
{
    Formatter f;
    Sink *s;
    memset(b, 0, sizeof *b);
    s = formatter_init(&f, FORMAT_JSONL, (Out){buf_write, b});
    s->begin(s, &r->info);
    for (size_t i = 0; i < r->n; i++)
        s->event(s, &r->events[i]);
    s->end(s, &r->sum);
}

static void test_merge(const Scenario *sc)
{
    static Buffer rec, cap, again, again2, out;
    RecordingError rerr;
    Recording *r, *back;
    WireMatch m;
    char err[300];
    const Event *fin, *seen, *odd;
    write_recording(sc, &rec);
    write_capture(&cap);
    r = recording_parse(rec.data, rec.n, &rerr);
    if (!tap_ok(r != NULL, "the recording reads (%d:%d: %s)", rerr.line, rerr.column, rerr.message))
        return;
    tap_ok(r->info.wall_t0_ns == T0_NS && r->info.wall_within_us == 1, "the wall clock at t = 0 is read back");
    tap_ok(wiremerge_recording(r, cap.data, cap.n, "cap.pcap", &m, err, sizeof err) == 0, "the capture joins (%s)", err);
    tap_is_int(m.nseg, 6, "the connection's 6 segments are kept");
    tap_is_int((long long)m.others, 1, "another connection's segment is left out, and counted");
    fin = find(r, EV_WIRE, EW_SEGMENT, SIDE_CLIENT);
    tap_ok(fin && fin->t_us == 600 && fin->wire.flags == TCPF_SYN && fin->wire.relative && fin->wire.seq == 0,
           "the SYN is an observed segment at 600 us, seq 0 relative");
    seen = NULL;
    for (size_t i = 0; i < r->n; i++)
        if (r->events[i].kind == EV_NOTE && r->events[i].what == EW_WIRE_SEEN && r->events[i].wire.guess == EW_WIRE_FIN)
            seen = &r->events[i];
    tap_ok(seen && seen->wire.seg_t_us == 2040 && seen->wire.guess_t_us == 2000 && seen->wire.seq == 17 &&
               strstr(seen->text, "FIN from the client's shutdown(SD_SEND)") && !strcmp(seen->step, "2"),
           "the inferred FIN is paired with the segment that carried it, 40 us after its call (%s)",
           seen ? seen->text : "none");
    odd = find(r, EV_NOTE, EW_WIRE_UNINFERRED, SIDE_SERVER);
    tap_ok(odd && (odd->wire.flags & TCPF_FIN) && strstr(odd->text, "no call of this run explains it"),
           "the server's FIN, which no call inferred, is said (%s)", odd ? odd->text : "none");
    tap_ok(find(r, EV_NOTE, EW_WIRE_NOT_SEEN, SIDE_CLIENT) == NULL, "nothing inferred is missing from the capture");
    tap_ok(joined_in_order(r), "the segments join in time order, the pairings and what the capture held after them");
    rewrite(r, &again);
    back = recording_parse(again.data, again.n, &rerr);
    if (tap_ok(back != NULL, "written again, the joined recording reads (%d:%d: %s)", rerr.line, rerr.column,
               rerr.message)) {
        rewrite(back, &again2);
        tap_ok(again.n == again2.n && !memcmp(again.data, again2.data, again.n),
               "and written once more, it is the same bytes: every wire field round-trips");
        tap_ok(wiremerge_recording(back, cap.data, cap.n, "cap.pcap", &m, err, sizeof err) < 0 &&
                   strstr(err, "holds a capture's segments already"),
               "a recording with a capture's segments is not joined twice (%s)", err);
        recording_free(back);
    }
    memset(&out, 0, sizeof out);
    wirematch_free(&m);
    recording_free(r);
    r = recording_parse(rec.data, rec.n, &rerr);
    if (r && wiremerge_recording(r, cap.data, cap.n, "cap.pcap", &m, err, sizeof err) == 0) {
        err[0] = '\0';
        tap_ok(wiremerge_export(cap.data, cap.n, &m, "9.9.9", out_bytes, &out, err, sizeof err) == 0,
               "the export is written (%s)", err);
        tap_ok(holds(out.data, out.n, "(2) shutdown(SD_SEND), client: FIN"),
               "the FIN's comment names its step, its call and its end");
        tap_ok(holds(out.data, out.n, "connect: the handshake, client"), "the SYN's names the handshake");
    }
    wirematch_free(&m);
    recording_free(r);
}

static void test_refusals(const Scenario *sc)
{
    static Buffer rec, cap;
    RecordingError rerr;
    Recording *r;
    WireMatch m;
    char err[300] = "";
    write_recording(sc, &rec);
    write_capture(&cap);
    memcpy(cap.data, "GIF8", 4);
    r = recording_parse(rec.data, rec.n, &rerr);
    tap_ok(r && wiremerge_recording(r, cap.data, cap.n, "cap.pcap", &m, err, sizeof err) < 0 &&
               !strncmp(err, "cap.pcap: byte 0:", 17),
           "a file that is not a capture: refused with its name and byte offset (%s)", err);
    wirematch_free(&m);
    recording_free(r);
}

int main(void)
{
    ScenarioError err;
    Scenario *sc = scenario_parse(scenario_text, sizeof scenario_text - 1, &err);
    if (!tap_ok(sc != NULL, "the test's scenario parses (%d:%d: %s)", err.line, err.column, err.message))
        return tap_done();
    test_merge(sc);
    test_refusals(sc);
    scenario_free(sc);
    return tap_done();
}
