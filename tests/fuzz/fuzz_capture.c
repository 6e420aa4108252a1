/* fuzz_capture.c: libFuzzer harness for the capture reader (src/core/capture.c): a capture
 * is a file a user hands over. Any bytes must give segments or one error, never a crash,
 * and the same whether read whole or fed in pieces of any size (a capture read while it
 * is written): the same segments, the same error at the same offset. Built and run by
 * scripts/fuzz.sh (clang, ASan + UBSan), natively. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct Seen {
    uint64_t n;
    uint64_t hash; /* of every segment's fields, in order */
} Seen;

static void seen(void *ctx, const Segment *s)
{
    Seen *v = ctx;
    const uint64_t fields[] = {(uint64_t)s->t_ns, (uint64_t)s->offset, (uint64_t)s->family, s->sport, s->dport, s->seq,
                               s->ack, s->win, s->flags, s->len, s->ifindex};
    if ((s->family != 4 && s->family != 6) || s->len > 65535 + 65535u || s->offset < 0)
        abort(); /* what no packet can carry */
    v->n++;
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        v->hash = (v->hash ^ fields[i]) * 1099511628211ull;
    for (int i = 0; i < 16; i++)
        v->hash = (v->hash ^ s->src[i] ^ (uint64_t)s->dst[i] << 8) * 1099511628211ull;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *buf = malloc(size ? size : 1);
    Seen whole = {0, 14695981039346656037ull}, pieces = {0, 14695981039346656037ull};
    CaptureError e1, e2;
    CaptureReader r;
    size_t at = 0, step = size ? 1 + data[0] % 97 : 1;
    int rc1, rc2 = 0;
    if (!buf)
        return 0;
    memcpy(buf, data, size); /* exactly size bytes: ASan sees any read past them */
    memset(&e1, 0, sizeof e1);
    memset(&e2, 0, sizeof e2);
    rc1 = capture_read(buf, size, seen, &whole, &e1);
    capture_init(&r);
    while (at < size && rc2 == 0) {
        size_t n = size - at < step ? size - at : step;
        rc2 = capture_feed(&r, buf + at, n, seen, &pieces, &e2);
        at += n;
        step = 1 + (step * 31 + 7) % 4099; /* pieces of many sizes, straddling every record */
    }
    if (rc2 == 0)
        rc2 = capture_end(&r, &e2);
    capture_free(&r);
    if (rc1 != rc2 || whole.n != pieces.n || whole.hash != pieces.hash ||
        (rc1 && (e1.offset != e2.offset || strcmp(e1.message, e2.message))))
        abort(); /* a capture read as it grows reads as the whole file does */
    if (rc1 && (e1.offset < 0 || (size_t)e1.offset > size || !e1.message[0]))
        abort(); /* an error points into the file and says something */
    free(buf);
    return 0;
}
