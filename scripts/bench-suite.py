#!/usr/bin/env python3
"""bench-suite.py: every built-in scenario in both roles, headless, one process each, one
after the other under a warm Wine (issue 10: under 10 s in all); the slowest say where
their time goes: the quiet periods their own lines ask for (scenarios/*.scn).
Usage: scripts/bench-suite.py CLI.exe [RUNS (default 3: the median total is printed)]"""
import os
import re
import statistics
import subprocess
import sys
import time

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


def quiets(name):
    """The scenario's quiet lines: (side, ms, line number)."""
    out = []
    with open(os.path.join(ROOT, "scenarios", name + ".scn"), encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            m = re.match(r"\s*(?:step\s+\S+\s+)?(client|server)\s+quiet\s+(\d+)", line)
            if m:
                out.append((m.group(1), int(m.group(2)), n))
    return out


def main():
    cli = sys.argv[1]
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    names = [l.split()[0] for l in subprocess.run(["wine", cli, "--list"], capture_output=True, text=True).stdout.splitlines()
             if l.strip()]
    totals, each = [], {}
    for _ in range(runs):
        total = 0.0
        for name in names:
            for role in ("client", "server"):
                t0 = time.monotonic()
                rc = subprocess.run(["wine", cli, "--run", name, "--role", role], stdout=subprocess.DEVNULL).returncode
                dt = time.monotonic() - t0
                total += dt
                each.setdefault((name, role), []).append((dt, rc))
        totals.append(total)
    print(f"all {len(names)} scenarios in both roles, one process each: median {statistics.median(totals):.2f} s "
          f"(runs: {', '.join(f'{t:.2f}' for t in totals)})")
    slow = sorted(each.items(), key=lambda kv: -statistics.median(d for d, _ in kv[1]))[:4]
    for (name, role), v in slow:
        q = quiets(name)
        why = "; ".join(f"{side} quiet {ms} ms (line {n})" for side, ms, n in q) or "no quiet lines"
        rcs = sorted({rc for _, rc in v})
        print(f"  {name} as {role}: {statistics.median(d for d, _ in v):.2f} s, exit {rcs}: {why}")


if __name__ == "__main__":
    main()
