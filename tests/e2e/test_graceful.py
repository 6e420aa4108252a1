#!/usr/bin/env python3
"""test_graceful.py: Microsoft's documented table (graceful-client) and its mirror
(graceful-server), end to end on real loopback sockets under Wine, in both roles: each
end's own order, the table's causal order, every byte delivered and checked, nothing left
open; the three formats; --payload.
usage: test_graceful.py PATH/TO/shutdownlab-cli.exe"""
import sys

from transcript import Tap, check_common, check_order, check_own_order, run_cli

TABLE_ORDER = [("1", "2"), ("2", "3"), ("3", "4"), ("4", "5"), ("5", "6"), ("4", "4'"), ("5'", "5"), ("3", "5'")]


def graceful(tap, cli, scenario, role, initiator, payload=None):
    other = "server" if initiator == "client" else "client"
    args = ["--run", scenario, "--role", role, "--format", "jsonl"]
    if payload is not None:
        args += ["--payload", str(payload)]
    run = run_cli(cli, args)
    label = f"{scenario} as {role}" + (f", payload {payload}" if payload is not None else "")
    tap.eq(run.rc, 0, f"{label}: exit 0")
    if run.rc != 0:
        tap.diag(run.err[-1500:])
        tap.diag("\n".join(str(c) for c in run.checks_failed()[:5]))
    check_common(tap, run, label)
    sent = 65536 if payload is None else payload
    has_data = sent > 0
    # each end's own order: the initiator (1) (5') (5) (6); the other (2) (3) (4) (4')
    check_own_order(tap, run, label, initiator, ["1"] + (["5'"] if has_data else []) + ["5", "6"])
    check_own_order(tap, run, label, other, ["2"] + (["3"] if has_data else []) + ["4", "4'"])
    rules = [r for r in TABLE_ORDER if has_data or ("3" not in r and "5'" not in r)]
    check_order(tap, run, label, rules)
    # cause precedes effect across the two threads: the FIN's call before its FD_CLOSE
    shut = [e for e in run.kind("call", initiator) if e["name"] == "shutdown(SD_SEND)"]
    close = [e for e in run.kind("message", other) if e["name"] == "FD_CLOSE"]
    tap.ok(shut and close and shut[0]["t_us"] < close[0]["t_us"],
           f"{label}: the {initiator}'s shutdown(SD_SEND) is stamped before the {other}'s FD_CLOSE")
    s = run.summary
    tap.eq(s.get(other, {}).get("bytes_sent"), sent, f"{label}: the {other} sent the payload")
    tap.eq(s.get(initiator, {}).get("bytes_received"), sent, f"{label}: the {initiator} received every byte")
    tap.eq((s.get("client", {}).get("bytes_lost"), s.get("server", {}).get("bytes_lost")), (0, 0),
           f"{label}: 0 bytes lost on either side")
    tap.eq(s.get("mismatches"), 0, f"{label}: no mismatch")
    fd_close = [e for e in run.kind("message") if e["name"] == "FD_CLOSE" and not e.get("stale")]
    tap.ok(fd_close and all(e["error"] == 0 for e in fd_close), f"{label}: every FD_CLOSE is graceful (error 0)",
           [(e["side"], e["error_name"]) for e in fd_close])
    states = {(e["side"], e.get("step")): e["tcp_state"] for e in run.kind("state")}
    # FIN_WAIT_1 until the peer's delayed ACK of the FIN (~40 ms on loopback), then
    # FIN_WAIT_2: which one a sample sees is a race (measurements file, section 4)
    tap.ok(states.get((initiator, "2")) in ("FIN_WAIT_1", "FIN_WAIT_2"),
           f"{label}: after (2) the TCP table shows the {initiator} in FIN_WAIT_1 or FIN_WAIT_2",
           f"got {states.get((initiator, '2'))!r}")
    tap.eq(states.get((other, "2")), "CLOSE_WAIT", f"{label}: after (2) the {other} is in CLOSE_WAIT")
    return run


def formats(tap, cli):
    run = run_cli(cli, ["--run", "graceful-client", "--format", "text"])
    tap.eq(run.rc, 0, "text format: exit 0")
    for label in ["(1)", "(2)", "(3)", "(4)", "(4')", "(5')", "(5)", "(6)"]:
        tap.ok(f" {label} " in run.out, f"text format: step {label} is labelled")
    tap.ok("lost 0 bytes" in run.out, "text format: the summary says nothing was lost")
    run = run_cli(cli, ["--run", "graceful-client", "--format", "tap", "--role", "server"])
    tap.eq(run.rc, 0, "tap format: exit 0")
    lines = run.out.splitlines()
    points = [l for l in lines if l.startswith("ok ") or l.startswith("not ok ")]
    tap.ok(len(points) >= 10 and all(l.startswith("ok ") for l in points), "tap format: every check is an ok point",
           "\n".join(l for l in points if l.startswith("not ok"))[:800])
    tap.eq(lines[-1] if lines else "", f"1..{len(points)}", "tap format: the plan counts the points")


def usage(tap, cli):
    for args, what in [(["--run", "no-such-scenario"], "an unknown scenario"),
                       (["--run", "graceful-client", "--role", "both"], "a bad role"),
                       (["--run", "graceful-client", "--format", "xml"], "a bad format"),
                       (["--run", "graceful-client", "--payload", "-5"], "a negative payload"),
                       (["--run", "graceful-client", "--timeout-ms", "99999999999999999999"], "a huge timeout"),
                       (["--run-file", "Z:\\no\\such\\file.scn"], "a missing file"),
                       ([], "no action")]:
        run = run_cli(cli, args, timeout=30)
        tap.eq(run.rc, 2, f"usage: {what} exits 2")
        tap.ok(run.err.strip() != "", f"usage: {what} says why on stderr")
    run = run_cli(cli, ["--list"])
    names = [l.split()[0] for l in run.out.splitlines() if l.strip()]
    tap.ok(run.rc == 0 and "graceful-client" in names and "graceful-server" in names, "--list names the built-ins",
           run.out)
    run = run_cli(cli, ["--version"])
    tap.ok(run.rc == 0 and run.out.startswith("shutdownlab-cli "), "--version", run.out)
    run = run_cli(cli, ["--help"])
    tap.ok(run.rc == 0 and "--run-file" in run.out and "exit status" in run.out, "--help documents the interface")


def main():
    cli = sys.argv[1]
    tap = Tap()
    for role in ("client", "server"):
        graceful(tap, cli, "graceful-client", role, "client")
        graceful(tap, cli, "graceful-server", role, "server")
    graceful(tap, cli, "graceful-client", "client", "client", payload=1000000)
    graceful(tap, cli, "graceful-client", "server", "client", payload=0)
    formats(tap, cli)
    usage(tap, cli)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
