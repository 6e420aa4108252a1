/* lazy.h: a system DLL loaded when a feature first needs it, not at launch. Under Wine,
 * ole32 (for WIC, the screenshots' PNG encoder) and comdlg32 (the file dialogs) each pull
 * in a dozen more DLLs: linked normally they were most of the time to the first paint, for
 * features a class may never use (issue 10). Both are Windows system DLLs. */
#ifndef SHUTDOWNLAB_LAZY_H
#define SHUTDOWNLAB_LAZY_H

#include <windows.h>

/* The function, or NULL when the DLL or the function is missing (the caller says so). */
static inline FARPROC lazy_proc(const wchar_t *dll, const char *name)
{
    HMODULE m = GetModuleHandleW(dll);
    if (!m)
        m = LoadLibraryExW(dll, NULL, LOAD_LIBRARY_SEARCH_SYSTEM32);
    if (!m)
        m = LoadLibraryW(dll); /* LOAD_LIBRARY_SEARCH_* is missing before KB2533623 */
    return m ? GetProcAddress(m, name) : NULL;
}

#endif
