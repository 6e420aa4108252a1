/* dialogs.c: the About box, the scenario details (title, what it shows, its source and
 * every step with its sentence) and who plays the other end (Run > Peer...), each a
 * DIALOGEX from the resources plus a dialog procedure and a small function that shows it. */
#include "ui.h"

#include <stdlib.h>
#include <string.h>

#include "../../res/resource.h"
#include "platform.h"

static INT_PTR CALLBACK text_proc(HWND dlg, UINT msg, WPARAM wParam, LPARAM lParam)
{
    switch (msg) {
    case WM_INITDIALOG: {
        const wchar_t *text = (const wchar_t *)lParam;
        SetDlgItemTextW(dlg, GetDlgItem(dlg, IDC_ABOUT_TEXT) ? IDC_ABOUT_TEXT : IDC_SC_TEXT, text);
        SetFocus(GetDlgItem(dlg, IDOK));
        return FALSE;
    }
    case WM_COMMAND:
        if (LOWORD(wParam) == IDOK || LOWORD(wParam) == IDCANCEL) {
            EndDialog(dlg, 0);
            return TRUE;
        }
        break;
    }
    return FALSE;
}

void ui_about(App *a)
{
    wchar_t text[800];
    ui_format(text, 800, IDS_ABOUT_TEXT, SL_VERSION);
    DialogBoxParamW(a->inst, MAKEINTRESOURCEW(IDD_ABOUT), a->hwnd, text_proc, (LPARAM)text);
}

void ui_scenario_details(App *a)
{
    size_t cap = 16384;
    wchar_t *steps = calloc(cap, sizeof *steps), *text = calloc(cap + 2048, sizeof *text);
    size_t n = 0;
    if (!steps || !text) {
        free(steps);
        free(text);
        return;
    }
    for (int i = 0; i < a->model.table.n && n + 600 < cap; i++) {
        const TableRow *r = &a->model.table.row[i];
        int w = _snwprintf(steps + n, cap - n, L"(%hs) %hs: %hs\r\n    %hs\r\n", r->step, side_name(r->side), r->what,
                           r->explain ? r->explain : "");
        if (w > 0)
            n += (size_t)w;
    }
    ui_format(text, cap + 2048, IDS_SC_FORMAT, a->run.sc->title ? a->run.sc->title : a->run.sc->name,
              a->run.sc->about ? a->run.sc->about : "", a->run.sc->source ? a->run.sc->source : "", steps);
    DialogBoxParamW(a->inst, MAKEINTRESOURCEW(IDD_SCENARIO), a->hwnd, text_proc, (LPARAM)text);
    free(steps);
    free(text);
}

/* ---- Run > Peer... ------------------------------------------------------------------- */

static UiPeerMode peer_mode_checked(HWND dlg)
{
    for (int m = UI_PEER_LISTEN; m <= UI_PEER_CONNECT; m++)
        if (IsDlgButtonChecked(dlg, IDC_PEER_FIRST + m) == BST_CHECKED)
            return (UiPeerMode)m;
    return UI_PEER_EMBEDDED;
}

/* The address and --peer mean something only against another program. */
static void peer_enable(HWND dlg)
{
    BOOL other = peer_mode_checked(dlg) != UI_PEER_EMBEDDED;
    EnableWindow(GetDlgItem(dlg, IDC_PEER_ADDR_LABEL), other);
    EnableWindow(GetDlgItem(dlg, IDC_PEER_ADDR), other);
    EnableWindow(GetDlgItem(dlg, IDC_PEER_AS_PEER), other);
}

/* A host name is looked up on a thread of its own: a slow or unreachable DNS server (a
 * classroom network) must not freeze the dialog, nor the window and its run behind it.
 * The thread posts its answer to the dialog with the lookup's number; whichever of the two
 * lets go of the lookup last frees it, so a dialog cancelled meanwhile, or a lookup given
 * up because the address changed, leaves nothing behind, and a late answer (its number no
 * longer the dialog's) is never read. */
typedef struct PeerLookup {
    volatile LONG refs;
    HWND dlg;
    unsigned seq;
    UiPeer peer; /* the choice; the lookup fills its address */
    int rc;
    wchar_t err[300];
} PeerLookup;

typedef struct PeerDialog {
    UiPeer *p;
    PeerLookup *pending; /* a lookup under way: OK waits for it */
    unsigned seq;        /* the number of the latest lookup it started */
} PeerDialog;

static void lookup_release(PeerLookup *l)
{
    if (InterlockedDecrement(&l->refs) == 0)
        free(l);
}

