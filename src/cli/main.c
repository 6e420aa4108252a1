/* main.c: shutdownlab-cli, the headless runner (SPEC section 4). The same engine and
 * endpoints as the GUI; the local end's notifications arrive at a message-only window.
 * Exit codes: 0 all met (or known differences), 1 a mismatch, 2 bad usage or input,
 * 3 the environment failed. */
#include <winsock2.h>
#include <windows.h>

#include <fcntl.h>
#include <io.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "cli.h"
#include "messages.h"
#include "platform.h"
#include "scnfile.h"
#include "session.h"

static const char USAGE[] =
    "usage: shutdownlab-cli --list\n"
    "       shutdownlab-cli --run NAME [options]\n"
    "       shutdownlab-cli --run-file PATH [options]\n"
    "       shutdownlab-cli --record DIR [options]\n"
    "       shutdownlab-cli --compare A.jsonl B.jsonl\n"
    "       shutdownlab-cli --replay RECORDING.jsonl [--wire FILE] [--format F] [--export-pcapng OUT]\n"
    "       shutdownlab-cli --help | --version\n"
    "\n"
    "Runs a TCP shutdown scenario on real loopback sockets (WSAAsyncSelect) and prints\n"
    "what each end's calls and FD_* messages actually reported, checked against\n"
    "what Windows does, each claim graded by how we know it: tested on Windows,\n"
    "documented, disputed (the sources disagree: shown, not judged), inferred.\n"
    "\n"
    "options:\n"
    "  --role client|server    the end this program plays; the embedded peer plays the\n"
    "                          other (default client)\n"
    "  --format text|tap|jsonl transcript format on stdout (default text)\n"
    "  --payload BYTES         size of the response data where the scenario sends one\n"
    "                          (default: the scenario's, 65536 for graceful-client)\n"
    "  --timeout-ms N          watchdog for each expected event (default 5000)\n"
    "  --sndbuf BYTES          SO_SNDBUF on each end's socket before it connects (default:\n"
    "                          the system's); small buffers make a send wait (WSAEWOULDBLOCK)\n"
    "  --rcvbuf BYTES          SO_RCVBUF the same way (1..16777216)\n"
    "  --wire FILE             a capture of the run being written to FILE (tcpdump -U -w\n"
    "                          FILE on loopback; dumpcap with Npcap's loopback adapter):\n"
    "                          its segments of the run's connection are shown as observed\n"
    "                          beside the inferred FIN, RST and data (pcap or pcapng); with\n"
    "                          --replay, a capture made beside that recording\n"
    "  --export-pcapng OUT     with --wire: the run's segments as pcapng, each with the call\n"
    "                          that caused it as its comment (Wireshark shows them)\n"
    "\n"
    "beyond one machine (no embedded peer; only this end is observed, and what only the\n"
    "other end could report is said to be not observable, never passed):\n"
    "  --listen [ADDR:]PORT    play the server against whatever client connects; loopback\n"
    "                          (127.0.0.1) unless ADDR is given (0.0.0.0: every interface)\n"
    "  --connect HOST:PORT     play the client against a server there\n"
    "  --peer                  with --listen or --connect: play the other end of another\n"
    "                          ShutdownLab's run (a handshake checks scenario, role and\n"
    "                          version; a mismatch ends both with exit 2)\n"
    "  --max-connections N     with --listen: play with N clients, as many at once as\n"
    "                          connect, one verdict line each and a summary (1..4096,\n"
    "                          default 1)\n"
    "  --wait-ms N             how long to wait for a connection (default 60000)\n"
    "  --max-bytes N           bytes the other program may send on a connection before it\n"
    "                          is reset (default 64 MiB, or twice the payload if larger)\n"
    "  --storm N               benchmarks only: N FD_READ notifications of the tool's own\n"
    "                          for this end, one after another (said in the transcript)\n"
    "\n"
    "--record DIR runs every built-in scenario in both roles and writes each run's jsonl\n"
    "(DIR\\NAME-ROLE.jsonl) and a manifest.json naming this machine's Windows: a\n"
    "recording to replay in class (shutdownlab.exe --replay FILE) or to compare.\n"
    "--compare prints, step by step and end by end, where two recordings differ in what\n"
    "the OS reported; exit 0 when they agree, 1 when they differ.\n"
    "\n"
    "exit status: 0 every observation met Windows' behaviour or a known difference of\n"
    "this platform; 1 an unexplained mismatch; 2 bad usage or input; 3 the environment\n"
    "failed (a call failed unexpectedly, or a watchdog expired).\n";

