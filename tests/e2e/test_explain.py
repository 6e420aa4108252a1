#!/usr/bin/env python3
"""test_explain.py: every sentence shown beside a run is true of that run (issue 16). Each
built-in scenario runs in both roles, at payloads 0, 1, its default and 8,000,000 where it
sends one, on the system's socket buffers, on small ones (--sndbuf/--rcvbuf 4096) and on
large ones (1 MiB asked), so that a send both has to wait (WSAEWOULDBLOCK) and does not. For each step's line of what
the run showed (jsonl "kind":"showed"):

- its facts are counted again here, independently, from the run's own events under that
  step's label (calls, messages, bytes per call, WSAEWOULDBLOCK, FD_CLOSE before the last
  byte, the TCP samples after it) and must be the same;
- every clause of its words ("send accepted 4,000,000 bytes in 16 calls", "no call failed
  with WSAEWOULDBLOCK", "FD_CLOSE came ... before the last byte was read", "the TCP table,
  read after it, showed ...") is read back and checked against those counts: a clause this test
  cannot read is a failure, so no words go unchecked;
- each of the scenario's own `showed` sentences for the step is said exactly when its
  condition holds of the counts, with its values filled in as counted here.

Whether WSAEWOULDBLOCK happens is what the two buffer sizes are for: each sentence whose
condition is about it must be seen both said and not said. Other conditions (FD_CLOSE
before the last byte, a state other than TIME_WAIT) may go one way only on this machine:
they are listed, and tests/core/test_facts.c holds every built-in `showed` sentence both
ways on facts made for it.
usage: test_explain.py PATH/TO/shutdownlab-cli.exe"""
import concurrent.futures
import re
import sys

from transcript import Tap, run_cli

SCENARIOS = ["abortive-linger0", "close-unread-data", "closesocket-implicit", "graceful-client", "graceful-server",
             "half-close-bulk", "linger-nonblocking", "shutdown-receive", "simultaneous-close", "wsasenddisconnect"]
BUFFERS = {"the system's buffers": [], "small buffers": ["--sndbuf", "4096", "--rcvbuf", "4096"],
           "large buffers": ["--sndbuf", "1048576", "--rcvbuf", "1048576"]}
STATES = ["?", "CLOSED", "LISTEN", "SYN_SENT", "SYN_RCVD", "ESTABLISHED", "FIN_WAIT_1", "FIN_WAIT_2", "CLOSE_WAIT",
          "CLOSING", "LAST_ACK", "TIME_WAIT", "DELETE_TCB"]
ERRORS = {"WSAEWOULDBLOCK": 10035, "WSAECONNABORTED": 10053, "WSAECONNRESET": 10054, "WSAENOTCONN": 10057,
          "WSAESHUTDOWN": 10058}
CALL_KEYS = ["calls", "moved", "zero", "wouldblock", "failed", "error", "min", "max", "bytes"]


def num(s):
    return int(s.replace(",", ""))


def thousands(v):
    return f"{v:,}"


# ---- the facts, counted here from the events --------------------------------------------

def count_calls(events):
    c = dict.fromkeys(CALL_KEYS, 0)
    for e in events:
        c["calls"] += 1
        r = e.get("result", 0)
        if r > 0:
            c["moved"] += 1
            c["bytes"] += r
            c["min"] = r if not c["min"] or r < c["min"] else c["min"]
            c["max"] = max(c["max"], r)
        elif r == 0:
            c["zero"] += 1
        elif e.get("error") == 10035:
            c["wouldblock"] += 1
        else:
            if not c["failed"]:
                c["error"] = e.get("error", 0)
            c["failed"] += 1
    return c


def count_step(before, side, step):
    """The facts of (side, step) from the events before its showed line."""
    mine = [e for e in before if e.get("side") == side and e.get("step") == step and
            e.get("kind") in ("call", "message") and not e.get("stale")]
    f = {"send": count_calls([e for e in mine if e["kind"] == "call" and e["name"] == "send"]),
         "recv": count_calls([e for e in mine if e["kind"] == "call" and e["name"] == "recv"])}
    msgs = [e for e in mine if e["kind"] == "message"]
    for m in ("FD_READ", "FD_WRITE", "FD_CLOSE"):
        f[m] = sum(1 for e in msgs if e["name"] == m)
    closes = [e for e in msgs if e["name"] == "FD_CLOSE"]
    f["close_error"] = closes[0].get("error", 0) if closes else 0
    f["after_close"] = 0
    if closes:
        seen = False
        for e in mine:  # in the order the end reported them
            if e is closes[0]:
                seen = True
            elif seen and e["kind"] == "call" and e["name"] == "recv" and e.get("result", 0) > 0:
                f["after_close"] += e["result"]
    times = [e["t_us"] for e in mine]
    f["ms"] = max(times) - min(times) if times else 0
    calls = [e for e in mine if e["kind"] == "call" and e["name"] not in ("send", "recv") and "result" in e]
    f["call"] = calls[-1] if calls else None
    f["stale"] = sum(1 for e in before if e.get("side") == side and e.get("step") == step and e.get("stale"))
    f["any"] = bool(mine) or bool(f["stale"])
    f["states"] = {}
    for e in before:  # the samples taken after the step (not the first one, nor the last)
        if e.get("kind") == "state" and e.get("step") == step and \
                not e.get("text", "").endswith(("before the first step", "at the end of the run")):
            f["states"][e["side"]] = e["tcp_state"]
    return f


