/* test_external.c: the portable parts of playing against another program (issue 9): the
 * handshake line (hello.h) made, parsed, judged and refused, whatever bytes come; and a
 * transcript whose peer is another program, which must say what only that program could
 * report is not observable, never pass it, and jsonl that says which connection. */
#include <stdlib.h>
#include <string.h>

#include "buffer.h"
#include "format.h"
#include "hello.h"
#include "scenario.h"
#include "ladder_model.h"
#include "table_model.h"
#include "tap.h"
#include "transcript.h"

static Scenario *builtin(const char *name)
{
    Scenario *sc = scenario_builtin(name);
    if (!sc)
        abort();
    return sc;
}

static void test_hello_round_trip(void)
{
    Scenario *sc = builtin("graceful-client");
    Hello a, b;
    char line[HELLO_LINE_MAX], err[128], why[160];
    size_t n = 0, len = 0;
    hello_of(&a, sc, SIDE_CLIENT, 65536, "1.2.3");
    n = hello_format(&a, line, sizeof line);
    tap_ok(n > 20 && line[n - 1] == '\n', "a hello is one line: %s", line);
    tap_is_int(hello_scan(line, n, &len), HELLO_LINE, "a whole hello is seen as one");
    tap_is_int(len, n, "its length is the line's");
    tap_is_int(hello_scan(line, 5, &len), HELLO_PARTIAL, "its first 5 bytes may be one: wait");
    tap_is_int(hello_parse(line, n, &b, err, sizeof err), 0, "it parses back");
    tap_is_str(b.scenario, "graceful-client", "with its scenario");
    tap_is_str(b.version, "1.2.3", "its version");
    tap_is_int(b.side, SIDE_CLIENT, "its side");
    tap_is_int(b.lines, a.lines, "and the hash of its lines");
    hello_of(&a, sc, SIDE_SERVER, 65536, "1.2.3");
    tap_is_int(hello_agree(&a, &b, why, sizeof why), 1, "a server and a client of one scenario agree");
    hello_of(&a, sc, SIDE_CLIENT, 65536, "1.2.3");
    tap_ok(!hello_agree(&a, &b, why, sizeof why) && strstr(why, "both ends play the client"), "two clients do not: %s",
           why);
    hello_of(&a, sc, SIDE_SERVER, 100, "1.2.3");
    tap_ok(!hello_agree(&a, &b, why, sizeof why) && strstr(why, "payload"), "nor two payloads: %s", why);
    hello_of(&a, sc, SIDE_SERVER, 65536, "1.2.4");
    tap_ok(!hello_agree(&a, &b, why, sizeof why) && strstr(why, "1.2.4"), "nor two versions: %s", why);
    scenario_free(sc);
    sc = builtin("graceful-server");
    hello_of(&a, sc, SIDE_SERVER, 65536, "1.2.3");
    tap_ok(!hello_agree(&a, &b, why, sizeof why) && strstr(why, "graceful-server") && strstr(why, "graceful-client"),
           "nor two scenarios, both named: %s", why);
    scenario_free(sc);
}

static void test_hello_bytes(void)
{
    static const char *const not_hello[] = {"GET / HTTP/1.1\r\n", "\x16\x03\x01", "SHUTDOWNLAB/2 hello", "\n"};
    char reply[HELLO_LINE_MAX], why[HELLO_LINE_MAX], err[128], big[400];
    size_t len = 0, n;
    Hello h;
    for (size_t i = 0; i < sizeof not_hello / sizeof not_hello[0]; i++)
        tap_is_int(hello_scan(not_hello[i], strlen(not_hello[i]), &len), HELLO_NOT, not_hello[i]);
    memset(big, 'A', sizeof big);
    memcpy(big, HELLO_MAGIC, sizeof HELLO_MAGIC - 1);
    tap_is_int(hello_scan(big, sizeof big, &len), HELLO_NOT, "a handshake without a newline in 200 bytes is none");
    tap_ok(hello_parse("SHUTDOWNLAB/1 \n", 15, &h, err, sizeof err) < 0, "an empty handshake line: %s", err);
    tap_ok(hello_parse("SHUTDOWNLAB/1 hello 1 x client\n", 31, &h, err, sizeof err) < 0, "a short hello: %s", err);
    tap_ok(hello_parse("SHUTDOWNLAB/1 hello 1 x nobody 5 0\n", 35, &h, err, sizeof err) < 0, "a bad role: %s", err);
    tap_ok(hello_parse("SHUTDOWNLAB/1 hello 1 x client -5 0\n", 36, &h, err, sizeof err) < 0, "a bad payload: %s", err);
    tap_ok(hello_parse("SHUTDOWNLAB/1 hello 1 x client 5 zz\n", 36, &h, err, sizeof err) < 0, "a bad hash: %s", err);
    n = hello_reply(reply, sizeof reply, NULL);
    tap_is_int(hello_parse_reply(reply, n, why, sizeof why), 1, "ok is read as ok");
    n = hello_reply(reply, sizeof reply, "this end plays a, the other end b");
    tap_is_int(hello_parse_reply(reply, n, why, sizeof why), 0, "a refusal is read as one");
    tap_is_str(why, "this end plays a, the other end b", "with its reason");
    n = hello_reply(reply, 24, "a reason far too long for the buffer it is given");
    tap_ok(n == 23 && reply[n - 1] == '\n', "a refusal cut short is still one line");
    tap_is_int(hello_parse_reply("hello\n", 6, why, sizeof why), -1, "anything else is no answer");
}

