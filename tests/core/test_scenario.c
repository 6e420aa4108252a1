/* test_scenario.c: TAP test of the scenario parser (src/core/scenario.c): every built-in
 * parses; a file with every directive, verb and key gives the right model; each kind of
 * bad input gives an error at its exact line and column with a message that helps, never
 * a crash. Regressions found by the fuzzer (tests/fuzz) end up here too. Pure C: runs
 * natively and under Wine. */
#include "tap.h"
#include "scenario.h"

#include <stdlib.h>
#include <string.h>

/* Parses exactly len bytes from a buffer of that size (no terminator to lean on). */
static Scenario *parse_n(const char *text, size_t len, ScenarioError *err)
{
    char *copy = malloc(len ? len : 1);
    Scenario *sc;
    if (!copy)
        return NULL;
    if (len)
        memcpy(copy, text, len);
    sc = scenario_parse(copy, len, err);
    free(copy);
    return sc;
}

/* One test point: text gives an error at line:column whose message holds `hint`. */
static void error_at(const char *what, const char *text, size_t len, int line, int column, const char *hint)
{
    ScenarioError err;
    Scenario *sc = parse_n(text, len, &err);
    int ok = !sc && err.line == line && err.column == column && strstr(err.message, hint) != NULL;
    tap_ok(ok, "%s: error at %d:%d mentioning \"%s\"", what, line, column, hint);
    if (!ok) {
        if (sc)
            tap_diag("  parsed without an error");
        else
            tap_diag("  got %d:%d: %s", err.line, err.column, err.message);
    }
    scenario_free(sc);
}

static void error_str(const char *what, const char *text, int line, int column, const char *hint)
{
    error_at(what, text, strlen(text), line, column, hint);
}

static Scenario *parses(const char *what, const char *text, size_t len)
{
    ScenarioError err;
    Scenario *sc = parse_n(text, len, &err);
    if (!tap_ok(sc != NULL, "%s parses", what))
        tap_diag("  %d:%d: %s", err.line, err.column, err.message);
    return sc;
}

static void builtins(void)
{
    size_t n = scenario_builtin_count();
    tap_ok(n >= 2, "at least the two graceful built-ins (found %zu)", n);
    for (size_t i = 0; i < n; i++) {
        size_t len = 0;
        const char *text = scenario_builtin_text(i, &len);
        Scenario *sc = parses(scenario_builtin_name(i), text, len);
        if (sc) {
            tap_is_str(sc->name, scenario_builtin_name(i), "its scenario line names its file");
            tap_ok(sc->title && sc->title[0] && sc->nops > 0, "%s has a title and operations", sc->name);
        }
        scenario_free(sc);
    }
    tap_ok(scenario_builtin("no-such-scenario") == NULL, "scenario_builtin of an unknown name is NULL");
}

static const char EVERY[] =
    "# every directive, verb and key once\n"
    "scenario every-thing   # a comment after a directive\n"
    "title \"All of it\"\n"
    "about \"About \\\"quoted\\\" and \\\\ a backslash\"\n"
    "source \"learn.microsoft.com\"\n"
    "payload 4096\n"
    "lossless\n"
    "lost client some\n"
    "\n"
    "step 1  client send 100        explain=\"first \\\"data\\\"\"\n"           /* line 10 */
    "step 2  server send payload    if=payload\n"
    "step 3  server send fill\n"
    "step 4  client shutdown SD_SEND windows=ok\n"
    "step 4' server shutdown SD_RECEIVE\n"
    "step 5  server shutdown SD_BOTH\n"                                         /* line 15 */
    "client wsasenddisconnect\n"
    "client linger 0\n"
    "server linger 5\n"
    "server dontlinger\n"
    "\tclient read off\n"                                                       /* line 20 */
    "client read on\n"
    "client recv windows=WSAECONNRESET wine=0 why=\"Wine 8: graceful\"\n"
    "server expect FD_CLOSE windows=WSAECONNABORTED wine=0 why=\"measured\"\n"
    "server quiet 300 none=FD_READ\n"
    "client quiet 50\n"                                                          /* line 25 */
    "client tcp windows=TIME_WAIT if=open\n"
    "server tcp windows=any\n"
    "server closesocket windows=0\n"
    "order 1 2 3\n"
    "order 4 5\n";                                                               /* line 30 */

