/* grow.c: the growable array (grow.h). */
#include "grow.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int grow_array(void *arrayp, size_t *cap, size_t need, size_t elem, size_t min_cap)
{
    void *items, *p;
    size_t n = *cap ? *cap : min_cap;
    if (need <= *cap)
        return 0;
    while (n < need) {
        if (n > SIZE_MAX / 2)
            return -1;
        n *= 2;
    }
    if (!elem || n > SIZE_MAX / elem)
        return -1;
    memcpy(&items, arrayp, sizeof items); /* the caller's T *, whatever T is */
    if (!(p = realloc(items, n * elem)))
        return -1;
    memcpy(arrayp, &p, sizeof p);
    *cap = n;
    return 0;
}