static Session *g_session;
static int g_done; /* WM_SL_COMPLETE came: the run is over */

/* A wide argument as UTF-8 for stderr: printf's %ls goes through the C locale, which
 * cannot encode most non-ASCII file names. Two buffers, so two may be in one message. */
const char *utf8(const wchar_t *w)
{
    static char buf[2][1024];
    static int next;
    char *b = buf[next++ & 1];
    if (!WideCharToMultiByte(CP_UTF8, 0, w, -1, b, (int)sizeof buf[0], NULL, NULL))
        snprintf(b, sizeof buf[0], "(unprintable)");
    return b;
}

/* Lines reach a reader within 20 ms of being made, whole, but not one write each: under
 * Wine every write is a trip through the server, each end writes under the transcript's
 * lock, and bulk data makes thousands of lines (one write per line took three times as
 * long as the 200 MB it reported). While the run is quiet, the runner's window flushes
 * what is left every 50 ms (SL_TIMER_FLUSH), and at its end. */
static volatile LONG64 g_flushed_us;

static void out_stdout(void *ctx, const char *s, size_t n)
{
    int64_t now;
    (void)ctx;
    fwrite(s, 1, n, stdout);
    if (!n || s[n - 1] != '\n')
        return;
    now = plat_clock_us(NULL);
    if (now - g_flushed_us >= 20000) {
        g_flushed_us = now;
        fflush(stdout);
    }
}

static int usage_error(const char *fmt, const wchar_t *arg)
{
    fprintf(stderr, "shutdownlab-cli: ");
    fprintf(stderr, fmt, utf8(arg));
    fprintf(stderr, "\nTry 'shutdownlab-cli --help'.\n");
    return EXIT_USAGE;
}

/* A decimal in [lo, hi]; -1 when it is not one. */
static int64_t parse_number(const wchar_t *s, int64_t lo, int64_t hi)
{
    int64_t v = 0;
    if (!*s)
        return -1;
    for (; *s; s++) {
        if (*s < L'0' || *s > L'9' || v > (hi - (*s - L'0')) / 10)
            return -1;
        v = v * 10 + (*s - L'0');
    }
    return v < lo ? -1 : v;
}

/* --listen, --connect, --peer and --max-connections: what they need and what they decide. */
static int check_external(Options *o)
{
    if (o->listen && o->connect)
        return usage_error("%sgive --listen or --connect, not both", L"");
    if ((o->listen || o->connect) && !o->run && !o->run_file)
        return usage_error("%s--listen and --connect play a scenario: add --run NAME or --run-file PATH", L"");
    if (o->peer && !o->listen && !o->connect)
        return usage_error("%s--peer needs --listen [ADDR:]PORT or --connect HOST:PORT", L"");
    if ((o->listen || o->connect) && o->role_given && o->role != (o->listen ? SIDE_SERVER : SIDE_CLIENT))
        return usage_error(o->listen ? "%s--listen plays the server (the end that accepts): drop --role client"
                                     : "%s--connect plays the client (the end that connects): drop --role server", L"");
    if (o->listen || o->connect)
        o->role = o->listen ? SIDE_SERVER : SIDE_CLIENT;
    if (!o->listen && !o->connect && (o->wait_ms_given || o->max_bytes))
        return usage_error("%s--wait-ms and --max-bytes are for a run against another program: add --listen or "
                           "--connect", L"");
    if (o->max_connections > 1 && (!o->listen || o->peer))
        return usage_error("%s--max-connections plays a class: it needs --listen, without --peer", L"");
    if (o->max_connections > 1 && (o->sndbuf || o->rcvbuf))
        return usage_error("%s--sndbuf and --rcvbuf are for one connection, not a class (--max-connections)", L"");
    if (o->wire && (o->max_connections > 1 || !(o->run || o->run_file || o->replay)))
        return usage_error("%s--wire reads the capture of one run: it goes with --run, --run-file or --replay, not "
                           "a class or --record", L"");
    if (o->export_pcapng && !o->wire)
        return usage_error("%s--export-pcapng writes the segments of a capture: add --wire FILE", L"");
    if (!o->max_connections)
        o->max_connections = 1;
    return 0;
}

