/* event.c: names and initialisation of the Event record (event.h). */
#include "event.h"

#include <string.h>

const char *side_name(Side s)
{
    return s == SIDE_CLIENT ? "client" : s == SIDE_SERVER ? "server" : "?";
}

const char *event_kind_name(EventKind k)
{
    static const char *const names[] = {"call", "message", "state", "check", "step", "note"};
    return (unsigned)k < sizeof names / sizeof names[0] ? names[k] : "?";
}

void event_set(char *field, size_t size, const char *src)
{
    size_t n = src ? strlen(src) : 0;
    if (!size)
        return;
    if (n >= size)
        n = size - 1;
    if (n)
        memcpy(field, src, n);
    field[n] = '\0';
}

void event_init(Event *ev, EventKind kind, Side side, const char *name)
{
    memset(ev, 0, sizeof *ev);
    ev->kind = kind;
    ev->side = side;
    ev->duration_us = -1;
    ev->bytes = -1;
    EVENT_SET(ev->name, name);
}
