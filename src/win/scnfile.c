/* scnfile.c: reading and parsing a scenario file (scnfile.h). */
#include "scnfile.h"

#include <winsock2.h>
#include <windows.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The path as UTF-8, for a message. */
static void utf8_path(const wchar_t *path, char *buf, size_t size)
{
    if (!WideCharToMultiByte(CP_UTF8, 0, path, -1, buf, (int)size, NULL, NULL))
        snprintf(buf, size, "(unprintable name)");
}

Scenario *scnfile_load(const wchar_t *path, char **text_out, size_t *len_out, char *msg, size_t size)
{
    char name[1024], *text;
    size_t len;
    ScenarioError err;
    Scenario *sc;
    struct _stat st;
    FILE *f = _wfopen(path, L"rb");
    utf8_path(path, name, sizeof name);
    if (!f) {
        if (_wstat(path, &st) == 0 && (st.st_mode & _S_IFDIR))
            snprintf(msg, size, "%s: is a folder, not a scenario file", name);
        else
            snprintf(msg, size, "%s: cannot open: %s", name, strerror(errno));
        return NULL;
    }
    if (!(text = malloc(SCENARIO_MAX_BYTES + 1))) {
        fclose(f);
        snprintf(msg, size, "%s: out of memory", name);
        return NULL;
    }
    len = fread(text, 1, SCENARIO_MAX_BYTES + 1, f); /* one byte more: the parser says "too large" */
    if (ferror(f)) {
        fclose(f);
        free(text);
        snprintf(msg, size, "%s: cannot read", name);
        return NULL;
    }
    fclose(f);
    memset(&err, 0, sizeof err);
    if (!(sc = scenario_parse(text, len, &err))) {
        if (err.line)
            snprintf(msg, size, "%s:%d:%d: error: %s", name, err.line, err.column, err.message);
        else
            snprintf(msg, size, "%s: error: %s", name, err.message);
        free(text);
        return NULL;
    }
    if (text_out) {
        *text_out = text;
        *len_out = len;
    } else {
        free(text);
    }
    return sc;
}
