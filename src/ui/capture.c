/* capture.c: the program's picture of itself. The whole window is read back with BitBlt
 * from its window DC (PrintWindow paints only the background under Wine 8; see
 * reference/wine8-toolchain-and-winsock-measurements.md, section 2) and written as PNG
 * through WIC. Also the JSON state file the GUI tests read (--state-out). */
#define COBJMACROS
#include "ui.h"

#include <wincodec.h>

#include "capture.h" /* the core's: TCP flags */
#include "lazy.h"

#include <stdio.h>
#include <string.h>

/* bmp: a top-down 32 bpp DIB section of w x h. Returns 0 or -1. */
int ui_write_png(const wchar_t *path, HBITMAP bmp, int w, int h)
{
    IWICImagingFactory *fac = NULL;
    IWICStream *st = NULL;
    IWICBitmapEncoder *enc = NULL;
    IWICBitmapFrameEncode *frame = NULL;
    WICPixelFormatGUID fmt = GUID_WICPixelFormat32bppBGR;
    DIBSECTION ds;
    HRESULT(WINAPI * co_init)(void *, DWORD) = (void *)lazy_proc(L"ole32.dll", "CoInitializeEx");
    HRESULT(WINAPI * co_create)(REFCLSID, IUnknown *, DWORD, REFIID, void **) =
        (void *)lazy_proc(L"ole32.dll", "CoCreateInstance");
    void(WINAPI * co_uninit)(void) = (void *)lazy_proc(L"ole32.dll", "CoUninitialize");
    HRESULT hr, init;
    if (!co_init || !co_create || !co_uninit || GetObjectW(bmp, sizeof ds, &ds) != sizeof ds || !ds.dsBm.bmBits)
        return -1;
    init = co_init(NULL, COINIT_APARTMENTTHREADED);
    hr = co_create(&CLSID_WICImagingFactory, NULL, CLSCTX_INPROC_SERVER, &IID_IWICImagingFactory, (void **)&fac);
    if (SUCCEEDED(hr))
        hr = IWICImagingFactory_CreateStream(fac, &st);
    if (SUCCEEDED(hr))
        hr = IWICStream_InitializeFromFilename(st, path, GENERIC_WRITE);
    if (SUCCEEDED(hr))
        hr = IWICImagingFactory_CreateEncoder(fac, &GUID_ContainerFormatPng, NULL, &enc);
    if (SUCCEEDED(hr))
        hr = IWICBitmapEncoder_Initialize(enc, (IStream *)st, WICBitmapEncoderNoCache);
    if (SUCCEEDED(hr))
        hr = IWICBitmapEncoder_CreateNewFrame(enc, &frame, NULL);
    if (SUCCEEDED(hr))
        hr = IWICBitmapFrameEncode_Initialize(frame, NULL);
    if (SUCCEEDED(hr))
        hr = IWICBitmapFrameEncode_SetSize(frame, (UINT)w, (UINT)h);
    if (SUCCEEDED(hr))
        hr = IWICBitmapFrameEncode_SetPixelFormat(frame, &fmt);
    if (SUCCEEDED(hr))
        hr = IWICBitmapFrameEncode_WritePixels(frame, (UINT)h, (UINT)ds.dsBm.bmWidthBytes,
                                               (UINT)(ds.dsBm.bmWidthBytes * h), ds.dsBm.bmBits);
    if (SUCCEEDED(hr))
        hr = IWICBitmapFrameEncode_Commit(frame);
    if (SUCCEEDED(hr))
        hr = IWICBitmapEncoder_Commit(enc);
    if (frame)
        IWICBitmapFrameEncode_Release(frame);
    if (enc)
        IWICBitmapEncoder_Release(enc);
    if (st)
        IWICStream_Release(st);
    if (fac)
        IWICImagingFactory_Release(fac);
    if (SUCCEEDED(init))
        co_uninit();
    return SUCCEEDED(hr) ? 0 : -1;
}

HBITMAP ui_dib(HDC ref, int w, int h, void **bits)
{
    BITMAPINFO bi;
    memset(&bi, 0, sizeof bi);
    bi.bmiHeader.biSize = sizeof bi.bmiHeader;
    bi.bmiHeader.biWidth = w;
    bi.bmiHeader.biHeight = -h; /* top-down, the row order WIC writes */
    bi.bmiHeader.biPlanes = 1;
    bi.bmiHeader.biBitCount = 32;
    bi.bmiHeader.biCompression = BI_RGB;
    return CreateDIBSection(ref, &bi, DIB_RGB_COLORS, bits, NULL, 0);
}

