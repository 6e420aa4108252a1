/* compare.c: where two recordings differ (recording.h, recording_compare). Each end's
 * events become facts, in that end's own order (the two ends' interleaving varies from
 * run to run and is not compared): its steps, its calls and messages with what they
 * reported, its checks with their verdicts, what it sent on the wire. What varies between
 * runs of one scenario on one platform is left out, as the golden transcripts leave it
 * out: times, ports, byte counts and which call moved them, how a burst was split (within
 * a step each fact counts once), flow control (WSAEWOULDBLOCK), stale messages, TCP
 * samples between steps. The facts of each end are then aligned (a
 * longest common subsequence) and every difference is written with its step. */
#include "recording.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "wsaerr.h"

#define WSAEWOULDBLOCK_ 10035
#define MAX_FACTS 20000

typedef struct Fact {
    char step[EVENT_STEP_MAX];
    char text[200];
} Fact;

typedef struct Facts {
    Fact *f;
    size_t n, cap;
} Facts;

/* A value that varies with timing and buffer sizes: a byte count. */
static void normalise_value(const char *v, char *out, size_t size)
{
    size_t i = 0;
    while (v[i] >= '0' && v[i] <= '9')
        i++;
    snprintf(out, size, "%s", i && !v[i] && strcmp(v, "0") ? "N" : v);
}

/* The fact an event states, or 0 when it states none worth comparing. */
static int fact_of(const Event *ev, Fact *f)
{
    char name[EVENT_NAME_MAX], e[64], obs[EVENT_VALUE_MAX];
    event_name(ev, name, sizeof name);
    EVENT_SET(f->step, ev->step);
    switch (ev->kind) {
    case EV_STEP:
        snprintf(f->text, sizeof f->text, "== %s", name);
        return 1;
    case EV_CALL:
        if ((ev->what == EW_SEND || ev->what == EW_RECV) && ev->error == WSAEWOULDBLOCK_)
            return 0; /* flow control: a matter of timing */
        if (ev->has_result && ev->result < 0)
            snprintf(f->text, sizeof f->text, "%s = -1, %s", name, wsaerr_format(ev->error, e, sizeof e));
        else if (ev->bytes > 0)
            return 0; /* bytes moved: which call moved them is timing; what was lost is a check's */
        else
            snprintf(f->text, sizeof f->text, "%s = %lld", name, (long long)ev->result);
        return 1;
    case EV_MESSAGE:
        if (ev->stale || (ev->what == EW_FD_WRITE && !ev->step[0]))
            return 0;
        snprintf(f->text, sizeof f->text, "%s, error %s", name, ev->error ? wsaerr_format(ev->error, e, sizeof e) : "0");
        return 1;
    case EV_CHECK:
        if (ev->what == EW_ORDER || ev->what == EW_BYTES_LOST)
            snprintf(f->text, sizeof f->text, "check %s (%s): %s", name, ev->step, verdict_name(ev->verdict));
        else {
            normalise_value(ev->observed, obs, sizeof obs);
            snprintf(f->text, sizeof f->text, "check %s: observed %s: %s", name, obs, verdict_name(ev->verdict));
        }
        return 1;
    case EV_WIRE:
        if (ev->what == EW_WIRE_DATA || ev->what == EW_SEGMENT) /* a capture's segments: only where one was made */
            return 0;
        snprintf(f->text, sizeof f->text, "%s to the %s (inferred)", name, side_name((Side)!ev->side));
        return 1;
    default:
        return 0; /* TCP samples (racy between the ends), notes (ports, times) */
    }
}

/* Whether the step under way (the facts at the end with f's step) already states f. */
static int seen_in_step(const Facts *out, const Fact *f)
{
    for (size_t k = out->n; k-- > 0 && !strcmp(out->f[k].step, f->step);)
        if (!strcmp(out->f[k].text, f->text))
            return 1;
    return 0;
}

/* One end's facts: within a step, each fact once, where it first appears (a burst is one
 * fact however it was split: FD_READ, recv, FD_READ, recv... states two). */
static int facts_of(const Recording *r, Side side, Facts *out)
{
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < r->n && out->n < MAX_FACTS; i++) {
        Fact f;
        if (r->events[i].side != side || !fact_of(&r->events[i], &f) || seen_in_step(out, &f))
            continue;
        if (GROW(out->f, out->cap, out->n + 1) < 0)
            return -1;
        out->f[out->n++] = f;
    }
    return 0;
}

static int same(const Fact *a, const Fact *b)
{
    return !strcmp(a->text, b->text) && !strcmp(a->step, b->step);
}

