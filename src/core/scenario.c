/* scenario.c: the scenario text format, parsed line by line into the model. Every error
 * names line and column; any bytes at all (binary, NULs, UTF-16, huge numbers or lines)
 * give an error, never a crash: the fuzzer in tests/fuzz holds it to that. The format is
 * documented in docs/scenario-format.md (and briefly in README.md). */
#include "scenario.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facts.h"
#include "grow.h"
#include "wsaerr.h"

typedef struct Position {
    int line, column;
} Position;

typedef struct Parser {
    const char *p;   /* current position in the line */
    const char *bol; /* beginning of the line */
    const char *eol;
    int line;
    ScenarioError *err;
    Scenario *sc;
    size_t cap_ops, cap_rules, cap_strings, cap_showed;
    Position showed_at[SCENARIO_MAX_SHOWED]; /* where each showed line's label was written */
    int name_line;                           /* where 'scenario NAME' was, for whole-file errors */
    Position rule_at[SCENARIO_MAX_RULES][2]; /* where each order rule's labels were written */
} Parser;

typedef struct Token {
    const char *s;
    size_t len;
    int quoted;
    const char *at; /* where the token starts, for columns */
} Token;

static int fail_at(Parser *ps, const char *at, const char *fmt, ...)
{
    va_list ap;
    ps->err->line = ps->line;
    ps->err->column = at ? (int)(at - ps->bol) + 1 : 0;
    va_start(ap, fmt);
    vsnprintf(ps->err->message, sizeof ps->err->message, fmt, ap);
    va_end(ap);
    return -1;
}

/* An error found after the last line, placed where it was written. */
static int fail_pos(Parser *ps, Position at, const char *fmt, ...)
{
    va_list ap;
    ps->err->line = at.line;
    ps->err->column = at.column;
    va_start(ap, fmt);
    vsnprintf(ps->err->message, sizeof ps->err->message, fmt, ap);
    va_end(ap);
    return -1;
}

static Position pos_of(const Parser *ps, const char *at)
{
    Position p;
    p.line = ps->line;
    p.column = (int)(at - ps->bol) + 1;
    return p;
}

static int tok_is(const Token *t, const char *word)
{
    return !t->quoted && t->len == strlen(word) && memcmp(t->s, word, t->len) == 0;
}

static void skip_space(Parser *ps)
{
    while (ps->p < ps->eol && (*ps->p == ' ' || *ps->p == '\t'))
        ps->p++;
}

/* Next token: a bare word (up to space or '=' when key_ok), or a "quoted string" with \"
 * and \\ escapes. Returns 0 at end of line or comment, 1 with a token, -1 on error. */
static int next_token(Parser *ps, Token *t, int stop_at_equals)
{
    skip_space(ps);
    if (ps->p >= ps->eol || *ps->p == '#')
        return 0;
    t->at = ps->p;
    if (*ps->p == '"') {
        const char *start = ++ps->p;
        while (ps->p < ps->eol && *ps->p != '"') {
            if (*ps->p == '\\' && ps->p + 1 < ps->eol)
                ps->p++;
            ps->p++;
        }
        if (ps->p >= ps->eol)
            return fail_at(ps, t->at, "unterminated string: add the closing \"");
        t->s = start;
        t->len = (size_t)(ps->p - start);
        t->quoted = 1;
        ps->p++;
        return 1;
    }
    t->s = ps->p;
    while (ps->p < ps->eol && *ps->p != ' ' && *ps->p != '\t' && *ps->p != '"' &&
           !(stop_at_equals && *ps->p == '='))
        ps->p++;
    t->len = (size_t)(ps->p - t->s);
    t->quoted = 0;
    return 1;
}

/* Copies a (possibly quoted) token into a new string, resolving escapes. */
static char *tok_dup(const Token *t)
{
    char *out = malloc(t->len + 1), *o = out;
    if (!out)
        return NULL;
    for (size_t i = 0; i < t->len; i++) {
        if (t->quoted && t->s[i] == '\\' && i + 1 < t->len)
            i++;
        *o++ = t->s[i];
    }
    *o = '\0';
    return out;
}

/* A decimal integer in [0, max]; no signs, no overflow. */
static int tok_int(Parser *ps, const Token *t, int64_t max, int64_t *out)
{
    int64_t v = 0;
    if (t->len == 0 || t->quoted)
        return fail_at(ps, t->at, "expected a number");
    for (size_t i = 0; i < t->len; i++) {
        if (t->s[i] < '0' || t->s[i] > '9')
            return fail_at(ps, t->at + i, "expected a number, found '%.*s'", (int)t->len, t->s);
        if (v > (max - (t->s[i] - '0')) / 10)
            return fail_at(ps, t->at, "number too large (at most %lld)", (long long)max);
        v = v * 10 + (t->s[i] - '0');
    }
    *out = v;
    return 0;
}

