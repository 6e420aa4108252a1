/* pattern.h: the bytes each end sends. Byte i of an end's stream is a function of the
 * end and i, so the receiver checks every byte it gets, not only the count. The period
 * (251, a prime) does not divide any buffer size, so a lost, repeated or reordered
 * chunk shows up as a content error. */
#ifndef SHUTDOWNLAB_PATTERN_H
#define SHUTDOWNLAB_PATTERN_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "event.h"

static inline unsigned char pattern_byte(Side sender, int64_t offset)
{
    return (unsigned char)((offset % 251) ^ (sender == SIDE_CLIENT ? 0x3c : 0xa5));
}

#define PATTERN_PERIOD 251

/* One period of sender's stream, twice over, so any phase has a whole period after it
 * (made per call, 502 bytes: no shared state between the ends' threads). */
static inline void pattern_period(Side sender, unsigned char p[2 * PATTERN_PERIOD])
{
    for (int i = 0; i < 2 * PATTERN_PERIOD; i++)
        p[i] = pattern_byte(sender, i);
}

/* A period at a time (memcpy and memcmp), not a division per byte: 200 MB of bulk data
 * is filled and checked at memory speed. */
static inline void pattern_fill(Side sender, int64_t offset, unsigned char *buf, size_t n)
{
    unsigned char p[2 * PATTERN_PERIOD];
    size_t phase = (size_t)(offset % PATTERN_PERIOD);
    pattern_period(sender, p);
    for (size_t i = 0; i < n;) {
        size_t k = n - i < PATTERN_PERIOD ? n - i : PATTERN_PERIOD;
        memcpy(buf + i, p + phase, k);
        i += k; /* a whole period later the phase is the same */
    }
}

/* Index of the first byte in buf that differs from sender's stream at offset, or -1. */
static inline int64_t pattern_check(Side sender, int64_t offset, const unsigned char *buf, size_t n)
{
    unsigned char p[2 * PATTERN_PERIOD];
    size_t phase = (size_t)(offset % PATTERN_PERIOD);
    pattern_period(sender, p);
    for (size_t i = 0; i < n;) {
        size_t k = n - i < PATTERN_PERIOD ? n - i : PATTERN_PERIOD;
        if (memcmp(buf + i, p + phase, k) != 0) {
            for (size_t j = 0; j < k; j++)
                if (buf[i + j] != p[phase + j])
                    return (int64_t)(i + j);
        }
        i += k;
    }
    return -1;
}

#endif
