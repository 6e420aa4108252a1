#!/usr/bin/env python3
"""test_bad_files.py: shutdownlab-cli --run-file on files a teacher (or a cat on the
keyboard) might give it, under Wine: binary garbage, empty, NULs, UTF-16, a huge line, a
huge number, unknown actions and sides, too many lines, a 2 MB file, a directory, a path
that does not exist, a path with non-ASCII characters. Each must exit 2 with
file:line:column on stderr where there is a place, quickly, and never crash. A good
teacher's file (graceful-client under a new name) runs with exit 0. Issue 3, item 4.
usage: test_bad_files.py PATH/TO/shutdownlab-cli.exe"""
import os
import random
import shutil
import sys
import tempfile

from transcript import Tap, run_cli

HERE = os.path.dirname(os.path.abspath(__file__))
SCENARIOS = os.path.join(HERE, "..", "..", "scenarios")
# Under Wine a Unix path is a path on drive Z: (the prefix maps Z: to /).
CRASH_SIGNS = ("Unhandled exception", "Backtrace:", "page fault", "wine: Unhandled")


def win_path(path):
    return "Z:" + os.path.abspath(path).replace("/", "\\")


def bad_files():
    """(label, file name, bytes, line, column, words the message must hold); line None:
    an error about the whole file, named without a place."""
    rng = random.Random(3)
    garbage = bytes(rng.randrange(256) for _ in range(4096))
    ops3000 = b"scenario many\n" + b"client send 1\n" * 3000
    return [
        ("binary garbage", "garbage.scn", garbage, None, None, []),
        ("an empty file", "empty.scn", b"", 1, 1, ["empty"]),
        ("NUL bytes", "nul-bytes.scn", b"scenario x\nclient send\x00 5\n", 2, 12, ["NUL byte"]),
        ("UTF-16 LE with a BOM", "utf16.scn", "scenario x\nclient closesocket\n".encode("utf-16"), 1, 1,
         ["UTF-16"]),
        ("UTF-16 without a BOM", "utf16nobom.scn", "scenario x\nclient closesocket\n".encode("utf-16-le"), 1, 2,
         ["UTF-16"]),
        ("a 100 KB line", "hugeline.scn", b"scenario x\nclient send 1 explain=\"" + b"a" * 100000 + b"\"\n", 2, 4097,
         ["line too long"]),
        ("a huge number", "hugenumber.scn", b"scenario x\nclient send 99999999999999999999\n", 2, 13,
         ["number too large"]),
        ("an unknown action", "action.scn", b"scenario x\nclient shutdwn SD_SEND\n", 2, 8,
         ["unknown action 'shutdwn'"]),
        ("an unknown side", "side.scn", b"scenario x\npeer closesocket\n", 2, 1, ["expected client, server"]),
        ("3000 lines of ops", "many.scn", ops3000, 2002, 1, ["too many operations"]),
        ("a 2 MB file", "big.scn", b"# padding\n" * 200000, None, None, ["too large"]),
        ("Windows-1252 text", "ansi.scn", b"scenario x\nclient closesocket explain=\"caf\xe9\"\n", 2, 32, ["UTF-8"]),
    ]


def cli_lines(run):
    """The CLI's own lines on stderr (Wine may add its own diagnostics around them)."""
    return [l.rstrip("\r") for l in run.err.splitlines() if l.startswith(("Z:\\", "shutdownlab-cli"))]


def line_starting(run, prefix):
    return next((l for l in cli_lines(run) if l.startswith(prefix)), None)


def no_crash(tap, run, label):
    tap.ok(run.rc == 2, f"{label}: exits 2 (not 0, 1, 3 or a crash)", f"exit {run.rc}; stderr: {run.err[-600:]}")
    tap.ok(not any(s in run.err for s in CRASH_SIGNS), f"{label}: no crash report on stderr", run.err[-600:])
    tap.ok(run.seconds < 2.0, f"{label}: answers in under 2 s under Wine ({run.seconds:.2f} s)")
    tap.ok(run.out == "", f"{label}: nothing on stdout (no transcript started)", run.out[:300])


