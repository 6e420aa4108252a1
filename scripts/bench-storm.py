#!/usr/bin/env python3
"""bench-storm.py: a storm of FD_READ notifications, 10,000 and 100,000 (the --storm
benchmark hook: the tool's own, one after another, as Wine's come), through the headless
runner (its time per event should not grow with the storm) and through the window (how
long a posted message waits meanwhile, p99 under 50 ms, and the memory kept per event:
the peak working set's growth over a run without the storm). Needs a display for the
window (bench.sh runs it inside xvfb-run).
Usage: scripts/bench-storm.py BUILD_DIR"""
import os
import re
import subprocess
import sys
import time

SIZES = (10000, 100000)


def headless(cli, n):
    t0 = time.monotonic()
    p = subprocess.run(["wine", cli, "--run", "graceful-client", "--role", "server", "--storm", str(n),
                        "--format", "jsonl"], capture_output=True)
    dt = time.monotonic() - t0
    events = p.stdout.count(b"\n")
    return dt, events, p.returncode


def window(latency, gui, n):
    out = subprocess.run(["wine", latency, "300", gui, "--scenario", "graceful-client", "--role", "server",
                          "--autoplay", "--exit-after-run", "--storm", str(n)], capture_output=True, text=True).stdout
    m = re.search(r"probes (\d+), p50 ([\d.]+) ms, p99 ([\d.]+) ms, max ([\d.]+) ms \(sent at (\d+) ms\); "
                  r"peak working set ([\d.]+) MB", out)
    return [float(x) for x in m.groups()] if m else None


def main():
    build = sys.argv[1]
    cli = os.path.join(build, "src", "cli", "shutdownlab-cli.exe")
    gui = os.path.join(build, "src", "ui", "shutdownlab.exe")
    latency = os.path.join(build, "bench", "latency.exe")
    headless(cli, 0)  # warm: the first Wine process of a run pays for starting Wine
    base = headless(cli, 0)
    print(f"headless, no storm: {base[0]:.2f} s, {base[1]} jsonl lines")
    for n in SIZES:
        dt, events, rc = headless(cli, n)
        print(f"headless, storm of {n:,}: {dt:.2f} s, {events:,} jsonl lines, "
              f"{(dt - base[0]) / n * 1e6:.1f} us per FD_READ beyond the plain run (exit {rc})")
    w0 = window(latency, gui, 0)
    if not w0:
        print("window: no measurement (no display?)")
        return
    for n in SIZES:
        w = window(latency, gui, n)
        if not w:
            print(f"window, storm of {n:,}: no measurement")
            continue
        grown = (w[5] - w0[5]) * 1048576 / n
        print(f"window, storm of {n:,}: {int(w[0])} probes, p50 {w[1]:.1f} ms, p99 {w[2]:.1f} ms (target under 50), "
              f"max {w[3]:.1f} ms ({w[4]:.0f} ms after the window showed; the plain run's max {w0[3]:.1f} ms at "
              f"{w0[4]:.0f}); peak working set {w[5]:.1f} MB, {grown:.0f} bytes per FD_READ beyond the plain run's "
              f"{w0[5]:.1f} MB (target 64)")


if __name__ == "__main__":
    main()
