/* wire.h: what went on the wire, inferred from the calls both ends made (no capture is
 * made or claimed): data when a send moved bytes; a FIN with the first shutdown(SD_SEND or
 * SD_BOTH), WSASendDisconnect or graceful closesocket; an RST with a closesocket under
 * SO_LINGER {1,0} or with the peer's data still unread (RFC 1122 4.2.2.13), after which
 * nothing more goes out. The ladder draws these as arrows labelled "inferred". */
#ifndef SHUTDOWNLAB_WIRE_H
#define SHUTDOWNLAB_WIRE_H

#include <stdint.h>

#include "event.h"

typedef enum WireKind { WIRE_NONE, WIRE_DATA, WIRE_FIN, WIRE_RST } WireKind;

typedef struct Wire {
    int64_t sent[SIDE_COUNT], received[SIDE_COUNT];
    int fin_sent[SIDE_COUNT];
    int linger0[SIDE_COUNT]; /* SO_LINGER {1,0} is set: a close is abortive */
    int reset;               /* an RST went: the connection is gone */
} Wire;

void wire_reset(Wire *w);
/* Follows one event of the run (every event, in the order the ends stamped them) and
 * says what that event, a call, sent to the other end. */
WireKind wire_infer(Wire *w, const Event *ev);
/* Whether an arrow of this kind can be what the other end's event reports: data an
 * FD_READ; a FIN an FD_CLOSE or a recv that returned 0 (eof); an RST an FD_CLOSE or a
 * call that failed with WSAECONNRESET or WSAECONNABORTED. */
int wire_reaches(WireKind k, EventKind kind, EventWhat what, int error, int eof);
/* "data", "FIN", "RST" */
const char *wire_name(WireKind k);

#endif