static void every_verb(void)
{
    static const struct {
        int line;
        Side side;
        OpVerb verb;
        long long arg;
        const char *step;
    } want[] = {
        {10, SIDE_CLIENT, OP_SEND, 100, "1"},        {11, SIDE_SERVER, OP_SEND, -1, "2"},
        {12, SIDE_SERVER, OP_SEND_FILL, 0, "3"},     {13, SIDE_CLIENT, OP_SHUTDOWN, 1, "4"},
        {14, SIDE_SERVER, OP_SHUTDOWN, 0, "4'"},     {15, SIDE_SERVER, OP_SHUTDOWN, 2, "5"},
        {16, SIDE_CLIENT, OP_SENDDISCONNECT, 0, ""}, {17, SIDE_CLIENT, OP_LINGER, 0, ""},
        {18, SIDE_SERVER, OP_LINGER, 5, ""},         {19, SIDE_SERVER, OP_DONTLINGER, 0, ""},
        {20, SIDE_CLIENT, OP_READING, 0, ""},        {21, SIDE_CLIENT, OP_READING, 1, ""},
        {22, SIDE_CLIENT, OP_RECV, 0, ""},           {23, SIDE_SERVER, OP_EXPECT, 0, ""},
        {24, SIDE_SERVER, OP_QUIET, 300, ""},        {25, SIDE_CLIENT, OP_QUIET, 50, ""},
        {26, SIDE_CLIENT, OP_TCP, 0, ""},            {27, SIDE_SERVER, OP_TCP, 0, ""},
        {28, SIDE_SERVER, OP_CLOSESOCKET, 0, ""},
    };
    const size_t nwant = sizeof want / sizeof want[0];
    char buf[96];
    int bad = 0;
    Scenario *sc = parses("a file with every directive, verb and key", EVERY, sizeof EVERY - 1);
    const Op *op;
    if (!sc)
        return;
    tap_is_str(sc->name, "every-thing", "scenario: the name");
    tap_is_str(sc->title, "All of it", "title");
    tap_is_str(sc->about, "About \"quoted\" and \\ a backslash", "about: \\\" and \\\\ resolved");
    tap_is_str(sc->source, "learn.microsoft.com", "source");
    tap_is_int(sc->payload, 4096, "payload");
    tap_is_int(sc->lost[SIDE_CLIENT], LOST_SOME, "lost client some overrides lossless");
    tap_is_int(sc->lost[SIDE_SERVER], LOST_NONE, "lossless: the server loses nothing");
    tap_is_int((long long)sc->nops, (long long)nwant, "one op per client/server line");
    for (size_t i = 0; i < nwant && i < sc->nops; i++) {
        op = &sc->ops[i];
        if (op->line != want[i].line || op->side != want[i].side || op->verb != want[i].verb ||
            op->arg != want[i].arg || strcmp(op->step, want[i].step) != 0) {
            bad++;
            tap_diag("  op %zu: line %d side %d verb %d arg %lld step '%s'; want line %d side %d verb %d arg %lld "
                     "step '%s'", i, op->line, (int)op->side, (int)op->verb, (long long)op->arg, op->step,
                     want[i].line, (int)want[i].side, (int)want[i].verb, want[i].arg, want[i].step);
        }
    }
    tap_is_int(bad, 0, "every op: line, side, verb, argument and step label");
    if (sc->nops != nwant) {
        scenario_free(sc);
        return;
    }
    tap_is_str(sc->ops[0].explain, "first \"data\"", "explain= with escapes");
    tap_ok(sc->ops[1].if_payload && !sc->ops[1].if_open, "if=payload");
    tap_ok(sc->ops[25 - 10 + 1].if_open && !sc->ops[16].if_payload, "if=open");
    tap_ok(!scenario_op_active(&sc->ops[1], 0) && scenario_op_active(&sc->ops[1], 1) &&
               scenario_op_active(&sc->ops[0], 0), "if=payload: left out when the payload is 0");
    tap_is_int(sc->ops[3].windows.kind, EXP_OK, "windows=ok");
    tap_is_int(sc->ops[0].windows.kind, EXP_UNSET, "no windows=: unset");
    op = &sc->ops[12];
    tap_ok(op->windows.kind == EXP_ERROR && op->windows.error == 10054, "windows=WSAECONNRESET is error 10054");
    tap_ok(op->wine.kind == EXP_VALUE && op->wine.value == 0, "wine=0 is the value 0");
    tap_is_str(op->why, "Wine 8: graceful", "why=");
    op = &sc->ops[13];
    tap_is_int(op->event, EW_FD_CLOSE, "expect FD_CLOSE");
    tap_ok(op->windows.kind == EXP_ERROR && op->windows.error == 10053, "windows=WSAECONNABORTED");
    tap_is_int(sc->ops[14].event, EW_FD_READ, "quiet none=FD_READ");
    tap_is_int(sc->ops[15].event, EW_NONE, "quiet without none=");
    op = &sc->ops[16];
    tap_ok(op->windows.kind == EXP_STATE && op->windows.value == TCP_STATE_TIME_WAIT, "tcp windows=TIME_WAIT");
    tap_is_int(sc->ops[17].windows.kind, EXP_ANY, "windows=any");
    tap_ok(sc->ops[18].windows.kind == EXP_VALUE && sc->ops[18].windows.value == 0, "windows=0");
    tap_ok(sc->nrules == 3 && !strcmp(sc->rules[0].before, "1") && !strcmp(sc->rules[0].after, "2") &&
               !strcmp(sc->rules[1].before, "2") && !strcmp(sc->rules[1].after, "3") &&
               !strcmp(sc->rules[2].before, "4") && !strcmp(sc->rules[2].after, "5"),
           "order 1 2 3 / order 4 5: three before-after rules");
    op_describe(&sc->ops[1], 4096, buf, sizeof buf);
    tap_is_str(buf, "send 4096 bytes", "op_describe: send payload");
    op_describe(&sc->ops[3], 0, buf, sizeof buf);
    tap_is_str(buf, "shutdown(SD_SEND)", "op_describe: shutdown");
    op_describe(&sc->ops[7], 0, buf, sizeof buf);
    tap_is_str(buf, "setsockopt(SO_LINGER {1,0})", "op_describe: linger 0");
    expect_format(&sc->ops[13].windows, buf, sizeof buf);
    tap_is_str(buf, "WSAECONNABORTED", "expect_format: an error name");
    expect_format(&sc->ops[16].windows, buf, sizeof buf);
    tap_is_str(buf, "TIME_WAIT", "expect_format: a TCP state");
    scenario_free(sc);
}

