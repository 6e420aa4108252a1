"""transcript.py: runs shutdownlab-cli under Wine and reads its jsonl transcript, for the
end-to-end tests. The assertions look at each end's own order and the table's causal
order, never one exact interleaving of the two ends' threads (reference/README.md, fact 4).
Output is TAP; every assertion can fail and says what it saw."""
import inspect
import json
import os
import subprocess
import sys
import tempfile
import time


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def ok(self, cond, what, diag=None):
        self.n += 1
        print(("ok" if cond else "not ok") + f" {self.n} - {what}")
        if not cond:
            self.failed += 1
            print(f"#   at {self._caller()}")
            if diag is not None:
                for line in str(diag).splitlines() or [""]:
                    print(f"#   {line}")
        sys.stdout.flush()
        return cond

    @staticmethod
    def _caller():
        """file:line of the test's own assertion (the first frame outside this file)."""
        for frame in inspect.stack()[1:]:
            if os.path.abspath(frame.filename) != os.path.abspath(__file__):
                return f"{os.path.basename(frame.filename)}:{frame.lineno}: {(frame.code_context or [''])[0].strip()}"
        return "?"

    def eq(self, got, want, what, diag=None):
        return self.ok(got == want, what, f"got {got!r}, want {want!r}" + ("" if diag is None else f"\n{diag}"))

    def diag(self, text):
        for line in str(text).splitlines():
            print(f"# {line}")

    def done(self):
        print(f"1..{self.n}")
        return 1 if self.failed else 0


class Run:
    """One run of the CLI: exit code, stdout, stderr, elapsed seconds, and the jsonl events."""

    def __init__(self, rc, out, err, seconds):
        self.rc = rc
        self.out = out
        self.err = err
        self.seconds = seconds
        self.events = []
        self.bad_lines = []
        for line in out.splitlines():
            if not line.strip():
                continue
            try:
                self.events.append(json.loads(line))
            except ValueError:
                self.bad_lines.append(line)

    @property
    def summary(self):
        s = [e for e in self.events if e.get("kind") == "summary"]
        return s[-1] if s else {}

    def kind(self, kind, side=None):
        return [e for e in self.events if e.get("kind") == kind and (side is None or e.get("side") == side)]

    def steps(self, side=None):
        """The step labels in the order each end recorded them."""
        return [e["step"] for e in self.kind("step", side)]

    def step_time(self, label):
        for e in self.kind("step"):
            if e.get("step") == label:
                return e["t_us"]
        return None

    def checks_failed(self):
        return [e for e in self.kind("check") if not e.get("ok") and not e.get("known_difference")]


def wine_command():
    return [os.environ.get("SL_WINE", "wine")]


def run_cli(cli, args, timeout=120):
    """Runs the CLI (a Windows .exe) under Wine; returns a Run. A hang fails the test.

    Its output goes to files, not pipes, and the run ends when the process does: a Wine
    process it started (the desktop, a service) that inherited its stdout cannot hold a
    pipe open and make a finished run look hung. A process that does not end is killed
    at the timeout, with what it wrote so far and its stderr (the CLI says there where
    its own teardown stopped, if it did)."""
    cmd = wine_command() + [cli] + list(args)
    t0 = time.monotonic()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        try:
            rc = p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
            rc = None
        out.seek(0)
        err.seek(0)
        o, e = out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace")
    if rc is None:
        return Run(-1, o, "timeout after %ss (the process did not end); its stderr: %s" % (timeout, e[-2000:]), timeout)
    return Run(rc, o, e, time.monotonic() - t0)


def check_common(tap, run, label):
    """What every run must give: a summary, no unparsable line, nothing left open."""
    tap.ok(not run.bad_lines, f"{label}: every line is JSON", run.bad_lines[:3])
    s = run.summary
    tap.ok(bool(s), f"{label}: ends with a summary object", run.err[-400:])
    tap.eq(s.get("sockets_left_open"), 0, f"{label}: no socket left open")
    for side in ("client", "server"):
        tap.eq(s.get(side, {}).get("content_errors"), 0, f"{label}: {side} received exactly the bytes sent")
    times = [e["t_us"] for e in run.events if "t_us" in e]
    tap.ok(all(t >= 0 for t in times), f"{label}: every event has a time on the run's clock")


def check_order(tap, run, label, rules):
    """rules: pairs (a, b) meaning step a happens no later than step b."""
    for a, b in rules:
        ta, tb = run.step_time(a), run.step_time(b)
        tap.ok(ta is not None and tb is not None and ta <= tb, f"{label}: ({a}) before ({b})",
               f"({a}) at {ta} us, ({b}) at {tb} us")


def check_own_order(tap, run, label, side, want):
    """The steps one end recorded, in its own order (repeats of a step collapse)."""
    got = []
    for s in run.steps(side):
        if not got or got[-1] != s:
            got.append(s)
    tap.eq(got, want, f"{label}: the {side}'s own steps in order")