/* Whether the option takes a value after it. */
static int takes_value(const wchar_t *a)
{
    static const wchar_t *const names[] = {
        L"--run", L"--run-file", L"--role", L"--format", L"--payload", L"--timeout-ms", L"--record", L"--compare",
        L"--listen", L"--connect", L"--max-connections", L"--wait-ms", L"--max-bytes", L"--storm", L"--sndbuf",
        L"--rcvbuf", L"--wire", L"--replay", L"--export-pcapng"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!wcscmp(a, names[i]))
            return 1;
    return 0;
}

static int parse_args(int argc, wchar_t **argv, Options *o)
{
    memset(o, 0, sizeof *o);
    o->role = SIDE_CLIENT;
    o->format = FORMAT_TEXT;
    o->payload = -1;
    o->timeout_ms = 5000;
    o->wait_ms = 60000;
    for (int i = 1; i < argc; i++) {
        const wchar_t *a = argv[i];
        const wchar_t *v = i + 1 < argc ? argv[i + 1] : NULL;
        int takes = 1;
        if (!wcscmp(a, L"--help") || !wcscmp(a, L"-h") || !wcscmp(a, L"/?")) {
            fputs(USAGE, stdout);
            exit(0);
        } else if (!wcscmp(a, L"--version")) {
            printf("shutdownlab-cli %s\n", SL_VERSION);
            exit(0);
        } else if (!wcscmp(a, L"--list")) {
            o->list = 1;
            takes = 0;
        } else if (!wcscmp(a, L"--peer")) {
            o->peer = 1;
            takes = 0;
        } else if (!v && takes_value(a)) {
            return usage_error("%s needs a value", a);
        } else if (!wcscmp(a, L"--listen")) {
            o->listen = v;
        } else if (!wcscmp(a, L"--connect")) {
            o->connect = v;
        } else if (!wcscmp(a, L"--max-connections")) {
            int64_t n = parse_number(v, 1, 4096);
            if (n < 0)
                return usage_error("--max-connections takes a count from 1 to 4096, not '%s'", v);
            o->max_connections = (int)n;
        } else if (!wcscmp(a, L"--wait-ms")) {
            int64_t n = parse_number(v, 1, 3600000);
            if (n < 0)
                return usage_error("--wait-ms takes milliseconds from 1 to 3600000, not '%s'", v);
            o->wait_ms = (int)n;
            o->wait_ms_given = 1;
        } else if (!wcscmp(a, L"--storm")) {
            int64_t n = parse_number(v, 0, 1000000);
            if (n < 0)
                return usage_error("--storm takes a count from 0 to 1000000, not '%s'", v);
            o->storm = (int)n;
        } else if (!wcscmp(a, L"--sndbuf") || !wcscmp(a, L"--rcvbuf")) {
            int64_t n = parse_number(v, 1, 16777216);
            if (n < 0)
                return usage_error(a[2] == 's' ? "--sndbuf takes a byte count from 1 to 16777216, not '%s'"
                                               : "--rcvbuf takes a byte count from 1 to 16777216, not '%s'", v);
            *(a[2] == 's' ? &o->sndbuf : &o->rcvbuf) = (int)n;
        } else if (!wcscmp(a, L"--max-bytes")) {
            if ((o->max_bytes = parse_number(v, 1, (int64_t)1 << 40)) < 0)
                return usage_error("--max-bytes takes a byte count from 1 to 2^40, not '%s'", v);
        } else if (!wcscmp(a, L"--wire")) {
            o->wire = v;
        } else if (!wcscmp(a, L"--replay")) {
            o->replay = v;
        } else if (!wcscmp(a, L"--export-pcapng")) {
            o->export_pcapng = v;
        } else if (!wcscmp(a, L"--record")) {
            o->record_dir = v;
        } else if (!wcscmp(a, L"--compare")) {
            if (i + 2 >= argc)
                return usage_error("%s needs two recordings: --compare A.jsonl B.jsonl", a);
            o->compare[0] = v;
            o->compare[1] = argv[i + 2];
            i++;
        } else if (!wcscmp(a, L"--run")) {
            o->run = v;
        } else if (!wcscmp(a, L"--run-file")) {
            o->run_file = v;
        } else if (!wcscmp(a, L"--role")) {
            if ((o->role = side_from_name(utf8(v))) == SIDE_COUNT)
                return usage_error("--role takes client or server, not '%s'", v);
            o->role_given = 1;
        } else if (!wcscmp(a, L"--format")) {
            int k = format_kind_from_name(utf8(v));
            if (k < 0)
                return usage_error("--format takes text, tap or jsonl, not '%s'", v);
            o->format = (FormatKind)k;
        } else if (!wcscmp(a, L"--payload")) {
            if ((o->payload = parse_number(v, 0, SCENARIO_MAX_SEND)) < 0)
                return usage_error("--payload takes a byte count from 0 to 1000000000, not '%s'", v);
        } else if (!wcscmp(a, L"--timeout-ms")) {
            int64_t t = parse_number(v, 1, 600000);
            if (t < 0)
                return usage_error("--timeout-ms takes milliseconds from 1 to 600000, not '%s'", v);
            o->timeout_ms = (int)t;
        } else {
            return usage_error("unknown argument '%s'", a);
        }
        i += takes;
    }
    if (o->list + !!o->run + !!o->run_file + !!o->record_dir + !!o->compare[0] + !!o->replay != 1)
        return usage_error("%sgive exactly one of --list, --run NAME, --run-file PATH, --record DIR, --compare A B, "
                           "--replay RECORDING", L"");
    return check_external(o);
}

