#!/usr/bin/env python3
"""test_golden.py: each built-in scenario's text transcript (role client) against its
golden copy in tests/e2e/golden/NAME.txt, the lesson's expected text. On a mismatch it
prints a unified diff. Regenerate the copies with tests/e2e/update_golden.py.

A run and its golden copy are compared after normalise(), which takes out what varies
between runs and machines, and nothing else:
- timestamps, the listening port, the program's version, the wall-clock time of t = 0 and
  the connection's two endpoints (a capture finds the run's segments by them);
- each end's lines are kept in that end's own order, in its own section: the two
  threads interleave differently from run to run (reference/README.md, fact 4);
- data lines (FD_READ, FD_WRITE, recv, send, alone or coalesced into a burst) that follow
  each other in one step become one line "FD_READ xN, recv xN": how the kernel splits the
  data, and so the counts and sizes, vary; WSAEWOULDBLOCK (flow control, a matter of
  timing) is left out of them, any other error is kept (the storm's "recv xN WSAESHUTDOWN
  (10058)"). A data line alone that cannot vary (no burst, under 64 KB, no
  WSAEWOULDBLOCK: "recv = 16 bytes") keeps its own words; the recv calls of the FD_CLOSE
  handler's drain become "recv xN, the last = 0" (whether data was left before the 0
  varies); a burst of one send or recv and FD_WRITEs ("send x1, FD_WRITE x1, 16 bytes")
  is that call alone ("send = 16 bytes"): whether an FD_WRITE lands beside it is timing;
- what a step showed ("-> (3) this run: ...") keeps only its label: its words are made
  from the run's own events, which vary with the host's buffers (whether a send would
  block, how many recv calls); test_explain.py holds every word of them to the run's
  jsonl instead; FD_WRITE inside a step's sends is flow control too, and is left out, as
  are the FD_READs inside a step's plain recvs (how the data was split);
- left out: the TCP-table samples taken after each step (when the other end's state is
  read races with that end), an FD_WRITE alone, outside a send (when the send buffer has
  room again, or when the first one comes relative to the first actions, is the host's),
  and messages for a socket already closed ("stale", their number varies). The
  scenarios' own `tcp` checks are kept;
- the socket buffers a run asked for (--sndbuf, --rcvbuf: the header's line and the
  setsockopt calls of the set-up): each copy must match on the system's buffers, on small
  ones (4096 bytes: sends have to wait) and on large ones (1 MiB asked: the system may
  give less), so no copy depends on the host's buffer sizes;
- in scenarios that `send fill`, byte counts of 2,000 or more become N (how much the
  buffers hold depends on the machine and on the buffers asked for); timings in "returned after" and "check order"
  become T.
usage: test_golden.py PATH/TO/shutdownlab-cli.exe [NAME...]"""
import difflib
import os
import re
import sys

from transcript import Tap, run_cli

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN = os.path.join(HERE, "golden")
ALL = ["abortive-linger0", "close-unread-data", "closesocket-implicit", "graceful-client", "graceful-server",
       "half-close-bulk", "linger-nonblocking", "shutdown-receive", "simultaneous-close", "wsasenddisconnect"]

PREAMBLE = """\
# Golden transcript: shutdownlab-cli --run {name} --role client --format text, under Wine 8.
# Made by tests/e2e/update_golden.py; compared by tests/e2e/test_golden.py, whose header
# says what is normalised: timestamps stripped; each end's lines in that end's own order;
# xN and N: counts and byte numbers that vary between runs; T: timings; data lines of one
# step merged; TCP-table samples, stale messages and FD_WRITEs outside a step left out.
"""

LINE = re.compile(r"^\s*(\d+\.\d+)(?:-(\d+\.\d+))?  (client|server) (.{5}) (.*)$")
DATA = re.compile(r"^(FD_READ|FD_WRITE|recv|send)(?: x[\d,]+|,| =)")


