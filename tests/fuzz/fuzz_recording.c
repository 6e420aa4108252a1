/* fuzz_recording.c: libFuzzer harness for the recording reader (src/core/recording.c,
 * json.c). Any bytes must give a recording or an error with a line, a column and a
 * message, never a crash, a leak, a hang or undefined behaviour. A recording that reads
 * must write back as jsonl that reads again to the same bytes, and compare the same as
 * the original. Built and run by scripts/fuzz.sh (clang, ASan + UBSan), natively. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "mem.h"
#include "recording.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void rewrite(const Recording *r, Mem *t)
{
    Formatter f;
    Sink *s = formatter_init(&f, FORMAT_JSONL, (Out){mem_write, t});
    s->begin(s, &r->info);
    for (size_t i = 0; i < r->n; i++)
        s->event(s, &r->events[i]);
    s->end(s, &r->sum);
}

static void discard(void *ctx, const char *s, size_t n)
{
    (void)ctx;
    (void)s;
    (void)n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    RecordingError err;
    Recording *r = recording_parse((const char *)data, size, &err), *again;
    Mem t1 = {NULL, 0, 0}, t2 = {NULL, 0, 0};
    if (!r) {
        if (!memchr(err.message, 0, sizeof err.message) || !err.message[0] || err.line < 0 || err.column < 0 ||
            (err.line > 0 && err.column < 1)) {
            fprintf(stderr, "an error without a place or a message: %d:%d\n", err.line, err.column);
            abort();
        }
        return 0;
    }
    rewrite(r, &t1);
    if (!(again = recording_parse(t1.s, t1.len, &err))) {
        fprintf(stderr, "a recording written back does not read: %d:%d: %s\n%s\n", err.line, err.column, err.message,
                t1.s);
        abort();
    }
    rewrite(again, &t2);
    if (t1.len != t2.len || memcmp(t1.s, t2.s, t1.len)) {
        fprintf(stderr, "written back twice, it differs:\n%s\n--\n%s\n", t1.s, t2.s);
        abort();
    }
    if (recording_compare(r, again, "a", "b", &(Out){discard, NULL}) != 0) {
        fprintf(stderr, "a recording and its copy compare different\n");
        abort();
    }
    recording_free(r);
    recording_free(again);
    free(t1.s);
    free(t2.s);
    return 0;
}
