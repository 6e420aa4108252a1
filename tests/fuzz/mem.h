/* mem.h: a growing in-memory Out for the fuzz harnesses: what a formatter writes, kept
 * whole (64 MiB at most: more means the output is unbounded, a bug). */
#ifndef SHUTDOWNLAB_FUZZ_MEM_H
#define SHUTDOWNLAB_FUZZ_MEM_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct Mem {
    char *s;
    size_t len, cap;
} Mem;

static inline void mem_write(void *ctx, const char *s, size_t n)
{
    Mem *m = ctx;
    if (m->len + n + 1 > m->cap) {
        size_t cap = (m->cap ? m->cap : 4096);
        while (cap < m->len + n + 1)
            cap *= 2;
        if (cap > ((size_t)64 << 20)) {
            fprintf(stderr, "formatter output over 64 MiB: unbounded\n");
            abort();
        }
        m->s = realloc(m->s, cap);
        if (!m->s)
            abort();
        m->cap = cap;
    }
    memcpy(m->s + m->len, s, n);
    m->len += n;
    m->s[m->len] = '\0';
}

#endif