def bad(tap, cli, tmp):
    for label, name, data, line, column, words in bad_files():
        path = os.path.join(tmp, name)
        with open(path, "wb") as f:
            f.write(data)
        run = run_cli(cli, ["--run-file", win_path(path)], timeout=60)
        no_crash(tap, run, label)
        err = "\n".join(cli_lines(run))
        if line is not None:
            place = f"{win_path(path)}:{line}:{column}: error: "
            tap.ok(line_starting(run, place) is not None, f"{label}: stderr names {name}:{line}:{column}: error:",
                   run.err[:300])
        elif words:
            tap.ok(line_starting(run, win_path(path) + ": error: ") is not None, f"{label}: stderr names the file",
                   run.err[:300])
        else:  # garbage: wherever the first bad byte is, it has a place
            head = win_path(path) + ":"
            got = line_starting(run, head) or ""
            rest = got[len(head):].split(":")
            tap.ok(len(rest) >= 3 and rest[0].isdigit() and rest[1].isdigit() and rest[2] == " error",
                   f"{label}: stderr names file:line:column", run.err[:300])
        for w in words:
            tap.ok(w in err, f"{label}: the message says '{w}'", err[:300])


def not_files(tap, cli, tmp):
    d = os.path.join(tmp, "a-folder.scn")
    os.mkdir(d)
    run = run_cli(cli, ["--run-file", win_path(d)], timeout=60)
    no_crash(tap, run, "a directory")
    tap.ok(line_starting(run, win_path(d) + ": is a folder") is not None, "a directory: stderr names it, as a folder",
           run.err[:300])
    missing = os.path.join(tmp, "no-such-file.scn")
    run = run_cli(cli, ["--run-file", win_path(missing)], timeout=60)
    no_crash(tap, run, "a nonexistent path")
    tap.ok(line_starting(run, win_path(missing) + ": cannot open") is not None,
           "a nonexistent path: 'cannot open' and its name",
           run.err[:300])


def non_ascii(tap, cli, tmp):
    name = "leçon-écrite-測試.scn"
    path = os.path.join(tmp, name)
    with open(path, "wb") as f:
        f.write(b"scenario x\nclient shutdwn SD_SEND\n")
    run = run_cli(cli, ["--run-file", win_path(path)], timeout=60)
    no_crash(tap, run, "a path with non-ASCII characters")
    tap.ok(":2:8: error: unknown action 'shutdwn'" in run.err, "non-ASCII path: the file is read, the error placed",
           run.err[:300])
    tap.ok(line_starting(run, win_path(path) + ":2:8:") is not None, "non-ASCII path: stderr names the file as given",
           f"got {run.err[:120]!r}")


def good(tap, cli, tmp):
    with open(os.path.join(SCENARIOS, "graceful-client.scn"), "rb") as f:
        text = f.read()
    text = text.replace(b"scenario graceful-client", b"scenario my-first-lesson", 1)
    path = os.path.join(tmp, "my-first-lesson.scn")
    with open(path, "wb") as f:
        f.write(text.replace(b"\n", b"\r\n"))  # as Notepad saves it
    run = run_cli(cli, ["--run-file", win_path(path), "--format", "jsonl"])
    tap.eq(run.rc, 0, "a teacher's copy of graceful-client (CRLF): exit 0")
    if run.rc != 0:
        tap.diag(run.err[-1500:])
    first = run.events[0] if run.events else {}
    tap.eq(first.get("scenario"), "my-first-lesson", "the run names the teacher's scenario")
    s = run.summary
    tap.eq(s.get("mismatches"), 0, "the teacher's copy: no mismatch")
    tap.eq((s.get("client", {}).get("bytes_lost"), s.get("server", {}).get("bytes_lost")), (0, 0),
           "the teacher's copy: nothing lost")


def main():
    cli = sys.argv[1]
    tap = Tap()
    tmp = tempfile.mkdtemp(prefix="sl-bad-files-")
    try:
        bad(tap, cli, tmp)
        not_files(tap, cli, tmp)
        non_ascii(tap, cli, tmp)
        good(tap, cli, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
