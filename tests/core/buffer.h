/* buffer.h: a fixed in-memory Out for the core's unit tests: what a formatter wrote, as
 * one NUL-terminated string (64 KiB; more is cut, and the test's comparison says so). */
#ifndef SHUTDOWNLAB_TEST_BUFFER_H
#define SHUTDOWNLAB_TEST_BUFFER_H

#include <stddef.h>
#include <string.h>

typedef struct Buffer {
    char data[1 << 16];
    size_t n;
} Buffer;

static inline void buf_write(void *ctx, const char *s, size_t n)
{
    Buffer *b = ctx;
    if (b->n + n >= sizeof b->data)
        n = sizeof b->data - 1 - b->n;
    memcpy(b->data + b->n, s, n);
    b->n += n;
    b->data[b->n] = '\0';
}

#endif
