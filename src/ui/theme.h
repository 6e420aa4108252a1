/* theme.h: what makes the GUI readable from the back of a room: DPI awareness, one zoom
 * factor for the views' fonts and drawing (not the toolbar row's), colours that give way to the system's in high
 * contrast; and the custom-drawn panels' common window class and buffered painting. */
#ifndef SHUTDOWNLAB_THEME_H
#define SHUTDOWNLAB_THEME_H

#include <winsock2.h>
#include <windows.h>

typedef struct Theme {
    double zoom;
    UINT dpi;
    int high_contrast;
    HFONT font, font_bold, font_small, font_small_bold, font_big;
    int font_h; /* pixel height of a line of `font` */
    /* the toolbar row's (buttons, the choosers, their labels): the DPI's, not zoomed, as an
     * application's controls stay put when its document is zoomed */
    HFONT font_ui;
    int font_ui_h;
} Theme;

enum {
    UC_BG, UC_TEXT, UC_DIM, UC_DONE_BG, UC_LATE_BG, UC_NEXT_BG, UC_CLIENT, UC_SERVER, UC_DATA, UC_FIN, UC_RST,
    UC_MESSAGE, UC_ERROR, UC_STATE_BG, UC_LANE, UC_KNOWN_BG, UC_KNOWN_TEXT, UC_DISPUTED_BG, UC_DISPUTED, UC_UNOBSERVED_BG,
    UC_COUNT
};

void ui_dpi_init(void);
UINT ui_window_dpi(HWND hwnd);
/* The fonts for the theme's DPI and zoom; ref is a window to measure with. */
void ui_fonts_make(Theme *t, HWND ref);
void ui_fonts_free(Theme *t);
int ui_px(const Theme *t, int px96); /* scales 96-DPI pixels by DPI and zoom */
int ui_px_ui(const Theme *t, int px96); /* by DPI alone: the toolbar row's */
COLORREF ui_color(const Theme *t, int which);
void ui_theme_refresh(Theme *t);

/* The custom-drawn panels (the ladder, the explanation pane). */
struct App;
typedef void (*PanelPaint)(struct App *a, HDC dc, const RECT *rc);
/* Registers a panel's window class (no background brush: it paints it all). */
ATOM ui_register_panel(HINSTANCE inst, WNDPROC proc, const wchar_t *name);
/* A panel's App (set at WM_NCCREATE from the creation parameter). */
struct App *ui_panel_app(HWND hwnd, UINT msg, LPARAM lParam);
/* The painting messages (WM_ERASEBKGND, WM_PAINT, WM_PRINTCLIENT, WM_SIZE): nonzero when
 * msg was one; its result is then 1 for WM_ERASEBKGND and 0 otherwise. */
int ui_panel_paint_msg(struct App *a, HWND hwnd, UINT msg, WPARAM wParam, PanelPaint paint);
/* Paints through an off-screen bitmap: no flicker while a burst repaints it. */
void ui_paint_buffered(struct App *a, HWND hwnd, HDC dc, PanelPaint paint);

#endif