static int parse_expect(Parser *ps, const Token *t, Expect *e)
{
    int err;
    int64_t v;
    if (!t->quoted && (v = tcp_state_from_name(t->s, t->len)) > 0) {
        e->kind = EXP_STATE;
        e->value = v;
        return 0;
    }
    if (tok_is(t, "ok")) {
        e->kind = EXP_OK;
        return 0;
    }
    if (tok_is(t, "any")) {
        e->kind = EXP_ANY;
        return 0;
    }
    if (tok_is(t, "none")) {
        e->kind = EXP_ABSENT;
        return 0;
    }
    if (t->len > 3 && !t->quoted && memcmp(t->s, "WSA", 3) == 0) {
        err = wsaerr_from_name(t->s, t->len);
        if (err <= 0)
            return fail_at(ps, t->at, "unknown Winsock error '%.*s'", (int)(t->len > 40 ? 40 : t->len), t->s);
        e->kind = EXP_ERROR;
        e->error = err;
        return 0;
    }
    if (tok_int(ps, t, SCENARIO_MAX_SEND, &v) < 0)
        return fail_at(ps, t->at, "expected ok, any, a number, a WSAE... error name or a TCP state");
    e->kind = EXP_VALUE;
    e->value = v;
    return 0;
}

static int label_ok(const Token *t)
{
    if (t->quoted || t->len == 0 || t->len >= EVENT_STEP_MAX)
        return 0;
    for (size_t i = 0; i < t->len; i++) {
        char c = t->s[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '\'' || c == '-'))
            return 0;
    }
    return 1;
}

static int parse_label(Parser *ps, const Token *t, char *out)
{
    if (!label_ok(t))
        return fail_at(ps, t->at, "a step label is 1 to %d letters, digits, ' or - (like 4')", EVENT_STEP_MAX - 1);
    memcpy(out, t->s, t->len);
    out[t->len] = '\0';
    return 0;
}

/* The events an expect or quiet line can name (event_what_from_name): FD_ACCEPT and
 * FD_CONNECT are not among them, they are the set-up's, before any script runs. */
static int parse_event_name(Parser *ps, const Token *t, EventWhat *out)
{
    if (!t->quoted && (*out = event_what_from_name(t->s, t->len)) != EW_NONE)
        return 0;
    return fail_at(ps, t->at, "unknown event '%.*s' (FD_READ, FD_WRITE, FD_CLOSE, recv, send; FD_ACCEPT and FD_CONNECT belong to the set-up)",
                   (int)(t->len > 40 ? 40 : t->len), t->s);
}

static Op *new_op(Parser *ps)
{
    Scenario *sc = ps->sc;
    if (sc->nops == SCENARIO_MAX_OPS) {
        fail_at(ps, ps->bol, "too many operations (at most %d)", SCENARIO_MAX_OPS);
        return NULL;
    }
    if (GROW(sc->ops, ps->cap_ops, sc->nops + 1) < 0) {
        fail_at(ps, ps->bol, "out of memory");
        return NULL;
    }
    Op *op = &sc->ops[sc->nops++];
    memset(op, 0, sizeof *op);
    op->line = ps->line;
    return op;
}

