/* cli.h: what the headless runner's files share: its options, its exit codes, a run, and
 * the recording commands (record.c). */
#ifndef SHUTDOWNLAB_CLI_H
#define SHUTDOWNLAB_CLI_H

#include <winsock2.h>
#include <windows.h>
#include <wchar.h>

#include "format.h"
#include "scenario.h"

#ifndef SL_VERSION
#define SL_VERSION "0.0.0"
#endif

enum { EXIT_MISMATCH = 1, EXIT_USAGE = 2, EXIT_ENVIRONMENT = 3 };

typedef struct Options {
    int list;
    const wchar_t *run;
    const wchar_t *run_file;
    const wchar_t *record_dir;  /* --record DIR */
    const wchar_t *compare[2];  /* --compare A B */
    Side role;
    FormatKind format;
    int64_t payload;
    int timeout_ms;
    /* beyond one machine (SPEC section 7) */
    const wchar_t *listen;      /* --listen [ADDR:]PORT: this end is the server, facing any client */
    const wchar_t *connect;     /* --connect HOST:PORT: this end is the client, facing any server */
    int peer;                   /* --peer: this process is another ShutdownLab's peer */
    int max_connections;        /* --max-connections N: a class at once (1: one connection) */
    int wait_ms;                /* --wait-ms: how long to wait for the connection */
    int wait_ms_given;
    int64_t max_bytes;          /* --max-bytes: what the other program may send per connection */
    int role_given;
    int storm;                  /* --storm N: a benchmark's own FD_READs (SessionConfig.storm) */
    int sndbuf, rcvbuf;         /* --sndbuf, --rcvbuf: each end's socket buffers (0: the system's) */
    const wchar_t *wire;        /* --wire FILE: a capture of the run, read as it is written */
    const wchar_t *replay;      /* --replay REC.jsonl: a recording printed again (with --wire: a capture joined) */
    const wchar_t *export_pcapng; /* --export-pcapng OUT: the run's segments with their causes */
} Options;

/* A wide string as UTF-8 (two buffers in turn, so two may be in one message). */
const char *utf8(const wchar_t *w);
/* Plays sc once (o->role, o->payload, o->timeout_ms), the transcript in o->format to out.
 * Returns the run's exit code. */
int cli_run(const Scenario *sc, const Options *o, Out out);
/* --record DIR: every built-in scenario in both roles, each run's jsonl and a manifest. */
int cli_record(const wchar_t *dir, const Options *o);
/* An address for --listen ([ADDR:]PORT; loopback without ADDR) or --connect (HOST:PORT):
 * 0, or -1 with a message in err. */
struct sockaddr_in;
int cli_parse_addr(const wchar_t *s, int listening, struct sockaddr_in *out, char *err, size_t errsize);
/* A message-only window of this class name and procedure (the runner's sockets post to
 * it); NULL, said on stderr, when it cannot be made. */
HWND cli_message_window(WNDPROC proc, const wchar_t *name);
/* --listen with --max-connections N > 1: a class at once (classroom.h). */
int cli_class(const Scenario *sc, const Options *o, const struct sockaddr_in *addr, Out out);
/* --replay REC [--wire CAP] [--export-pcapng OUT]: the recording in o->format, a capture
 * joined to it; the recording's exit code, or 2 when a file is bad. */
int cli_replay(const wchar_t *path, const Options *o);
/* The capture's segments of m's connection to out as pcapng, each with its cause: 0, or 2
 * said on stderr. */
struct WireMatch;
int cli_export_pcapng(const wchar_t *capture, const struct WireMatch *m, const wchar_t *out);
/* --compare A B: 0 when the recordings agree, 1 when they differ, 2 when one is bad. */
int cli_compare(const wchar_t *a, const wchar_t *b);

#endif
