/* hello.c: the handshake line (hello.h). */
#include "hello.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t fnv1a(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h;
}

void hello_of(Hello *h, const Scenario *sc, Side side, int64_t payload, const char *version)
{
    memset(h, 0, sizeof *h);
    snprintf(h->version, sizeof h->version, "%s", version && version[0] ? version : "0");
    snprintf(h->scenario, sizeof h->scenario, "%s", sc->name);
    h->side = side;
    h->payload = payload;
    h->lines = sc->text ? fnv1a(sc->text, sc->text_len) : 0;
}

size_t hello_format(const Hello *h, char *buf, size_t size)
{
    int n = snprintf(buf, size, HELLO_MAGIC "hello %s %s %s %lld %08x\n", h->version, h->scenario, side_name(h->side),
                     (long long)h->payload, (unsigned)h->lines);
    return n < 0 ? 0 : (size_t)n < size ? (size_t)n : size - 1;
}

HelloScan hello_scan(const char *buf, size_t n, size_t *len)
{
    size_t m = sizeof HELLO_MAGIC - 1;
    if (memcmp(buf, HELLO_MAGIC, n < m ? n : m) != 0)
        return HELLO_NOT;
    for (size_t i = 0; i < n && i < HELLO_LINE_MAX; i++)
        if (buf[i] == '\n') {
            *len = i + 1;
            return i + 1 > m ? HELLO_LINE : HELLO_NOT;
        }
    return n < HELLO_LINE_MAX ? HELLO_PARTIAL : HELLO_NOT;
}

/* The next space-separated word of [*p, end) into out (at most size - 1 bytes): 0, or -1. */
static int word(const char **p, const char *end, char *out, size_t size)
{
    size_t n = 0;
    while (*p < end && **p == ' ')
        (*p)++;
    while (*p < end && **p != ' ' && **p != '\n' && **p != '\r') {
        if (n + 1 >= size)
            return -1;
        out[n++] = *(*p)++;
    }
    out[n] = '\0';
    return n ? 0 : -1;
}

static int printable(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 && s[i] != '\n' && s[i] != '\r')
            return 0;
    return 1;
}

int hello_parse(const char *line, size_t len, Hello *h, char *err, size_t errsize)
{
    const char *p = line + sizeof HELLO_MAGIC - 1, *end = line + len;
    char w[5][SCENARIO_NAME_MAX];
    char *rest;
    memset(h, 0, sizeof *h);
    if (len < sizeof HELLO_MAGIC || memcmp(line, HELLO_MAGIC, sizeof HELLO_MAGIC - 1) || !printable(line, len)) {
        snprintf(err, errsize, "not a ShutdownLab handshake");
        return -1;
    }
    if (word(&p, end, w[0], sizeof w[0]) || strcmp(w[0], "hello")) {
        snprintf(err, errsize, "a handshake line, but not a hello");
        return -1;
    }
    for (int i = 0; i < 5; i++)
        if (word(&p, end, w[i], sizeof w[i])) {
            snprintf(err, errsize, "a hello needs version, scenario, role, payload and lines");
            return -1;
        }
    if (strlen(w[0]) >= sizeof h->version) {
        snprintf(err, errsize, "a hello's version is at most %d characters", (int)sizeof h->version - 1);
        return -1;
    }
    memcpy(h->version, w[0], strlen(w[0]) + 1);
    snprintf(h->scenario, sizeof h->scenario, "%s", w[1]);
    h->payload = strtoll(w[3], &rest, 10);
    if ((h->side = side_from_name(w[2])) == SIDE_COUNT || *rest || h->payload < 0) {
        snprintf(err, errsize, "a hello's role is client or server and its payload a byte count");
        return -1;
    }
    h->lines = (uint32_t)strtoul(w[4], &rest, 16);
    if (*rest) {
        snprintf(err, errsize, "a hello's lines are a hexadecimal hash");
        return -1;
    }
    return 0;
}

int hello_agree(const Hello *mine, const Hello *theirs, char *why, size_t size)
{
    if (strcmp(mine->scenario, theirs->scenario))
        snprintf(why, size, "this end plays %s, the other end %s", mine->scenario, theirs->scenario);
    else if (mine->lines != theirs->lines)
        snprintf(why, size, "both play %s, but its lines differ (not the same file)", mine->scenario);
    else if (mine->side == theirs->side)
        snprintf(why, size, "both ends play the %s", side_name(mine->side));
    else if (mine->payload != theirs->payload)
        snprintf(why, size, "this end's payload is %lld bytes, the other end's %lld", (long long)mine->payload,
                 (long long)theirs->payload);
    else if (strcmp(mine->version, theirs->version))
        snprintf(why, size, "this end is ShutdownLab %s, the other end %s", mine->version, theirs->version);
    else
        return 1;
    return 0;
}

size_t hello_reply(char *buf, size_t size, const char *refusal)
{
    int n = refusal ? snprintf(buf, size, HELLO_MAGIC "refused %s\n", refusal) : snprintf(buf, size, HELLO_MAGIC "ok\n");
    if (n < 0)
        return 0;
    if ((size_t)n >= size && size > 1) { /* cut: still one line */
        buf[size - 2] = '\n';
        return size - 1;
    }
    return (size_t)n;
}

int hello_parse_reply(const char *line, size_t len, char *refusal, size_t size)
{
    size_t m = sizeof HELLO_MAGIC - 1;
    refusal[0] = '\0';
    if (len < m + 3 || memcmp(line, HELLO_MAGIC, m) || line[len - 1] != '\n' || !printable(line, len))
        return -1;
    if (len == m + 3 && !memcmp(line + m, "ok\n", 3))
        return 1;
    if (len > m + 8 && !memcmp(line + m, "refused ", 8)) {
        size_t n = len - m - 9;
        if (n >= size)
            n = size - 1;
        memcpy(refusal, line + m + 8, n);
        refusal[n] = '\0';
        return 0;
    }
    return -1;
}