/* The verb and its positional arguments. */
static int parse_verb(Parser *ps, Op *op, const Token *verb)
{
    Token a;
    int r;
    if (tok_is(verb, "send")) {
        if ((r = next_token(ps, &a, 1)) <= 0)
            return r < 0 ? r : fail_at(ps, ps->p, "send needs a byte count, payload or fill");
        if (tok_is(&a, "payload")) {
            op->verb = OP_SEND;
            op->arg = -1;
            return 0;
        }
        if (tok_is(&a, "fill")) {
            op->verb = OP_SEND_FILL;
            return 0;
        }
        op->verb = OP_SEND;
        return tok_int(ps, &a, SCENARIO_MAX_SEND, &op->arg);
    }
    if (tok_is(verb, "shutdown")) {
        if ((r = next_token(ps, &a, 1)) <= 0)
            return r < 0 ? r : fail_at(ps, ps->p, "shutdown needs SD_SEND, SD_RECEIVE or SD_BOTH");
        op->verb = OP_SHUTDOWN;
        if (tok_is(&a, "SD_RECEIVE"))
            op->arg = 0;
        else if (tok_is(&a, "SD_SEND"))
            op->arg = 1;
        else if (tok_is(&a, "SD_BOTH"))
            op->arg = 2;
        else
            return fail_at(ps, a.at, "shutdown takes SD_SEND, SD_RECEIVE or SD_BOTH");
        return 0;
    }
    if (tok_is(verb, "linger")) {
        if ((r = next_token(ps, &a, 1)) <= 0)
            return r < 0 ? r : fail_at(ps, ps->p, "linger needs seconds: linger 0 (abortive) or linger 5");
        op->verb = OP_LINGER;
        return tok_int(ps, &a, 65535, &op->arg);
    }
    if (tok_is(verb, "read")) {
        if ((r = next_token(ps, &a, 1)) <= 0)
            return r < 0 ? r : fail_at(ps, ps->p, "read needs on or off");
        op->verb = OP_READING;
        if (tok_is(&a, "on"))
            op->arg = 1;
        else if (tok_is(&a, "off"))
            op->arg = 0;
        else
            return fail_at(ps, a.at, "read takes on or off");
        return 0;
    }
    if (tok_is(verb, "expect")) {
        if ((r = next_token(ps, &a, 1)) <= 0)
            return r < 0 ? r : fail_at(ps, ps->p, "expect needs an event: FD_READ, FD_CLOSE, recv ...");
        op->verb = OP_EXPECT;
        return parse_event_name(ps, &a, &op->event);
    }
    if (tok_is(verb, "quiet")) {
        if ((r = next_token(ps, &a, 1)) <= 0)
            return r < 0 ? r : fail_at(ps, ps->p, "quiet needs milliseconds, e.g. quiet 300");
        op->verb = OP_QUIET;
        return tok_int(ps, &a, 60000, &op->arg);
    }
    if (tok_is(verb, "wsasenddisconnect")) {
        op->verb = OP_SENDDISCONNECT;
        return 0;
    }
    if (tok_is(verb, "dontlinger")) {
        op->verb = OP_DONTLINGER;
        return 0;
    }
    if (tok_is(verb, "closesocket")) {
        op->verb = OP_CLOSESOCKET;
        return 0;
    }
    if (tok_is(verb, "recv")) {
        op->verb = OP_RECV;
        return 0;
    }
    if (tok_is(verb, "tcp")) {
        op->verb = OP_TCP;
        return 0;
    }
    return fail_at(ps, verb->at, "unknown action '%.*s' (send, shutdown, wsasenddisconnect, linger, dontlinger, "
                                 "closesocket, recv, read, expect, quiet, tcp)",
                   (int)(verb->len > 40 ? 40 : verb->len), verb->s);
}

/* ---- claims: evidence= and source= ------------------------------------------------- */

typedef struct ClaimKeys {
    Evidence evidence;
    char *source;           /* the caller's to keep (or free) */
    const char *evidence_at, *source_at;
} ClaimKeys;

/* Keeps a string the scenario's claims point into; frees it on failure. */
static const char *keep_string(Parser *ps, char *str, const char *at)
{
    Scenario *sc = ps->sc;
    if (GROW(sc->strings, ps->cap_strings, sc->nstrings + 1) < 0) {
        free(str);
        fail_at(ps, at, "out of memory");
        return NULL;
    }
    sc->strings[sc->nstrings++] = str;
    return str;
}

/* evidence=GRADE or source="TEXT": 1 taken, 0 not a claim's key, -1 an error. */
static int claim_key(Parser *ps, const Token *k, const Token *v, ClaimKeys *c)
{
    if (tok_is(k, "evidence")) {
        if (c->evidence)
            return fail_at(ps, k->at, "evidence= given twice");
        if (v->quoted || !(c->evidence = evidence_from_name(v->s, v->len)))
            return fail_at(ps, v->at, "evidence= takes tested (a conformance test on real Windows), documented "
                                      "(Microsoft's documentation), disputed (the sources disagree) or inferred");
        c->evidence_at = k->at;
        return 1;
    }
    if (tok_is(k, "source")) {
        if (c->source)
            return fail_at(ps, k->at, "source= given twice");
        if (!v->quoted || !v->len)
            return fail_at(ps, v->at, "source= needs a \"quoted\" citation a reader can open");
        if (!(c->source = tok_dup(v)))
            return fail_at(ps, v->at, "out of memory");
        c->source_at = k->at;
        return 1;
    }
    return 0;
}

/* A claim is whole: a grade with its source. */
static int claim_check(Parser *ps, const ClaimKeys *c)
{
    if (c->evidence && !c->source)
        return fail_at(ps, c->evidence_at, "evidence= needs its source=\"...\": where a reader can check it");
    if (c->source && !c->evidence)
        return fail_at(ps, c->source_at, "source= goes with evidence=tested|documented|disputed|inferred");
    return 0;
}

/* The claim keys that end a directive line (order, lossless, lost): into *out, its
 * source kept by the scenario. */
static int parse_claim_tail(Parser *ps, Claim *out)
{
    ClaimKeys c = {EVIDENCE_NONE, NULL, NULL, NULL};
    Token k, v;
    int r;
    while ((r = next_token(ps, &k, 1)) > 0) {
        if (k.quoted || ps->p >= ps->eol || *ps->p != '=') {
            r = fail_at(ps, k.at, "expected evidence=... source=\"...\" here");
            break;
        }
        ps->p++;
        if ((r = next_token(ps, &v, 0)) <= 0) {
            r = r < 0 ? r : fail_at(ps, ps->p, "%.*s= needs a value", (int)k.len, k.s);
            break;
        }
        if ((r = claim_key(ps, &k, &v, &c)) <= 0) {
            r = r < 0 ? r : fail_at(ps, k.at, "only evidence= and source= go here");
            break;
        }
    }
    if (r < 0 || claim_check(ps, &c) < 0) { /* every way out but one: the source goes */
        free(c.source);
        return -1;
    }
    out->evidence = c.evidence;
    out->source = c.source ? keep_string(ps, c.source, ps->bol) : NULL;
    return c.source && !out->source ? -1 : 0;
}