static int list_scenarios(void)
{
    for (size_t i = 0; i < scenario_builtin_count(); i++) {
        Scenario *sc = scenario_builtin(scenario_builtin_name(i));
        printf("%-22s %s\n", scenario_builtin_name(i), sc && sc->title ? sc->title : "(does not parse: a bug)");
        scenario_free(sc);
    }
    return 0;
}

/* Reads and parses a scenario file; errors name file:line:column (exit 2). */
static Scenario *load_file(const wchar_t *path, int *rc)
{
    char msg[1400];
    Scenario *sc = scnfile_load(path, NULL, NULL, msg, sizeof msg);
    *rc = EXIT_USAGE;
    if (!sc)
        fprintf(stderr, "%s\n", msg);
    return sc;
}

/* A sink that says each environment failure on stderr as it happens: which end, which
 * step, which call or watchdog, and after how long (the transcript on stdout has it too,
 * but a script that keeps only stderr must learn why a run exited 3). */
static int g_external;            /* the other end is another program: where it is said on stderr */
static char g_handshake[EVENT_TEXT_MAX]; /* the last handshake note */

static void env_event(Sink *s, const Event *ev)
{
    char line[GROUP_TEXT_MAX];
    (void)s;
    if (g_external && ev->kind == EV_NOTE && ev->what == EW_LISTENING)
    {
        fprintf(stderr, "shutdownlab-cli: listening %s\n", ev->text); /* port 0: the port the system chose */
        fflush(stderr);
    }
    if (ev->kind == EV_NOTE && ev->what == EW_HANDSHAKE)
        snprintf(g_handshake, sizeof g_handshake, "%s", ev->text);
    if (ev->kind != EV_CHECK || ev->verdict != VERDICT_ENVIRONMENT)
        return;
    group_event_text(ev, line, sizeof line);
    fprintf(stderr, "shutdownlab-cli: environment failure: %s%s%s%s at %.3f ms: %s\n", side_name(ev->side),
            ev->step[0] ? " (" : "", ev->step, ev->step[0] ? ")" : "", ev->t_us / 1000.0, line);
}

static void env_end(Sink *s, const Summary *sum)
{
    (void)s;
    if (sum->refused)
        fprintf(stderr, "shutdownlab-cli: the handshake failed: %s\n", g_handshake);
}

HWND cli_message_window(WNDPROC proc, const wchar_t *name)
{
    HWND hwnd = plat_message_window(proc, name, NULL);
    if (!hwnd)
        fprintf(stderr, "shutdownlab-cli: cannot create a message-only window (error %lu)\n", GetLastError());
    return hwnd;
}

