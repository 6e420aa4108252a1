#!/usr/bin/env python3
"""update_golden.py: regenerates tests/e2e/golden/NAME.txt from a run of each built-in
scenario (role client, --format text), normalised as test_golden.py compares them. Read
the diff (git diff tests/e2e/golden) before committing: the golden copies are the
lessons' expected text.
usage: tests/e2e/update_golden.py [PATH/TO/shutdownlab-cli.exe] [NAME...]
(default: build/src/cli/shutdownlab-cli.exe; Wine from PATH; source scripts/wine-env.sh
and run wine_prepare and wine_warm first)"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_golden import ALL, GOLDEN, normalise, run_text  # noqa: E402


def main():
    args = sys.argv[1:]
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    cli = args.pop(0) if args and args[0].endswith(".exe") else os.path.join(root, "build", "src", "cli",
                                                                              "shutdownlab-cli.exe")
    names = args or ALL
    os.makedirs(GOLDEN, exist_ok=True)
    status = 0
    for name in names:
        run = run_text(cli, name)
        if run.rc != 0:
            print(f"{name}: exit {run.rc}, golden copy not written\n{run.err[-800:]}", file=sys.stderr)
            status = 1
            continue
        path = os.path.join(GOLDEN, name + ".txt")
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(normalise(run.out, name))
        print(f"wrote {os.path.relpath(path, root)}")
    return status


if __name__ == "__main__":
    sys.exit(main())
