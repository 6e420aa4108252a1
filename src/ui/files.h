/* files.h: what comes in and goes out as files: a scenario file (File > Open,
 * --scenario-file), the transcript as text and on the clipboard, the ladder as PNG, the
 * window's picture of itself and the state file the GUI tests read. */
#ifndef SHUTDOWNLAB_FILES_H
#define SHUTDOWNLAB_FILES_H

#include <winsock2.h>
#include <windows.h>

struct App;

/* openfile.c */
/* The common file dialog: save (with the name suggested in path) or open a file of the
 * STRINGTABLE filter filter_id ("Text files|*.txt|..."); 0 with path filled, -1 cancelled. */
int ui_ask_path(struct App *a, UINT filter_id, const wchar_t *ext, wchar_t *path, int save);
int ui_open_file_arg(struct App *a, const wchar_t *path); /* 0, or -1 with the error on stderr */
int ui_select_file_scenario(struct App *a);
void ui_open_file(struct App *a);
/* export.c */
void ui_export_text(struct App *a);
int ui_write_text(struct App *a, const wchar_t *path);    /* 0 or -1 */
int ui_write_diagram(struct App *a, const wchar_t *path); /* 0 or -1 */
void ui_copy_transcript(struct App *a);
void ui_export_diagram(struct App *a);
/* capture.c */
HBITMAP ui_dib(HDC ref, int w, int h, void **bits);
int ui_write_png(const wchar_t *path, HBITMAP bmp, int w, int h);
int ui_capture_window(struct App *a, const wchar_t *path, int *w, int *h);
int ui_write_state(struct App *a, const wchar_t *path, int shot_w, int shot_h);
/* dialogs.c */
void ui_about(struct App *a);
void ui_scenario_details(struct App *a);
/* Run > Peer...: who plays the other end. 1 with *p changed when OK was pressed on a good
 * address, 0 on Cancel (*p as it was). */
struct UiPeer;
int ui_peer_dialog(struct App *a, struct UiPeer *p);

#endif
