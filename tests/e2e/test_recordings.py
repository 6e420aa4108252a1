#!/usr/bin/env python3
"""test_recordings.py: recordings, as a teacher with a Windows PC makes them and a class
replays them. Under Wine, on real loopback sockets:
- --record DIR writes every built-in scenario in both roles (NAME-ROLE.jsonl) and a
  manifest saying which ShutdownLab recorded them, on which Windows, when; each recording
  carries its scenario's text and where it was made;
- --compare says two recordings of one scenario on one platform are the same (times,
  ports, byte counts and how bursts were split are not differences), even for runs made
  apart, storms included;
- --compare shows where they differ, step by step, when they do: another scenario, or the
  same one as Windows reports it (a recording edited as Windows would have written it);
- a broken recording is refused with exit 2 and its file:line:column, never half read.
The GUI's --replay of a recording is tested in tests/gui (test_replay).
usage: test_recordings.py PATH/TO/shutdownlab-cli.exe"""
import json
import os
import shutil
import sys
import tempfile

from transcript import Tap, run_cli

ALL = ["abortive-linger0", "close-unread-data", "closesocket-implicit", "graceful-client", "graceful-server",
       "half-close-bulk", "linger-nonblocking", "shutdown-receive", "simultaneous-close", "wsasenddisconnect"]
CRASH_SIGNS = ("Unhandled exception", "Backtrace:", "page fault", "wine: Unhandled")


def win_path(path):
    """Under Wine a Unix path is a path on drive Z: (the prefix maps Z: to /)."""
    return "Z:" + os.path.abspath(path).replace("/", "\\")