/* ---- an operation's keys ------------------------------------------------------------ */

typedef struct Attrs {
    const char *windows_at, *wine_at, *other_at; /* where the keys were, for messages */
    int seen_windows, seen_wine, seen_other;
    ClaimKeys claim;
} Attrs;

static int parse_expect_key(Parser *ps, const Token *k, const Token *v, Expect *e, int *seen, const char **at)
{
    if ((*seen)++)
        return fail_at(ps, k->at, "%.*s= given twice", (int)k->len, k->s);
    *at = k->at;
    return parse_expect(ps, v, e);
}

/* One key=value of an operation line. */
static int parse_attr(Parser *ps, Op *op, const Token *k, const Token *v, Attrs *a)
{
    int r;
    if (tok_is(k, "windows"))
        return parse_expect_key(ps, k, v, &op->windows, &a->seen_windows, &a->windows_at);
    if (tok_is(k, "wine"))
        return parse_expect_key(ps, k, v, &op->wine, &a->seen_wine, &a->wine_at);
    if (tok_is(k, "other"))
        return parse_expect_key(ps, k, v, &op->other, &a->seen_other, &a->other_at);
    if ((r = claim_key(ps, k, v, &a->claim)) != 0) {
        if (r > 0 && tok_is(k, "source"))
            op->source = a->claim.source; /* the op owns it from here */
        return r < 0 ? r : 0;
    }
    if (tok_is(k, "why") || tok_is(k, "explain")) {
        char **dst = tok_is(k, "why") ? &op->why : &op->explain;
        if (*dst)
            return fail_at(ps, k->at, "%.*s= given twice", (int)k->len, k->s);
        if (!(*dst = tok_dup(v)))
            return fail_at(ps, v->at, "out of memory");
        return 0;
    }
    if (tok_is(k, "none")) {
        if (op->verb != OP_QUIET)
            return fail_at(ps, k->at, "none= goes with quiet");
        return parse_event_name(ps, v, &op->event);
    }
    if (tok_is(k, "within")) {
        if (op->verb != OP_EXPECT)
            return fail_at(ps, k->at, "within= goes with expect: expect FD_CLOSE within=500");
        if (tok_int(ps, v, 600000, &op->within_ms) < 0)
            return -1;
        return op->within_ms == 0 ? fail_at(ps, v->at, "within= takes milliseconds from 1 to 600000") : 0;
    }
    if (tok_is(k, "sample")) {
        if (!tok_is(v, "no"))
            return fail_at(ps, v->at, "sample= takes no (the step does not wait for a TCP-table sample)");
        op->no_sample = 1;
        return 0;
    }
    if (tok_is(k, "if")) {
        if (tok_is(v, "payload"))
            op->if_payload = 1;
        else if (tok_is(v, "open"))
            op->if_open = 1;
        else
            return fail_at(ps, v->at, "if= takes payload (the line counts only when --payload is not 0) or open "
                                      "(only while this end's socket is open)");
        return 0;
    }
    return fail_at(ps, k->at, "unknown key '%.*s' (windows, wine, why, evidence, source, other, explain, none, if, "
                              "within, sample)",
                   (int)(k->len > 40 ? 40 : k->len), k->s);
}

/* What the keys of a line must say together. */
static int check_attrs(Parser *ps, Op *op, const Attrs *a)
{
    if (op->windows.kind == EXP_ABSENT || (op->wine.kind == EXP_ABSENT && op->verb != OP_EXPECT))
        return fail_at(ps, op->windows.kind == EXP_ABSENT ? a->windows_at : a->wine_at,
                       "none is for wine= on an expect line (Wine does not post that event)");
    if ((op->windows.kind == EXP_STATE || op->wine.kind == EXP_STATE) && op->verb != OP_TCP)
        return fail_at(ps, op->windows.kind == EXP_STATE ? a->windows_at : a->wine_at,
                       "a TCP state is what the tcp action reads: '%s tcp windows=CLOSED'", side_name(op->side));
    if (op->verb == OP_TCP && (op->windows.kind != EXP_STATE && op->windows.kind != EXP_UNSET && op->windows.kind != EXP_ANY))
        return fail_at(ps, a->windows_at, "tcp expects a TCP state, e.g. windows=TIME_WAIT");
    if (op->wine.kind != EXP_UNSET && !op->why)
        return fail_at(ps, a->wine_at, "a wine= difference needs its evidence: add why=\"...\"");
    if (op->wine.kind != EXP_UNSET && op->windows.kind == EXP_UNSET)
        return fail_at(ps, a->wine_at, "wine= is a difference from windows=: say windows= first");
    if (op->other.kind != EXP_UNSET && op->evidence != EVIDENCE_DISPUTED)
        return fail_at(ps, a->other_at, "other= is the other source's claim: it goes with evidence=disputed");
    if (op->other.kind == EXP_ABSENT)
        return fail_at(ps, a->other_at, "other= takes what the other source says Windows does, not none");
    return claim_check(ps, &a->claim);
}