def data_items(what):
    """The (name, error) pairs of one data line, alone or a burst."""
    if re.match(r"^(FD_READ|FD_WRITE|recv|send) x", what):  # "FD_READ x42, recv x41 WSAE... (n), N bytes"
        return [(m.group(1), m.group(2) or "") for m in
                re.finditer(r"(FD_READ|FD_WRITE|recv|send) x[\d,]*\d(?: (WSA[A-Z]+ \(\d+\)))?", what)]
    m = re.match(r"^(FD_READ|FD_WRITE|recv|send)(?:, error (\S+(?: \(\d+\))?)| = -?\d{1,3}(?:,\d{3})*(?: bytes)?(?:, (.*))?)", what)
    err = m.group(3) or (m.group(2) if m.group(2) and m.group(2) != "0" else "")
    return [(m.group(1), err)]


def render_data(items):
    # WSAEWOULDBLOCK is flow control: whether a call met a full (or empty) buffer is a
    # matter of timing, so it only names the call when nothing else does; so is an
    # FD_WRITE among sends (it comes only after a send would have blocked)
    if any(n == "send" for n, _ in items):
        items = [(n, e) for n, e in items if n != "FD_WRITE"]
    # and so is how many FD_READs plain data took (as many as the way it was split): said
    # only where a recv failed, as in the storm after SD_RECEIVE
    if any(n == "recv" for n, _ in items) and not any(n == "recv" and e and "WSAEWOULDBLOCK" not in e
                                                      for n, e in items):
        items = [(n, e) for n, e in items if n != "FD_READ"]
    seen = sorted({(n, e) for n, e in items if "WSAEWOULDBLOCK" not in e})
    seen += sorted({(n, "") for n, e in items if "WSAEWOULDBLOCK" in e and n not in {x for x, _ in seen}})
    seen.sort()
    return ", ".join(f"{n} xN" + (f" {e}" if e else "") for n, e in seen)


BURST_OF_ONE = re.compile(r"^(?:FD_WRITE x[\d,]+, )*(send|recv) x1(?:, FD_WRITE x[\d,]+)*, ([\d,]+) bytes$")


def one_call(g):
    """A burst of one send (or recv) and FD_WRITEs, as the call alone: when an FD_WRITE
    comes, and so whether it lands beside a send and is grouped with it, is the host's
    (a loaded machine turned the hello "send = 16 bytes" into "send x1, FD_WRITE x1")."""
    m = BURST_OF_ONE.match(g["lines"][0]) if len(g["lines"]) == 1 else None
    if not m:
        return g
    return {"step": g["step"], "items": [(m.group(1), "")], "lines": [f"{m.group(1)} = {m.group(2)} bytes"],
            "burst": False}


def small_single(g, fill):
    """A data line alone that cannot vary: no burst, no flow control, under 64 KB (in a
    scenario that fills the buffers, under 2,000 bytes: what the buffers held is the host's)."""
    if len(g["lines"]) != 1 or g["burst"] or any("WSAEWOULDBLOCK" in e for _, e in g["items"]):
        return False
    m = re.search(r"= ([\d,]+) bytes$", g["lines"][0])
    return not m or int(m.group(1).replace(",", "")) < (2000 if fill else 65536)


