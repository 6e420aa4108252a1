/* grow.h: the one growable array of the program. An array that doubles when it is full,
 * and says so when it cannot: the caller reports the failure (a parse error, a line the
 * log could not keep), it never drops data silently. */
#ifndef SHUTDOWNLAB_GROW_H
#define SHUTDOWNLAB_GROW_H

#include <stddef.h>

/* Makes *cap at least need, doubling from min_cap; arrayp points at the array pointer.
 * Returns 0, or -1 (out of memory, or need * elem overflows) with the array unchanged. */
int grow_array(void *arrayp, size_t *cap, size_t need, size_t elem, size_t min_cap);

/* GROW(arr, cap, need): room for need elements of arr. */
#define GROW(arr, cap, need) grow_array(&(arr), &(cap), (need), sizeof *(arr), 16)

#endif
