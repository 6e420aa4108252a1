/* tcpstate.h: both ends' TCP states as the OS reports them, read from
 * GetExtendedTcpTable (TCP_TABLE_BASIC_ALL: without owner PIDs, which Wine finds by
 * scanning every process, a read is about ten times faster) on a thread of its own: a
 * read with owner PIDs takes 40-110 ms under Wine 8
 * (reference/wine8-toolchain-and-winsock-measurements.md, section 4), which must not
 * delay either end's reactions. An end with no row is reported as CLOSED: the table
 * never shows CLOSED rows. */
#ifndef SHUTDOWNLAB_TCPSTATE_H
#define SHUTDOWNLAB_TCPSTATE_H

#include <winsock2.h>
#include <windows.h>

#include "transcript.h"

typedef struct TcpSampler {
    Transcript *t;       /* where the samples go */
    CRITICAL_SECTION lock;
    int lock_made;
    struct sockaddr_in ends[SIDE_COUNT]; /* the connection as the client and the server see it */
    int tuple_known;     /* both addresses set (under lock) */
    int remote_side;     /* an end on another machine, whose row this table never has; SIDE_COUNT none */
    HANDLE thread;
    DWORD tid;
    HANDLE ready;
} TcpSampler;

int tcpsampler_start(TcpSampler *ts, Transcript *t);
/* The connection to look for: the client's and the server's own address. Set once, by
 * whichever end connects first (either end knows both); later calls change nothing. */
void tcpsampler_set_tuple(TcpSampler *ts, const struct sockaddr_in *client, const struct sockaddr_in *server);
/* The end `side` is on another machine: its row is not looked for (a missing row there
 * would say nothing of its state). Before the first sample. */
void tcpsampler_remote(TcpSampler *ts, Side side);
/* Asks for a sample labelled `step` ("" for none) taken `when`; when notify is set, posts
 * WM_SL_SAMPLED(wp, lp) to it once the sample is in the transcript. */
void tcpsampler_request(TcpSampler *ts, const char *step, SampleWhen when, HWND notify, WPARAM wp, LPARAM lp);
/* The tcp action: a sample labelled `step`, then WM_SL_TCP_READ(tag, state) to notify
 * with the state of end `side` (a MIB_TCP_STATE; MIB_TCP_STATE_CLOSED when it has no row).
 * ctx is the TcpSampler (the shape of EndpointEnv's tcp_read). */
void tcpsampler_read(void *ctx, const char *step, HWND notify, int side, WPARAM tag);
/* Ends the thread; safe to call twice, or after a start that failed. */
void tcpsampler_stop(TcpSampler *ts);


#endif
