#!/usr/bin/env python3
"""test_storm.py: an FD_READ storm on a loaded machine. shutdown-receive makes thousands of
FD_READ a second at the client while it watches for 300 ms; with every core kept busy,
the quiet period once lasted 4.7 s (WM_TIMER is made only when no posted message waits,
and the storm never lets the queue empty) and the server's watchdog, counting from its own
start, expired: exit 3. Each run here, in both roles, with the default watchdog and with a
short one (1 s, which the stretched quiet used to overrun), must pass, and its quiets must
last about what they say: a 300 ms quiet once took 1.5 to 3.8 s under this load, so
1.5 s is the bound (a run of the old code fails it at least once in these runs).
usage: test_storm.py PATH/TO/shutdownlab-cli.exe"""
import os
import subprocess
import sys

from transcript import Tap, run_cli

RUNS = 3
QUIET_BOUND_MS = 1500


def quiets(run):
    """(name, ms) of each quiet step of either end: from its step to that end's next step."""
    out = []
    for side in ("client", "server"):
        steps = [e for e in run.kind("step") if e["side"] == side]
        for a, b in zip(steps, steps[1:]):
            if a["name"].startswith("watch "):
                out.append((f"{side} ({a['step']}) {a['name']}", (b["t_us"] - a["t_us"]) / 1000))
    return out


def main():
    cli = sys.argv[1]
    tap = Tap()
    busy = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range((os.cpu_count() or 2) + 1)]
    try:
        for role in ("client", "server"):
            for args in ([], ["--timeout-ms", "1000"]):
                for i in range(RUNS):
                    what = f"shutdown-receive as {role} {' '.join(args)} under load, run {i + 1}"
                    run = run_cli(cli, ["--run", "shutdown-receive", "--role", role, "--format", "jsonl"] + args,
                                  timeout=120)
                    tap.eq(run.rc, 0, f"{what}: exit 0")
                    if run.rc:
                        tap.diag(run.err[-800:])
                    for name, ms in quiets(run):
                        tap.ok(ms < QUIET_BOUND_MS, f"{what}: {name} lasted {ms:.0f} ms",
                               f"a storm stretched it past {QUIET_BOUND_MS} ms")
    finally:
        for p in busy:
            p.kill()
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