static LRESULT CALLBACK cli_wndproc(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp)
{
    if (msg == WM_TIMER && wp == SL_TIMER_FLUSH) {
        fflush(stdout);
        return 0;
    }
    if (msg == WM_TIMER && wp == SL_TIMER_RUN_LIMIT) {
        /* the run as a whole overran every watchdog: never hang. The transcript still ends
         * with its summary; TerminateProcess, not ExitProcess: a stuck thread may hold a
         * lock that the C runtime's exit would wait for. */
        KillTimer(hwnd, SL_TIMER_RUN_LIMIT);
        if (g_session)
            session_abort(g_session, "the run did not end within its overall limit: a thread is stuck");
        fprintf(stderr, "shutdownlab-cli: the run did not end in time; giving up\n");
        fflush(stdout);
        fflush(stderr);
        TerminateProcess(GetCurrentProcess(), EXIT_ENVIRONMENT);
    }
    if (g_session && session_route(g_session, hwnd, msg, wp, lp))
        return 0;
    if (msg == WM_SL_COMPLETE) /* this run's (session_route dropped any other) */
        g_done = 1;
    return DefWindowProcW(hwnd, msg, wp, lp);
}

/* The run is over and its transcript written when its teardown begins: joining threads
 * and closing sockets must not keep the process alive unseen. A teardown not finished
 * within its bound says on stderr what it was waiting for and ends the process (exit 3):
 * a test then fails with that sentence instead of waiting out its own timeout. */
typedef struct Watch {
    HANDLE done, thread;
    DWORD ms;
} Watch;

static DWORD WINAPI watch_thread(LPVOID arg)
{
    Watch *w = arg;
    if (WaitForSingleObject(w->done, w->ms) == WAIT_TIMEOUT) {
        const char *in = session_stopping();
        fflush(stdout);
        fprintf(stderr,
                "shutdownlab-cli: the run is over, but ending it did not finish within %lu s (waiting for %s); "
                "the process ends here\n",
                (unsigned long)(w->ms / 1000), in ? in : "the run's window");
        fflush(stderr);
        TerminateProcess(GetCurrentProcess(), EXIT_ENVIRONMENT);
    }
    return 0;
}

/* The bound: 10 s, and the longest linger either end sets (under Wine 8 a lingering
 * closesocket in the teardown blocks up to it: reference/README.md, fact 2). */
static void watch_start(Watch *w, const Scenario *sc)
{
    int64_t linger = 0;
    for (size_t i = 0; i < sc->nops; i++)
        if (sc->ops[i].verb == OP_LINGER && sc->ops[i].arg * 1000 > linger)
            linger = sc->ops[i].arg * 1000;
    w->ms = 10000 + (DWORD)(linger < 600000 ? linger : 600000);
    w->thread = NULL;
    if ((w->done = CreateEventW(NULL, TRUE, FALSE, NULL)) && !(w->thread = CreateThread(NULL, 0, watch_thread, w, 0, NULL)))
        CloseHandle(w->done);
}

static void watch_stop(Watch *w)
{
    if (!w->thread)
        return;
    SetEvent(w->done);
    WaitForSingleObject(w->thread, INFINITE);
    CloseHandle(w->thread);
    CloseHandle(w->done);
}