static DWORD WINAPI lookup_thread(void *arg)
{
    PeerLookup *l = arg;
    wchar_t slow[16];
    int ms;
    /* a test hook: a DNS server as slow as N ms, on demand (tests/gui: the dialog answers
     * meanwhile); capped at 10 s; documented in docs/architecture.md */
    if (GetEnvironmentVariableW(L"SHUTDOWNLAB_LOOKUP_DELAY_MS", slow, 16) && (ms = _wtoi(slow)) > 0)
        Sleep(ms < 10000 ? (DWORD)ms : 10000);
    l->rc = ui_parse_addr(l->peer.text, l->peer.mode == UI_PEER_LISTEN, &l->peer.addr, l->err, 300);
    /* only the number goes: the dialog finds the lookup itself, if it still waits for it;
     * a full queue (a storm's) is waited out while the dialog lasts */
    for (int i = 0; i < 200 && !PostMessageW(l->dlg, WM_UI_PEER_LOOKED_UP, l->seq, 0) && IsWindow(l->dlg); i++)
        Sleep(50);
    lookup_release(l);
    return 0;
}

static void peer_refuse(HWND dlg, const wchar_t *err)
{
    SetDlgItemTextW(dlg, IDC_PEER_ERROR, err);
    MessageBeep(MB_ICONWARNING);
    SetFocus(GetDlgItem(dlg, IDC_PEER_ADDR));
    SendDlgItemMessageW(dlg, IDC_PEER_ADDR, EM_SETSEL, 0, -1);
}

/* The lookup under way, given up (the address or the mode changed): OK is usable again. */
static void peer_give_up(HWND dlg, PeerDialog *st)
{
    if (!st || !st->pending)
        return;
    lookup_release(st->pending);
    st->pending = NULL;
    EnableWindow(GetDlgItem(dlg, IDOK), TRUE);
    SetDlgItemTextW(dlg, IDC_PEER_ERROR, L"");
}

/* The dialog's choice as it stands, the address trimmed (not yet parsed). */
static void peer_read(HWND dlg, const UiPeer *was, UiPeer *n)
{
    wchar_t *s = n->text;
    size_t len;
    memset(n, 0, sizeof *n);
    n->mode = peer_mode_checked(dlg);
    if (n->mode == UI_PEER_EMBEDDED) {
        wcscpy(n->text, was->text); /* offered again next time */
        return;
    }
    GetDlgItemTextW(dlg, IDC_PEER_ADDR, n->text, 128);
    while (*s == L' ')
        s++;
    memmove(n->text, s, (wcslen(s) + 1) * sizeof *s);
    for (len = wcslen(n->text); len && n->text[len - 1] == L' '; len--)
        n->text[len - 1] = L'\0';
    n->as_peer = IsDlgButtonChecked(dlg, IDC_PEER_AS_PEER) == BST_CHECKED;
}

/* OK: 1, the choice taken; 0, a bad address, said, the dialog kept open on it; 2, a host
 * name being looked up (WM_UI_PEER_LOOKED_UP ends it). */
static int peer_accept(HWND dlg, PeerDialog *st)
{
    UiPeer n;
    wchar_t err[300];
    PeerLookup *l;
    HANDLE t;
    peer_read(dlg, st->p, &n);
    /* min_port 1, as ui_parse_addr's: a bad port is answered at once, here */
    if (n.mode != UI_PEER_EMBEDDED && plat_addr_names_host(n.text, 1) && (l = calloc(1, sizeof *l)) != NULL) {
        static unsigned numbered; /* every lookup of the process its own number */
        l->refs = 2;
        l->dlg = dlg;
        l->seq = st->seq = ++numbered;
        l->peer = n;
        if ((t = CreateThread(NULL, 0, lookup_thread, l, 0, NULL)) != NULL) {
            CloseHandle(t);
            st->pending = l;
            ui_format(err, 300, IDS_PEER_LOOKING, n.text);
            SetDlgItemTextW(dlg, IDC_PEER_ERROR, err);
            if (GetFocus() == GetDlgItem(dlg, IDOK)) /* clicked: a disabled button would keep no focus */
                SendMessageW(dlg, WM_NEXTDLGCTL, (WPARAM)GetDlgItem(dlg, IDC_PEER_ADDR), TRUE);
            EnableWindow(GetDlgItem(dlg, IDOK), FALSE);
            return 2;
        }
        free(l); /* no thread: looked up here, as before */
    }
    if (n.mode != UI_PEER_EMBEDDED && ui_parse_addr(n.text, n.mode == UI_PEER_LISTEN, &n.addr, err, 300) < 0) {
        peer_refuse(dlg, err);
        return 0;
    }
    *st->p = n;
    return 1;
}

