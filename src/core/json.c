/* json.c: one jsonl line read back (json.h). A recursive-descent reader of exactly the
 * JSON ShutdownLab writes, strict, bounded in depth and in fields. */
#include "json.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"

typedef struct Reader {
    const char *s, *p, *end;
    JsonLine *j;
    int *column;
    char *msg;
    size_t msg_size;
} Reader;

static int fail(Reader *r, const char *fmt, ...)
{
    va_list ap;
    *r->column = (int)(r->p - r->s) + 1;
    va_start(ap, fmt);
    vsnprintf(r->msg, r->msg_size, fmt, ap);
    va_end(ap);
    return -1;
}

static void skip_ws(Reader *r)
{
    while (r->p < r->end && (*r->p == ' ' || *r->p == '\t'))
        r->p++;
}

static int put(Reader *r, const char *bytes, size_t n)
{
    JsonLine *j = r->j;
    if (GROW(j->pool, j->pool_cap, j->pool_len + n + 1) < 0)
        return fail(r, "out of memory");
    memcpy(j->pool + j->pool_len, bytes, n);
    j->pool_len += n;
    return 0;
}

static int put_utf8(Reader *r, unsigned long cp)
{
    char b[4];
    size_t n;
    if (cp < 0x80)
        b[0] = (char)cp, n = 1;
    else if (cp < 0x800)
        b[0] = (char)(0xc0 | cp >> 6), b[1] = (char)(0x80 | (cp & 0x3f)), n = 2;
    else if (cp < 0x10000)
        b[0] = (char)(0xe0 | cp >> 12), b[1] = (char)(0x80 | (cp >> 6 & 0x3f)), b[2] = (char)(0x80 | (cp & 0x3f)), n = 3;
    else
        b[0] = (char)(0xf0 | cp >> 18), b[1] = (char)(0x80 | (cp >> 12 & 0x3f)), b[2] = (char)(0x80 | (cp >> 6 & 0x3f)),
        b[3] = (char)(0x80 | (cp & 0x3f)), n = 4;
    return put(r, b, n);
}

static int hex4(Reader *r, unsigned long *out)
{
    *out = 0;
    if (r->end - r->p < 4)
        return fail(r, "\\u needs four hex digits");
    for (int i = 0; i < 4; i++) {
        char c = *r->p++;
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0)
            return fail(r, "\\u needs four hex digits");
        *out = *out << 4 | (unsigned long)d;
    }
    return 0;
}

static int escape(Reader *r)
{
    static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
    const char *e;
    unsigned long cp, lo;
    if (r->p >= r->end)
        return fail(r, "the string stops inside an escape");
    if ((e = strchr(from, *r->p)) != NULL && *r->p) {
        r->p++;
        return put(r, &to[e - from], 1);
    }
    if (*r->p++ != 'u')
        return fail(r, "unknown escape \\%c", r->p[-1]);
    if (hex4(r, &cp) < 0)
        return -1;
    if (cp >= 0xd800 && cp <= 0xdbff) { /* a surrogate pair: the second half must follow */
        if (r->end - r->p < 2 || r->p[0] != '\\' || r->p[1] != 'u')
            return fail(r, "a lone surrogate \\u%04lx", cp);
        r->p += 2;
        if (hex4(r, &lo) < 0 || lo < 0xdc00 || lo > 0xdfff)
            return fail(r, "a lone surrogate \\u%04lx", cp);
        cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
    } else if (cp >= 0xdc00 && cp <= 0xdfff) {
        return fail(r, "a lone surrogate \\u%04lx", cp);
    }
    return put_utf8(r, cp);
}

