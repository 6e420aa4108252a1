/* json.h: reads one line of ShutdownLab's jsonl back: an object whose values are strings,
 * numbers, true, false, null, or objects of those (the summary's per-side counts, read as
 * "client.bytes_sent"). Any bytes at all give a result or an error with its column, never
 * a crash: a recording is input a user hands over. */
#ifndef SHUTDOWNLAB_JSON_H
#define SHUTDOWNLAB_JSON_H

#include <stddef.h>
#include <stdint.h>

typedef enum JsonType { JSON_STRING, JSON_NUMBER, JSON_TRUE, JSON_FALSE, JSON_NULL } JsonType;

#define JSON_MAX_FIELDS 64
#define JSON_KEY_MAX 48

typedef struct JsonField {
    char key[JSON_KEY_MAX]; /* "name"; inside a nested object "client.bytes_sent" */
    JsonType type;
    int64_t num;            /* JSON_NUMBER: integers only (ShutdownLab writes no others) */
    size_t str;             /* JSON_STRING: its decoded UTF-8 in the line's pool, at this offset */
} JsonField;

typedef struct JsonLine {
    JsonField field[JSON_MAX_FIELDS];
    int n;
    char *pool; /* the strings, each NUL-terminated; grows as needed */
    size_t pool_len, pool_cap;
} JsonLine;

/* Length of the well-formed UTF-8 sequence at p, of at most avail bytes (RFC 3629: no
 * overlong forms, no surrogates), 0 when there is none. The jsonl writer writes only
 * these, so the reader accepts only these: a recording reads back to the bytes it was. */
size_t json_utf8_len(const unsigned char *p, size_t avail);

/* Parses one line (len bytes, need not be NUL-terminated) into *j, which keeps its pool
 * between calls (json_free at the end). 0, or -1 with *column (1-based) and msg. */
int json_parse_line(JsonLine *j, const char *s, size_t len, int *column, char *msg, size_t msg_size);
void json_free(JsonLine *j);
/* The field of that key, or NULL. */
const JsonField *json_get(const JsonLine *j, const char *key);
/* A string field's text; "" for a field of another type. */
const char *json_text(const JsonLine *j, const JsonField *f);

#endif
