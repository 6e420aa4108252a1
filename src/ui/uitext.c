/* uitext.c: strings and text widths (uitext.h). */
#include "uitext.h"

#include <stdarg.h>

void ui_load(UINT id, wchar_t *buf, int size)
{
    if (!LoadStringW(GetModuleHandleW(NULL), id, buf, size))
        buf[0] = L'\0';
}

void ui_format(wchar_t *buf, size_t size, UINT id, ...)
{
    wchar_t fmt[512];
    va_list ap;
    ui_load(id, fmt, 512);
    va_start(ap, id);
    _vsnwprintf(buf, size, fmt, ap);
    va_end(ap);
    buf[size - 1] = L'\0';
}

void ui_wide(const char *utf8, wchar_t *buf, int size)
{
    if (!MultiByteToWideChar(CP_UTF8, 0, utf8, -1, buf, size))
        buf[0] = L'\0';
    buf[size - 1] = L'\0';
}

SIZE ui_text_size(HDC dc, HFONT f, const wchar_t *s)
{
    SIZE sz = {0, 0};
    HGDIOBJ old = f ? SelectObject(dc, f) : NULL;
    GetTextExtentPoint32W(dc, s, (int)wcslen(s), &sz);
    if (f)
        SelectObject(dc, old);
    return sz;
}

int ui_text_w(HDC dc, HFONT f, const wchar_t *s)
{
    return ui_text_size(dc, f, s).cx;
}
