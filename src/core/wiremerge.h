/* wiremerge.h: a capture joined to a run after the fact (issue 17: --replay RECORDING
 * --wire CAPTURE), and a run's segments exported as pcapng with each one's cause as its
 * comment. The recording's connection note names the segments to pick, its run line's
 * wall clock at t = 0 puts them on its clock, its inferred wire events are paired with
 * them (wirematch.h), and the observed segments and the pairings join the recording's
 * events in time order, as a live run with --wire says them. Portable: no Win32. */
#ifndef SHUTDOWNLAB_WIREMERGE_H
#define SHUTDOWNLAB_WIREMERGE_H

#include <stddef.h>

#include "pcapng.h"
#include "recording.h"
#include "wirematch.h"

#define WIREMERGE_TOLERANCE_US 2000 /* a segment may be stamped this much before its call (the clocks) */

/* Reads the capture (n bytes) into m for the recording's connection, pairs, and adds the
 * observed segments, the pairings and what the capture held to r's events, in time order.
 * 0; or -1 with a message in err: the capture is not one (its byte offset), the recording
 * names no connection or no wall clock (made before captures could be joined), or it holds
 * a capture's segments already. m is the caller's to wirematch_free, either way. */
int wiremerge_recording(Recording *r, const void *capture, size_t n, const char *name, WireMatch *m, char *err,
                        size_t errsize);

/* The capture's segments of m's connection (read again from its bytes, in the order m
 * kept them) as pcapng through write: each frame as captured, and as its comment what
 * carried it, "(1) shutdown(SD_SEND), client: FIN" (or that no call explains it). 0, or -1
 * with err. */
int wiremerge_export(const void *capture, size_t n, const WireMatch *m, const char *version, PcapngWrite write,
                     void *ctx, char *err, size_t errsize);

#endif