def value(f, name, side):
    other = "server" if side == "client" else "client"
    call = f["call"]
    table = {
        "send": f["send"]["calls"], "send.bytes": f["send"]["bytes"], "send.min": f["send"]["min"],
        "send.max": f["send"]["max"], "send.wouldblock": f["send"]["wouldblock"], "send.failed": f["send"]["failed"],
        "recv": f["recv"]["calls"], "recv.bytes": f["recv"]["bytes"], "recv.min": f["recv"]["min"],
        "recv.max": f["recv"]["max"], "recv.wouldblock": f["recv"]["wouldblock"], "recv.failed": f["recv"]["failed"],
        "recv.eof": f["recv"]["zero"], "FD_READ": f["FD_READ"], "FD_WRITE": f["FD_WRITE"], "FD_CLOSE": f["FD_CLOSE"],
        "FD_CLOSE.error": f["close_error"], "after_close": f["after_close"], "ms": f["ms"],
        "call.ms": max(call.get("duration_us", 0), 0) if call else 0,
        "call.error": (call.get("error", 0) if call.get("result", 0) < 0 else 0) if call else 0,
        "state": STATES.index(f["states"][side]) if side in f["states"] else 0,
        "other.state": STATES.index(f["states"][other]) if other in f["states"] else 0,
    }
    return table[name]


def holds(cond, f, side):
    """A `showed` line's condition, as scenario-format.md defines it."""
    for term in cond.split(","):
        m = re.fullmatch(r"(!?)([A-Za-z_.]+)(?:(!=|>=|<=|=|>|<)(\S+))?", term)
        neg, name, op, want = m.groups()
        v = value(f, name, side)
        if op is None:
            ok = (v == 0) if neg else (v != 0)
        else:
            w = STATES.index(want) if want in STATES else ERRORS[want] if want in ERRORS else int(want)
            if name in ("ms", "call.ms"):
                w *= 1000
            ok = {"=": v == w, "!=": v != w, ">": v > w, "<": v < w, ">=": v >= w, "<=": v <= w}[op]
        if not ok:
            return False
    return True


def fill(text, f, side):
    def one(m):
        name = m.group(1)
        v = value(f, name, side)
        if name in ("ms", "call.ms"):
            return f"{v / 1000:.1f}"
        if name in ("state", "other.state"):
            return STATES[v] if v else "not sampled"
        if name in ("FD_CLOSE.error", "call.error"):
            names = [k for k, n in ERRORS.items() if n == v]
            return "0" if not v else f"{names[0]} ({v})" if names else str(v)
        return thousands(v)
    return re.sub(r"\{([A-Za-z_.]+)\}", one, text.replace("{{", "\0").replace("}}", "\1")).replace("\0", "{").replace("\1", "}")


def showed_lines(scenario_text):
    """The scenario's `showed` lines: (label, text, condition or '')."""
    out = []
    for line in scenario_text.splitlines():
        m = re.match(r'\s*showed\s+(\S+)\s+"((?:[^"\\]|\\.)*)"(?:\s+if=(\S+))?', line)
        if m:
            out.append((m.group(1), m.group(2).replace('\\"', '"').replace("\\\\", "\\"), m.group(3) or ""))
    return out


# ---- the words, read back clause by clause -----------------------------------------------

def times_of(s):
    return 1 if s == "once" else num(s.split()[0])


