/* fuzz_scenario.c: libFuzzer harness for the scenario parser (src/core/scenario.c). Any
 * bytes must give a scenario or an error with a position and a message, never a crash,
 * a leak, a hang or undefined behaviour; a scenario that parses must describe every op.
 * Built and run by scripts/fuzz.sh (clang, ASan + UBSan), natively, without Wine. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_error(const ScenarioError *err)
{
    if (!memchr(err->message, 0, sizeof err->message) || !err->message[0]) {
        fprintf(stderr, "error without a terminated message\n");
        abort();
    }
    if (err->line < 0 || err->column < 0 || (err->line > 0 && err->column < 1) ||
        err->column > SCENARIO_MAX_LINE + 1) {
        fprintf(stderr, "error at an impossible position %d:%d: %s\n", err->line, err->column, err->message);
        abort();
    }
}

static void check_string(const char *s, size_t max, const char *what)
{
    if (!memchr(s, 0, max)) {
        fprintf(stderr, "%s is not NUL-terminated\n", what);
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ScenarioError err;
    Scenario *sc = scenario_parse((const char *)data, size, &err);
    char buf[128];
    if (!sc) {
        check_error(&err);
        return 0;
    }
    check_string(sc->name, sizeof sc->name, "name");
    if (!sc->name[0] || sc->nops == 0 || sc->nops > SCENARIO_MAX_OPS || sc->nrules > SCENARIO_MAX_RULES) {
        fprintf(stderr, "a parsed scenario breaks its limits: name '%s', %zu ops, %zu rules\n", sc->name, sc->nops,
                sc->nrules);
        abort();
    }
    for (size_t i = 0; i < sc->nops; i++) {
        const Op *op = &sc->ops[i];
        check_string(op->step, sizeof op->step, "step");
        if (op->line < 1 || (op->side != SIDE_CLIENT && op->side != SIDE_SERVER) || op->event < EW_NONE ||
            op->event >= EW_COUNT || ((op->verb == OP_EXPECT) != (op->event != EW_NONE) && op->verb != OP_QUIET)) {
            fprintf(stderr, "op %zu: line %d, side %d, verb %d, event %d\n", i, op->line, (int)op->side, (int)op->verb,
                    (int)op->event);
            abort();
        }
        op_describe(op, sc->payload, buf, sizeof buf);
        op_describe(op, 0, buf, sizeof buf);
        op_describe(op, INT64_MAX, buf, sizeof buf);
        op_describe(op, sc->payload, buf, 5); /* truncation */
        expect_format(&op->windows, buf, sizeof buf);
        expect_format(&op->wine, buf, sizeof buf);
        expect_format(&op->wine, buf, 3);
        (void)op_verb_name(op->verb);
        (void)shutdown_how_name(op->arg);
        (void)scenario_op_active(op, 0);
        if (op->why)
            (void)strlen(op->why);
        if (op->explain)
            (void)strlen(op->explain);
    }
    for (size_t r = 0; r < sc->nrules; r++) {
        check_string(sc->rules[r].before, sizeof sc->rules[r].before, "rule");
        check_string(sc->rules[r].after, sizeof sc->rules[r].after, "rule");
    }
    scenario_free(sc);
    return 0;
}
