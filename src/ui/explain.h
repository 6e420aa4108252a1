/* explain.h: the explanation pane, custom-drawn: the current step with the scenario's
 * sentence for it and its check against Windows, the table's order rules as the core
 * judges them, the last prediction's answer, and each end's byte counters. */
#ifndef SHUTDOWNLAB_EXPLAIN_H
#define SHUTDOWNLAB_EXPLAIN_H

#include <winsock2.h>
#include <windows.h>

typedef struct ExplainView {
    HWND hwnd;
    int scroll, total; /* the pane's scroll offset and content height */
} ExplainView;

ATOM ui_register_explain(HINSTANCE inst);

#endif
