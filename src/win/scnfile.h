/* scnfile.h: the files both front ends read: scenario files (the CLI's --run-file, the
 * GUI's File > Open and --scenario-file) and recordings (--compare, --replay, File > Open
 * recording). Each is read by its wide name, bounded, and parsed; every failure is a
 * message naming the file, and the line and column where there is one:
 * "my.scn:6:16: error: unknown action 'shutdwn' ...". */
#ifndef SHUTDOWNLAB_SCNFILE_H
#define SHUTDOWNLAB_SCNFILE_H

#include <stddef.h>
#include <wchar.h>

#include "recording.h"
#include "wiremerge.h"
#include "scenario.h"

/* The file's bytes (malloc'd, NUL-terminated, *len their count), at most max + 1 of them
 * (one more than allowed says "too large" to the parser); NULL with msg (UTF-8). what
 * names the kind of file, for a folder given instead ("scenario file"). */
char *file_read(const wchar_t *path, size_t max, const char *what, size_t *len, char *msg, size_t size);
/* The parsed scenario, or NULL with msg filled. When text is not NULL it gets the
 * file's bytes (malloc'd, *len their count) to parse again later. */
Scenario *scnfile_load(const wchar_t *path, char **text, size_t *len, char *msg, size_t size);
/* The recording, opened (recording_open: every line checked, its events read again from
 * the file's bytes as they are asked for), or NULL with msg filled. */
Recording *recfile_load(const wchar_t *path, char *msg, size_t size);
/* A capture (pcap or pcapng) joined to a loaded recording (wiremerge.h): its segments of
 * the recording's connection, the pairings and what it held go into r's events. 0, or -1
 * with msg ("PATH: byte N: what was wrong"). m is the caller's to wirematch_free. */
#define CAPTURE_MAX_FILE (512u << 20)
int recfile_merge_capture(Recording *r, const wchar_t *path, WireMatch *m, char *msg, size_t size);

#endif
