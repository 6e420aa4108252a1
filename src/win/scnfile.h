/* scnfile.h: the one loader of scenario files, for both front ends (the CLI's --run-file,
 * the GUI's File > Open and --scenario-file): reads the file by its wide name, bounded,
 * and parses it. Every failure is a message naming the file, and the line and column
 * where there is one: "my.scn:6:16: error: unknown action 'shutdwn' ...". */
#ifndef SHUTDOWNLAB_SCNFILE_H
#define SHUTDOWNLAB_SCNFILE_H

#include <stddef.h>
#include <wchar.h>

#include "scenario.h"

/* The parsed scenario, or NULL with msg (UTF-8) filled. When text is not NULL it gets the
 * file's bytes (malloc'd, *len their count) to parse again later. */
Scenario *scnfile_load(const wchar_t *path, char **text, size_t *len, char *msg, size_t size);

#endif