/* The lookup's answer, when it is the one under way (seq): taken, or its failure said.
 * Returns 1 when the dialog ends. */
static int peer_looked_up(HWND dlg, PeerDialog *st, unsigned seq)
{
    PeerLookup *l = st->pending;
    int done = 0;
    if (!l || seq != st->seq)
        return 0; /* given up, or an older lookup's: not read, perhaps freed */
    st->pending = NULL;
    EnableWindow(GetDlgItem(dlg, IDOK), TRUE);
    if (l->rc < 0)
        peer_refuse(dlg, l->err);
    else {
        l->peer.as_peer = IsDlgButtonChecked(dlg, IDC_PEER_AS_PEER) == BST_CHECKED;
        *st->p = l->peer;
        done = 1;
    }
    lookup_release(l);
    return done;
}

static INT_PTR CALLBACK peer_proc(HWND dlg, UINT msg, WPARAM wParam, LPARAM lParam)
{
    PeerDialog *st = (PeerDialog *)GetWindowLongPtrW(dlg, DWLP_USER);
    UiPeer *p = st ? st->p : NULL;
    switch (msg) {
    case WM_INITDIALOG: {
        wchar_t cue[80];
        st = (PeerDialog *)lParam;
        p = st->p;
        SetWindowLongPtrW(dlg, DWLP_USER, (LONG_PTR)st);
        CheckRadioButton(dlg, IDC_PEER_FIRST, IDC_PEER_FIRST + UI_PEER_CONNECT, IDC_PEER_FIRST + p->mode);
        SendDlgItemMessageW(dlg, IDC_PEER_ADDR, EM_LIMITTEXT, 127, 0); /* UiPeer.text's room: never cut short */
        SetDlgItemTextW(dlg, IDC_PEER_ADDR, p->text);
        ui_load(IDS_PEER_CUE, cue, 80);
        SendDlgItemMessageW(dlg, IDC_PEER_ADDR, EM_SETCUEBANNER, TRUE, (LPARAM)cue);
        CheckDlgButton(dlg, IDC_PEER_AS_PEER, p->as_peer ? BST_CHECKED : BST_UNCHECKED);
        peer_enable(dlg);
        SetFocus(GetDlgItem(dlg, IDC_PEER_FIRST + p->mode));
        return FALSE;
    }
    case WM_UI_PEER_LOOKED_UP:
        if (st && peer_looked_up(dlg, st, (unsigned)wParam))
            EndDialog(dlg, 1);
        return TRUE;
    case WM_DESTROY: /* cancelled during a lookup: its thread frees it */
        if (st && st->pending)
            lookup_release(st->pending), st->pending = NULL;
        break;
    case WM_CTLCOLORSTATIC: /* a bad address is said in red; a lookup under way is not */
        if ((HWND)lParam == GetDlgItem(dlg, IDC_PEER_ERROR) && st && !st->pending) {
            const App *a = (const App *)GetWindowLongPtrW(GetParent(dlg), GWLP_USERDATA);
            INT_PTR brush = (INT_PTR)DefWindowProcW(dlg, msg, wParam, lParam);
            SetTextColor((HDC)wParam, ui_color(&a->theme, UC_ERROR));
            return brush;
        }
        break;
    case WM_COMMAND:
        switch (LOWORD(wParam)) {
        case IDC_PEER_FIRST + UI_PEER_EMBEDDED:
        case IDC_PEER_FIRST + UI_PEER_LISTEN:
        case IDC_PEER_FIRST + UI_PEER_CONNECT:
            peer_enable(dlg);
            if (st && st->pending && peer_mode_checked(dlg) == st->pending->peer.mode)
                return TRUE; /* the same mode again: the lookup goes on */
            peer_give_up(dlg, st);
            SetDlgItemTextW(dlg, IDC_PEER_ERROR, L"");
            return TRUE;
        case IDC_PEER_ADDR:
            if (HIWORD(wParam) == EN_CHANGE && st)
                peer_give_up(dlg, st);
            break;
        case IDOK:
            if (st && !st->pending && peer_accept(dlg, st) == 1)
                EndDialog(dlg, 1);
            return TRUE;
        case IDCANCEL:
            EndDialog(dlg, 0);
            return TRUE;
        }
        break;
    }
    return FALSE;
}

int ui_peer_dialog(App *a, UiPeer *p)
{
    PeerDialog st = {p, NULL, 0};
    return DialogBoxParamW(a->inst, MAKEINTRESOURCEW(IDD_PEER), a->hwnd, peer_proc, (LPARAM)&st) == 1;
}