/* Text that is not what the parser sees byte for byte but is fine. */
static void fine_variants(void)
{
    static const char crlf[] = "scenario x\r\nstep 1 client send 5 explain=\"a\"\r\nserver closesocket\r\norder 1 1\r\n";
    static const char bom[] = "\xef\xbb\xbfscenario x\nclient closesocket\n";
    static const char utf8[] = "scenario x\nclient closesocket explain=\"caf\xc3\xa9 \xe2\x86\x92 \xf0\x9f\x94\x8c\"\n";
    static const char no_newline[] = "scenario x\nclient closesocket";
    Scenario *sc = parses("CRLF line endings", crlf, sizeof crlf - 1);
    if (sc) {
        tap_ok(sc->nops == 2 && sc->ops[0].arg == 5 && !strcmp(sc->ops[0].explain, "a") && sc->ops[1].line == 3,
               "CRLF: the CR is not part of the last token");
        scenario_free(sc);
    }
    sc = parses("a UTF-8 BOM (Notepad)", bom, sizeof bom - 1);
    if (sc) {
        tap_is_str(sc->name, "x", "UTF-8 BOM: skipped");
        scenario_free(sc);
    }
    sc = parses("UTF-8 text in strings", utf8, sizeof utf8 - 1);
    if (sc) {
        tap_is_str(sc->ops[0].explain, "caf\xc3\xa9 \xe2\x86\x92 \xf0\x9f\x94\x8c", "UTF-8 kept as written");
        scenario_free(sc);
    }
    sc = parses("no newline at the end", no_newline, sizeof no_newline - 1);
    scenario_free(sc);
}

