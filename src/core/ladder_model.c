/* ladder_model.c: the ladder's items, arrows and rows (ladder_model.h): the lanes' calls
 * and messages, the inferred arrows, and the observed segments of a capture, each at the
 * time it happened whatever the order its event arrived in. */
#include "ladder_model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "grow.h"
#include "wsaerr.h"

static void no_lines(void *ctx, const GroupLine *line)
{
    (void)ctx;
    (void)line; /* the ladder keeps items, not lines: it asks the grouper only what joins what */
}

void ladder_init(Ladder *l)
{
    memset(l, 0, sizeof *l);
    grouper_init(&l->group, no_lines, NULL);
}

void ladder_reset(Ladder *l)
{
    l->n = 0;
    l->segments = 0; /* pure_acks is the viewer's choice: it stays */
    l->nseen = 0;
    l->dropped = 0;
    l->t_max = 0;
    l->rows = 0;
    l->serials = 0;
    memset(l->last_call, 0, sizeof l->last_call);
    grouper_init(&l->group, no_lines, NULL);
}

void ladder_free(Ladder *l)
{
    free(l->items);
    free(l->seen);
    memset(l, 0, sizeof *l);
}

/* A new item at t_us, in the order the ends stamped them: cause before effect, whatever
 * the order the events arrived in. NULL (counted) when there is no memory for it. */
static size_t position(const Ladder *l, int64_t t_us)
{
    size_t at = l->n;
    while (at > 0 && l->items[at - 1].t_us > t_us)
        at--;
    return at;
}

static LadderItem *insert(Ladder *l, int64_t t_us)
{
    size_t at;
    if (GROW(l->items, l->cap, l->n + 1) < 0) {
        l->dropped++;
        return NULL;
    }
    at = position(l, t_us);
    memmove(&l->items[at + 1], &l->items[at], (l->n - at) * sizeof *l->items);
    l->n++;
    memset(&l->items[at], 0, sizeof l->items[at]);
    l->items[at].t_us = l->items[at].t_last = t_us;
    l->items[at].target = -1;
    l->items[at].serial = ++l->serials;
    return &l->items[at];
}

/* The set-up's calls and messages, before any step: the ladder shows the lesson. */
static int setup_what(EventWhat w)
{
    return w == EW_SOCKET || w == EW_BIND || w == EW_LISTEN || w == EW_CONNECT || w == EW_ACCEPT ||
           w == EW_CLOSE_LISTENER || w == EW_FD_ACCEPT || w == EW_FD_CONNECT || w == EW_FD_WRITE;
}

/* The item's words: what was observed. */
static void item_text(LadderItem *it)
{
    char n[32], name[EVENT_NAME_MAX], c[32] = "";
    const char *e = wsaerr_name(it->error);
    size_t len;
    event_what_name(it->what, &it->args, name, sizeof name);
    if (it->count > 1)
        snprintf(c, sizeof c, " \xc3\x97%lld", (long long)it->count);
    if (it->kind == LI_MESSAGE) {
        if (it->count > 1)
            snprintf(it->text, sizeof it->text, "%s%s", name, c);
        else if (it->error)
            snprintf(it->text, sizeof it->text, "%s, %s", name, e ? e : "error");
        else
            snprintf(it->text, sizeof it->text, "%s, error 0", name);
        return;
    }
    if (it->error)
        snprintf(it->text, sizeof it->text, "%s%s = -1, %s", name, c, e ? e : "error");
    else if (it->bytes > 0)
        snprintf(it->text, sizeof it->text, "%s%s = %s B%s", name, c, format_thousands(it->bytes, n, sizeof n),
                 it->eof ? ", the last = 0 (EOF)" : "");
    else if (it->what == EW_RECV && it->result == 0)
        snprintf(it->text, sizeof it->text, "recv%s = 0 (EOF)", c);
    else if (it->result)
        snprintf(it->text, sizeof it->text, "%s = %lld", name, (long long)it->result);
    else
        snprintf(it->text, sizeof it->text, "%s", name); /* succeeded: 0 goes without saying */
    len = strlen(it->text);
    if (it->kind == LI_CALL && it->duration_us >= 1000)
        snprintf(it->text + len, sizeof it->text - len, " (%.1f s)", it->duration_us / 1e6);
}

