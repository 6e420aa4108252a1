/* replay.h: a recording (recording.h) played in the window as a live run would show it:
 * its events reach the views through the same sink and drain; Step shows the next step,
 * Back the one before, Run the rest (at the chosen speed); everything says it is a
 * recording, and from where ("Recording from Windows 10.0.19045"). */
#ifndef SHUTDOWNLAB_REPLAY_H
#define SHUTDOWNLAB_REPLAY_H

#include <winsock2.h>
#include <windows.h>

struct App;

/* Loads a recording and plays it (the command line's --replay, File > Open recording).
 * 0, or -1 with the error (file:line:column) on stderr (cmdline) or in a message box. */
int ui_replay_open(struct App *a, const wchar_t *path, int cmdline);
/* A new run of the recording: its set-up shown, held before its first step. */
void ui_replay_start(struct App *a);
void ui_replay_step(struct App *a);
void ui_replay_back(struct App *a);
/* Everything that is left (Run at full speed). */
void ui_replay_all(struct App *a);
/* How many of the recording's steps are shown, of how many. */
void ui_replay_progress(const struct App *a, int *done, int *total);
/* WM_UI_REPLAY_END: the recording's summary is shown; the run completes as a live one. */
void ui_replay_end(struct App *a);
/* The window title of a finished run, with where the recording came from. */
void ui_replay_title(const struct App *a, wchar_t *title, int size);
/* Back to live runs: the recording goes. 1 when one was playing (the scenario chooser's
 * "(recording)" item must go too). */
int ui_replay_close(struct App *a);
/* File > Open recording... */
void ui_open_recording(struct App *a);
/* "Recording from ..." for every view to show; 0 (and "") when no recording plays. */
int ui_replay_label(const struct App *a, wchar_t *buf, int size);

#endif
