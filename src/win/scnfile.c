/* scnfile.c: reading and parsing scenario files and recordings (scnfile.h). */
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

char *file_read(const wchar_t *path, size_t max, const char *what, size_t *len, char *msg, size_t size)
{
    char name[1024], *text;
    struct _stat st;
    FILE *f = _wfopen(path, L"rb");
    utf8_path(path, name, sizeof name);
    if (!f) {
        if (_wstat(path, &st) == 0 && (st.st_mode & _S_IFDIR))
            snprintf(msg, size, "%s: is a folder, not a %s", name, what);
        else
            snprintf(msg, size, "%s: cannot open: %s", name, strerror(errno));
        return NULL;
    }
    {
        /* as much as the file holds, and never more than one byte past the limit */
        long long have = _fseeki64(f, 0, SEEK_END) == 0 ? _ftelli64(f) : -1;
        size_t want = have < 0 || (unsigned long long)have > max ? max + 1 : (size_t)have;
        _fseeki64(f, 0, SEEK_SET);
        if (!(text = malloc(want + 1))) {
            fclose(f);
            snprintf(msg, size, "%s: out of memory", name);
            return NULL;
        }
        *len = fread(text, 1, want, f);
    }
    if (ferror(f)) {
        fclose(f);
        free(text);
        snprintf(msg, size, "%s: cannot read", name);
        return NULL;
    }
    fclose(f);
    text[*len] = '\0';
    return text;
}

/* "PATH:LINE:COLUMN: error: MESSAGE", or "PATH: error: MESSAGE" about the whole file. */
static void say_where(const wchar_t *path, int line, int column, const char *message, char *msg, size_t size)
{
    char name[1024];
    utf8_path(path, name, sizeof name);
    if (line)
        snprintf(msg, size, "%s:%d:%d: error: %s", name, line, column ? column : 1, message);
    else
        snprintf(msg, size, "%s: error: %s", name, message);
}

Scenario *scnfile_load(const wchar_t *path, char **text_out, size_t *len_out, char *msg, size_t size)
{
    char *text;
    size_t len;
    ScenarioError err;
    Scenario *sc;
    if (!(text = file_read(path, SCENARIO_MAX_BYTES, "scenario file", &len, msg, size)))
        return NULL;
    memset(&err, 0, sizeof err);
    if (!(sc = scenario_parse(text, len, &err))) {
        say_where(path, err.line, err.column, err.message, msg, size);
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

Recording *recfile_load(const wchar_t *path, char *msg, size_t size)
{
    char *text;
    size_t len;
    RecordingError err;
    Recording *r;
    if (!(text = file_read(path, RECORDING_MAX_BYTES, "recording", &len, msg, size)))
        return NULL;
    if (!(r = recording_open(text, len, &err))) /* it keeps the bytes, or frees them */
        say_where(path, err.line, err.column, err.message, msg, size);
    return r;
}

int recfile_merge_capture(Recording *r, const wchar_t *path, WireMatch *m, char *msg, size_t size)
{
    char name[1024], why[600], *bytes;
    size_t len;
    int rc;
    memset(m, 0, sizeof *m);
    if (!(bytes = file_read(path, CAPTURE_MAX_FILE, "capture", &len, msg, size)))
        return -1;
    utf8_path(path, name, sizeof name);
    if (len > CAPTURE_MAX_FILE) {
        snprintf(msg, size, "%s: larger than %u MiB: cut the capture to the run's connection (tshark -w, editcap)", name,
                 CAPTURE_MAX_FILE >> 20);
        free(bytes);
        return -1;
    }
    if ((rc = wiremerge_recording(r, bytes, len, name, m, why, sizeof why)) < 0)
        snprintf(msg, size, "%s%s%s", strncmp(why, name, strlen(name)) ? name : "", strncmp(why, name, strlen(name)) ? ": " : "",
                 why); /* a capture's own error names it already */
    free(bytes);
    return rc;
}