/* The item this event's lane run already has for its (event, error), or NULL. */
static LadderItem *lane_item(Ladder *l, const Event *ev, uint64_t lane)
{
    for (size_t i = l->n; i-- > 0;) {
        LadderItem *it = &l->items[i];
        if (it->side != ev->side || it->kind == LI_STATE || it->kind == LI_SEGMENT)
            continue; /* a segment sits at its capture time, among a lane run's events */
        if (it->lane != lane)
            return NULL; /* an earlier lane run: nothing older joins */
        if (it->what == ev->what && it->error == ev->error)
            return it;
    }
    return NULL;
}

static LadderItem *blocking_item(Ladder *l, Side side)
{
    for (size_t i = l->n; i-- > 0;)
        if (l->items[i].kind == LI_BLOCKING && l->items[i].side == side)
            return &l->items[i];
    return NULL;
}

static void add_state(Ladder *l, const Event *ev)
{
    /* The sample is stamped when the table has been read, after events that may have
     * arrived meanwhile: it shows the state after every event already in. */
    LadderItem *it = insert(l, ev->t_us > l->t_max ? ev->t_us : l->t_max);
    if (!it)
        return;
    it->kind = LI_STATE;
    it->side = ev->side;
    it->tcp_state = ev->tcp_state;
    EVENT_SET(it->step, ev->step);
    snprintf(it->text, sizeof it->text, "%s", tcp_state_label(ev->tcp_state));
}

/* A call or message that joined its lane run: counted in its item. */
static void join(LadderItem *it, const Event *ev)
{
    it->count++;
    if (ev->bytes > 0) /* saturated, as group.c counts */
        it->bytes = ev->bytes > INT64_MAX - it->bytes ? INT64_MAX : it->bytes + ev->bytes;
    if (ev->has_result) {
        it->result = ev->result;
        it->eof |= ev->what == EW_RECV && !ev->error && ev->result == 0;
    }
    if (ev->t_us > it->t_last)
        it->t_last = ev->t_us;
    item_text(it);
}

static void add_event(Ladder *l, const Event *ev, GroupFate fate, const GroupRef *ref)
{
    LadderItem *it;
    if (ev->t_us > l->t_max)
        l->t_max = ev->t_us;
    if (ev->kind == EV_CALL)
        l->last_call[ev->side] = 0;
    if (!ev->step[0] && setup_what(ev->what))
        return;
    if (fate == GROUP_BURST && (it = lane_item(l, ev, ref->lane)) != NULL) {
        join(it, ev);
        if (ev->kind == EV_CALL)
            l->last_call[ev->side] = it->serial;
        return;
    }
    if (ev->kind == EV_CALL && ev->what == EW_CLOSESOCKET && (it = blocking_item(l, ev->side)) != NULL)
        it->kind = LI_CALL; /* the lingering close returned: the item becomes the call */
    else if (!(it = insert(l, ev->t_us)))
        return;
    it->kind = ev->kind == EV_CALL ? LI_CALL : LI_MESSAGE;
    it->side = ev->side;
    it->what = ev->what;
    it->args = ev->args;
    it->error = ev->error;
    it->lane = fate == GROUP_BURST ? ref->lane : 0;
    it->duration_us = ev->kind == EV_CALL && ev->duration_us > 0 ? ev->duration_us : 0;
    EVENT_SET(it->step, ev->step);
    it->count = 0;
    join(it, ev);
    if (ev->kind == EV_CALL)
        l->last_call[ev->side] = it->serial;
}

/* What the end's latest call sent (the transcript's inference, right behind the call):
 * that call's item carries the arrow. */
static void add_wire(Ladder *l, const Event *ev)
{
    WireKind k = ev->what == EW_WIRE_DATA ? WIRE_DATA : ev->what == EW_WIRE_FIN ? WIRE_FIN : WIRE_RST;
    for (size_t i = l->n; i-- > 0 && l->last_call[ev->side];)
        if (l->items[i].serial == l->last_call[ev->side]) {
            l->items[i].arrow = k;
            return;
        }
}

