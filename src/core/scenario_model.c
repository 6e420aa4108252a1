/* scenario_model.c: the scenario model's vocabulary, shared by the parser, the engine
 * and the formats: names of actions and TCP states, how an op is described, how an
 * expectation is written and how an outcome meets it. */
#include "scenario.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wsaerr.h"

static const char *const tcp_states[] = {"?", "CLOSED", "LISTEN", "SYN_SENT", "SYN_RCVD", "ESTABLISHED",
                                         "FIN_WAIT_1", "FIN_WAIT_2", "CLOSE_WAIT", "CLOSING", "LAST_ACK",
                                         "TIME_WAIT", "DELETE_TCB"};
#define TCP_STATE_COUNT ((int)(sizeof tcp_states / sizeof tcp_states[0]))

const char *tcp_state_label(int64_t state)
{
    return state > 0 && state < TCP_STATE_COUNT ? tcp_states[state] : "?";
}

int tcp_state_from_name(const char *s, size_t len)
{
    for (int i = 1; i < TCP_STATE_COUNT; i++)
        if (strlen(tcp_states[i]) == len && memcmp(tcp_states[i], s, len) == 0)
            return i;
    return 0;
}

void scenario_free(Scenario *sc)
{
    if (!sc)
        return;
    for (size_t i = 0; i < sc->nops; i++) {
        free(sc->ops[i].why);
        free(sc->ops[i].explain);
    }
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

const char *op_verb_name(OpVerb v)
{
    static const char *const names[] = {"send", "send fill", "shutdown", "WSASendDisconnect", "SO_LINGER",
                                        "SO_DONTLINGER", "closesocket", "recv", "read", "expect", "quiet", "tcp"};
    return (unsigned)v < sizeof names / sizeof names[0] ? names[v] : "?";
}

void op_describe(const Op *op, int64_t payload, char *buf, size_t size)
{
    switch (op->verb) {
    case OP_SEND:
        snprintf(buf, size, "send %lld bytes", (long long)(op->arg < 0 ? payload : op->arg));
        break;
    case OP_SEND_FILL:
        snprintf(buf, size, "send until WSAEWOULDBLOCK");
        break;
    case OP_SHUTDOWN:
        snprintf(buf, size, "shutdown(%s)", shutdown_how_name(op->arg));
        break;
    case OP_LINGER:
        snprintf(buf, size, "setsockopt(SO_LINGER {1,%d})", (int)op->arg);
        break;
    case OP_DONTLINGER:
        snprintf(buf, size, "setsockopt(SO_DONTLINGER)");
        break;
    case OP_READING:
        snprintf(buf, size, "FD_READ handler %s", op->arg ? "reads" : "does not read");
        break;
    case OP_EXPECT:
        snprintf(buf, size, "%s", op->what);
        break;
    case OP_QUIET:
        snprintf(buf, size, "watch %d ms", (int)op->arg);
        break;
    case OP_TCP:
        snprintf(buf, size, "TCP table");
        break;
    default:
        snprintf(buf, size, "%s", op_verb_name(op->verb));
        break;
    }
}

const char *shutdown_how_name(int64_t how)
{
    return how == 0 ? "SD_RECEIVE" : how == 1 ? "SD_SEND" : how == 2 ? "SD_BOTH" : "SD_?";
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
