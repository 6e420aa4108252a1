/* predict.h: prediction mode. Before each of the peer's steps the student picks what
 * their own end will see next; after the step the tool reveals what it saw and scores. */
#ifndef SHUTDOWNLAB_PREDICT_H
#define SHUTDOWNLAB_PREDICT_H

#include <winsock2.h>
#include <windows.h>

#include "event.h"

struct App;

enum { PRED_FD_READ, PRED_FD_CLOSE_OK, PRED_FD_CLOSE_ERR, PRED_RECV_ERR, PRED_NOTHING, PRED_COUNT };

typedef struct Prediction {
    int on;          /* prediction mode */
    int pending;     /* a prediction waits for its answer */
    int choice;
    int seen;        /* PRED_* the local end saw since the release, -1 none */
    int right, total;
    wchar_t result[200];
} Prediction;

int ui_predict_ask(struct App *a); /* 1 asked and chosen, 0 cancelled */
void ui_predict_observe(struct App *a, const Event *ev);
void ui_predict_reveal(struct App *a);
const wchar_t *ui_predict_name(int which, wchar_t *buf, int size);

#endif