def check_clause(clause, f, side):
    """None when the clause is true of the counts; else what is wrong with it."""
    s, r = f["send"], f["recv"]
    checks = [
        (r"send accepted ([\d,]+) bytes? in ([\d,]+) calls?(?: \(([\d,]+) to ([\d,]+) per call\)| \(([\d,]+) each\))?"
         r"(; no call failed with WSAEWOULDBLOCK(, so no FD_WRITE was needed)?)?$",
         lambda m: num(m[1]) == s["bytes"] and num(m[2]) == s["moved"] and
         (not m[3] or (num(m[3]), num(m[4])) == (s["min"], s["max"])) and
         (not m[5] or num(m[5]) == s["min"] == s["max"]) and (m[3] or m[5] or s["moved"] == 1) and
         (not m[6] or s["wouldblock"] == 0) and (not m[7] or f["FD_WRITE"] == 0) and
         (m[6] or s["wouldblock"] or s["moved"] <= 1)),
        (r"([\d,]+) calls? failed with WSAEWOULDBLOCK: the buffers were full(?:, and FD_WRITE came (once|[\d,]+ times) "
         r"when there was room again)?$",
         lambda m: num(m[1]) == s["wouldblock"] and (times_of(m[2]) == f["FD_WRITE"] if m[2] else f["FD_WRITE"] == 0)),
        (r"(?:([\d,]+) calls? of )?send failed with (\w+) \((\d+)\)(?: ([\d,]+) times)?$",
         lambda m: s["failed"] and int(m[3]) == s["error"] and
         (num(m[1]) == s["failed"] if m[1] else s["failed"] == s["calls"])),
        (r"([\d,]+) calls? of send returned 0$", lambda m: num(m[1]) == s["zero"]),
        (r"FD_WRITE came (once|[\d,]+ times)$", lambda m: times_of(m[1]) == f["FD_WRITE"] and not s["calls"]),
        (r"FD_READ came (once|[\d,]+ times)$", lambda m: times_of(m[1]) == f["FD_READ"]),
        (r"recv returned ([\d,]+) bytes? in ([\d,]+) calls?(?: \(([\d,]+) to ([\d,]+) per call\)| \(([\d,]+) each\))?"
         r"(, then 0 \(the end of the peer's data\))?$",
         lambda m: num(m[1]) == r["bytes"] and num(m[2]) == r["moved"] and
         (not m[3] or (num(m[3]), num(m[4])) == (r["min"], r["max"])) and
         (not m[5] or num(m[5]) == r["min"] == r["max"]) and (bool(m[6]) == (r["zero"] > 0))),
        (r"recv returned 0 \(the end of the peer's data\)(?: ([\d,]+) times)?$",
         lambda m: not r["moved"] and r["zero"] == (num(m[1]) if m[1] else 1)),
        (r"([\d,]+) calls? of recv found nothing to read \(WSAEWOULDBLOCK\)$", lambda m: num(m[1]) == r["wouldblock"]),
        (r"(?:([\d,]+) calls? of )?recv failed with (\w+) \((\d+)\)(?: ([\d,]+) times)?$",
         lambda m: r["failed"] and int(m[3]) == r["error"] and
         (num(m[1]) == r["failed"] if m[1] else r["failed"] == r["calls"]) and
         (not m[4] or num(m[4]) == r["failed"])),
        (r"FD_CLOSE came with error (0|\w+ \((\d+)\))(?: ([\d,]+) times)?(, before the last byte was read(?:: ([\d,]+) "
         r"of the bytes recv returned came after it)?|, after the last byte had been read)?$",
         lambda m: (int(m[2]) if m[2] else 0) == f["close_error"] and
         (num(m[3]) if m[3] else 1) == f["FD_CLOSE"] and
         (("before" in (m[4] or "")) == (f["after_close"] > 0)) and
         (not m[5] or num(m[5]) == f["after_close"]) and
         ("after the last" not in (m[4] or "") or (r["moved"] and not f["after_close"]))),
        (r"([\d,]+) messages? came for a socket already closed \(dropped\)$", lambda m: num(m[1]) == f["stale"]),
        (r"no call was made and no message came$", lambda m: not f["any"]),
    ]
    if f["call"]:
        c = f["call"]
        name = re.escape(c["name"])
        checks.append((name + r" (?:returned (-?\d+)|failed with \w+ \((\d+)\))(?: after ([\d.]+) ms)?$",
                       lambda m: (m[1] is not None and int(m[1]) == c["result"] and c["result"] >= 0) or
                       (m[2] is not None and int(m[2]) == c.get("error"))))
    m = re.match(r"the TCP table, read after it, showed (.*)$", clause)
    if m:
        said = {}
        for part in m.group(1).split(" and "):
            mm = re.fullmatch(r"the (client|server) (?:in (\w+)|with no row \(CLOSED\))", part)
            if not mm:
                return f"unreadable state '{part}'"
            said[mm[1]] = mm[2] or "CLOSED"
        return None if said == f["states"] else f"states {said}, the samples say {f['states']}"
    for pattern, ok in checks:
        mm = re.match(pattern, clause)
        if mm:
            return None if ok(mm) else "not what the events say"
    return "a clause this test cannot read"


def clauses(text):
    """The tool's sentence split into its clauses (the send's wouldblock clause stays with it)."""
    body = text[:-1] if text.endswith(".") else text
    parts, out = body.split("; "), []
    for p in parts:
        if p.startswith("no call failed with WSAEWOULDBLOCK") and out:
            out[-1] += "; " + p
        else:
            out.append(p)
    return out


