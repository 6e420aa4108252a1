/* ladder.h: the ladder (sequence) diagram, custom-drawn from the core's ladder model
 * (ladder_model.h): two lanes, each end's calls and messages on its own lane, each end's
 * TCP state as the OS's table reports it, the inferred arrows between, labelled so, and a
 * capture's segments observed on the wire (ladder_arrows.c). */
#ifndef SHUTDOWNLAB_LADDER_H
#define SHUTDOWNLAB_LADDER_H

#include <winsock2.h>
#include <windows.h>

#include "ladder_model.h"

struct App;

typedef struct LadderView {
    HWND hwnd;
    Ladder model; /* written by the drain only */
} LadderView;

ATOM ui_register_ladder(HINSTANCE inst);
/* Paints the ladder into rc (the window, or an export's bitmap). */
void ui_ladder_paint(struct App *a, HDC dc, const RECT *rc);
/* Whether an arrow is drawn dashed: inferred beside a capture's solid (observed) ones, or
 * without a capture an RST or an arrow that reaches nothing. The state file says it as the
 * painter does. */
int ui_ladder_dashed(const struct App *a, const LadderItem *it);

#endif
