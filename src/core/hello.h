/* hello.h: the one line two ShutdownLab processes exchange when they connect (the
 * `--peer` process and a `--listen`/`--connect` end), before either plays a line of the
 * scenario, so that they never play half a run together by mistake:
 *
 *     SHUTDOWNLAB/1 hello 0.9.0 graceful-client client 65536 9f2c01aa\n   (the --peer end)
 *     SHUTDOWNLAB/1 ok\n                     or    SHUTDOWNLAB/1 refused WHY\n
 *
 * The hello names the version, the scenario, the end its sender plays, the payload and a
 * hash of the scenario's text (a --run-file scenario must be the same file on both
 * machines). The end that did not start with --peer waits a moment for it: bytes that are
 * not a hello mean another program (socat, a student's), and nothing is consumed then (a
 * line that begins like a hello but does not parse is taken, and the note says so).
 * Portable: the Winsock side is in src/win/endpoint.c. */
#ifndef SHUTDOWNLAB_HELLO_H
#define SHUTDOWNLAB_HELLO_H

#include <stddef.h>
#include <stdint.h>

#include "scenario.h"

#define HELLO_MAGIC "SHUTDOWNLAB/1 "
#define HELLO_LINE_MAX 200
/* How long an end that may face another ShutdownLab waits for its hello before it plays
 * against whatever program it is (loopback and a classroom's LAN answer in microseconds). */
#define HELLO_WAIT_MS 250

typedef struct Hello {
    char version[32];
    char scenario[SCENARIO_NAME_MAX];
    Side side;        /* the end the sender plays */
    int64_t payload;
    uint32_t lines;   /* FNV-1a of the scenario's text */
} Hello;

typedef enum HelloScan {
    HELLO_NOT,     /* the stream does not start with a handshake: another program */
    HELLO_PARTIAL, /* it may: wait for more bytes */
    HELLO_LINE     /* a whole line (with its newline) is there */
} HelloScan;

void hello_of(Hello *h, const Scenario *sc, Side side, int64_t payload, const char *version);
/* The hello line, with its newline; its length. */
size_t hello_format(const Hello *h, char *buf, size_t size);
/* What the first n bytes of a stream are; *len the whole line's length when HELLO_LINE. */
HelloScan hello_scan(const char *buf, size_t n, size_t *len);
/* A hello line (len bytes, with its newline): 0, or -1 with why in err. */
int hello_parse(const char *line, size_t len, Hello *h, char *err, size_t errsize);
/* Whether the two ends can play together (same version, scenario, lines and payload; the
 * other end of the connection): 1, or 0 with the reason in why. */
int hello_agree(const Hello *mine, const Hello *theirs, char *why, size_t size);
/* The answer: "ok", or "refused" with the reason (refusal NULL for ok). Its length. */
size_t hello_reply(char *buf, size_t size, const char *refusal);
/* An answer line: 1 ok, 0 refused (the reason in refusal), -1 not an answer. */
int hello_parse_reply(const char *line, size_t len, char *refusal, size_t size);

#endif