static void line(Out *out, const char *side, const Fact *f, const char *who)
{
    char lab[16] = "";
    if (f->step[0])
        snprintf(lab, sizeof lab, "(%s)", f->step);
    out_printf(out, "  %-6s %-5s only in %s: %s\n", side, lab, who, f->text);
}

/* The longest common subsequence of a and b, then what is not in it, in order. */
static int diff(const Facts *a, const Facts *b, const char *side, const char *na, const char *nb, Out *out)
{
    size_t n = a->n, m = b->n, i = 0, j = 0;
    int diffs = 0;
    unsigned short *len;
    if (n * m > 16000000u || !(len = calloc((n + 1) * (m + 1), sizeof *len))) {
        out_printf(out, "  %s: too many events to align (%lu and %lu)\n", side, (unsigned long)n, (unsigned long)m);
        return n != m;
    }
#define L(x, y) len[(x) * (m + 1) + (y)]
    for (size_t x = n; x-- > 0;)
        for (size_t y = m; y-- > 0;)
            L(x, y) = same(&a->f[x], &b->f[y]) ? (unsigned short)(L(x + 1, y + 1) + 1)
                                                : L(x + 1, y) > L(x, y + 1) ? L(x + 1, y) : L(x, y + 1);
    while (i < n || j < m) {
        if (i < n && j < m && same(&a->f[i], &b->f[j])) {
            i++, j++;
        } else if (j < m && (i == n || L(i, j + 1) >= L(i + 1, j))) {
            line(out, side, &b->f[j++], nb), diffs++;
        } else {
            line(out, side, &a->f[i++], na), diffs++;
        }
    }
#undef L
    free(len);
    return diffs;
}

static int compare_summaries(const Summary *a, const Summary *b, const char *na, const char *nb, Out *out)
{
    int d = 0;
    const char *names[] = {"exit code", "mismatches", "known differences", "disputed", "environment failures",
                           "sockets left open"};
    int va[] = {a->exit_code, a->mismatches, a->known_differences, a->disputed, a->environment, a->sockets_left_open};
    int vb[] = {b->exit_code, b->mismatches, b->known_differences, b->disputed, b->environment, b->sockets_left_open};
    for (size_t i = 0; i < sizeof va / sizeof va[0]; i++)
        if (va[i] != vb[i]) {
            out_printf(out, "  summary: %s %d in %s, %d in %s\n", names[i], va[i], na, vb[i], nb);
            d++;
        }
    for (int k = 0; k < SIDE_COUNT; k++)
        if ((a->side[k].bytes_lost > 0) != (b->side[k].bytes_lost > 0)) {
            out_printf(out, "  summary: the %s lost %lld bytes in %s, %lld in %s\n", side_name((Side)k),
                       (long long)a->side[k].bytes_lost, na, (long long)b->side[k].bytes_lost, nb);
            d++;
        }
    return d;
}

int recording_compare(const Recording *a, const Recording *b, const char *na, const char *nb, Out *out)
{
    int diffs = 0;
    char pa[160], pb[160];
    recording_platform(a, pa, sizeof pa);
    recording_platform(b, pb, sizeof pb);
    out_printf(out, "A: %s (%s as %s, recorded on %s)\nB: %s (%s as %s, recorded on %s)\n", na, a->sc->name,
               side_name(a->info.local), pa, nb, b->sc->name, side_name(b->info.local), pb);
    na = "A";
    nb = "B";
    if (strcmp(a->sc->name, b->sc->name)) {
        out_printf(out, "  they are recordings of different scenarios: %s and %s\n", a->sc->name, b->sc->name);
        diffs++;
    }
    for (int k = 0; k < SIDE_COUNT; k++) {
        Facts fa, fb;
        int d;
        if (facts_of(a, (Side)k, &fa) < 0 || facts_of(b, (Side)k, &fb) < 0) {
            out_printf(out, "  out of memory\n");
            free(fa.f);
            free(fb.f);
            return diffs + 1;
        }
        d = diff(&fa, &fb, side_name((Side)k), na, nb, out);
        if (!d)
            out_printf(out, "  %-6s the same %lu facts\n", side_name((Side)k), (unsigned long)fa.n);
        diffs += d;
        free(fa.f);
        free(fb.f);
    }
    diffs += compare_summaries(&a->sum, &b->sum, na, nb, out);
    out_printf(out, "%d difference%s\n", diffs, diffs == 1 ? "" : "s");
    return diffs;
}
