/* builtin.c: access to the scenarios compiled in from scenarios/ *.scn. The generated
 * builtin_scenarios.c holds their text packed (scripts/embed-scenarios.py): it is unpacked
 * once, on first use, byte for byte the files (recordings carry and hash it). */
#include <stdatomic.h>
#include <string.h>

#include "scenario.h"

struct BuiltinScenario {
    const char *name;
    size_t offset, len;
};
extern const struct BuiltinScenario builtin_scenarios[];
extern const size_t builtin_scenario_count;
extern const unsigned char builtin_packed[];
extern char builtin_text[];
extern const size_t builtin_text_len;

/* LZSS: a flag byte before each 8 items (bit set: a literal byte; clear: a 16-bit match,
 * distance - 1 in the high 12 bits, length - 3 in the low 4). */
static void unpack(void)
{
    const unsigned char *in = builtin_packed;
    size_t o = 0;
    unsigned flags = 1;
    while (o < builtin_text_len) {
        if (flags == 1)
            flags = 0x100u | *in++;
        if (flags & 1) {
            builtin_text[o++] = (char)*in++;
        } else {
            unsigned t = in[0] | (unsigned)in[1] << 8;
            size_t dist = (t >> 4) + 1, len = (t & 15) + 3;
            in += 2;
            for (; len && o < builtin_text_len && dist <= o; len--, o++)
                builtin_text[o] = builtin_text[o - dist];
        }
        flags >>= 1;
    }
}

/* The texts, unpacked by the first caller; another thread meanwhile waits (well under a
 * millisecond). */
static const char *texts(void)
{
    static atomic_int state; /* 0 packed, 1 unpacking, 2 ready */
    int expected = 0;
    if (atomic_load_explicit(&state, memory_order_acquire) != 2) {
        if (atomic_compare_exchange_strong(&state, &expected, 1)) {
            unpack();
            atomic_store_explicit(&state, 2, memory_order_release);
        }
        while (atomic_load_explicit(&state, memory_order_acquire) != 2)
            ;
    }
    return builtin_text;
}

size_t scenario_builtin_count(void)
{
    return builtin_scenario_count;
}

const char *scenario_builtin_name(size_t i)
{
    return i < builtin_scenario_count ? builtin_scenarios[i].name : NULL;
}

const char *scenario_builtin_text(size_t i, size_t *len)
{
    if (i >= builtin_scenario_count)
        return NULL;
    if (len)
        *len = builtin_scenarios[i].len;
    return texts() + builtin_scenarios[i].offset;
}

Scenario *scenario_builtin(const char *name)
{
    ScenarioError err;
    for (size_t i = 0; i < builtin_scenario_count; i++)
        if (strcmp(builtin_scenarios[i].name, name) == 0)
            return scenario_parse(texts() + builtin_scenarios[i].offset, builtin_scenarios[i].len, &err);
    return NULL;
}