/* key=value attributes after the verb. */
static int parse_attrs(Parser *ps, Op *op)
{
    Token k, v;
    int r;
    Attrs a;
    memset(&a, 0, sizeof a);
    a.windows_at = a.wine_at = a.other_at = ps->bol;
    while ((r = next_token(ps, &k, 1)) > 0) {
        if (k.quoted || ps->p >= ps->eol || *ps->p != '=')
            return fail_at(ps, k.at, "expected key=value (windows=, wine=, why=, evidence=, source=, explain=, none=, "
                                     "if=, within=, sample=)");
        ps->p++;
        if (ps->p >= ps->eol || *ps->p == ' ' || *ps->p == '\t')
            return fail_at(ps, ps->p, "%.*s= needs a value", (int)k.len, k.s);
        if ((r = next_token(ps, &v, 0)) < 0)
            return r;
        if (r == 0)
            return fail_at(ps, ps->p, "%.*s= needs a value", (int)k.len, k.s);
        if (parse_attr(ps, op, &k, &v, &a) < 0)
            return -1;
        op->evidence = a.claim.evidence;
    }
    if (r < 0)
        return r;
    return check_attrs(ps, op, &a);
}

static int parse_order(Parser *ps)
{
    Token t;
    char prev[EVENT_STEP_MAX] = "";
    Position prev_at = {0, 0};
    int r, n = 0;
    size_t first = ps->sc->nrules;
    Scenario *sc = ps->sc;
    Claim claim = {EVIDENCE_NONE, NULL};
    while ((r = next_token(ps, &t, 1)) > 0) {
        char cur[EVENT_STEP_MAX];
        if (ps->p < ps->eol && *ps->p == '=') { /* the labels are over: evidence= source= */
            ps->p = t.at;
            if (parse_claim_tail(ps, &claim) < 0)
                return -1;
            break;
        }
        if (parse_label(ps, &t, cur) < 0)
            return -1;
        if (n++ > 0) {
            if (sc->nrules == SCENARIO_MAX_RULES)
                return fail_at(ps, t.at, "too many order rules (at most %d)", SCENARIO_MAX_RULES);
            if (GROW(sc->rules, ps->cap_rules, sc->nrules + 1) < 0)
                return fail_at(ps, t.at, "out of memory");
            strcpy(sc->rules[sc->nrules].before, prev);
            strcpy(sc->rules[sc->nrules].after, cur);
            ps->rule_at[sc->nrules][0] = prev_at;
            ps->rule_at[sc->nrules][1] = pos_of(ps, t.at);
            sc->nrules++;
        }
        strcpy(prev, cur);
        prev_at = pos_of(ps, t.at);
    }
    if (r < 0)
        return r;
    if (n < 2)
        return fail_at(ps, ps->p, "order needs at least two step labels: order 1 2 3");
    for (size_t i = first; i < sc->nrules; i++)
        sc->rules[i].claim = claim;
    return 0;
}

static int parse_string_directive(Parser *ps, char **dst, const char *key)
{
    Token t;
    int r = next_token(ps, &t, 0);
    if (r < 0)
        return r;
    if (r == 0 || !t.quoted)
        return fail_at(ps, r ? t.at : ps->p, "%s needs a \"quoted string\"", key);
    if (*dst)
        return fail_at(ps, t.at, "%s given twice", key);
    if (!(*dst = tok_dup(&t)))
        return fail_at(ps, t.at, "out of memory");
    return 0;
}

/* evidence GRADE "SOURCE": the grade and source of every check of the file that gives
 * none of its own. */
static int parse_evidence_directive(Parser *ps)
{
    Token t;
    int r;
    char *src;
    Scenario *sc = ps->sc;
    if (sc->claim.evidence)
        return fail_at(ps, ps->bol, "evidence given twice");
    if ((r = next_token(ps, &t, 0)) <= 0)
        return r < 0 ? r : fail_at(ps, ps->p, "evidence needs a grade and a source: evidence documented \"...\"");
    if (t.quoted || !(sc->claim.evidence = evidence_from_name(t.s, t.len)))
        return fail_at(ps, t.at, "evidence takes tested, documented, disputed or inferred");
    if ((r = next_token(ps, &t, 0)) < 0)
        return r;
    if (r == 0 || !t.quoted || !t.len)
        return fail_at(ps, r ? t.at : ps->p, "evidence %s needs its source: a \"quoted\" citation a reader can open",
                       evidence_name(sc->claim.evidence));
    if (!(src = tok_dup(&t)) || !(sc->claim.source = keep_string(ps, src, t.at)))
        return src ? -1 : fail_at(ps, t.at, "out of memory");
    if ((r = next_token(ps, &t, 0)) != 0)
        return r < 0 ? r : fail_at(ps, t.at, "unexpected text after the evidence's source");
    return 0;
}

