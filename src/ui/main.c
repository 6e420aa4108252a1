/* main.c: shutdownlab.exe's entry point: the command line, DPI awareness, the window
 * classes and the message loop (accelerators first, then dialog-style keyboard navigation
 * so Tab and the mnemonics reach every control of the main window). */
#include "ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../res/resource.h"
#include "platform.h"

static App g_app;

/* Space steps, except where it already means something: pressing a focused button. */
static int wants_accelerator(const MSG *m)
{
    wchar_t cls[32];
    if ((m->message == WM_KEYDOWN) && m->wParam == VK_SPACE && GetFocus() &&
        GetClassNameW(GetFocus(), cls, 32) && !_wcsicmp(cls, L"Button"))
        return 0;
    return 1;
}

int WINAPI wWinMain(HINSTANCE inst, HINSTANCE prev, LPWSTR cmd, int show)
{
    INITCOMMONCONTROLSEX icc = {sizeof icc, ICC_LISTVIEW_CLASSES | ICC_BAR_CLASSES | ICC_WIN95_CLASSES};
    App *a = &g_app;
    MSG m;
    wchar_t title[64];
    int argc = __argc, rc;
    wchar_t **argv = __wargv; /* the C runtime's (-municode): shell32 is not loaded for it */
    (void)prev;
    (void)cmd;
    a->inst = inst;
    if (plat_winsock_start()) /* first: --connect HOST:PORT resolves HOST */
        return 3;
    rc = argv ? ui_parse_args(argc, argv, &a->opt) : -1;
    if (rc != 0) {
        ui_print_usage();
        return rc > 0 ? 0 : 2;
    }
    if (a->opt.scenario_file[0]) {
        if (ui_open_file_arg(a, a->opt.scenario_file) < 0)
            return 2; /* file:line:column: message on stderr */
    } else if (!(a->run.sc = scenario_builtin(a->opt.scenario))) {
        wchar_t msg[160];
        ui_format(msg, 160, IDS_ERR_SCENARIO, a->opt.scenario);
        fprintf(stderr, "%ls\n", msg);
        fprintf(stderr, "built-in scenarios:");
        for (size_t i = 0; i < scenario_builtin_count(); i++)
            fprintf(stderr, " %s", scenario_builtin_name(i));
        fprintf(stderr, "\n");
        return 2;
    }
    a->run.role = a->opt.role;
    a->run.peer = a->opt.peer;
    if (a->opt.replay[0] && ui_replay_open(a, a->opt.replay, 1) < 0)
        return 2; /* file:line:column: message on stderr */
    a->theme.zoom = a->opt.zoom;
    a->pred.on = a->opt.predict;
    a->run.ff_target = -1;
    ui_model_init(a);
    ui_dpi_init();
    InitCommonControlsEx(&icc);
    if (!ui_register_main(inst) || !ui_register_ladder(inst) || !ui_register_explain(inst))
        return 3;
    ui_load(IDS_APP_TITLE, title, 64);
    if (!CreateWindowExW(WS_EX_CONTROLPARENT, UI_MAIN_CLASS, title, WS_OVERLAPPEDWINDOW | WS_CLIPCHILDREN,
                         CW_USEDEFAULT, CW_USEDEFAULT, 1240, 940, NULL, NULL, inst, a))
        return 3;
    ShowWindow(a->hwnd, a->opt.screenshot[0] ? SW_SHOWNORMAL : show);
    UpdateWindow(a->hwnd);
    a->accel = LoadAcceleratorsW(inst, MAKEINTRESOURCEW(IDA_MAIN));
    if (a->run.replay) /* a recording opens no socket and no thread: shown at once */
        ui_first_run(a);
    else
        ui_start_soon(a);
    while (GetMessageW(&m, NULL, 0, 0) > 0) {
        if (a->hwnd && wants_accelerator(&m) && TranslateAcceleratorW(a->hwnd, a->accel, &m))
            continue;
        if (a->hwnd && IsDialogMessageW(a->hwnd, &m))
            continue;
        TranslateMessage(&m);
        DispatchMessageW(&m);
    }
    scenario_free(a->run.sc);
    WSACleanup();
    return a->run.exit_code;
}
