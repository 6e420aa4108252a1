/* pattern.h: the bytes each end sends. Byte i of an end's stream is a function of the
 * end and i, so the receiver checks every byte it gets, not only the count. The period
 * (251, a prime) does not divide any buffer size, so a lost, repeated or reordered
 * chunk shows up as a content error. */
#ifndef SHUTDOWNLAB_PATTERN_H
#define SHUTDOWNLAB_PATTERN_H

#include <stddef.h>
#include <stdint.h>

#include "event.h"

static inline unsigned char pattern_byte(Side sender, int64_t offset)
{
    return (unsigned char)((offset % 251) ^ (sender == SIDE_CLIENT ? 0x3c : 0xa5));
}

static inline void pattern_fill(Side sender, int64_t offset, unsigned char *buf, size_t n)
{
    for (size_t i = 0; i < n; i++)
        buf[i] = pattern_byte(sender, offset + (int64_t)i);
}

/* Index of the first byte in buf that differs from sender's stream at offset, or -1. */
static inline int64_t pattern_check(Side sender, int64_t offset, const unsigned char *buf, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (buf[i] != pattern_byte(sender, offset + (int64_t)i))
            return (int64_t)i;
    return -1;
}

#endif
