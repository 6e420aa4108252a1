#!/usr/bin/env python3
"""Prints Meson's results as the last line "N passed, N failed" (so every run is
counted). Expected failures count as passed, unexpected passes and timeouts as failed.
usage: test-summary.py build/meson-logs/testlog.json"""
import json
import sys

passed = failed = skipped = 0
try:
    with open(sys.argv[1], encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            result = json.loads(line).get("result")
            if result in ("OK", "EXPECTEDFAIL"):
                passed += 1
            elif result == "SKIP":
                skipped += 1
            else:
                failed += 1
except OSError as e:
    print(f"test-summary: {e}", file=sys.stderr)
    failed += 1
tail = f", {skipped} skipped" if skipped else ""
print(f"{passed} passed, {failed} failed{tail}")
