/* uitext.h: words on screen: strings from the STRINGTABLE (so the tool can be
 * translated), UTF-8 from the core made wide, and the one way the GUI measures text. */
#ifndef SHUTDOWNLAB_UITEXT_H
#define SHUTDOWNLAB_UITEXT_H

#include <winsock2.h>
#include <windows.h>

#include <stddef.h>
#include <wchar.h>

/* A STRINGTABLE string; "" when there is none. */
void ui_load(UINT id, wchar_t *buf, int size);
/* A STRINGTABLE format string filled in (_vsnwprintf). */
void ui_format(wchar_t *buf, size_t size, UINT id, ...);
/* UTF-8 (the core's words) as a wide string, "" when it does not convert. */
void ui_wide(const char *utf8, wchar_t *buf, int size);
/* The size of s in font f (NULL: the one selected) on dc, in pixels (the font is put
 * back); and its width alone. The one way the GUI measures words. */
SIZE ui_text_size(HDC dc, HFONT f, const wchar_t *s);
int ui_text_w(HDC dc, HFONT f, const wchar_t *s);

#endif