static void errors(void)
{
    static const char nul[] = "scenario x\nclient send\0 5\n";
    static const char utf16_bom[] = "\xff\xfes\0c\0e\0n\0a\0r\0i\0o\0 \0x\0\n\0";
    static const char utf16_nobom[] = "s\0c\0e\0n\0a\0r\0i\0o\0 \0x\0\n\0";
    static const char utf16be_bom[] = "\xfe\xff\0s\0c";
    char *big;
    size_t n;

    error_str("unknown action", "scenario x\nclient shutdwn SD_SEND\n", 2, 8, "unknown action 'shutdwn'");
    error_str("unknown side", "scenario x\nclinet closesocket\n", 2, 1, "expected client, server");
    error_str("unknown side after a step", "scenario x\nstep 1 peer closesocket\n", 2, 8, "found 'peer'");
    error_str("unknown key", "scenario x\nclient closesocket windos=ok\n", 2, 20, "unknown key 'windos'");
    error_str("unterminated string", "scenario x\nclient closesocket explain=\"abc\n", 2, 28,
              "unterminated string");
    error_str("number too large", "scenario x\nclient send 99999999999999999999\n", 2, 13, "number too large");
    error_str("not a number", "scenario x\nclient send 12ab\n", 2, 15, "expected a number");
    error_str("linger out of range", "scenario x\nclient linger 65536\n", 2, 15, "at most 65535");
    error_at("a NUL byte", nul, sizeof nul - 1, 2, 12, "NUL byte");
    error_at("UTF-16 LE with a BOM", utf16_bom, sizeof utf16_bom - 1, 1, 1, "UTF-16");
    error_at("UTF-16 BE with a BOM", utf16be_bom, sizeof utf16be_bom - 1, 1, 1, "UTF-16");
    error_at("UTF-16 without a BOM (NUL-interleaved)", utf16_nobom, sizeof utf16_nobom - 1, 1, 2, "UTF-16");
    error_str("a control character", "scenario x\nclient \x01" "closesocket\n", 2, 8, "control character 0x01");
    error_str("DEL", "scenario x\nclient closesocket explain=\"\x7f\"\n", 2, 29, "control character 0x7f");
    error_str("an escape character in a string", "scenario x\nclient closesocket explain=\"\x1b[31m\"\n", 2, 29,
              "control character 0x1b");
    n = 5000;
    big = malloc(n + 64);
    if (big) {
        int k = snprintf(big, 64, "scenario x\nclient send 1 explain=\"");
        memset(big + k, 'a', n - (size_t)k);
        memcpy(big + n, "\"\n", 2);
        /* the second line starts after "scenario x\n" (11 bytes) and is 5000 - 11 + 1 long */
        error_at("a 5000-byte line", big, n + 2, 2, SCENARIO_MAX_LINE + 1, "line too long");
        free(big);
    }
    error_at("an empty file", "", 0, 1, 1, "empty");
    error_str("only comments", "# a comment\n\n   # another\n", 1, 1, "scenario NAME");
    error_str("no scenario line", "client closesocket\nserver closesocket\n", 1, 1, "scenario NAME");
    error_str("no operations", "# x\nscenario lonely\ntitle \"t\"\n", 2, 1, "no client or server lines");
    error_str("wine= without why=", "scenario x\nserver expect FD_CLOSE windows=WSAECONNABORTED wine=0\n", 2, 48,
              "why=");
    error_str("wine= without windows=", "scenario x\nserver expect FD_CLOSE wine=0 why=\"w\"\n", 2, 24,
              "windows=");
    error_str("order naming an unknown step", "scenario x\nstep 1 client closesocket\norder 1 9\n", 3, 9,
              "order names step 9");
    error_str("order before the steps it names", "scenario x\norder 1 2\nstep 1 client closesocket\n", 2, 9,
              "order names step 2");
    error_str("a step label too long", "scenario x\nstep 12345678 client closesocket\n", 2, 6, "step label");
    error_str("a step label with a space", "scenario x\nstep \"4 5\" client closesocket\n", 2, 6, "step label");
    error_str("scenario given twice", "scenario x\nscenario y\n", 2, 1, "twice");
    error_str("windows= given twice", "scenario x\nclient recv windows=0 windows=WSAECONNRESET\n", 2, 23, "windows= given twice");
    error_str("a bad scenario name", "scenario My_Close\nclient closesocket\n", 1, 10, "a-z, 0-9");
    error_str("an unknown event", "scenario x\nclient expect FD_OOB\n", 2, 15, "unknown event 'FD_OOB'");
    error_str("an unknown Winsock error", "scenario x\nclient recv windows=WSAEFOO\n", 2, 21, "WSAEFOO");
    error_str("a TCP state on a non-tcp line", "scenario x\nclient recv windows=CLOSED\n", 2, 13, "TCP state");
    error_str("text after a directive", "scenario x extra\nclient closesocket\n", 1, 12, "unexpected text");
    error_str("a stray carriage return", "scenario x\nclient closesocket\rserver closesocket\n", 2, 19,
              "carriage return");
    error_str("bytes that are not UTF-8 (Windows-1252)", "scenario x\nclient closesocket explain=\"caf\xe9\"\n", 2,
              32, "UTF-8");
    error_str("a truncated UTF-8 sequence", "scenario x\nclient closesocket explain=\"\xe2\x86\"\n", 2, 29, "UTF-8");
    error_str("an overlong UTF-8 form", "scenario x\nclient closesocket explain=\"\xc0\xaf\"\n", 2, 29, "UTF-8");
    /* 2001 operations: the limit is named on the line that passes it */
    n = 11 + 19 * (SCENARIO_MAX_OPS + 1);
    big = malloc(n + 1);
    if (big) {
        size_t off = (size_t)snprintf(big, n + 1, "scenario x\n");
        for (int i = 0; i <= SCENARIO_MAX_OPS; i++)
            off += (size_t)snprintf(big + off, n + 1 - off, "client closesocket\n");
        error_at("2001 operations", big, off, SCENARIO_MAX_OPS + 2, 1, "too many operations");
        /* and 2000 are fine */
        {
            ScenarioError err;
            Scenario *sc = parse_n(big, off - 19, &err);
            tap_ok(sc && sc->nops == SCENARIO_MAX_OPS, "2000 operations parse");
            scenario_free(sc);
        }
        free(big);
    }
    big = calloc(1, (size_t)SCENARIO_MAX_BYTES + 2);
    if (big) {
        ScenarioError err;
        memset(big, '#', (size_t)SCENARIO_MAX_BYTES + 1);
        tap_ok(parse_n(big, (size_t)SCENARIO_MAX_BYTES + 1, &err) == NULL && strstr(err.message, "too large"),
               "a file over 1 MiB: too large (%s)", err.message);
        free(big);
    }
}

