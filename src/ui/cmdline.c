/* cmdline.c: the command line for demos and tests (SPEC section 6). Bad arguments never
 * open a message box (CI has nobody to click it): usage goes to stderr, exit status 2. */
#include "ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../res/resource.h"

void ui_print_usage(void)
{
    wchar_t usage[1024];
    ui_load(IDS_USAGE, usage, 1024);
    fprintf(stderr, "%ls\n", usage);
}

static int bad(const wchar_t *arg)
{
    wchar_t msg[300];
    ui_format(msg, 300, IDS_ERR_ARG, arg);
    fprintf(stderr, "%ls\n", msg);
    return -1;
}

int ui_parse_args(int argc, wchar_t **argv, UiOptions *o)
{
    memset(o, 0, sizeof *o);
    snprintf(o->scenario, sizeof o->scenario, "graceful-client");
    o->role = SIDE_CLIENT;
    o->zoom = 1.0;
    for (int i = 1; i < argc; i++) {
        const wchar_t *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!wcscmp(a, L"--help") || !wcscmp(a, L"-h"))
            return 1;
        if (!wcscmp(a, L"--autoplay")) {
            o->autoplay = 1;
        } else if (!wcscmp(a, L"--exit-after-run")) {
            o->exit_after_run = 1;
        } else if (!wcscmp(a, L"--predict")) {
            o->predict = 1;
        } else if (!v) {
            return bad(a);
        } else if (!wcscmp(a, L"--scenario")) {
            if (!WideCharToMultiByte(CP_UTF8, 0, v, -1, o->scenario, sizeof o->scenario, NULL, NULL))
                return bad(v);
            i++;
        } else if (!wcscmp(a, L"--role")) {
            char role[16];
            if (!WideCharToMultiByte(CP_UTF8, 0, v, -1, role, sizeof role, NULL, NULL) ||
                (o->role = side_from_name(role)) == SIDE_COUNT)
                return bad(v);
            i++;
        } else if (!wcscmp(a, L"--scenario-file")) {
            if (wcslen(v) >= MAX_PATH || !v[0])
                return bad(v);
            wcscpy(o->scenario_file, v);
            i++;
        } else if (!wcscmp(a, L"--screenshot") || !wcscmp(a, L"--state-out") || !wcscmp(a, L"--export-text") ||
                   !wcscmp(a, L"--export-diagram") || !wcscmp(a, L"--replay") || !wcscmp(a, L"--record")) {
            wchar_t *dst = !wcscmp(a, L"--screenshot")       ? o->screenshot
                           : !wcscmp(a, L"--state-out")      ? o->state_out
                           : !wcscmp(a, L"--export-text")    ? o->export_text
                           : !wcscmp(a, L"--export-diagram") ? o->export_diagram
                           : !wcscmp(a, L"--replay")         ? o->replay
                                                             : o->record;
            if (wcslen(v) >= MAX_PATH || !v[0])
                return bad(v);
            wcscpy(dst, v);
            i++;
        } else if (!wcscmp(a, L"--zoom")) {
            wchar_t *end;
            long pct = wcstol(v, &end, 10);
            if (*end || pct < 50 || pct > 400) {
                wchar_t msg[300];
                ui_format(msg, 300, IDS_ERR_ZOOM, v);
                fprintf(stderr, "%ls\n", msg);
                return -1;
            }
            o->zoom = pct / 100.0;
            i++;
        } else {
            return bad(a);
        }
    }
    return 0;
}