/* ---- observed segments (a capture of the run) ----------------------------------------- */

/* What a segment is, for joining: data alone (no SYN, FIN or RST), a pure ACK, or other. */
enum { SEG_OTHER, SEG_DATA, SEG_ACK };

static int seg_class(uint8_t flags, uint32_t len)
{
    if (flags & (TCPF_SYN | TCPF_FIN | TCPF_RST))
        return SEG_OTHER;
    return len ? SEG_DATA : flags == TCPF_ACK ? SEG_ACK : SEG_OTHER;
}

static int item_class(const LadderItem *it)
{
    return it->kind != LI_SEGMENT ? SEG_OTHER : seg_class(it->seg.flags, (uint32_t)(it->bytes > 0));
}

int ladder_pure_ack(const LadderItem *it)
{
    return item_class(it) == SEG_ACK;
}

/* The item a data segment (or pure ACK) of this end joins: the same end's item of its
 * class right before where the segment goes, passing over segments of the other class
 * (the ACKs that answer data, the data that ACKs answer); NULL when anything else is
 * between (a call, a message, a state, the other end's data, a FIN). */
static LadderItem *joins(Ladder *l, const Event *ev, int cls)
{
    for (size_t i = position(l, ev->t_us); i-- > 0;) {
        LadderItem *it = &l->items[i];
        int c = item_class(it);
        if (c == cls)
            return it->side == ev->side ? it : NULL;
        if (c == SEG_OTHER)
            return NULL;
    }
    return NULL;
}

static void add_segment(Ladder *l, const Event *ev)
{
    int cls = seg_class(ev->wire.flags, ev->wire.len);
    int64_t end = (int64_t)ev->wire.seq + ev->wire.len;
    LadderItem *it = cls != SEG_OTHER ? joins(l, ev, cls) : NULL;
    l->segments++;
    if (it) {
        it->count++;
        it->bytes += ev->wire.len;
        it->seg.flags |= ev->wire.flags; /* PSH in any of them */
        if (end > it->seg.seq_end)
            it->seg.seq_end = end;
        it->seg.ack_last = ev->wire.ack;
        if (ev->t_us > it->t_last)
            it->t_last = ev->t_us;
        return;
    }
    if (!(it = insert(l, ev->t_us)))
        return;
    it->kind = LI_SEGMENT;
    it->side = ev->side;
    it->what = EW_SEGMENT;
    it->count = 1;
    it->bytes = ev->wire.len;
    it->seg.flags = ev->wire.flags;
    it->seg.relative = ev->wire.relative;
    it->seg.win = ev->wire.win;
    it->seg.seq = ev->wire.seq;
    it->seg.ack = it->seg.ack_last = ev->wire.ack;
    it->seg.seq_end = end;
}

/* A pairing applied: the call's inferred arrow says when it was seen on the wire, and the
 * observed segment that carried it is paired; 1 when both are found. */
static int apply_seen(Ladder *l, LadderSeen *p)
{
    uint8_t flag = p->kind == WIRE_FIN ? TCPF_FIN : p->kind == WIRE_RST ? TCPF_RST : 0;
    for (size_t i = 0; i < l->n && !(p->call && p->seg); i++) {
        LadderItem *it = &l->items[i];
        if (it->side != p->side)
            continue;
        if (!p->call && it->kind == LI_CALL && it->arrow == p->kind && it->t_us <= p->guess_t_us &&
            p->guess_t_us <= it->t_last) {
            p->call = 1;
            if (!it->seen) { /* a burst of sends: the first that went */
                it->seen = 1;
                it->seen_us = p->seg_t_us;
            }
        } else if (!p->seg && it->kind == LI_SEGMENT && it->t_us <= p->seg_t_us && p->seg_t_us <= it->t_last &&
                   (flag ? (it->seg.flags & flag) != 0 : it->bytes > 0)) {
            p->seg = it->seg.paired = 1;
        }
    }
    return p->call && p->seg;
}