/* How we know: evidence=, source=, other=, the file's default, order and loss claims. */
static void evidence(void)
{
    static const char text[] =
        "scenario ev\n"
        "evidence documented \"docs/evidence.md#ms-graceful\"\n"
        "lost server some evidence=inferred source=\"RFC 1122 4.2.2.13\"\n"
        "step 1 client shutdown SD_SEND\n"
        "step 2 server expect FD_CLOSE windows=WSAECONNABORTED evidence=disputed other=WSAECONNRESET "
        "source=\"docs/evidence.md#oracle-19; WSAAsyncSelect page\"\n"
        "step 3 server closesocket windows=0 evidence=tested source=\"docs/evidence.md#oracle-14\"\n"
        "order 1 2 evidence=documented source=\"the table\"\n"
        "order 2 3\n";
    Scenario *sc = parses("a scenario with its evidence", text, sizeof text - 1);
    Claim c;
    if (!sc)
        return;
    c = scenario_op_claim(sc, &sc->ops[0]);
    tap_ok(c.evidence == EVIDENCE_DOCUMENTED && !strcmp(c.source, "docs/evidence.md#ms-graceful"),
           "a line without its own evidence takes the file's");
    c = scenario_op_claim(sc, &sc->ops[1]);
    tap_ok(c.evidence == EVIDENCE_DISPUTED && strstr(c.source, "oracle-19") && sc->ops[1].other.kind == EXP_ERROR &&
               sc->ops[1].other.error == 10054,
           "evidence=disputed with the other source's claim");
    tap_is_int(scenario_op_claim(sc, &sc->ops[2]).evidence, EVIDENCE_TESTED, "evidence=tested");
    tap_ok(sc->nrules == 2 && sc->rules[0].claim.evidence == EVIDENCE_DOCUMENTED &&
               !strcmp(sc->rules[0].claim.source, "the table") && sc->rules[1].claim.evidence == EVIDENCE_NONE,
           "an order line's claim is its pairs', and only its");
    tap_ok(sc->lost_claim[SIDE_SERVER].evidence == EVIDENCE_INFERRED && sc->lost_claim[SIDE_CLIENT].evidence == 0,
           "a lost line's claim");
    scenario_free(sc);
    sc = parses("a file with no evidence at all", "scenario x\nclient closesocket\n", 29);
    if (sc) {
        c = scenario_op_claim(sc, &sc->ops[0]);
        tap_ok(c.evidence == EVIDENCE_INFERRED && !strcmp(c.source, SCENARIO_NO_SOURCE),
               "without any, a check is inferred, and says the file gives no source");
        scenario_free(sc);
    }
    error_str("a grade without its source", "scenario x\nclient closesocket evidence=tested\n", 2, 20,
              "evidence= needs its source=");
    error_str("a source without a grade", "scenario x\nclient closesocket source=\"x\"\n", 2, 20,
              "source= goes with evidence=");
    error_str("an unknown grade", "scenario x\nclient closesocket evidence=proven source=\"x\"\n", 2, 29,
              "evidence= takes tested");
    error_str("other= without disputed", "scenario x\nclient closesocket windows=0 other=5 evidence=tested source=\"x\"\n",
              2, 30, "other= is the other source's claim");
    error_str("the directive without a source", "scenario x\nevidence tested\nclient closesocket\n", 2, 16,
              "needs its source");
    error_str("an order line's claim without a grade", "scenario x\nstep 1 client closesocket\nstep 2 server closesocket\n"
              "order 1 2 source=\"x\"\n", 4, 11, "source= goes with evidence=");
}

