#!/usr/bin/env python3
"""bench-replay.py: a recording of 100,000 events opened in the window (issue 18: replay at
scale). Makes the recording with the headless runner (graceful-client as the server with
--storm 100000: 100,000 FD_READs of the tool's own, recorded as jsonl) and a small one of the
same run without the storm, then bench/replay.exe starts the GUI plain, with the small and
with the large recording, interleaved, RUNS rounds, and says the medians: time to the first
paint of the large one against the plain start (target 2x or less), and its memory beyond
the small one's and beyond the file's own size, per event more (target 64 bytes or less), at
the first paint and after Run to the end. Needs a display (bench.sh runs it inside xvfb-run)
and Wine started.
Usage: scripts/bench-replay.py BUILD_DIR [RUNS (default 5)] [EVENTS (default 100000)]"""
import os
import subprocess
import sys
import tempfile


def record(cli, path, storm):
    args = ["wine", cli, "--run", "graceful-client", "--role", "server", "--format", "jsonl"]
    if storm:
        args += ["--storm", str(storm)]
    with open(path, "wb") as f:
        rc = subprocess.run(args, stdout=f).returncode
    with open(path, "rb") as f:
        lines = sum(1 for _ in f)
    return rc, lines


def main():
    build = sys.argv[1]
    runs = sys.argv[2] if len(sys.argv) > 2 else "5"
    storm = int(sys.argv[3]) if len(sys.argv) > 3 else 100000
    cli = os.path.join(build, "src", "cli", "shutdownlab-cli.exe")
    gui = os.path.join(build, "src", "ui", "shutdownlab.exe")
    bench = os.path.join(build, "bench", "replay.exe")
    with tempfile.TemporaryDirectory() as tmp:
        small, large = os.path.join(tmp, "small.jsonl"), os.path.join(tmp, "large.jsonl")
        for path, n in ((small, 0), (large, storm)):
            rc, lines = record(cli, path, n)
            if rc not in (0, 1) or lines < 3:
                print(f"replay: could not record {os.path.basename(path)} (exit {rc}, {lines} lines)")
                return 1
        p = subprocess.run(["wine", bench, runs, gui, small, large], capture_output=True, text=True)
        sys.stdout.write(p.stdout)
        if p.returncode:
            sys.stdout.write(p.stderr)
        return p.returncode


if __name__ == "__main__":
    sys.exit(main())