/* An inferred data, FIN or RST seen on the wire (EW_WIRE_SEEN): applied now, and again at
 * each layout until its call and its segment are both in. */
static void add_seen(Ladder *l, const Event *ev)
{
    LadderSeen p;
    memset(&p, 0, sizeof p);
    p.side = ev->side;
    p.kind = ev->wire.guess == EW_WIRE_DATA ? WIRE_DATA : ev->wire.guess == EW_WIRE_FIN ? WIRE_FIN : WIRE_RST;
    p.guess_t_us = ev->wire.guess_t_us;
    p.seg_t_us = ev->wire.seg_t_us;
    if (apply_seen(l, &p))
        return;
    if (GROW(l->seen, l->capseen, l->nseen + 1) < 0) {
        l->dropped++;
        return;
    }
    l->seen[l->nseen++] = p;
}

void ladder_segment_label(const LadderItem *it, char *buf, size_t size)
{
    char flags[48], a[32], b[32];
    int cls = item_class(it);
    if (it->count > 1 && cls == SEG_DATA) {
        snprintf(buf, size, "data \xc3\x97%lld, seq %s-%s", (long long)it->count,
                 format_thousands(it->seg.seq, a, sizeof a), format_thousands(it->seg.seq_end - 1, b, sizeof b));
        return;
    }
    if (it->count > 1 && cls == SEG_ACK) {
        snprintf(buf, size, "ACK \xc3\x97%lld, ack %s-%s", (long long)it->count, format_thousands(it->seg.ack, a, sizeof a),
                 format_thousands(it->seg.ack_last, b, sizeof b));
        return;
    }
    segment_flags(it->seg.flags, flags, sizeof flags);
    if (it->bytes > 0)
        snprintf(buf, size, "%s seq %lu len %lld", flags, (unsigned long)it->seg.seq, (long long)it->bytes);
    else if (it->seg.flags & TCPF_ACK)
        snprintf(buf, size, "%s seq %lu ack %lu", flags, (unsigned long)it->seg.seq, (unsigned long)it->seg.ack);
    else
        snprintf(buf, size, "%s seq %lu", flags, (unsigned long)it->seg.seq);
}

/* A failed check labels the call or message it is about: the latest of that end and step,
 * the one the check names first. */
static void add_check(Ladder *l, const Event *ev)
{
    LadderItem *best = NULL;
    EventWhat about = event_what_call(ev->what);
    if (verdict_ok(ev->verdict) || ev->what == EW_ORDER || ev->verdict == VERDICT_UNOBSERVED)
        return; /* not observable: about none of this end's calls (the lanes' titles say so) */
    for (size_t i = l->n; i-- > 0;) {
        LadderItem *it = &l->items[i];
        if (it->side != ev->side || strcmp(it->step, ev->step) != 0 || (it->kind != LI_CALL && it->kind != LI_MESSAGE))
            continue;
        if (it->what == about) {
            best = it;
            break;
        }
        if (!best)
            best = it;
    }
    if (!best)
        return;
    best->check = ev->verdict == VERDICT_KNOWN || ev->verdict == VERDICT_DISPUTED ? ev->verdict : VERDICT_MISMATCH;
    if (ev->other[0]) { /* disputed: both claims */
        char both[2 * EVENT_VALUE_MAX + 8];
        snprintf(both, sizeof both, "%s or %s", ev->expected, ev->other);
        EVENT_SET(best->windows, both);
    } else {
        EVENT_SET(best->windows, ev->expected);
    }
}