/* The bound on a whole run (the headless runner's, and each connection's in a class):
 * every watchdog its lines can meet, so a run within them is never cut short; each end's
 * linger counts for its own close only, and SO_DONTLINGER takes it back. */
static void limits(void)
{
    static const char text[] = "scenario lim\n"
                               "client linger 7\n"                      /* a second; the client's linger */
                               "server linger 1\n"                      /* a second; the server's, not the client's */
                               "server expect FD_READ within=2500\n"    /* its own watchdog */
                               "client expect FD_READ\n"                /* the timeout */
                               "server quiet 400\n"                     /* its length */
                               "step 1 client closesocket\n"            /* the client's linger, and the timeout */
                               "client send 10\n"                       /* the timeout (FD_WRITE) */
                               "client tcp windows=any\n"               /* the timeout (a table read) */
                               "step 2 server shutdown SD_SEND\n"       /* a step's TCP sample */
                               "server dontlinger\n"                    /* a second, and no linger after it */
                               "step 3 server closesocket\n";           /* the timeout only */
    Scenario *sc = parses("the limits' scenario", text, sizeof text - 1);
    if (!sc)
        return;
    tap_is_int((int)scenario_limit_ms(sc, 5000),
               60000 + 1000 + 1000 + 2500 + 5000 + 400 + (7000 + 5000) + 5000 + 5000 + 1000 + 1000 + 5000,
               "scenario_limit_ms: a minute, plus each line's watchdog (within=, each end's linger, quiet, timeouts)");
    tap_ok(scenario_limit_ms(sc, 600000) > 600000LL * 5, "scenario_limit_ms grows with the timeout (%lld ms)",
           (long long)scenario_limit_ms(sc, 600000));
    scenario_free(sc);
}

int main(void)
{
    builtins();
    every_verb();
    fine_variants();
    errors();
    evidence();
    limits();
    return tap_done();
}