/* showed LABEL "TEXT" [if=CONDITION]: a sentence about what step LABEL showed in a run,
 * said only when the condition holds of the step's facts (facts.h). */
static int parse_showed(Parser *ps)
{
    Token t, k, v;
    int r;
    Scenario *sc = ps->sc;
    Showed *sh;
    size_t bad;
    char msg[160];
    if (sc->nshowed == SCENARIO_MAX_SHOWED)
        return fail_at(ps, ps->bol, "too many showed lines (at most %d)", SCENARIO_MAX_SHOWED);
    if (GROW(sc->showed, ps->cap_showed, sc->nshowed + 1) < 0)
        return fail_at(ps, ps->bol, "out of memory");
    sh = &sc->showed[sc->nshowed];
    memset(sh, 0, sizeof *sh);
    sh->line = ps->line;
    if ((r = next_token(ps, &t, 0)) <= 0)
        return r < 0 ? r : fail_at(ps, ps->p, "showed needs a step label and a sentence: showed 3 \"...\" if=...");
    if (parse_label(ps, &t, sh->step) < 0)
        return -1;
    ps->showed_at[sc->nshowed] = pos_of(ps, t.at);
    if ((r = next_token(ps, &t, 0)) < 0)
        return r;
    if (r == 0 || !t.quoted || !t.len)
        return fail_at(ps, r ? t.at : ps->p, "showed %s needs its sentence in \"quotes\"", sh->step);
    if (!(sh->text = tok_dup(&t)))
        return fail_at(ps, t.at, "out of memory");
    sc->nshowed++; /* from here the scenario frees the text */
    if (facts_check_text(sh->text, &bad, msg, sizeof msg) < 0) {
        /* the offset is in the unescaped text: find the column by counting escapes */
        size_t col = 0, o = 0;
        while (o < bad && col < t.len) {
            if (t.s[col] == '\\' && col + 1 < t.len)
                col++;
            col++, o++;
        }
        return fail_at(ps, t.s + col, "%s", msg);
    }
    while ((r = next_token(ps, &k, 1)) > 0) {
        if (!tok_is(&k, "if") || ps->p >= ps->eol || *ps->p != '=')
            return fail_at(ps, k.at, "after the sentence: if=CONDITION (e.g. if=send.wouldblock), or nothing");
        if (sh->nterms)
            return fail_at(ps, k.at, "if= given twice: join the conditions with commas, if=A,B");
        ps->p++;
        if ((r = next_token(ps, &v, 0)) <= 0 || v.quoted)
            return r < 0 ? r : fail_at(ps, r ? v.at : ps->p, "if= needs a condition, e.g. if=send.wouldblock");
        if (facts_parse_condition(v.s, v.len, sh, &bad, msg, sizeof msg) < 0)
            return fail_at(ps, v.s + bad, "%s", msg);
    }
    return r;
}