def read_lines(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def record(tap, cli, rec):
    run = run_cli(cli, ["--record", win_path(rec)], timeout=300)
    tap.eq(run.rc, 0, "--record DIR: exit 0 once every run is written")
    tap.ok("recorded 20 runs" in run.out, "--record says how many runs it wrote", run.out[-300:] + run.err[-300:])
    try:
        with open(os.path.join(rec, "manifest.json"), encoding="utf-8") as f:
            manifest = json.load(f)
    except (OSError, ValueError) as e:
        tap.ok(False, "--record writes manifest.json, valid JSON", e)
        return False
    want = sorted(f"{n}-{r}.jsonl" for n in ALL for r in ("client", "server"))
    files = sorted(r.get("file") for r in manifest.get("runs", []))
    tap.eq(files, want, "the manifest lists every built-in scenario in both roles")
    tap.ok(manifest.get("os", "").startswith("Windows") and manifest.get("platform") and manifest.get("recorded_at"),
           "the manifest says on which Windows, which platform and when it recorded", manifest)
    tap.eq(manifest.get("jsonl_version"), 1, "the manifest names the jsonl version")
    problems = []
    for entry in manifest.get("runs", []):
        path = os.path.join(rec, entry.get("file", ""))
        try:
            lines = read_lines(path)
        except (OSError, ValueError) as e:
            problems.append(f"{entry.get('file')}: {e}")
            continue
        head, tail = lines[0], lines[-1]
        if head.get("kind") != "run" or head.get("jsonl_version") != 1 or not head.get("os"):
            problems.append(f"{entry['file']}: first line is not a run line with jsonl_version 1 and os")
        if f"scenario {entry.get('scenario')}" not in head.get("scenario_text", ""):
            problems.append(f"{entry['file']}: the run line does not carry the scenario's text")
        if head.get("local") != entry.get("role") or head.get("scenario") != entry.get("scenario"):
            problems.append(f"{entry['file']}: scenario or role differ from the manifest's")
        if tail.get("kind") != "summary" or tail.get("exit_code") != entry.get("exit_code"):
            problems.append(f"{entry['file']}: does not end with its summary, exit code as in the manifest")
    tap.ok(not problems, "each recording is whole: run line with its scenario's text, events, summary", problems[:5])
    return not problems


def compare(cli, a, b):
    return run_cli(cli, ["--compare", win_path(a), win_path(b)])


def same_platform(tap, cli, rec, tmp):
    run = compare(cli, os.path.join(rec, "graceful-client-client.jsonl"),
                  os.path.join(rec, "graceful-client-client.jsonl"))
    tap.eq(run.rc, 0, "--compare of a recording with itself: exit 0")
    tap.ok("0 differences" in run.out and "the same" in run.out, "and it says they are the same", run.out[-600:])
    # runs made apart: timing, ports and burst sizes differ, the facts do not
    for name in ("graceful-server", "shutdown-receive", "half-close-bulk", "abortive-linger0"):
        again = run_cli(cli, ["--run", name, "--role", "server", "--format", "jsonl"])
        path = os.path.join(tmp, f"{name}-again.jsonl")
        with open(path, "w", encoding="utf-8") as f:
            f.write(again.out)
        run = compare(cli, os.path.join(rec, f"{name}-server.jsonl"), path)
        tap.ok(again.rc == 0 and run.rc == 0, f"{name}: a recording and a later run on this platform compare the same "
               f"(exit {run.rc})", run.out[-1500:] + run.err[-300:])


def differences(tap, cli, rec, tmp):
    run = compare(cli, os.path.join(rec, "graceful-client-client.jsonl"),
                  os.path.join(rec, "abortive-linger0-client.jsonl"))
    tap.eq(run.rc, 1, "--compare of two scenarios: exit 1")
    tap.ok("different scenarios: graceful-client and abortive-linger0" in run.out,
           "it says they are recordings of different scenarios", run.out[:400])
    tap.ok("only in B: RST to the server (inferred)" in run.out and "only in A: FIN to the server (inferred)" in run.out,
           "it shows the RST of one beside the FIN of the other, labelled inferred", run.out[:3000])
    tap.ok("summary: the client lost 0 bytes in A, " in run.out, "it compares what each end lost", run.out[-600:])
    # the same scenario as Windows would have written it: FD_CLOSE with WSAECONNABORTED
    lines = read_lines(os.path.join(rec, "abortive-linger0-client.jsonl"))
    for e in lines:
        if e.get("kind") == "run":
            e["platform"], e["os"], e["on_wine"] = "Windows", "Windows 10.0.19045", False
        if e.get("side") == "server" and e.get("step") == "4" and e.get("name") == "FD_CLOSE":
            if e.get("kind") == "message":
                e["error"], e["error_name"] = 10053, "WSAECONNABORTED"
            elif e.get("kind") == "check":
                e.update(observed="WSAECONNABORTED", verdict="disputed", known_difference=False, disputed=True)
                e.pop("why", None)
    windows = os.path.join(tmp, "abortive-linger0-client-windows.jsonl")
    with open(windows, "w", encoding="utf-8") as f:
        f.write("".join(json.dumps(e, separators=(",", ":")) + "\n" for e in lines))
    run = compare(cli, os.path.join(rec, "abortive-linger0-client.jsonl"), windows)
    tap.eq(run.rc, 1, "--compare of Wine's recording with a Windows one: exit 1")
    tap.ok("recorded on Windows 10.0.19045" in run.out, "its header says where each was recorded", run.out[:400])
    tap.ok("server (4)   only in A: FD_CLOSE, error 0" in run.out and
           "server (4)   only in B: FD_CLOSE, error WSAECONNABORTED (10053)" in run.out,
           "the difference is shown at its step: Wine's graceful FD_CLOSE against Windows' error", run.out)
    tap.ok(run.out.count("only in") == 4, "and only there: the message and its check, in each (4 lines)", run.out)


def broken(tap, cli, rec, tmp):
    """(label, file name, contents or None for a directory, line, words the message must hold)."""
    good = open(os.path.join(rec, "graceful-client-client.jsonl"), encoding="utf-8").read()
    first, rest = good.split("\n", 1)
    head = json.loads(first)
    cases = [
        ("an empty file", "empty.jsonl", "", 1, ["empty"]),
        ("not JSON", "text.jsonl", "this is a transcript in text\n", 1, []),
        ("a line cut short", "cut.jsonl", first + "\n" + rest[:rest.index("\n") // 2] + "\n", 2, []),
        ("a later jsonl version", "v2.jsonl", json.dumps(dict(head, jsonl_version=2)) + "\n" + rest, 1, ["version"]),
        ("an unknown event kind", "kind.jsonl", first + "\n" + '{"t_us":1,"side":"client","kind":"teleport"}\n' + rest,
         2, ["teleport"]),
        ("no summary at the end", "nosummary.jsonl", good[:good.rstrip("\n").rindex("\n") + 1], None, ["summary"]),
        ("binary garbage", "garbage.jsonl", "".join(chr(c) for c in range(1, 255)) * 4, 1, []),
        ("a folder", "folder.jsonl", None, None, []),
        ("a file that does not exist", "missing.jsonl", False, None, []),
    ]
    for label, name, text, line, words in cases:
        path = os.path.join(tmp, name)
        if text is None:
            os.mkdir(path)
        elif text is not False:
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
        run = compare(cli, path, os.path.join(rec, "graceful-client-client.jsonl"))
        err = run.err.strip().splitlines()[-1] if run.err.strip() else ""
        tap.eq(run.rc, 2, f"--compare with {label}: exit 2")
        where = f"{name}:{line}:" if line else name
        tap.ok(where in err and all(w in err for w in words) and not any(s in run.err for s in CRASH_SIGNS),
               f"--compare with {label}: stderr names {where} and says what is wrong", run.err[-400:])


def main():
    cli = sys.argv[1]
    tap = Tap()
    tmp = tempfile.mkdtemp(prefix="sl-recordings-")
    try:
        rec = os.path.join(tmp, "recorded")
        if record(tap, cli, rec):
            same_platform(tap, cli, rec, tmp)
            differences(tap, cli, rec, tmp)
            broken(tap, cli, rec, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