int cli_run(const Scenario *sc, const Options *o, Out out)
{
    Watch watch;
    HWND hwnd;
    Formatter fmt;
    Sink env_sink = {NULL, env_event, env_end};
    SessionConfig cfg;
    char err[300];
    MSG m;
    int rc;
    struct sockaddr_in addr;
    int64_t payload = o->payload >= 0 ? o->payload : sc->payload;
    int64_t max_bytes = o->max_bytes ? o->max_bytes : payload * 2 > (64 << 20) ? payload * 2 : (64 << 20);
    int64_t limit;

    g_external = o->listen || o->connect;
    if (g_external) {
        if (cli_parse_addr(o->listen ? o->listen : o->connect, !!o->listen, &addr, err, sizeof err)) {
            fprintf(stderr, "shutdownlab-cli: %s\n", err);
            return EXIT_USAGE;
        }
        if (o->max_connections > 1) {
            Options with = *o;
            with.max_bytes = max_bytes;
            return cli_class(sc, &with, &addr, out);
        }
    }

    if (!(hwnd = cli_message_window(cli_wndproc, L"ShutdownLabCli")))
        return EXIT_ENVIRONMENT;
    memset(&cfg, 0, sizeof cfg);
    cfg.sc = sc;
    cfg.local = o->role;
    cfg.payload = o->payload;
    cfg.timeout_ms = o->timeout_ms;
    cfg.sndbuf = o->sndbuf;
    cfg.rcvbuf = o->rcvbuf;
    cfg.local_hwnd = hwnd;
    cfg.sinks[0] = formatter_init(&fmt, o->format, out);
    cfg.sinks[1] = &env_sink;
    cfg.nsinks = 2;
    cfg.version = SL_VERSION;
    cfg.storm = o->storm;
    cfg.wire = o->wire;
    if (g_external) {
        cfg.peer = o->peer ? SESSION_PEER : SESSION_EXTERNAL;
        cfg.addr = addr;
        cfg.wait_ms = o->wait_ms;
        cfg.max_received = max_bytes;
    }
    if (!(g_session = session_create(&cfg, err, sizeof err))) {
        fprintf(stderr, "shutdownlab-cli: %s\n", err);
        DestroyWindow(hwnd);
        return EXIT_ENVIRONMENT;
    }
    limit = scenario_limit_ms(sc, o->timeout_ms) + (g_external ? o->wait_ms : 0) + (o->wire ? 6000 : 0);
    SetTimer(hwnd, SL_TIMER_RUN_LIMIT, limit > 0x7fffffff ? 0x7fffffffu : (UINT)limit, NULL);
    SetTimer(hwnd, SL_TIMER_FLUSH, 50, NULL);
    g_done = 0;
    session_start(g_session);
    while (!g_done && GetMessageW(&m, NULL, 0, 0) > 0) {
        TranslateMessage(&m);
        DispatchMessageW(&m);
    }
    rc = session_summary(g_session)->exit_code;
    if (session_wire_failed(g_session, err, sizeof err)) { /* bad input: said where it is wrong */
        fprintf(stderr, "shutdownlab-cli: --wire %s\n", err);
        rc = EXIT_USAGE;
    } else if (o->export_pcapng && session_wire_match(g_session) &&
               cli_export_pcapng(o->wire, session_wire_match(g_session), o->export_pcapng)) {
        rc = EXIT_USAGE;
    }
    KillTimer(hwnd, SL_TIMER_RUN_LIMIT);
    KillTimer(hwnd, SL_TIMER_FLUSH);
    fflush(stdout);
    watch_start(&watch, sc);
    session_destroy(g_session);
    g_session = NULL;
    DestroyWindow(hwnd);
    watch_stop(&watch);
    return rc;
}

static int run_named(const wchar_t *name, const Options *o)
{
    char n[SCENARIO_NAME_MAX];
    Scenario *sc;
    int rc;
    if (WideCharToMultiByte(CP_UTF8, 0, name, -1, n, sizeof n, NULL, NULL) == 0 || !(sc = scenario_builtin(n))) {
        fprintf(stderr, "shutdownlab-cli: no built-in scenario '%s' (see --list)\n", utf8(name));
        return EXIT_USAGE;
    }
    rc = cli_run(sc, o, (Out){out_stdout, NULL});
    scenario_free(sc);
    return rc;
}

int wmain(int argc, wchar_t **argv)
{
    Options o;
    int rc;
    _setmode(_fileno(stdout), _O_BINARY); /* "\n" as written: transcripts are identical everywhere */
    setvbuf(stdout, NULL, _IOFBF, 1 << 16); /* out_stdout says when */
    SetConsoleOutputCP(CP_UTF8);          /* names and explanations are UTF-8 */
    if ((rc = parse_args(argc, argv, &o)))
        return rc;
    if (o.list)
        return list_scenarios();
    if (o.compare[0])
        return cli_compare(o.compare[0], o.compare[1]);
    if (o.replay)
        return cli_replay(o.replay, &o);
    if (plat_winsock_start()) {
        fprintf(stderr, "shutdownlab-cli: WSAStartup failed\n");
        return EXIT_ENVIRONMENT;
    }
    if (o.run) {
        rc = run_named(o.run, &o);
    } else if (o.record_dir) {
        rc = cli_record(o.record_dir, &o);
    } else {
        Scenario *sc = load_file(o.run_file, &rc);
        if (sc) {
            rc = cli_run(sc, &o, (Out){out_stdout, NULL});
            scenario_free(sc);
        }
    }
    WSACleanup();
    return rc;
}