static int parse_line(Parser *ps)
{
    Token t;
    int r = next_token(ps, &t, 1);
    Scenario *sc = ps->sc;
    char step[EVENT_STEP_MAX] = "";
    if (r <= 0)
        return r;
    if (tok_is(&t, "scenario")) {
        if (sc->name[0])
            return fail_at(ps, t.at, "scenario given twice");
        if ((r = next_token(ps, &t, 0)) <= 0)
            return r < 0 ? r : fail_at(ps, ps->p, "scenario needs a name, e.g. scenario my-close");
        if (t.quoted || t.len >= SCENARIO_NAME_MAX)
            return fail_at(ps, t.at, "a scenario name is 1 to %d letters, digits and -", SCENARIO_NAME_MAX - 1);
        for (size_t i = 0; i < t.len; i++) {
            char c = t.s[i];
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
                return fail_at(ps, t.at + i, "a scenario name uses a-z, 0-9 and - only");
        }
        memcpy(sc->name, t.s, t.len);
        sc->name[t.len] = '\0';
        ps->name_line = ps->line;
    } else if (tok_is(&t, "title")) {
        if (parse_string_directive(ps, &sc->title, "title") < 0)
            return -1;
    } else if (tok_is(&t, "about")) {
        if (parse_string_directive(ps, &sc->about, "about") < 0)
            return -1;
    } else if (tok_is(&t, "source")) {
        if (parse_string_directive(ps, &sc->source, "source") < 0)
            return -1;
    } else if (tok_is(&t, "payload")) {
        if ((r = next_token(ps, &t, 0)) <= 0)
            return r < 0 ? r : fail_at(ps, ps->p, "payload needs a byte count");
        if (tok_int(ps, &t, SCENARIO_MAX_SEND, &sc->payload) < 0)
            return -1;
    } else if (tok_is(&t, "evidence")) {
        return parse_evidence_directive(ps);
    } else if (tok_is(&t, "lossless")) {
        Claim c;
        sc->lost[SIDE_CLIENT] = sc->lost[SIDE_SERVER] = LOST_NONE;
        if (parse_claim_tail(ps, &c) < 0)
            return -1;
        sc->lost_claim[SIDE_CLIENT] = sc->lost_claim[SIDE_SERVER] = c;
        return 0;
    } else if (tok_is(&t, "lost")) {
        Side side;
        if ((r = next_token(ps, &t, 0)) <= 0)
            return r < 0 ? r : fail_at(ps, ps->p, "lost needs a side: lost client some");
        if (!tok_is(&t, "client") && !tok_is(&t, "server"))
            return fail_at(ps, t.at, "lost takes client or server");
        side = tok_is(&t, "client") ? SIDE_CLIENT : SIDE_SERVER;
        if ((r = next_token(ps, &t, 0)) <= 0)
            return r < 0 ? r : fail_at(ps, ps->p, "lost %s needs 0 (nothing lost) or some", side_name(side));
        if (tok_is(&t, "0"))
            sc->lost[side] = LOST_NONE;
        else if (tok_is(&t, "some"))
            sc->lost[side] = LOST_SOME;
        else
            return fail_at(ps, t.at, "lost %s takes 0 (nothing lost) or some", side_name(side));
        return parse_claim_tail(ps, &sc->lost_claim[side]);
    } else if (tok_is(&t, "order")) {
        return parse_order(ps);
    } else if (tok_is(&t, "showed")) {
        return parse_showed(ps);
    } else {
        Op *op;
        if (tok_is(&t, "step")) {
            if ((r = next_token(ps, &t, 0)) <= 0)
                return r < 0 ? r : fail_at(ps, ps->p, "step needs a label, e.g. step 4'");
            if (parse_label(ps, &t, step) < 0)
                return -1;
            if ((r = next_token(ps, &t, 1)) <= 0)
                return r < 0 ? r : fail_at(ps, ps->p, "after the step label: client or server");
        }
        if (!tok_is(&t, "client") && !tok_is(&t, "server"))
            return fail_at(ps, t.at, "expected client, server, step, or a directive (scenario, title, about, "
                                     "source, evidence, payload, lossless, lost, order, showed), found '%.*s'",
                           (int)(t.len > 40 ? 40 : t.len), t.s);
        if (!(op = new_op(ps)))
            return -1;
        op->side = tok_is(&t, "client") ? SIDE_CLIENT : SIDE_SERVER;
        strcpy(op->step, step);
        if ((r = next_token(ps, &t, 1)) <= 0)
            return r < 0 ? r : fail_at(ps, ps->p, "what does the %s do? e.g. shutdown SD_SEND", side_name(op->side));
        if (parse_verb(ps, op, &t) < 0)
            return -1;
        return parse_attrs(ps, op);
    }
    if ((r = next_token(ps, &t, 0)) != 0)
        return r < 0 ? r : fail_at(ps, t.at, "unexpected text after the directive");
    return 0;
}

/* Length of the well-formed UTF-8 sequence at c (RFC 3629: no overlong forms, no
 * surrogates, nothing past U+10FFFF) that ends by end; 0 when there is none. */
static size_t utf8_len(const unsigned char *c, const unsigned char *end)
{
    size_t n;
    unsigned long cp;
    if (c[0] >= 0xc2 && c[0] <= 0xdf)
        n = 2, cp = c[0] & 0x1f;
    else if (c[0] >= 0xe0 && c[0] <= 0xef)
        n = 3, cp = c[0] & 0x0f;
    else if (c[0] >= 0xf0 && c[0] <= 0xf4)
        n = 4, cp = c[0] & 0x07;
    else
        return 0;
    if ((size_t)(end - c) < n)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((c[i] & 0xc0) != 0x80)
            return 0;
        cp = cp << 6 | (c[i] & 0x3f);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return n;
}

/* Rejects bytes that cannot be a text scenario before tokenising: NULs, control
 * characters, a CR that does not end the line, UTF-16 (a BOM or NUL-interleaved ASCII),
 * and bytes that are not UTF-8 (a file saved as Windows-1252): what a file says reaches
 * the transcripts (jsonl is UTF-8) as written. UTF-8 is welcome in strings. */
static int check_bytes(Parser *ps)
{
    const unsigned char *end = (const unsigned char *)ps->eol;
    for (const unsigned char *u = (const unsigned char *)ps->bol; u < end; u++) {
        const char *c = (const char *)u;
        size_t n;
        if (*u == 0)
            return fail_at(ps, c, "NUL byte: is this a UTF-16 or binary file? Save it as plain UTF-8 text");
        if (*u == '\r')
            return fail_at(ps, c, "carriage return (CR) inside a line: save the file with Windows (CRLF) or Unix (LF) "
                                  "line endings");
        if ((*u < 0x20 && *u != '\t') || *u == 0x7f)
            return fail_at(ps, c, "control character 0x%02x is not allowed in a scenario file", *u);
        if (*u >= 0x80) {
            if ((n = utf8_len(u, end)) == 0)
                return fail_at(ps, c, "byte 0x%02x is not UTF-8 text: save the file as UTF-8 (Notepad: Save As, "
                                      "Encoding: UTF-8)", *u);
            u += n - 1;
        }
    }
    return 0;
}