int ui_capture_window(App *a, const wchar_t *path, int *pw, int *ph)
{
    RECT wr;
    HDC wdc, mem;
    HBITMAP bmp;
    HGDIOBJ old;
    void *bits;
    int w, h, rc = -1;
    GetWindowRect(a->hwnd, &wr);
    w = wr.right - wr.left;
    h = wr.bottom - wr.top;
    wdc = GetWindowDC(a->hwnd);
    mem = CreateCompatibleDC(wdc);
    bmp = ui_dib(wdc, w, h, &bits);
    if (bmp) {
        old = SelectObject(mem, bmp);
        GdiFlush();
        if (BitBlt(mem, 0, 0, w, h, wdc, 0, 0, SRCCOPY)) {
            GdiFlush();
            rc = ui_write_png(path, bmp, w, h);
        }
        SelectObject(mem, old);
        DeleteObject(bmp);
    }
    DeleteDC(mem);
    ReleaseDC(a->hwnd, wdc);
    *pw = w;
    *ph = h;
    return rc;
}

static void json_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fprintf(f, "\\%c", *s);
        else if ((unsigned char)*s < 0x20)
            fprintf(f, "\\u%04x", *s);
        else
            fputc(*s, f);
    }
    fputc('"', f);
}

static void json_wstr(FILE *f, const wchar_t *w)
{
    char s[1024];
    if (!WideCharToMultiByte(CP_UTF8, 0, w, -1, s, sizeof s, NULL, NULL))
        s[0] = '\0';
    json_str(f, s);
}

/* Who played the other end, and where this end met it (null: the embedded peer); the
 * handshake may have said it was ShutdownLab. The title and the status bar as shown. */
static void write_peer(App *a, FILE *f)
{
    PeerKind peer = a->run.have_sum ? a->run.sum.peer : a->model.info.peer;
    wchar_t title[300];
    fprintf(f, ",\"peer\":\"%s\",\"where\":",
            peer == PEER_EMBEDDED ? "embedded" : peer == PEER_SHUTDOWNLAB ? "shutdownlab" : "external");
    if (ui_other_program(a))
        json_str(f, a->model.info.where);
    else
        fprintf(f, "null");
    fprintf(f, ",\"not_observable\":%d,\"title\":", a->run.sum.not_observable);
    GetWindowTextW(a->hwnd, title, 300);
    json_wstr(f, title);
    fprintf(f, ",\"status\":");
    json_wstr(f, a->status.text[STATUS_RUN]);
    fprintf(f, ",\"status_where\":");
    json_wstr(f, a->status.text[STATUS_WHERE]);
}

/* The ladder's wire, as painted: the capture's segments shown (by flag), pure ACKs and
 * whether they are shown, the inferred arrows a capture saw, whether every inferred arrow
 * is dashed and every observed one solid, and each shown segment's and inferred arrow's
 * label. */
static void write_wire(App *a, FILE *f)
{
    const Ladder *l = &a->ladder.model;
    int acks = 0, acks_shown = 0, dashed = 1, solid = 1, first = 1;
    char label[LADDER_TEXT_MAX];
    for (size_t i = 0; i < l->n; i++) {
        const LadderItem *it = &l->items[i];
        acks += ladder_pure_ack(it);
        acks_shown += ladder_pure_ack(it) && it->row >= 0;
        if (it->kind == LI_SEGMENT && it->row >= 0)
            solid &= !ui_ladder_dashed(a, it);
        else if (it->arrow != WIRE_NONE)
            dashed &= ui_ladder_dashed(a, it);
    }
    fprintf(f, ",\"wire\":{\"segments\":%d,\"shown\":{\"syn\":%d,\"data\":%d,\"fin\":%d,\"rst\":%d,\"pure_ack\":%d},"
               "\"pure_ack_items\":%d,\"pure_acks\":%s,\"seen\":{\"data\":%d,\"fin\":%d,\"rst\":%d},"
               "\"inferred_dashed\":%s,\"observed_solid\":%s,\"labels\":[",
            (int)l->segments, ladder_segments(l, TCPF_SYN), ladder_segments(l, 0), ladder_segments(l, TCPF_FIN),
            ladder_segments(l, TCPF_RST), acks_shown, acks, l->pure_acks ? "true" : "false",
            ladder_arrows_seen(l, WIRE_DATA), ladder_arrows_seen(l, WIRE_FIN), ladder_arrows_seen(l, WIRE_RST),
            dashed ? "true" : "false", solid ? "true" : "false");
    for (size_t i = 0; i < l->n; i++) {
        const LadderItem *it = &l->items[i];
        if (it->kind != LI_SEGMENT || it->row < 0)
            continue;
        ladder_segment_label(it, label, sizeof label);
        fprintf(f, "%s{\"from\":\"%s\",\"t_us\":%lld,\"row\":%d,\"paired\":%s,\"label\":", first ? "" : ",",
                side_name(it->side), (long long)it->t_us, it->row, it->seg.paired ? "true" : "false");
        json_str(f, label);
        fputc('}', f);
        first = 0;
    }
    fprintf(f, "]}");
}

