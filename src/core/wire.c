/* wire.c: the wire, inferred from the calls (wire.h). */
#include "wire.h"

#include <string.h>

#define WSAECONNABORTED_ 10053
#define WSAECONNRESET_ 10054

void wire_reset(Wire *w)
{
    memset(w, 0, sizeof *w);
}

static WireKind on_close(Wire *w, Side s)
{
    int unread = w->sent[!s] > w->received[s]; /* closing with the peer's data unread */
    int was_fin = w->fin_sent[s];
    w->fin_sent[s] = 1;
    if (w->reset)
        return WIRE_NONE; /* the connection is gone: nothing more goes out */
    if (w->linger0[s] || unread) {
        w->reset = 1;
        return WIRE_RST;
    }
    return was_fin ? WIRE_NONE : WIRE_FIN;
}

WireKind wire_infer(Wire *w, const Event *ev)
{
    Side s = ev->side;
    if (ev->kind != EV_CALL || ev->stale)
        return WIRE_NONE;
    if (ev->bytes > 0 && ev->what == EW_SEND)
        w->sent[s] += ev->bytes;
    else if (ev->bytes > 0 && ev->what == EW_RECV)
        w->received[s] += ev->bytes;
    if (ev->has_result && ev->result < 0)
        return WIRE_NONE; /* a call that failed sent nothing */
    switch (ev->what) {
    case EW_SEND:
        return ev->bytes > 0 ? WIRE_DATA : WIRE_NONE;
    case EW_LINGER:
        w->linger0[s] = ev->args.linger_s == 0;
        return WIRE_NONE;
    case EW_DONTLINGER:
        w->linger0[s] = 0;
        return WIRE_NONE;
    case EW_SHUTDOWN:
        if (ev->args.how == 0 || w->fin_sent[s])
            return WIRE_NONE; /* SD_RECEIVE sends nothing */
        w->fin_sent[s] = 1;
        return WIRE_FIN;
    case EW_SENDDISCONNECT:
        if (w->fin_sent[s])
            return WIRE_NONE;
        w->fin_sent[s] = 1;
        return WIRE_FIN;
    case EW_CLOSESOCKET:
        return on_close(w, s);
    default:
        return WIRE_NONE;
    }
}

int wire_reaches(WireKind k, EventKind kind, EventWhat what, int error, int eof)
{
    switch (k) {
    case WIRE_DATA:
        return kind == EV_MESSAGE && what == EW_FD_READ;
    case WIRE_FIN:
        return (kind == EV_MESSAGE && what == EW_FD_CLOSE) || (kind == EV_CALL && what == EW_RECV && !error && eof);
    case WIRE_RST:
        return (kind == EV_MESSAGE && what == EW_FD_CLOSE) ||
               (kind == EV_CALL && (error == WSAECONNRESET_ || error == WSAECONNABORTED_));
    default:
        return 0;
    }
}

const char *wire_name(WireKind k)
{
    return k == WIRE_DATA ? "data" : k == WIRE_FIN ? "FIN" : k == WIRE_RST ? "RST" : "";
}