/* Whole-file checks, after the last line. Each error still names a place: the one to
 * fix (line 1 for the missing 'scenario' line, the order label that names no step). */
static int validate(Parser *ps, size_t len)
{
    Scenario *sc = ps->sc;
    int sides[SIDE_COUNT] = {0, 0};
    Position first = {1, 1}, name_at = {ps->name_line, 1};
    if (!sc->name[0] && len == 0)
        return fail_pos(ps, first, "the file is empty: a scenario file starts with a 'scenario NAME' line");
    if (!sc->name[0])
        return fail_pos(ps, first, "no 'scenario NAME' line: a scenario file starts with one, e.g. "
                                   "'scenario my-close'");
    for (size_t i = 0; i < sc->nops; i++)
        sides[sc->ops[i].side]++;
    if (!sc->nops)
        return fail_pos(ps, name_at, "scenario %s has no client or server lines: nothing happens", sc->name);
    for (size_t r = 0; r < sc->nrules; r++) {
        const char *labels[2] = {sc->rules[r].before, sc->rules[r].after};
        for (int k = 0; k < 2; k++) {
            size_t i;
            for (i = 0; i < sc->nops; i++)
                if (strcmp(sc->ops[i].step, labels[k]) == 0)
                    break;
            if (i == sc->nops)
                return fail_pos(ps, ps->rule_at[r][k], "order names step %s, which no line has", labels[k]);
        }
    }
    for (size_t k = 0; k < sc->nshowed; k++) {
        size_t i = 0;
        while (i < sc->nops && strcmp(sc->ops[i].step, sc->showed[k].step) != 0)
            i++;
        if (i == sc->nops)
            return fail_pos(ps, ps->showed_at[k], "showed names step %s, which no line has", sc->showed[k].step);
    }
    return 0;
}

Scenario *scenario_parse(const char *text, size_t len, ScenarioError *err)
{
    Parser ps;
    const char *end = text + len;
    memset(&ps, 0, sizeof ps);
    memset(err, 0, sizeof *err);
    ps.err = err;
    if (len >= 2 && ((unsigned char)text[0] == 0xff && (unsigned char)text[1] == 0xfe)) {
        err->line = 1;
        err->column = 1;
        snprintf(err->message, sizeof err->message, "this file is UTF-16; save it as UTF-8");
        return NULL;
    }
    if (len >= 2 && ((unsigned char)text[0] == 0xfe && (unsigned char)text[1] == 0xff)) {
        err->line = 1;
        err->column = 1;
        snprintf(err->message, sizeof err->message, "this file is UTF-16 (big-endian); save it as UTF-8");
        return NULL;
    }
    if (len > SCENARIO_MAX_BYTES) {
        /* no byte count: a reader may stop at the limit plus one */
        snprintf(err->message, sizeof err->message, "file too large: a scenario file is at most %u bytes (1 MiB)",
                 (unsigned)SCENARIO_MAX_BYTES);
        return NULL;
    }
    if (!(ps.sc = calloc(1, sizeof *ps.sc))) {
        snprintf(err->message, sizeof err->message, "out of memory");
        return NULL;
    }
    if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) { /* a UTF-8 BOM, as Notepad writes */
        text += 3;
        len -= 3;
    }
    for (const char *bol = text; bol < end;) {
        const char *eol = memchr(bol, '\n', (size_t)(end - bol));
        if (!eol)
            eol = end;
        ps.line++;
        ps.bol = ps.p = bol;
        ps.eol = eol;
        if (eol - bol > SCENARIO_MAX_LINE) {
            fail_at(&ps, bol + SCENARIO_MAX_LINE, "line too long (at most %d bytes)", SCENARIO_MAX_LINE);
            goto fail;
        }
        if (ps.eol > bol && ps.eol[-1] == '\r')
            ps.eol--;
        if (check_bytes(&ps) < 0 || parse_line(&ps) < 0)
            goto fail;
        bol = eol + 1;
    }
    if (validate(&ps, len) < 0)
        goto fail;
    if (!(ps.sc->text = malloc(len + 1))) { /* kept: a recording carries the scenario it ran */
        snprintf(err->message, sizeof err->message, "out of memory");
        goto fail;
    }
    memcpy(ps.sc->text, text, len);
    ps.sc->text[len] = '\0';
    ps.sc->text_len = len;
    return ps.sc;
fail:
    scenario_free(ps.sc);
    return NULL;
}