# ---- the runs -----------------------------------------------------------------------------

def matrix():
    for name in SCENARIOS:
        payloads = [None]
        if name in ("graceful-client", "graceful-server", "half-close-bulk", "wsasenddisconnect"):
            payloads = ["0", "1", None, "8000000"]
        for role in ("client", "server"):
            for bufname, buf in BUFFERS.items():
                for p in payloads:
                    args = ["--run", name, "--role", role, "--format", "jsonl"] + buf + (["--payload", p] if p else [])
                    yield f"{name} as {role}, payload {p or 'default'}, {bufname}", name, args


scenario_texts = {}


def judge(tap, label, name, run, seen):
    failed = [f"{e.get('side')} ({e.get('step', '')}) {e.get('name')}: {e.get('verdict')}: {e.get('observed', '')} "
              f"{e.get('text', '')}" for e in run.kind("check") if e.get("ok") is False]
    tap.eq(run.rc, 0, f"{label}: exits 0",
           f"stderr: {run.err[-500:]}\nchecks not passed: {failed}\nlast lines: {run.out[-600:]}")
    events = run.events
    text = next((e.get("scenario_text", "") for e in events if e.get("kind") == "run"), "")
    scenario_texts[name] = text
    lines = showed_lines(text)
    problems, showed = [], [i for i, e in enumerate(events) if e.get("kind") == "showed"]
    for i in showed:
        e = events[i]
        side, step = e["side"], e["step"]
        f = count_step(events[:i], side, step)
        later = [x for x in events[i + 1:] if x.get("side") == side and x.get("step") == step and
                 x.get("kind") in ("call", "message")]
        if later:
            problems.append(f"({step}) {side}: {len(later)} events of the step came after what it showed was said")
        for k in ("send", "recv"):
            got = {c: e[f"{k}"][c] for c in CALL_KEYS} if isinstance(e.get(k), dict) else \
                {c: e.get(f"{k}.{c}") for c in CALL_KEYS}
            if got != f[k]:
                problems.append(f"({step}) {side}: {k} facts {got}, counted here {f[k]}")
        for k, mine in (("FD_READ", f["FD_READ"]), ("FD_WRITE", f["FD_WRITE"]), ("FD_CLOSE", f["FD_CLOSE"]),
                        ("close_error", f["close_error"]), ("after_close", f["after_close"])):
            if e.get(k) != mine:
                problems.append(f"({step}) {side}: {k} {e.get(k)}, counted here {mine}")
        if (e.get("states") or {}) != f["states"]:
            problems.append(f"({step}) {side}: states {e.get('states')}, the samples say {f['states']}")
        for clause in clauses(e.get("text", "")):
            why = check_clause(clause, f, side)
            if why:
                problems.append(f"({step}) {side}: '{clause}': {why}")
        said = e.get("said", "")
        for lab, words, cond in lines:
            if lab != step:
                continue
            want = not cond or holds(cond, f, side)
            filled = fill(words, f, side)
            if (filled in said) != want:
                problems.append(f"({step}) {side}: '{filled}' {'missing' if want else 'said'} though its condition "
                                f"{cond or '(none)'} {'holds' if want else 'does not hold'}")
            if cond:
                seen.setdefault((name, lab, cond), set()).add(want)
    tap.ok(showed and not problems, f"{label}: every word of what the {len(showed)} steps showed is true of the run",
           "\n".join(problems) or "no showed lines")


def main():
    cli = sys.argv[1]
    tap = Tap()
    seen = {}
    jobs = list(matrix())
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:  # the machine has two cores
        runs = pool.map(lambda j: run_cli(cli, j[2], timeout=180), jobs)
        for (label, name, _), run in zip(jobs, runs):
            judge(tap, label, name, run, seen)
    for key, ways in sorted(seen.items()):
        name, lab, cond = key
        fill = re.search(r"step\s+" + re.escape(lab) + r"\s+\w+\s+send fill", scenario_texts.get(name, ""))
        if "wouldblock" in cond and not fill:  # what the buffer sizes are for: both ways, here (a fill always ends so)
            tap.ok(ways == {True, False}, f"{name} ({lab}) if={cond}: seen both said and not said", sorted(ways))
        elif ways != {True, False}:
            tap.diag(f"{name} ({lab}) if={cond}: seen {'said' if True in ways else 'not said'} only on this machine")
    every = [(n, lab, c) for n in SCENARIOS for lab, _, c in showed_lines(scenario_texts.get(n, "")) if c]
    tap.ok(every and all(k in seen for k in every), "every conditional showed line of the built-ins was judged in "
           "some run", [k for k in every if k not in seen])
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