def normalise(text, name):
    """The comparable form of a text transcript: header, client, server, end sections."""
    fill = "send until WSAEWOULDBLOCK" in text
    header, end, sides = [], [], {"client": [], "server": []}
    pending = {"client": None, "server": None}  # an open data group of one step

    def flush(side):
        g = pending[side]
        pending[side] = None
        if not g:
            return
        g = one_call(g)
        prev = sides[side][-1][6:] if sides[side] else ""
        if prev.startswith("check FD_CLOSE") and {i for i in g["items"]} == {("recv", "")}:
            # the FD_CLOSE handler's drain: whether data was still there before the 0
            # varies (oracle #17), the 0 does not
            text = "recv xN, the last = 0"
        elif small_single(g, fill):
            text = g["lines"][0]  # a data line alone that cannot vary keeps its own words
        else:
            text = render_data(g["items"])
        sides[side].append(f"{g['step']:<6}{text}")

    for raw in text.splitlines():
        m = LINE.match(raw)
        if raw.startswith("socket buffers set on") or (m and m.group(5).startswith(("setsockopt(SO_SNDBUF",
                                                                                    "setsockopt(SO_RCVBUF"))):
            continue  # what the run asked of the buffers (see above)
        if raw.startswith("t = 0 is ") or (m and m.group(5).startswith("connection client ")):
            continue  # the wall clock at t = 0 and the connection's ports (see above)
        if not m:
            if not raw.startswith("   t (ms)"):
                (end if sides["client"] or sides["server"] else header).append(raw)
            continue
        side, label, what = m.group(3), m.group(4).strip(), m.group(5)
        if what.startswith("TCP table") or "(stale:" in what:
            continue
        if what.startswith("-> ("):  # what the step showed: its words are the run's (see above)
            flush(side)
            sides[side].append(f"{label:<6}" + re.sub(r" this run: .*", " this run", what))
            continue
        if what.startswith(("check order:", "check bytes lost:", "check sockets left open:")):
            flush("client"), flush("server")
            end.append(f"{side:<7}{label:<6}{what}")
            continue
        if DATA.match(what):
            items = data_items(what)
            if items == [("FD_WRITE", "")]:
                continue  # room in the send buffer again, between sends: when it comes is the host's
            g = pending[side]
            if not g or g["step"] != label:
                flush(side)
                g = pending[side] = {"step": label, "items": [], "lines": [], "burst": False}
            g["items"] += items
            g["lines"].append(what)
            g["burst"] = g["burst"] or " x" in what.split(",")[0]
            continue
        flush(side)
        sides[side].append(f"{label:<6}{what}")
    flush("client"), flush("server")

    def fix(s):
        s = re.sub(r"^ShutdownLab \S+:", "ShutdownLab VERSION:", s)
        s = re.sub(r"127\.0\.0\.1:\d+", "127.0.0.1:PORT", s)
        s = re.sub(r"\(returned after [\d.]+ ms\)", "(returned after T ms)", s)
        s = re.sub(r"at \d+ us", "at T us", s)
        if fill:
            s = re.sub(r"\b\d{1,3}(?:,\d{3})+\b|\b\d{4,}\b",
                       lambda m: "N" if int(m.group(0).replace(",", "")) >= 2000 else m.group(0), s)
        return s.rstrip()

    out = [PREAMBLE.format(name=name).rstrip(), "", "== header"] + [fix(l) for l in header]
    for side in ("client", "server"):
        out += ["", f"== {side}: its own lines, in its own order"] + [fix(l) for l in sides[side]]
    out += ["", "== end of run: order rules, bytes lost, summary"] + [fix(l) for l in end]
    return "\n".join(out) + "\n"


BUFFERS = {"": [], " on small buffers": ["--sndbuf", "4096", "--rcvbuf", "4096"],
           " on large buffers": ["--sndbuf", "1048576", "--rcvbuf", "1048576"]}


def run_text(cli, name, buffers=()):
    return run_cli(cli, ["--run", name, "--role", "client", "--format", "text", *buffers])


def main():
    cli = sys.argv[1]
    names = sys.argv[2:] or ALL
    tap = Tap()
    for name in names:
        path = os.path.join(GOLDEN, name + ".txt")
        for how, buffers in BUFFERS.items():
            label = name + how
            run = run_text(cli, name, buffers)
            tap.eq(run.rc, 0, f"{label}: text run exits 0")
            if not tap.ok(os.path.exists(path), f"{label}: golden copy exists ({os.path.relpath(path, HERE)})"):
                continue
            with open(path, encoding="utf-8") as f:
                want = f.read()
            got = normalise(run.out, name)
            same = got == want
            diff = "" if same else "".join(difflib.unified_diff(
                want.splitlines(True), got.splitlines(True), f"golden/{name}.txt", f"{label} (this run, normalised)"))
            tap.ok(same, f"{label}: the transcript matches its golden copy", diff + "\n(regenerate with "
                   "tests/e2e/update_golden.py if the change is intended)")
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
