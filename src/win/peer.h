/* peer.h: the embedded peer's home: a thread of its own with a message-only window and a
 * message loop, exactly as a second program would have. Whatever arrives at that window
 * goes to its owner (the session) with one call; the peer knows nothing else of the run. */
#ifndef SHUTDOWNLAB_PEER_H
#define SHUTDOWNLAB_PEER_H

#include <winsock2.h>
#include <windows.h>

#include <stddef.h>

/* Handles a message of the peer's window; nonzero when it did. */
typedef int (*PeerRoute)(void *ctx, HWND hwnd, UINT msg, WPARAM wp, LPARAM lp);

typedef struct Peer {
    HANDLE thread;
    HANDLE ready;
    HWND hwnd;     /* the peer's window (NULL once stopped) */
    PeerRoute route;
    void *ctx;
} Peer;

/* Starts the thread and its window; 0, or -1 with a message in err. */
int peer_start(Peer *p, PeerRoute route, void *ctx, char *err, size_t errsize);
/* Runs last(ctx) on the peer's own thread (its teardown: the end's sockets belong to it),
 * then ends the thread and waits for it. Safe when never started, and twice. */
void peer_stop(Peer *p, void (*last)(void *ctx), void *ctx);

#endif
