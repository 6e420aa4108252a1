/* openfile.c: a teacher's own scenario file, opened in the GUI with the CLI's own loader
 * (scnfile.h; docs/scenario-format.md: "the GUI opens the same files"): File > Open
 * scenario file... and --scenario-file PATH. An error names file:line:column, in a message
 * box or, from the command line, on stderr (exit 2). The opened scenario joins the chooser
 * as "NAME (file)". */
#include "ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../res/resource.h"
#include "check.h"
#include "lazy.h"
#include "scnfile.h"

/* The command line's --scenario-file, the first scenario: 0, or -1 with the error on stderr. */
int ui_open_file_arg(App *a, const wchar_t *path)
{
    char msg[1400], *text = NULL;
    size_t len = 0;
    Scenario *sc = scnfile_load(path, &text, &len, msg, sizeof msg);
    if (!sc) {
        fprintf(stderr, "shutdownlab: %s\n", msg);
        return -1;
    }
    SL_ASSERT(!a->run.sc && !a->run.session); /* the first scenario, before any run */
    a->run.file_text = text;
    a->run.file_len = len;
    a->run.sc = sc;
    a->run.sc_is_file = 1;
    return 0;
}

/* Runs the opened file's scenario again (chosen in the chooser). */
int ui_select_file_scenario(App *a)
{
    ScenarioError err;
    Scenario *sc;
    if (!a->run.file_text || !(sc = scenario_parse(a->run.file_text, a->run.file_len, &err)))
        return -1;
    ui_use_scenario(a, sc, 1);
    return 0;
}

int ui_ask_path(App *a, UINT filter_id, const wchar_t *ext, wchar_t *path, int save)
{
    OPENFILENAMEW ofn;
    wchar_t filter[160];
    ui_load(filter_id, filter, 160);
    for (wchar_t *p = filter; *p; p++) /* "a|b|" in the STRINGTABLE: NULs in the dialog's */
        if (*p == L'|')
            *p = L'\0';
    memset(&ofn, 0, sizeof ofn);
    ofn.lStructSize = sizeof ofn;
    ofn.hwndOwner = a->hwnd;
    ofn.lpstrFilter = filter;
    ofn.lpstrFile = path;
    ofn.nMaxFile = MAX_PATH;
    ofn.lpstrDefExt = ext;
    ofn.Flags = save ? OFN_OVERWRITEPROMPT | OFN_PATHMUSTEXIST | OFN_NOCHANGEDIR
                     : OFN_FILEMUSTEXIST | OFN_PATHMUSTEXIST | OFN_HIDEREADONLY;
    {
        BOOL(WINAPI * dialog)(OPENFILENAMEW *) =
            (void *)lazy_proc(L"comdlg32.dll", save ? "GetSaveFileNameW" : "GetOpenFileNameW");
        return dialog && dialog(&ofn) ? 0 : -1;
    }
}

/* File > Open scenario file... (Ctrl+O). */
void ui_open_file(App *a)
{
    wchar_t path[MAX_PATH] = L"", msg[1400], title[64];
    char *text = NULL, err[1400];
    size_t len = 0;
    Scenario *sc;
    if (ui_ask_path(a, IDS_OPEN_FILTER, L"scn", path, 0) < 0)
        return;
    if (!(sc = scnfile_load(path, &text, &len, err, sizeof err))) {
        ui_wide(err, msg, 1400);
        ui_load(IDS_APP_TITLE, title, 64);
        MessageBoxW(a->hwnd, msg, title, MB_ICONERROR);
        return;
    }
    free(a->run.file_text);
    a->run.file_text = text;
    a->run.file_len = len;
    ui_freeze(a);
    ui_use_scenario(a, sc, 1);
    ui_fill_scenarios(a);
    ui_layout(a);
    ui_thaw(a);
}
