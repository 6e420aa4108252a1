/* scenario_model.c: the scenario model's own words, shared by the parser, the engine and
 * the formats: the verbs as a file writes them, what an op is about (its subject in the
 * events' vocabulary, event.h), how an expectation is written and how an outcome meets it. */
#include "scenario.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wsaerr.h"

void scenario_free(Scenario *sc)
{
    if (!sc)
        return;
    for (size_t i = 0; i < sc->nops; i++) {
        free(sc->ops[i].why);
        free(sc->ops[i].explain);
        free(sc->ops[i].source);
    }
    for (size_t i = 0; i < sc->nshowed; i++)
        free(sc->showed[i].text);
    free(sc->showed);
    for (size_t i = 0; i < sc->nstrings; i++)
        free(sc->strings[i]);
    free(sc->strings);
    free(sc->text);
    free(sc->ops);
    free(sc->rules);
    free(sc->title);
    free(sc->about);
    free(sc->source);
    free(sc);
}

int scenario_op_active(const Op *op, int64_t payload)
{
    return !(op->if_payload && payload == 0);
}

int64_t scenario_limit_ms(const Scenario *sc, int64_t timeout_ms)
{
    int64_t ms = 60000, linger[SIDE_COUNT] = {0, 0}; /* each end's, as its socket holds it */
    for (size_t i = 0; i < sc->nops; i++) {
        const Op *op = &sc->ops[i];
        int k = op->side == SIDE_SERVER ? SIDE_SERVER : SIDE_CLIENT;
        switch (op->verb) {
        case OP_EXPECT:
            ms += op->within_ms > 0 ? op->within_ms : timeout_ms;
            break;
        case OP_QUIET:
            ms += op->arg;
            break;
        case OP_LINGER: /* and a second, as any call that does not wait */
            linger[k] = op->arg * 1000;
            ms += 1000;
            break;
        case OP_DONTLINGER:
            linger[k] = 0;
            ms += 1000;
            break;
        case OP_CLOSESOCKET:
            ms += linger[k] + timeout_ms;
            break;
        case OP_SEND:
        case OP_TCP:
            ms += timeout_ms;
            break;
        default:
            ms += 1000; /* a call that does not wait, and the TCP sample a step may take after it */
            break;
        }
    }
    return ms;
}

Claim scenario_claim(const Scenario *sc, Claim own)
{
    Claim none = {EVIDENCE_INFERRED, SCENARIO_NO_SOURCE};
    if (own.evidence != EVIDENCE_NONE)
        return own;
    return sc && sc->claim.evidence != EVIDENCE_NONE ? sc->claim : none;
}

Claim scenario_op_claim(const Scenario *sc, const Op *op)
{
    Claim own = {op->evidence, op->source};
    return scenario_claim(sc, own);
}

const char *op_verb_name(OpVerb v)
{
    static const char *const names[] = {"send", "send fill", "shutdown", "WSASendDisconnect", "SO_LINGER",
                                        "SO_DONTLINGER", "closesocket", "recv", "read", "expect", "quiet", "tcp"};
    return (unsigned)v < sizeof names / sizeof names[0] ? names[v] : "?";
}

void op_subject(const Op *op, int64_t payload, EventWhat *what, EventArgs *args)
{
    memset(args, 0, sizeof *args);
    switch (op->verb) {
    case OP_SEND:
        *what = EW_SEND_BYTES;
        args->amount = op->arg < 0 ? payload : op->arg;
        return;
    case OP_SEND_FILL: *what = EW_SEND_FILL; return;
    case OP_SHUTDOWN:
        *what = EW_SHUTDOWN;
        args->how = (int)op->arg;
        return;
    case OP_SENDDISCONNECT: *what = EW_SENDDISCONNECT; return;
    case OP_LINGER:
        *what = EW_LINGER;
        args->linger_s = (int)op->arg;
        return;
    case OP_DONTLINGER: *what = EW_DONTLINGER; return;
    case OP_CLOSESOCKET: *what = EW_CLOSESOCKET; return;
    case OP_RECV: *what = EW_RECV; return;
    case OP_READING:
        *what = EW_READING;
        args->on = (int)op->arg;
        return;
    case OP_EXPECT: *what = op->event; return;
    case OP_QUIET:
        *what = EW_QUIET;
        args->amount = op->arg;
        return;
    case OP_TCP: *what = EW_TCP_READ; return;
    }
    *what = EW_NONE;
}

void op_describe(const Op *op, int64_t payload, char *buf, size_t size)
{
    EventWhat what;
    EventArgs args;
    op_subject(op, payload, &what, &args);
    event_what_name(what, &args, buf, size);
}

void expect_format(const Expect *e, char *buf, size_t size)
{
    switch (e->kind) {
    case EXP_UNSET:
    case EXP_OK:
        snprintf(buf, size, "ok");
        break;
    case EXP_ANY:
        snprintf(buf, size, "any");
        break;
    case EXP_VALUE:
        snprintf(buf, size, "%lld", (long long)e->value);
        break;
    case EXP_STATE:
        snprintf(buf, size, "%s", tcp_state_label(e->value));
        break;
    case EXP_ABSENT:
        snprintf(buf, size, "none");
        break;
    case EXP_ERROR: {
        const char *n = wsaerr_name(e->error);
        if (n)
            snprintf(buf, size, "%s", n);
        else
            snprintf(buf, size, "error %d", e->error);
        break;
    }
    }
}

void outcome_format(const Outcome *o, char *buf, size_t size)
{
    if (o->not_observed) {
        snprintf(buf, size, "%s", o->not_observed);
    } else if (o->failed) {
        Expect e = {EXP_ERROR, 0, o->error};
        expect_format(&e, buf, size);
    } else if (o->is_state) {
        snprintf(buf, size, "%s", tcp_state_label(o->value));
    } else {
        snprintf(buf, size, "%lld", (long long)o->value);
    }
}

int expect_matches(const Expect *e, const Outcome *o)
{
    if (o->not_observed)
        return e->kind == EXP_ANY;
    switch (e->kind) {
    case EXP_UNSET:
    case EXP_OK:
        return !o->failed;
    case EXP_ANY:
        return 1;
    case EXP_VALUE:
        return !o->failed && o->value == e->value;
    case EXP_ERROR:
        return o->failed && o->error == e->error;
    case EXP_STATE:
        return !o->failed && o->is_state && o->value == e->value;
    case EXP_ABSENT:
        return 0; /* the event came: an absence is met only by the watchdog (runner.c) */
    }
    return 0;
}