/* What the window shows, for tests: rows, log lines, ladder arrows, states, where the
 * ladder is in the screenshot (window coordinates). */
int ui_write_state(App *a, const wchar_t *path, int shot_w, int shot_h)
{
    FILE *f = _wfopen(path, L"w");
    const TableModel *t = &a->model.table;
    RECT wr, lr;
    POINT o = {0, 0};
    if (!f)
        return -1;
    GetWindowRect(a->hwnd, &wr);
    GetClientRect(a->ladder.hwnd, &lr);
    ClientToScreen(a->ladder.hwnd, &o);
    fprintf(f, "{\"scenario\":");
    json_str(f, a->run.sc->name);
    fprintf(f, ",\"recording_from\":"); /* a replay: where it was recorded; null: a live run */
    if (a->run.replay)
        json_str(f, a->run.replay_from);
    else
        fprintf(f, "null");
    fprintf(f, ",\"role\":\"%s\",\"run_done\":%s,\"exit_code\":%d,\"rows_total\":%d,\"rows_done\":%d",
            side_name(a->run.role), a->run.run_done ? "true" : "false", a->run.sum.exit_code, t->n, table_rows_done(t));
    write_peer(a, f);
    fprintf(f, ",\"rows\":[");
    for (int i = 0; i < t->n; i++) {
        const TableRow *r = &t->row[i];
        int known = r->checked && r->verdict == VERDICT_KNOWN;
        int mismatch = r->checked && !verdict_acceptable(r->verdict);
        fprintf(f, "%s{\"step\":", i ? "," : "");
        json_str(f, r->step);
        fprintf(f, ",\"side\":\"%s\",\"done\":%s,\"t_us\":%lld,\"out_of_order\":%s", side_name(r->side),
                r->done ? "true" : "false", (long long)r->t_us, ui_row_late(a, i) ? "true" : "false");
        fprintf(f, ",\"known_difference\":%s,\"mismatch\":%s,\"inferred\":%s,\"disputed\":%s,\"not_observable\":%s,"
                   "\"evidence\":\"%s\"}",
                known ? "true" : "false", mismatch ? "true" : "false", r->inferred ? "true" : "false",
                r->checked && r->verdict == VERDICT_DISPUTED ? "true" : "false",
                r->checked && r->verdict == VERDICT_UNOBSERVED ? "true" : "false", r->checked ? evidence_name(r->evidence) : "");
    }
    fprintf(f, "],\"log_lines\":%d,\"ladder_items\":%d,\"arrows\":{\"data\":%d,\"fin\":%d,\"rst\":%d}",
            (int)ListView_GetItemCount(a->log.hwnd), (int)a->ladder.model.n, ladder_arrows(&a->ladder.model, WIRE_DATA),
            ladder_arrows(&a->ladder.model, WIRE_FIN), ladder_arrows(&a->ladder.model, WIRE_RST));
    write_wire(a, f);
    fprintf(f, ",\"tcp_state\":{\"client\":");
    json_str(f, a->model.tcp_state[SIDE_CLIENT] ? tcp_state_label(a->model.tcp_state[SIDE_CLIENT]) : "");
    fprintf(f, ",\"server\":");
    json_str(f, a->model.tcp_state[SIDE_SERVER] ? tcp_state_label(a->model.tcp_state[SIDE_SERVER]) : "");
    fprintf(f, "},\"screenshot\":{\"w\":%d,\"h\":%d},\"ladder_rect\":[%ld,%ld,%ld,%ld]", shot_w, shot_h,
            o.x - wr.left, o.y - wr.top, lr.right, lr.bottom);
    {
        /* a TCP-table line of the log that repeats its end's previous one (should be 0) */
        int repeats = 0;
        const LineLog *ll = &a->log.lines;
        const char *prev[SIDE_COUNT] = {NULL, NULL};
        for (size_t i = 0; i < ll->n; i++)
            if (ll->lines[i].kind == EV_STATE) {
                repeats += prev[ll->lines[i].side] && !strcmp(prev[ll->lines[i].side], ll->lines[i].text);
                prev[ll->lines[i].side] = ll->lines[i].text;
            }
        fprintf(f, ",\"log_state_repeats\":%d", repeats);
    }
    fprintf(f, ",\"prediction\":{\"asked\":%d,\"right\":%d}", a->pred.total, a->pred.right);
    fprintf(f, ",\"color_data\":%lu,\"color_fin\":%lu,\"color_rst\":%lu,\"zoom\":%d,\"dpi\":%u}\n",
            (unsigned long)ui_color(&a->theme, UC_DATA), (unsigned long)ui_color(&a->theme, UC_FIN),
            (unsigned long)ui_color(&a->theme, UC_RST), (int)(a->theme.zoom * 100 + 0.5), a->theme.dpi);
    return fclose(f) == 0 ? 0 : -1;
}
