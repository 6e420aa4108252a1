#!/usr/bin/env python3
"""Prints Meson's results as the last line "N passed, N failed" (so every run is
counted). Expected failures count as passed, unexpected passes and timeouts as failed.
usage: test-summary.py build/meson-logs/testlog.json"""
import json
import sys

passed = failed = skipped = 0
def records(f):
    """One JSON object per line, except that a test's output may put a raw newline inside a
    string: such a record spans lines and is read with strict=False."""
    buf = ""
    for line in f:
        buf += line
        if not buf.strip():
            buf = ""
            continue
        try:
            yield json.loads(buf, strict=False)
            buf = ""
        except ValueError:
            continue
    if buf.strip():
        raise ValueError("testlog.json ends inside a record")


try:
    with open(sys.argv[1], encoding="utf-8", errors="replace") as f:
        for record in records(f):
            result = record.get("result")
            if result in ("OK", "EXPECTEDFAIL"):
                passed += 1
            elif result == "SKIP":
                skipped += 1
            else:
                failed += 1
except (OSError, ValueError) as e:
    print(f"test-summary: {e}", file=sys.stderr)
    failed += 1
tail = f", {skipped} skipped" if skipped else ""
print(f"{passed} passed, {failed} failed{tail}")