void ladder_add(Ladder *l, const Event *ev)
{
    GroupRef ref = {0, 0, 0};
    GroupFate fate = grouper_event(&l->group, ev, &ref);
    LadderItem *it;
    switch (ev->kind) {
    case EV_STATE:
        if (fate != GROUP_HIDDEN)
            add_state(l, ev);
        break;
    case EV_NOTE:
        if (ev->what == EW_WIRE_SEEN)
            add_seen(l, ev);
        else if (ev->what == EW_CLOSE_ON_WORKER && (it = insert(l, ev->t_us)) != NULL) {
            it->kind = LI_BLOCKING;
            it->side = ev->side;
            it->what = EW_CLOSESOCKET;
            EVENT_SET(it->step, ev->step);
        }
        break;
    case EV_CALL:
    case EV_MESSAGE:
        add_event(l, ev, fate, &ref);
        break;
    case EV_WIRE:
        if (ev->what == EW_SEGMENT)
            add_segment(l, ev);
        else
            add_wire(l, ev);
        break;
    case EV_CHECK:
        add_check(l, ev);
        break;
    case EV_STEP:
        if (ev->inferred && (it = insert(l, ev->t_us)) != NULL) { /* on the other program's lane, said so */
            char name[EVENT_NAME_MAX];
            it->kind = LI_INFERRED;
            it->side = ev->side;
            it->what = ev->what;
            it->args = ev->args;
            EVENT_SET(it->step, ev->step);
            event_what_name(ev->what, &ev->args, name, sizeof name);
            snprintf(it->text, sizeof it->text, "%s, inferred", name);
        }
        break;
    case EV_SHOWED: /* the explanation pane says what a step showed; the lanes do not */
        break;
    }
}

static int reaches(const LadderItem *from, const LadderItem *to)
{
    if (to->side == from->side || (to->kind != LI_CALL && to->kind != LI_MESSAGE))
        return 0;
    return wire_reaches(from->arrow, to->kind == LI_CALL ? EV_CALL : EV_MESSAGE, to->what, to->error, to->eof);
}

void ladder_layout(Ladder *l)
{
    int row = 0;
    const LadderItem *prev = NULL; /* the latest item shown */
    for (size_t i = 0; i < l->nseen;) /* pairings whose call or segment came later */
        if (apply_seen(l, &l->seen[i]))
            l->seen[i] = l->seen[--l->nseen];
        else
            i++;
    for (size_t i = 0; i < l->n; i++) {
        LadderItem *it = &l->items[i];
        it->target = -1;
        if (!l->pure_acks && ladder_pure_ack(it)) {
            it->row = -1; /* a view option: off, they take no row */
            continue;
        }
        /* both ends' states of one sample share a row */
        if (prev && it->kind == LI_STATE && prev->kind == LI_STATE && prev->side != it->side && prev->t_us == it->t_us)
            it->row = prev->row;
        else
            it->row = row++;
        prev = it;
    }
    l->rows = row;
    /* each arrow reaches the first event of the other end that can report it, and that
     * no earlier arrow of its sort (data, or FIN/RST) reached already */
    for (size_t i = 0; i < l->n; i++) {
        LadderItem *it = &l->items[i];
        if (it->arrow == WIRE_NONE)
            continue;
        for (size_t j = i + 1; j < l->n && it->target < 0; j++) {
            int used = 0;
            if (!reaches(it, &l->items[j]))
                continue;
            for (size_t k = 0; k < i && !used; k++)
                used = l->items[k].target == (int)j && (l->items[k].arrow == WIRE_DATA) == (it->arrow == WIRE_DATA);
            if (!used)
                it->target = (int)j;
        }
    }
}

int ladder_arrows(const Ladder *l, WireKind kind)
{
    int n = 0;
    for (size_t i = 0; i < l->n; i++)
        n += l->items[i].arrow == kind;
    return n;
}

int ladder_arrows_seen(const Ladder *l, WireKind kind)
{
    int n = 0;
    for (size_t i = 0; i < l->n; i++)
        n += l->items[i].arrow == kind && l->items[i].seen;
    return n;
}

void ladder_set_pure_acks(Ladder *l, int on)
{
    l->pure_acks = on != 0;
    ladder_layout(l);
}

int ladder_segments(const Ladder *l, uint8_t mask)
{
    int n = 0;
    for (size_t i = 0; i < l->n; i++) {
        const LadderItem *it = &l->items[i];
        if (it->kind == LI_SEGMENT && it->row >= 0)
            n += mask ? (it->seg.flags & mask) != 0 : it->bytes > 0;
    }
    return n;
}