size_t json_utf8_len(const unsigned char *p, size_t avail)
{
    size_t n;
    unsigned long cp;
    if (!avail)
        return 0;
    if (p[0] >= 0xc2 && p[0] <= 0xdf)
        n = 2, cp = p[0] & 0x1f;
    else if (p[0] >= 0xe0 && p[0] <= 0xef)
        n = 3, cp = p[0] & 0x0f;
    else if (p[0] >= 0xf0 && p[0] <= 0xf4)
        n = 4, cp = p[0] & 0x07;
    else
        return 0;
    for (size_t i = 1; i < n; i++) {
        if (i >= avail || (p[i] & 0xc0) != 0x80)
            return 0;
        cp = cp << 6 | (p[i] & 0x3f);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return n;
}

/* A string at r->p (the opening quote): decoded into the pool; *off gets its offset. */
static int string(Reader *r, size_t *off)
{
    *off = r->j->pool_len;
    r->p++;
    while (r->p < r->end && *r->p != '"') {
        const char *run = r->p;
        if (*r->p == '\\') {
            r->p++;
            if (escape(r) < 0)
                return -1;
            continue;
        }
        if ((unsigned char)*r->p < 0x20)
            return fail(r, "a control character inside a string");
        while (r->p < r->end && *r->p != '"' && *r->p != '\\' && (unsigned char)*r->p >= 0x20) {
            size_t k = 1;
            if ((unsigned char)*r->p >= 0x80 &&
                !(k = json_utf8_len((const unsigned char *)r->p, (size_t)(r->end - r->p))))
                return fail(r, "a byte that is not UTF-8 inside a string (0x%02x)", (unsigned char)*r->p);
            r->p += k;
        }
        if (put(r, run, (size_t)(r->p - run)) < 0)
            return -1;
    }
    if (r->p >= r->end)
        return fail(r, "the string has no closing quote (is the line cut short?)");
    r->p++;
    return put(r, "", 1);
}

static int number(Reader *r, int64_t *out)
{
    int neg = 0;
    uint64_t v = 0;
    if (r->p < r->end && *r->p == '-')
        neg = 1, r->p++;
    if (r->p >= r->end || *r->p < '0' || *r->p > '9')
        return fail(r, "expected a value");
    while (r->p < r->end && *r->p >= '0' && *r->p <= '9') {
        if (v > (UINT64_C(9223372036854775808) - (uint64_t)(*r->p - '0')) / 10)
            return fail(r, "a number too large");
        v = v * 10 + (uint64_t)(*r->p++ - '0');
    }
    if (r->p < r->end && (*r->p == '.' || *r->p == 'e' || *r->p == 'E'))
        return fail(r, "a number that is not an integer");
    if (!neg && v > (uint64_t)INT64_MAX)
        return fail(r, "a number too large");
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return 0;
}

static int word(Reader *r, const char *w)
{
    size_t n = strlen(w);
    if ((size_t)(r->end - r->p) < n || memcmp(r->p, w, n) != 0)
        return 0;
    r->p += n;
    return 1;
}

static int object(Reader *r, const char *prefix, int depth);

/* One key's value: a field, or a nested object's fields under "key.". */
static int value(Reader *r, const char *key, int depth)
{
    JsonField *f;
    skip_ws(r);
    if (r->p < r->end && *r->p == '{')
        return depth < 2 ? object(r, key, depth + 1) : fail(r, "objects nested too deep");
    if (r->j->n == JSON_MAX_FIELDS)
        return fail(r, "too many fields (at most %d)", JSON_MAX_FIELDS);
    f = &r->j->field[r->j->n];
    memset(f, 0, sizeof *f);
    memcpy(f->key, key, strlen(key) + 1); /* object() made it fit: no snprintf, a third of a line's time */
    if (r->p < r->end && *r->p == '"') {
        f->type = JSON_STRING;
        if (string(r, &f->str) < 0)
            return -1;
    } else if (word(r, "true")) {
        f->type = JSON_TRUE;
    } else if (word(r, "false")) {
        f->type = JSON_FALSE;
    } else if (word(r, "null")) {
        f->type = JSON_NULL;
    } else {
        f->type = JSON_NUMBER;
        if (number(r, &f->num) < 0)
            return -1;
    }
    r->j->n++;
    return 0;
}

static int object(Reader *r, const char *prefix, int depth)
{
    r->p++; /* { */
    skip_ws(r);
    if (r->p < r->end && *r->p == '}') {
        r->p++;
        return 0;
    }
    for (;;) {
        size_t off;
        char key[JSON_KEY_MAX];
        skip_ws(r);
        if (r->p >= r->end || *r->p != '"')
            return fail(r, r->p >= r->end ? "the object stops before its end (is the line cut short?)" : "expected a \"key\"");
        if (string(r, &off) < 0)
            return -1;
        {
            size_t pl = strlen(prefix), kl = strlen(r->j->pool + off);
            if (pl + kl + 2 > sizeof key)
                return fail(r, "a key too long");
            memcpy(key, prefix, pl);
            if (pl)
                key[pl++] = '.';
            memcpy(key + pl, r->j->pool + off, kl + 1);
        }
        skip_ws(r);
        if (r->p >= r->end || *r->p != ':')
            return fail(r, "expected ':' after the key");
        r->p++;
        if (value(r, key, depth) < 0)
            return -1;
        skip_ws(r);
        if (r->p < r->end && *r->p == ',') {
            r->p++;
            continue;
        }
        if (r->p < r->end && *r->p == '}') {
            r->p++;
            return 0;
        }
        return fail(r, r->p >= r->end ? "the object stops before its end (is the line cut short?)" : "expected ',' or '}'");
    }
}

int json_parse_line(JsonLine *j, const char *s, size_t len, int *column, char *msg, size_t msg_size)
{
    Reader r = {s, s, s + len, j, column, msg, msg_size};
    j->n = 0;
    j->pool_len = 0;
    skip_ws(&r);
    if (r.p >= r.end || *r.p != '{')
        return fail(&r, "not a JSON object: a recording's lines each hold one {...}");
    if (object(&r, "", 0) < 0)
        return -1;
    skip_ws(&r);
    if (r.p < r.end && *r.p == '\r' && r.p + 1 == r.end)
        r.p++;
    if (r.p != r.end)
        return fail(&r, "text after the object");
    return 0;
}

void json_free(JsonLine *j)
{
    free(j->pool);
    j->pool = NULL;
    j->pool_len = j->pool_cap = 0;
}

const JsonField *json_get(const JsonLine *j, const char *key)
{
    for (int i = 0; i < j->n; i++)
        if (j->field[i].key[0] == key[0] && !strcmp(j->field[i].key, key)) /* the first byte first: cheaper */
            return &j->field[i];
    return NULL;
}

const char *json_text(const JsonLine *j, const JsonField *f)
{
    return f && f->type == JSON_STRING ? j->pool + f->str : "";
}
