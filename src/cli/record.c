/* record.c: recordings for the classroom (cli.h). --record DIR plays every built-in
 * scenario in both roles on this machine and keeps each run's jsonl, with a manifest
 * naming the machine's Windows, so a teacher with a Windows PC records once and replays
 * the truth in any class (shutdownlab.exe --replay). --compare says where two recordings
 * differ (a Windows recording against Wine's, say). */
#include <winsock2.h>
#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "platform.h"
#include "recording.h"
#include "scnfile.h"

static void out_file(void *ctx, const char *s, size_t n)
{
    fwrite(s, 1, n, (FILE *)ctx);
}

static void out_stdout(void *ctx, const char *s, size_t n)
{
    (void)ctx;
    fwrite(s, 1, n, stdout);
}

/* DIR\name: into path (MAX_PATH). */
static int join(wchar_t *path, const wchar_t *dir, const char *name)
{
    int n = _snwprintf(path, MAX_PATH, L"%ls\\%hs", dir, name);
    path[MAX_PATH - 1] = L'\0';
    return n > 0 && n < MAX_PATH ? 0 : -1;
}

/* One run into DIR\NAME-ROLE.jsonl, and its line in the manifest. Returns its exit code,
 * or -1 when the file could not be written. */
static int record_one(const wchar_t *dir, const char *name, Side role, const Options *o, FILE *manifest, int first)
{
    char file[SCENARIO_NAME_MAX + 16];
    wchar_t path[MAX_PATH];
    Options one = *o;
    Scenario *sc = scenario_builtin(name);
    FILE *f;
    int rc;
    snprintf(file, sizeof file, "%s-%s.jsonl", name, side_name(role));
    if (!sc || join(path, dir, file) < 0 || !(f = _wfopen(path, L"wb"))) {
        fprintf(stderr, "shutdownlab-cli: cannot write %s\\%s\n", utf8(dir), file);
        scenario_free(sc);
        return -1;
    }
    one.role = role;
    one.format = FORMAT_JSONL;
    rc = cli_run(sc, &one, (Out){out_file, f});
    if (fclose(f) != 0) {
        fprintf(stderr, "shutdownlab-cli: cannot write %s\\%s\n", utf8(dir), file);
        rc = -1;
    }
    fprintf(manifest, "%s    {\"file\":\"%s\",\"scenario\":\"%s\",\"role\":\"%s\",\"exit_code\":%d}", first ? "" : ",\n",
            file, name, side_name(role), rc);
    printf("%-22s %-6s exit %d  %s\\%s\n", name, side_name(role), rc, utf8(dir), file);
    fflush(stdout);
    scenario_free(sc);
    return rc;
}

