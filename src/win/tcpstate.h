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

struct Session;

typedef struct TcpSampler {
    struct Session *session;
    HANDLE thread;
    DWORD tid;
    HANDLE ready;
} TcpSampler;

int tcpsampler_start(TcpSampler *ts, struct Session *session);
/* Asks for a sample labelled `step` ("" for none) and `when` (static text or NULL, for a
 * sample that is not a step's: "at the end of the run"); when notify is set, posts
 * WM_SL_SAMPLED(wp, lp) to it once the sample is in the transcript. */
void tcpsampler_request(TcpSampler *ts, const char *step, const char *when, HWND notify, WPARAM wp, LPARAM lp);
/* The tcp action: a sample labelled `step`, then WM_SL_TCP_READ(tag, state) to notify
 * with the state of end `side` (a MIB_TCP_STATE; MIB_TCP_STATE_CLOSED when it has no row). */
void tcpsampler_read(TcpSampler *ts, const char *step, HWND notify, int side, WPARAM tag);
void tcpsampler_stop(TcpSampler *ts);


#endif
