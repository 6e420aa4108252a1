/* cmdline.h: shutdownlab.exe's command line, for demos and tests (SPEC section 6). */
#ifndef SHUTDOWNLAB_CMDLINE_H
#define SHUTDOWNLAB_CMDLINE_H

#include <winsock2.h>
#include <windows.h>

#include "event.h"
#include "scenario.h"

/* Who plays the other end (SPEC section 7): the embedded peer, or another program this
 * end listens for (it plays the server) or connects to (the client). */
typedef enum UiPeerMode { UI_PEER_EMBEDDED, UI_PEER_LISTEN, UI_PEER_CONNECT } UiPeerMode;

typedef struct UiPeer {
    UiPeerMode mode;
    int as_peer;             /* --peer: this process plays the other end of another ShutdownLab's run */
    struct sockaddr_in addr; /* listen or connect: where */
    wchar_t text[128];       /* the address as given ("0.0.0.0:5000"), offered again by the Peer dialog */
} UiPeer;

typedef struct UiOptions {
    char scenario[SCENARIO_NAME_MAX];
    Side role;
    int autoplay;
    int exit_after_run;
    int predict;
    wchar_t scenario_file[MAX_PATH]; /* --scenario-file: a teacher's .scn */
    wchar_t screenshot[MAX_PATH];
    wchar_t state_out[MAX_PATH];
    wchar_t export_text[MAX_PATH];    /* --export-text: the transcript, when the run is over */
    wchar_t export_diagram[MAX_PATH]; /* --export-diagram: the ladder as PNG, likewise */
    wchar_t replay[MAX_PATH];         /* --replay: a recording to play instead of a live run */
    wchar_t record[MAX_PATH];         /* --record: the live run's jsonl, written as it happens */
    wchar_t wire[MAX_PATH];           /* --wire: a capture of the live run as it is written, or the
                                       * --replay recording's capture (SessionConfig.wire; wiremerge.h) */
    int pure_acks;                    /* --pure-acks: the ladder shows pure ACKs (View > Pure ACKs) */
    double zoom;
    int storm;                        /* --storm N: a benchmark's own FD_READs (SessionConfig.storm) */
    UiPeer peer;                      /* --listen, --connect, --peer */
    int role_given;                   /* --role was given: --listen or --connect must agree */
} UiOptions;

/* 0 ok, 1 --help printed, -1 bad usage (message on stderr). */
int ui_parse_args(int argc, wchar_t **argv, UiOptions *o);
void ui_print_usage(void);
/* An address to listen on ([ADDR:]PORT, 127.0.0.1 without ADDR: another machine is an
 * explicit choice) or to connect to (HOST:PORT); the port from 1 to 65535. 0, or -1 with
 * the reason in err (for stderr or the Peer dialog). Winsock must be started. */
int ui_parse_addr(const wchar_t *s, int listening, struct sockaddr_in *out, wchar_t *err, int errsize);

#endif
