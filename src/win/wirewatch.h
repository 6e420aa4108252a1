/* wirewatch.h: a capture of the run, read while it is written (issue 17, --wire FILE).
 * tcpdump -U -w FILE on Linux, or Wireshark's dumpcap with Npcap's loopback adapter on
 * Windows, writes the capture; a thread of its own polls the file, feeds the capture reader
 * (capture.h) and hands each segment of the run's connection to the transcript as an
 * observed EV_WIRE event, on the run's clock. The transcript's inferred wire events are
 * kept beside them (its sink). At the end of the run the front end asks for the rest: the
 * thread reads until the capture has caught up (every inferred FIN and RST found, or the
 * file quiet for a while, bounded), pairs each inferred event with the segment that carried
 * it, says the pairings and what the capture held, and posts a message. Nothing here
 * blocks the thread that asks. */
#ifndef SHUTDOWNLAB_WIREWATCH_H
#define SHUTDOWNLAB_WIREWATCH_H

#include <winsock2.h>
#include <windows.h>

#include "transcript.h"

typedef struct WireWatch WireWatch;

/* Starts watching path for transcript t (its clock and wall clock at t = 0 must be read:
 * call after transcript_begin). NULL with a message in err when the thread cannot start.
 * The file need not exist yet: a capture started just before the run is waited for. */
WireWatch *wirewatch_start(const wchar_t *path, Transcript *t, char *err, size_t errsize);
/* The sink that keeps the run's inferred wire events (add it to the transcript). */
Sink *wirewatch_sink(WireWatch *w);
/* The run's connection is known: reading begins (IPv4 endpoints, network order). */
void wirewatch_connection(WireWatch *w, const struct sockaddr_in *client, const struct sockaddr_in *server);
/* Whose calls this run observes (an external peer's are not). */
void wirewatch_calls_seen(WireWatch *w, Side side, int seen);
/* The run is over: read the rest, pair, report, then post msg (wp, lp) to hwnd. Once. */
void wirewatch_finish(WireWatch *w, HWND hwnd, UINT msg, WPARAM wp, LPARAM lp);
/* The capture could not be read as one (a byte offset and what was wrong), or could not
 * be opened: 1 and the message; 0 when it read well. */
int wirewatch_failed(WireWatch *w, char *msg, size_t size);
/* What the capture held of the connection, paired (read it once the run is over). */
struct WireMatch;
const struct WireMatch *wirewatch_match(WireWatch *w);
/* Stops the thread (at any point): it emits no more. Its sink stays valid (the ends may
 * still emit while they are torn down) until wirewatch_destroy. */
void wirewatch_stop(WireWatch *w);
/* Stops the thread and frees everything, the sink too: after the last event. */
void wirewatch_destroy(WireWatch *w);

#endif
