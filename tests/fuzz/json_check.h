/* json_check.h: a small strict JSON validator (RFC 8259) for the jsonl fuzzer: one value
 * per line, strings with valid escapes, no raw control characters, valid UTF-8 (no
 * overlong forms, no surrogates), numbers in JSON's grammar, nesting bounded. */
#ifndef SHUTDOWNLAB_JSON_CHECK_H
#define SHUTDOWNLAB_JSON_CHECK_H

#include <stddef.h>
#include <string.h>

typedef struct JsonCursor {
    const unsigned char *p, *start, *end;
    const char *why;
} JsonCursor;

static int json_fail(JsonCursor *c, const char *why)
{
    if (!c->why)
        c->why = why;
    return 0;
}

static void json_ws(JsonCursor *c)
{
    while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
        c->p++;
}

static int json_hex(unsigned char h)
{
    return (h >= '0' && h <= '9') || (h >= 'a' && h <= 'f') || (h >= 'A' && h <= 'F');
}

/* One UTF-8 sequence starting at c->p (its first byte >= 0x80). */
static int json_utf8(JsonCursor *c)
{
    unsigned char b0 = *c->p;
    size_t n;
    unsigned long cp;
    if (b0 >= 0xc2 && b0 <= 0xdf)
        n = 2, cp = b0 & 0x1f;
    else if (b0 >= 0xe0 && b0 <= 0xef)
        n = 3, cp = b0 & 0x0f;
    else if (b0 >= 0xf0 && b0 <= 0xf4)
        n = 4, cp = b0 & 0x07;
    else
        return json_fail(c, "invalid UTF-8 lead byte");
    if ((size_t)(c->end - c->p) < n)
        return json_fail(c, "truncated UTF-8 sequence");
    for (size_t i = 1; i < n; i++) {
        if ((c->p[i] & 0xc0) != 0x80)
            return json_fail(c, "invalid UTF-8 continuation byte");
        cp = cp << 6 | (c->p[i] & 0x3f);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000))
        return json_fail(c, "overlong UTF-8");
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return json_fail(c, "UTF-8 encodes no character");
    c->p += n;
    return 1;
}

static int json_string(JsonCursor *c)
{
    c->p++; /* the opening quote */
    while (c->p < c->end) {
        unsigned char ch = *c->p;
        if (ch == '"') {
            c->p++;
            return 1;
        }
        if (ch < 0x20)
            return json_fail(c, "raw control character in a string");
        if (ch == '\\') {
            if (c->end - c->p < 2)
                return json_fail(c, "escape at end of input");
            switch (c->p[1]) {
            case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
                c->p += 2;
                break;
            case 'u':
                if (c->end - c->p < 6 || !json_hex(c->p[2]) || !json_hex(c->p[3]) || !json_hex(c->p[4]) ||
                    !json_hex(c->p[5]))
                    return json_fail(c, "bad \\u escape");
                c->p += 6;
                break;
            default:
                return json_fail(c, "unknown escape");
            }
        } else if (ch >= 0x80) {
            if (!json_utf8(c))
                return 0;
        } else {
            c->p++;
        }
    }
    return json_fail(c, "unterminated string");
}

static int json_digits(JsonCursor *c)
{
    const unsigned char *s = c->p;
    while (c->p < c->end && *c->p >= '0' && *c->p <= '9')
        c->p++;
    return c->p > s;
}

static int json_number(JsonCursor *c)
{
    if (*c->p == '-')
        c->p++;
    if (c->p < c->end && *c->p == '0')
        c->p++;
    else if (!json_digits(c))
        return json_fail(c, "bad number");
    if (c->p < c->end && *c->p == '.') {
        c->p++;
        if (!json_digits(c))
            return json_fail(c, "bad fraction");
    }
    if (c->p < c->end && (*c->p == 'e' || *c->p == 'E')) {
        c->p++;
        if (c->p < c->end && (*c->p == '+' || *c->p == '-'))
            c->p++;
        if (!json_digits(c))
            return json_fail(c, "bad exponent");
    }
    return 1;
}

static int json_word(JsonCursor *c, const char *w)
{
    size_t n = strlen(w);
    if ((size_t)(c->end - c->p) < n || memcmp(c->p, w, n) != 0)
        return json_fail(c, "unexpected character");
    c->p += n;
    return 1;
}

static int json_value(JsonCursor *c, int depth)
{
    json_ws(c);
    if (c->p >= c->end)
        return json_fail(c, "missing value");
    if (depth > 32)
        return json_fail(c, "nested too deep");
    switch (*c->p) {
    case '{':
    case '[': {
        unsigned char close = *c->p == '{' ? '}' : ']';
        int object = close == '}';
        c->p++;
        json_ws(c);
        if (c->p < c->end && *c->p == close) {
            c->p++;
            return 1;
        }
        for (;;) {
            if (object) {
                json_ws(c);
                if (c->p >= c->end || *c->p != '"')
                    return json_fail(c, "expected a key");
                if (!json_string(c))
                    return 0;
                json_ws(c);
                if (c->p >= c->end || *c->p != ':')
                    return json_fail(c, "expected ':'");
                c->p++;
            }
            if (!json_value(c, depth + 1))
                return 0;
            json_ws(c);
            if (c->p < c->end && *c->p == ',') {
                c->p++;
                continue;
            }
            if (c->p < c->end && *c->p == close) {
                c->p++;
                return 1;
            }
            return json_fail(c, object ? "expected ',' or '}'" : "expected ',' or ']'");
        }
    }
    case '"':
        return json_string(c);
    case 't':
        return json_word(c, "true");
    case 'f':
        return json_word(c, "false");
    case 'n':
        return json_word(c, "null");
    default:
        if (*c->p == '-' || (*c->p >= '0' && *c->p <= '9'))
            return json_number(c);
        return json_fail(c, "unexpected character");
    }
}

/* Whether s[0..n) is exactly one JSON object (whitespace around it allowed). On failure
 * *at is the byte offset and *why says what was wrong. */
static int json_check_object(const char *s, size_t n, size_t *at, const char **why)
{
    JsonCursor c;
    c.start = c.p = (const unsigned char *)s;
    c.end = c.p + n;
    c.why = NULL;
    json_ws(&c);
    if (c.p >= c.end || *c.p != '{')
        json_fail(&c, "not an object");
    else if (json_value(&c, 0)) {
        json_ws(&c);
        if (c.p == c.end)
            return 1;
        json_fail(&c, "text after the object");
    }
    *at = (size_t)(c.p - c.start);
    *why = c.why ? c.why : "invalid";
    return 0;
}

#endif
