/* ui_messages.h: the GUI's own window messages, in the range the Winsock layer leaves to
 * a front end (messages.h); its timer ids are in messages.h's one list. */
#ifndef SHUTDOWNLAB_UI_MESSAGES_H
#define SHUTDOWNLAB_UI_MESSAGES_H

#include "messages.h"

enum {
    WM_UI_EVENTS = WM_SL_FRONT_END_FIRST, /* the sink queued events: drain them */
    WM_UI_REPLAY_END,                     /* a recording's summary is shown: complete the run */
    WM_UI_PEER_LOOKED_UP,                 /* Run > Peer...'s host name is looked up (dialogs.c) */
};

#endif
