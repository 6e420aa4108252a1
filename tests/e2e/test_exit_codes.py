#!/usr/bin/env python3
"""test_exit_codes.py: the runner's exit codes 1 and 3 from real runs under Wine, not only
from the engine's unit tests: an unexplained mismatch, a call that never completes, a
watchdog, a socket the lines forgot to close, a call on a socket already closed. Each run
still ends with its summary line; an environment failure is also said on stderr.
usage: test_exit_codes.py PATH/TO/shutdownlab-cli.exe"""
import os
import sys
import tempfile

from transcript import Tap, run_cli

CASES = [
    # (label, scenario text, extra args, exit code, (side, check name, words in observed or text))
    ("a mismatch", """scenario wrong-claim
step 1 client shutdown SD_SEND windows=WSAECONNRESET
step 2 server expect FD_CLOSE
client closesocket
server closesocket
""", [], 1, ("client", "shutdown(SD_SEND)", "0")),
    ("a send the peer never drains", """scenario stuck-send
server read off
client send 50000000
client closesocket
server expect FD_CLOSE
server closesocket
""", ["--timeout-ms", "800"], 3, ("client", "send 50000000 bytes", "still under way")),
    ("an event that never comes", """scenario never
client expect FD_READ
client closesocket
server expect FD_CLOSE
server closesocket
""", ["--timeout-ms", "500"], 3, ("client", "FD_READ", "nothing in 500 ms")),
    ("a forgotten closesocket", """scenario forgot
step 1 client shutdown SD_SEND
step 2 server expect FD_CLOSE
server closesocket
client expect FD_CLOSE
""", [], 1, ("client", "sockets left open", "1")),
    ("a call after closesocket", """scenario after-close
client closesocket
client shutdown SD_SEND windows=WSAENOTSOCK
server expect FD_CLOSE
server closesocket
""", [], 1, ("client", "shutdown(SD_SEND)", "not called")),
]


def main():
    cli = sys.argv[1]
    tap = Tap()
    with tempfile.TemporaryDirectory() as tmp:
        for label, text, args, code, (side, name, words) in CASES:
            path = os.path.join(tmp, label.replace(" ", "-") + ".scn")
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            run = run_cli(cli, ["--run-file", "Z:" + path.replace("/", "\\"), "--format", "jsonl"] + args, timeout=120)
            tap.eq(run.rc, code, f"{label}: exit {code}")
            s = run.summary
            tap.ok(bool(s) and s.get("exit_code") == code, f"{label}: the transcript still ends with its summary",
                   run.out[-300:])
            failed = [c for c in run.kind("check") if not c.get("ok") and not c.get("known_difference")]
            hit = [c for c in failed if c["side"] == side and c["name"] == name and
                   (words in c.get("observed", "") or words in c.get("text", ""))]
            tap.ok(bool(hit), f"{label}: the failed check names the {side}'s {name}",
                   [(c["side"], c["name"], c.get("observed"), c.get("text")) for c in failed])
            tap.eq(bool(hit) and hit[0].get("environment", False), code == 3,
                   f"{label}: it counts as {'an environment failure' if code == 3 else 'a mismatch'}")
            if code == 3:  # stderr alone says which call or watchdog failed, and after how long
                said = [l for l in run.err.splitlines() if l.startswith("shutdownlab-cli: environment failure:")]
                tap.ok(any(f" {side} " in l and name in l and " ms" in l for l in said),
                       f"{label}: stderr names the {side}'s {name} and how long it waited", run.err[-600:])
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
