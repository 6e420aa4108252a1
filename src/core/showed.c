/* showed.c: the syntax of a `showed` line's condition and text (facts.h): names, a
 * comparison, a value of the name's kind; {placeholders} that name a fact. */
#include "facts.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "event.h"
#include "wsaerr.h"

/* ---- the conditions' syntax ---------------------------------------------------------- */

static int is_name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
}

static int fail(size_t *bad, size_t at, char *msg, size_t size, const char *fmt, ...)
{
    va_list ap;
    *bad = at;
    va_start(ap, fmt);
    vsnprintf(msg, size, fmt, ap);
    va_end(ap);
    return -1;
}

/* A term's value of len bytes at s, as its name's type reads it. */
static int term_value(FactName n, const char *s, size_t len, int64_t *out)
{
    int64_t v = 0;
    if (!len)
        return -1;
    if (facts_type(n) == FACT_TCP_STATE)
        return (*out = tcp_state_from_name(s, len)) ? 0 : -1;
    if (facts_type(n) == FACT_ERROR && s[0] == 'W')
        return (*out = wsaerr_from_name(s, len)) > 0 ? 0 : -1;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9' || v > (INT64_C(1000000000000) - (s[i] - '0')) / 10)
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

static int parse_term(const char *s, size_t len, size_t base, ShowedTerm *tm, size_t *bad, char *msg, size_t size)
{
    static const struct { const char *op; ShowedCmp cmp; } ops[] = {
        {"!=", CMP_NE}, {">=", CMP_GE}, {"<=", CMP_LE}, {"=", CMP_EQ}, {">", CMP_GT}, {"<", CMP_LT}};
    size_t i = 0, start;
    int negate = 0;
    FactName n;
    if (i < len && s[i] == '!')
        negate = 1, i++;
    start = i;
    while (i < len && is_name_char(s[i]))
        i++;
    if ((n = facts_name(s + start, i - start)) == FACT_NONE)
        return fail(bad, base + start, msg, size, "unknown fact '%.*s' (%s)", (int)(i - start > 40 ? 40 : i - start),
                    s + start, facts_names_list());
    tm->fact = n;
    tm->value = 0;
    if (i == len) {
        tm->cmp = negate ? CMP_FALSE : CMP_TRUE;
        return 0;
    }
    if (negate)
        return fail(bad, base, msg, size, "'!' goes with a fact alone (!FD_WRITE), not with a comparison");
    for (size_t k = 0; k < sizeof ops / sizeof ops[0]; k++) {
        size_t ol = strlen(ops[k].op);
        if (len - i >= ol && memcmp(s + i, ops[k].op, ol) == 0) {
            tm->cmp = ops[k].cmp;
            if (term_value(n, s + i + ol, len - i - ol, &tm->value) < 0)
                return fail(bad, base + i + ol, msg, size, "%s compares with %s", facts_name_text(n),
                            facts_type(n) == FACT_TCP_STATE ? "a TCP state (TIME_WAIT)"
                            : facts_type(n) == FACT_ERROR   ? "an error number or name (WSAECONNABORTED)"
                            : facts_type(n) == FACT_MILLIS  ? "milliseconds (a whole number)"
                                                            : "a whole number");
            return 0;
        }
    }
    return fail(bad, base + i, msg, size, "expected =, !=, >, <, >= or <= after %s", facts_name_text(n));
}

int facts_parse_condition(const char *s, size_t len, Showed *sh, size_t *bad, char *msg, size_t size)
{
    size_t i = 0;
    sh->nterms = 0;
    if (!len)
        return fail(bad, 0, msg, size, "if= needs a condition, e.g. if=send.wouldblock");
    while (i <= len) {
        size_t end = i;
        while (end < len && s[end] != ',')
            end++;
        if (sh->nterms == SHOWED_MAX_TERMS)
            return fail(bad, i, msg, size, "at most %d conditions, joined by commas", SHOWED_MAX_TERMS);
        if (end == i)
            return fail(bad, i, msg, size, "an empty condition: write if=A,B with nothing between the commas");
        if (parse_term(s + i, end - i, i, &sh->term[sh->nterms], bad, msg, size) < 0)
            return -1;
        sh->nterms++;
        i = end + 1;
    }
    return 0;
}

int facts_check_text(const char *s, size_t *bad, char *msg, size_t size)
{
    for (size_t i = 0; s[i]; i++) {
        const char *close;
        if ((s[i] == '{' && s[i + 1] == '{') || (s[i] == '}' && s[i + 1] == '}')) {
            i++;
            continue;
        }
        if (s[i] == '}')
            return fail(bad, i, msg, size, "a lone '}': write }} for the character itself");
        if (s[i] != '{')
            continue;
        if (!(close = strchr(s + i, '}')))
            return fail(bad, i, msg, size, "unclosed '{': a value is written {recv.bytes}, a brace {{");
        if (facts_name(s + i + 1, (size_t)(close - s - i - 1)) == FACT_NONE)
            return fail(bad, i + 1, msg, size, "unknown fact '{%.*s}' (%s)",
                        (int)(close - s - i - 1 > 40 ? 40 : close - s - i - 1), s + i + 1, facts_names_list());
        i = (size_t)(close - s);
    }
    return 0;
}