/* The manifest's head: which ShutdownLab recorded, on which Windows, when. */
static void manifest_head(FILE *m)
{
    char os[64], platform[64], when[32];
    const char *wine = plat_wine_version();
    time_t now = time(NULL);
    struct tm *t = gmtime(&now);
    plat_os(os, sizeof os);
    plat_describe(platform, sizeof platform);
    if (!t || !strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", t))
        snprintf(when, sizeof when, "unknown");
    fprintf(m, "{\n  \"shutdownlab\": \"%s\",\n  \"jsonl_version\": %d,\n  \"os\": \"%s\",\n  \"platform\": \"%s\",\n",
            SL_VERSION, JSONL_VERSION, os, platform);
    fprintf(m, "  \"wine\": %s%s%s,\n  \"recorded_at\": \"%s\",\n  \"runs\": [\n", wine ? "\"" : "", wine ? wine : "null",
            wine ? "\"" : "", when);
}

int cli_record(const wchar_t *dir, const Options *o)
{
    wchar_t path[MAX_PATH];
    FILE *m;
    int worst = 0, first = 1, failed = 0;
    if (!CreateDirectoryW(dir, NULL) && GetLastError() != ERROR_ALREADY_EXISTS) {
        fprintf(stderr, "shutdownlab-cli: cannot create the folder %s (error %lu)\n", utf8(dir), GetLastError());
        return EXIT_ENVIRONMENT;
    }
    if (join(path, dir, "manifest.json") < 0 || !(m = _wfopen(path, L"wb"))) {
        fprintf(stderr, "shutdownlab-cli: cannot write %s\\manifest.json\n", utf8(dir));
        return EXIT_ENVIRONMENT;
    }
    manifest_head(m);
    for (size_t i = 0; i < scenario_builtin_count(); i++)
        for (int k = 0; k < SIDE_COUNT; k++) {
            int rc = record_one(dir, scenario_builtin_name(i), (Side)k, o, m, first);
            first = 0;
            if (rc < 0)
                failed++;
            else if (rc > worst)
                worst = rc;
        }
    fprintf(m, "\n  ]\n}\n");
    if (fclose(m) != 0)
        failed++;
    printf("recorded %lu runs in %s; worst exit code %d\n", (unsigned long)(scenario_builtin_count() * SIDE_COUNT),
           utf8(dir), worst);
    /* a recording is the truth whatever it says: exit 0 once every run is written */
    return failed ? EXIT_ENVIRONMENT : 0;
}

int cli_compare(const wchar_t *a, const wchar_t *b)
{
    char msg[1400], na[600], nb[600];
    Recording *ra, *rb;
    Out out = {out_stdout, NULL};
    int diffs;
    if (!(ra = recfile_load(a, msg, sizeof msg))) {
        fprintf(stderr, "%s\n", msg);
        return EXIT_USAGE;
    }
    if (!(rb = recfile_load(b, msg, sizeof msg))) {
        fprintf(stderr, "%s\n", msg);
        recording_free(ra);
        return EXIT_USAGE;
    }
    if (recording_load_events(ra) < 0 || recording_load_events(rb) < 0) { /* compare walks them all */
        fprintf(stderr, "shutdownlab-cli: --compare: out of memory\n");
        recording_free(ra);
        recording_free(rb);
        return EXIT_ENVIRONMENT;
    }
    snprintf(na, sizeof na, "%s", utf8(a));
    snprintf(nb, sizeof nb, "%s", utf8(b));
    diffs = recording_compare(ra, rb, na, nb, &out);
    fflush(stdout);
    recording_free(ra);
    recording_free(rb);
    return diffs ? EXIT_MISMATCH : 0;
}

/* The pcapng export: bytes to the file, its first failure kept. */
typedef struct PcapngFile {
    FILE *f;
    int failed;
} PcapngFile;

static void pcapng_out(void *ctx, const void *p, size_t n)
{
    PcapngFile *o = ctx;
    if (!o->failed && fwrite(p, 1, n, o->f) != n)
        o->failed = 1;
}

int cli_export_pcapng(const wchar_t *capture, const WireMatch *m, const wchar_t *out)
{
    char msg[1400], why[300];
    size_t len;
    char *bytes = file_read(capture, CAPTURE_MAX_FILE, "capture", &len, msg, sizeof msg);
    PcapngFile o = {NULL, 0};
    int rc;
    if (!bytes) {
        fprintf(stderr, "shutdownlab-cli: --export-pcapng: %s\n", msg);
        return EXIT_USAGE;
    }
    if (!(o.f = _wfopen(out, L"wb"))) {
        fprintf(stderr, "shutdownlab-cli: --export-pcapng %s: cannot write it\n", utf8(out));
        free(bytes);
        return EXIT_USAGE;
    }
    rc = wiremerge_export(bytes, len > CAPTURE_MAX_FILE ? CAPTURE_MAX_FILE : len, m, SL_VERSION, pcapng_out, &o, why,
                          sizeof why);
    if (fclose(o.f) != 0)
        o.failed = 1;
    free(bytes);
    if (rc < 0 || o.failed) {
        fprintf(stderr, "shutdownlab-cli: --export-pcapng %s: %s\n", utf8(out), rc < 0 ? why : "cannot write it");
        return EXIT_USAGE;
    }
    return 0;
}

int cli_replay(const wchar_t *path, const Options *o)
{
    char msg[1400];
    Recording *r;
    WireMatch m;
    Formatter f;
    Sink *s;
    int rc;
    memset(&m, 0, sizeof m);
    if (!(r = recfile_load(path, msg, sizeof msg))) {
        fprintf(stderr, "%s\n", msg);
        return EXIT_USAGE;
    }
    if (o->wire && recfile_merge_capture(r, o->wire, &m, msg, sizeof msg) < 0) {
        fprintf(stderr, "shutdownlab-cli: --wire %s\n", msg);
        wirematch_free(&m);
        recording_free(r);
        return EXIT_USAGE;
    }
    s = formatter_init(&f, o->format, (Out){out_stdout, NULL});
    s->begin(s, &r->info);
    for (size_t i = 0; i < r->n; i++) { /* each read from its line as it is printed */
        Event ev;
        if (recording_event(r, i, &ev) < 0) {
            fprintf(stderr, "shutdownlab-cli: --replay: out of memory\n");
            wirematch_free(&m);
            recording_free(r);
            return EXIT_ENVIRONMENT;
        }
        s->event(s, &ev);
    }
    s->end(s, &r->sum);
    fflush(stdout);
    rc = r->sum.exit_code;
    if (o->export_pcapng && (rc = cli_export_pcapng(o->wire, &m, o->export_pcapng)) == 0)
        rc = r->sum.exit_code;
    wirematch_free(&m);
    recording_free(r);
    return rc;
}
