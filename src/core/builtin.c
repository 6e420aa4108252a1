/* builtin.c: access to the scenarios compiled in from scenarios/ *.scn (the generated
 * builtin_scenarios.c holds their text). */
#include <string.h>

#include "scenario.h"

struct BuiltinScenario {
    const char *name;
    const char *text;
    size_t len;
};
extern const struct BuiltinScenario builtin_scenarios[];
extern const size_t builtin_scenario_count;

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
    return builtin_scenarios[i].text;
}

Scenario *scenario_builtin(const char *name)
{
    ScenarioError err;
    for (size_t i = 0; i < builtin_scenario_count; i++)
        if (strcmp(builtin_scenarios[i].name, name) == 0)
            return scenario_parse(builtin_scenarios[i].text, builtin_scenarios[i].len, &err);
    return NULL;
}
