/* openfile.c: a teacher's own scenario file, opened in the GUI as the CLI's --run-file
 * does (docs/scenario-format.md: "the GUI opens the same files"): File > Open scenario
 * file... and --scenario-file PATH. The file is parsed with scenario_parse; an error names
 * file:line:column, in a message box or, from the command line, on stderr (exit 2). The
 * opened scenario joins the chooser as "NAME (file)". */
#include "ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../res/resource.h"

/* Reads and parses path. On error msg gets "path:line:column: message". */
static Scenario *load(const wchar_t *path, char **text_out, size_t *len_out, wchar_t *msg, size_t size)
{
    FILE *f = _wfopen(path, L"rb");
    char *text;
    size_t len;
    ScenarioError err;
    Scenario *sc;
    if (!f) {
        ui_format(msg, size, IDS_OPEN_CANNOT, path);
        return NULL;
    }
    if (!(text = malloc(SCENARIO_MAX_BYTES + 1))) {
        fclose(f);
        ui_format(msg, size, IDS_OPEN_CANNOT, path);
        return NULL;
    }
    len = fread(text, 1, SCENARIO_MAX_BYTES + 1, f);
    fclose(f);
    memset(&err, 0, sizeof err);
    if (!(sc = scenario_parse(text, len, &err))) {
        wchar_t m[200];
        MultiByteToWideChar(CP_UTF8, 0, err.message, -1, m, 200);
        m[199] = L'\0';
        if (err.line)
            _snwprintf(msg, size, L"%ls:%d:%d: %ls", path, err.line, err.column, m);
        else
            _snwprintf(msg, size, L"%ls: %ls", path, m);
        msg[size - 1] = L'\0';
        free(text);
        return NULL;
    }
    *text_out = text;
    *len_out = len;
    return sc;
}

/* The command line's --scenario-file: 0, or -1 with the error on stderr. */
int ui_open_file_arg(App *a, const wchar_t *path)
{
    wchar_t msg[600];
    char *text = NULL, u[1200];
    size_t len = 0;
    Scenario *sc = load(path, &text, &len, msg, 600);
    if (!sc) {
        WideCharToMultiByte(CP_UTF8, 0, msg, -1, u, sizeof u, NULL, NULL);
        fprintf(stderr, "shutdownlab: %s\n", u);
        return -1;
    }
    free(a->file_text);
    a->file_text = text;
    a->file_len = len;
    scenario_free(a->sc);
    a->sc = sc;
    a->sc_is_file = 1;
    return 0;
}

/* Runs the opened file's scenario again (chosen in the chooser). */
int ui_select_file_scenario(App *a)
{
    ScenarioError err;
    Scenario *sc;
    if (!a->file_text || !(sc = scenario_parse(a->file_text, a->file_len, &err)))
        return -1;
    ui_use_scenario(a, sc, 1);
    return 0;
}

/* File > Open scenario file... (Ctrl+O). */
void ui_open_file(App *a)
{
    OPENFILENAMEW ofn;
    wchar_t path[MAX_PATH] = L"", filter[160], msg[600], title[64];
    char *text = NULL;
    size_t len = 0;
    Scenario *sc;
    ui_load(IDS_OPEN_FILTER, filter, 160);
    for (wchar_t *p = filter; *p; p++)
        if (*p == L'|')
            *p = L'\0';
    memset(&ofn, 0, sizeof ofn);
    ofn.lStructSize = sizeof ofn;
    ofn.hwndOwner = a->hwnd;
    ofn.lpstrFilter = filter;
    ofn.lpstrFile = path;
    ofn.nMaxFile = MAX_PATH;
    ofn.lpstrDefExt = L"scn";
    ofn.Flags = OFN_FILEMUSTEXIST | OFN_PATHMUSTEXIST | OFN_HIDEREADONLY;
    if (!GetOpenFileNameW(&ofn))
        return;
    if (!(sc = load(path, &text, &len, msg, 600))) {
        ui_load(IDS_APP_TITLE, title, 64);
        MessageBoxW(a->hwnd, msg, title, MB_ICONERROR);
        return;
    }
    session_destroy(a->session);
    a->session = NULL;
    ui_model_reset(a);
    free(a->file_text);
    a->file_text = text;
    a->file_len = len;
    scenario_free(a->sc);
    a->sc = sc;
    a->sc_is_file = 1;
    ui_fill_scenarios(a);
    ui_new_run(a, 1);
    ui_layout(a);
}