static void test_external_end(void)
{
    Scenario *sc = builtin("graceful-client");
    Transcript t;
    RunInfo info;
    Formatter f;
    Buffer *b = calloc(1, sizeof *b);
    int left[SIDE_COUNT] = {0, 0};
    memset(&info, 0, sizeof info);
    info.sc = sc;
    info.local = SIDE_SERVER;
    info.payload = 65536;
    info.timeout_ms = 5000;
    info.peer = PEER_EXTERNAL;
    info.conn = 7;
    strcpy(info.where, "listening on 127.0.0.1:5000");
    transcript_init(&t, &info);
    transcript_add_sink(&t, formatter_init(&f, FORMAT_JSONL, (Out){buf_write, b}));
    transcript_begin(&t);
    transcript_set_peer(&t, SIDE_SERVER, PEER_EXTERNAL, "the other end is another program");
    transcript_finish(&t, left);
    tap_ok(strstr(b->data, "{\"t_us\":0,\"conn\":7,\"kind\":\"run\"") != NULL, "the run line says its connection");
    tap_ok(strstr(b->data, "\"peer\":\"external\",\"where\":\"listening on 127.0.0.1:5000\"") != NULL,
           "and where the other program was found");
    tap_ok(strstr(b->data, "\"side\":\"client\",\"kind\":\"check\",\"name\":\"FD_CLOSE\",\"step\":\"5\"") != NULL &&
               strstr(b->data, "\"verdict\":\"not_observable\"") != NULL,
           "the client's FD_CLOSE check is said to be not observable");
    tap_ok(strstr(b->data, "\"verdict\":\"ok\"") == NULL, "nothing only the other end could see passes");
    tap_is_int(t.sum.not_observable, 10, "ten checks (4 client lines, 4 order rules with a client step, 2 losses) not "
               "observable");
    tap_is_int(t.sum.mismatches, 3, "the not-observable ones fail nothing: the 3 mismatches are the server's own order "
               "rules, judged, whose steps never happened in this test");
    tap_ok(strstr(b->data, "\"peer\":\"external\",\"not_observable\":10,\"inferred\":0,\"handshake_failed\":false}") != NULL,
           "the summary says so");
    tap_ok(strstr(b->data, "\"conn\":7,\"kind\":\"summary\"") != NULL, "and says its connection");
    free(b);
    scenario_free(sc);
}

static void test_refused(void)
{
    Scenario *sc = builtin("graceful-client");
    Transcript t;
    RunInfo info;
    int left[SIDE_COUNT] = {0, 0};
    memset(&info, 0, sizeof info);
    info.sc = sc;
    info.local = SIDE_CLIENT;
    info.payload = 65536;
    info.peer = PEER_EXTERNAL;
    transcript_init(&t, &info);
    transcript_begin(&t);
    transcript_refuse(&t, SIDE_CLIENT, "the other end refused the handshake: x");
    transcript_finish(&t, left);
    tap_is_int(t.sum.exit_code, 2, "a refused handshake exits 2, as bad usage");
    scenario_free(sc);
}

/* The table and the ladder judge only what this end saw: a rule with one of the other
 * program's steps is not observable (never broken by a step this end cannot see), and a
 * check only that program could make is pinned on none of this end's calls. */
static void test_views(void)
{
    Scenario *sc = builtin("graceful-client");
    TableModel *t = calloc(1, sizeof *t);
    Ladder l;
    Event ev;
    int late = 0, unobserved = 0, judged = 0;
    table_build(t, sc, 65536);
    table_set_peer(t, SIDE_SERVER, 1);
    event_init(&ev, EV_STEP, SIDE_SERVER, EW_FD_CLOSE);
    for (size_t i = 0; i < sc->nops; i++)
        if (!strcmp(sc->ops[i].step, "2"))
            ev.op = (int)i;
    EVENT_SET(ev.step, "2");
    ev.t_us = 100;
    table_event(t, &ev); /* the server's (2) came; the client's (1) is never seen here */
    for (size_t k = 0; k < sc->nrules; k++) {
        RuleStatus st = table_rule(t, k);
        unobserved += st == RULE_UNOBSERVED;
        judged += st != RULE_UNOBSERVED;
    }
    for (int i = 0; i < t->n; i++)
        late += t->row[i].late;
    tap_is_int(late, 0, "the server's (2) is not late for want of the client's unseen (1)");
    tap_is_int(unobserved, 4, "rules with a client step are not observable: (1)-(2), (4)-(5), (5)-(6), (5')-(5)");
    tap_is_int(judged, 3, "rules between the server's own steps are judged");
    ladder_init(&l);
    event_init(&ev, EV_CALL, SIDE_SERVER, EW_ASYNCSELECT);
    ev.has_result = 1;
    ladder_add(&l, &ev);
    event_init(&ev, EV_CHECK, SIDE_SERVER, EW_FD_CLOSE);
    ev.verdict = VERDICT_UNOBSERVED;
    ladder_add(&l, &ev);
    tap_ok(l.n > 0 && l.items[l.n - 1].check != VERDICT_MISMATCH, "a not-observable check marks no call as a mismatch");
    ladder_free(&l);
    free(t);
    scenario_free(sc);
}

int main(void)
{
    test_hello_round_trip();
    test_hello_bytes();
    test_external_end();
    test_refused();
    test_views();
    return tap_done();
}
