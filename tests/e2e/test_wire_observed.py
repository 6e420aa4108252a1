#!/usr/bin/env python3
"""test_wire_observed.py: --wire FILE, the wire observed. For every built-in scenario in
both roles, tcpdump writes a capture of loopback (tcpdump -U -w) while the headless runner
plays the scenario with --wire reading that file as it grows (as role client, tcpdump as
people run it, which hands packets over in blocks up to a second late; as role server,
with --immediate-mode); then in the run's jsonl:
- the capture's segments of the run's connection are there as observed wire events (the
  handshake: a SYN from the client, a SYN-ACK from the server), with flags, relative seq
  and ack, len and win;
- every FIN and RST the run inferred from a call is paired with a captured segment that
  carries it ("on the wire"), none is "not on the wire", and no captured FIN or RST is
  left without an inference;
- in causal order, with a tolerance the run states (the two clocks): the segment after the
  call that sent it, and an end's first FD_CLOSE after the other end's FIN or RST;
- every byte an end received was captured from the other end; a send's bytes that never
  went on the wire are said so, only where that end's RST threw them away.
Then the capture's errors: a file that never appears, and one that is not a capture, exit 2
with the file and byte offset; a capture that holds nothing of the run says every inferred
FIN and RST is not in it. Where capture is impossible (no tcpdump, no permission) the test
says so and is skipped, never passed.
usage: test_wire_observed.py PATH/TO/shutdownlab-cli.exe [NAME...]"""
import os
import subprocess
import sys
import tempfile

from test_wire import ALL, Capture
from transcript import Tap, run_cli


def wine_path(path):
    """A Linux path as Wine's Z: drive names it."""
    return "Z:" + os.path.abspath(path).replace("/", "\\")


def first(events, **want):
    for e in events:
        if all(e.get(k) == v for k, v in want.items()):
            return e
    return None


def check_run(tap, what, run):
    ev = run.events
    segs = [e for e in ev if e.get("kind") == "wire" and e.get("name") == "segment"]
    tap.ok(run.rc == 0, f"{what}: the run passes with a capture beside it", run.err[-400:])
    syn = first(segs, side="client", flags="SYN")
    synack = first(segs, side="server", flags="SYN, ACK")
    tap.ok(syn and synack and all(e.get("observed") is True for e in segs) and
           all(k in synack for k in ("seq", "ack", "len", "win")) and synack["ack"] == 1 and synack["relative"],
           f"{what}: the handshake is observed (SYN from the client, SYN-ACK from the server, ack 1 relative)",
           f"{len(segs)} segments: {segs[:3]}")
    later = [e for e in segs if "SYN" not in e["flags"]]
    # one shift per end, whatever the host's buffers make it (2^7 to 2^14 on Linux; 2^0 is allowed)
    shifts = {(e["side"], e["window"] // e["win"]) for e in later if e["win"]}
    tap.ok(later and all(e["scaled"] for e in later) and not synack["scaled"] and
           len({side for side, _ in shifts}) == len(shifts) and all(k >= 1 and k & (k - 1) == 0 for _, k in shifts),
           f"{what}: windows after the handshake are scaled by each end's SYN's window scale {sorted(shifts)}",
           [(e["flags"], e["win"], e["window"], e["scaled"]) for e in later[:3]])
    guesses = [e for e in ev if e.get("kind") == "wire" and e.get("inferred") and e.get("name") in ("FIN", "RST")]
    seen = [e for e in ev if e.get("kind") == "note" and e.get("name") == "on the wire" and e.get("wire") in ("FIN", "RST")]
    unseen = [e for e in ev if e.get("kind") == "note" and e.get("name") == "not on the wire" and e.get("wire") != "data"]
    uninferred = [e for e in ev if e.get("kind") == "note" and e.get("name") == "not inferred" and
                  ("FIN" in e.get("flags", "") or "RST" in e.get("flags", ""))]
    tap.ok(guesses and len(seen) == len(guesses) and not unseen and
           sorted((e["side"], e["name"]) for e in guesses) == sorted((e["side"], e["wire"]) for e in seen),
           f"{what}: each inferred FIN and RST is paired with a captured one ({len(guesses)} inferred)",
           f"inferred {[(e['side'], e['name']) for e in guesses]}, paired {[(e['side'], e['wire']) for e in seen]}, "
           f"not seen {[e.get('text') for e in unseen]}")
    tap.ok(not uninferred, f"{what}: every captured FIN and RST was inferred",
           [e.get("text") for e in uninferred])
    tol = 2000 + next((e.get("wall_within_us", 0) for e in ev if e.get("kind") == "run"), 0)
    late = [e["text"] for e in seen if e["observed_t_us"] < e["inferred_t_us"] - tol]
    tap.ok(not late, f"{what}: each FIN and RST is on the wire after the call that sent it (within {tol} us)", late)
    for side in ("client", "server"):
        close = first(ev, kind="message", side=side, name="FD_CLOSE")
        if close and not close.get("stale"):
            other = "server" if side == "client" else "client"
            cause = [e for e in segs if e["side"] == other and ("FIN" in e["flags"] or "RST" in e["flags"])]
            tap.ok(cause and cause[0]["t_us"] <= close["t_us"] + tol,
                   f"{what}: the {side}'s FD_CLOSE ({close['t_us']} us) comes after the {other}'s FIN or RST",
                   f"the {other}'s FIN or RST: {[(e['t_us'], e['flags']) for e in cause[:2]]}")
    summary = ev[-1] if ev and ev[-1].get("kind") == "summary" else {}
    for side in ("client", "server"):
        other = "server" if side == "client" else "client"
        got = summary.get(side, {}).get("bytes_received", 0)
        sent = max([e["seq"] + e["len"] - 1 for e in segs if e["side"] == other and e["len"] > 0] or [0])
        tap.ok(sent >= got, f"{what}: the {got} bytes the {side} received were all captured from the {other}",
               f"the capture's last byte from the {other}: {sent}")
    lost = [e for e in ev if e.get("kind") == "note" and e.get("name") == "not on the wire" and e.get("wire") == "data"]
    rst_sides = {e["side"] for e in segs if "RST" in e["flags"]}
    tap.ok(all(e["side"] in rst_sides and "threw them away" in e.get("text", "") for e in lost),
           f"{what}: bytes said never sent are only those an RST threw away ({len(lost)} notes)",
           [e.get("text") for e in lost])


def errors(tap, cli, tmp):
    missing = os.path.join(tmp, "never-written.pcap")
    run = run_cli(cli, ["--run", "graceful-client", "--wire", wine_path(missing)], timeout=60)
    tap.ok(run.rc == 2 and "never-written.pcap" in run.err and "no capture was written there" in run.err,
           "a capture that never appears: exit 2, naming the file", f"exit {run.rc}: {run.err[-300:]}")
    bad = os.path.join(tmp, "not-a-capture.pcap")
    with open(bad, "wb") as f:
        f.write(b"GIF89a" + bytes(100))
    run = run_cli(cli, ["--run", "graceful-client", "--wire", wine_path(bad)], timeout=60)
    tap.ok(run.rc == 2 and "not-a-capture.pcap: byte 0:" in run.err,
           "a file that is not a capture: exit 2 with the file and byte offset", f"exit {run.rc}: {run.err[-300:]}")
    empty = os.path.join(tmp, "empty.pcap")
    with open(empty, "wb") as f:  # a pcap header alone: a capture of nothing
        f.write(bytes.fromhex("d4c3b2a1020004000000000000000000ffff000001000000"))
    run = run_cli(cli, ["--run", "graceful-client", "--wire", wine_path(empty), "--format", "jsonl"], timeout=60)
    unseen = [e for e in run.events if e.get("kind") == "note" and e.get("name") == "not on the wire"]
    tap.ok(run.rc == 0 and {(e["side"], e["wire"]) for e in unseen} >= {("client", "FIN"), ("server", "FIN")},
           "a capture with nothing of the run: each inferred FIN is said not to be in it, the run still passes",
           f"exit {run.rc}: {[e.get('text') for e in unseen]}")


def pairs(run):
    """(side, wire, observed_t_us, seq, flags) of each pairing of an inferred FIN or RST."""
    return sorted((e["side"], e["wire"], e.get("observed_t_us"), e.get("seq"), e.get("flags")) for e in run.events
                  if e.get("kind") == "note" and e.get("name") in ("on the wire", "not on the wire")
                  and e.get("wire") in ("FIN", "RST"))


def segments(run):
    return [(e["side"], e["t_us"], e["flags"], e["seq"], e["ack"], e["len"]) for e in run.events
            if e.get("kind") == "wire" and e.get("name") == "segment"]


def after_the_fact(tap, cli, tmp):
    """A recording made beside a capture, joined afterwards (--replay --wire): the same
    segments and pairings as the live run, read from tcpdump's pcap and from the pcapng
    editcap makes of it; exported as pcapng, tshark shows each segment's cause."""
    cap = Capture(os.path.join(tmp, "after.pcap"), immediate=True)
    err = cap.start()
    if not tap.ok(err is None, "after the fact: tcpdump captures loopback", err):
        return
    rec = os.path.join(tmp, "after.jsonl")
    live = run_cli(cli, ["--run", "abortive-linger0", "--format", "jsonl", "--wire", wine_path(cap.path)], timeout=120)
    cap.stop()
    with open(rec, "w") as f:
        f.write(live.out)
    tap.ok(live.rc == 0 and segments(live), "after the fact: the live run, recorded, with its capture",
           live.err[-300:])
    # the recording without its live segments: as a run recorded without --wire
    plain = os.path.join(tmp, "plain.jsonl")
    with open(plain, "w") as f:
        for line in live.out.splitlines(keepends=True):
            if not any(k in line for k in ('"name":"segment"', '"name":"on the wire"', '"name":"not on the wire"',
                                           '"name":"not inferred"', '"name":"capture"')):
                f.write(line)
    sources = [("tcpdump's pcap", cap.path)]
    if subprocess.run(["sh", "-c", "command -v editcap"], capture_output=True).returncode == 0:
        ng = os.path.join(tmp, "after.pcapng")
        subprocess.run(["editcap", "-F", "pcapng", cap.path, ng], check=True)
        sources.append(("editcap's pcapng", ng))
    else:
        tap.diag("editcap is missing (Debian: wireshark-common): only tcpdump's pcap is joined")
    for what, path in sources:
        run = run_cli(cli, ["--replay", wine_path(plain), "--wire", wine_path(path), "--format", "jsonl"], timeout=60)
        tap.ok(run.rc == 0 and segments(run) == segments(live) and pairs(run) == pairs(live),
               f"after the fact, {what}: the same segments and pairings as the live run ({len(segments(live))} "
               f"segments, {pairs(live)})", f"exit {run.rc} {run.err[-300:]}\nreplayed {pairs(run)}")
    again = run_cli(cli, ["--replay", wine_path(rec), "--wire", wine_path(cap.path)], timeout=60)
    tap.ok(again.rc == 2 and "holds a capture's segments already" in again.err,
           "a recording made with --wire is not joined twice: exit 2", f"exit {again.rc}: {again.err[-300:]}")
    out = os.path.join(tmp, "causes.pcapng")
    run = run_cli(cli, ["--replay", wine_path(plain), "--wire", wine_path(cap.path), "--export-pcapng",
                        wine_path(out)], timeout=60)
    if not tap.ok(run.rc == 0 and os.path.exists(out), "--export-pcapng writes the run's segments",
                  f"exit {run.rc}: {run.err[-300:]}"):
        return
    if subprocess.run(["sh", "-c", "command -v tshark"], capture_output=True).returncode != 0:
        tap.ok(True, "tshark is missing (Debian: tshark): the export's comments are not read back # SKIP")
        return
    shown = subprocess.run(["tshark", "-r", out, "-T", "fields", "-e", "tcp.flags.str", "-e", "frame.comment"],
                           capture_output=True, text=True, timeout=60)
    lines = [ln.split("\t") for ln in shown.stdout.splitlines()]
    rst = [c for flags, c in lines if "R" in flags]
    tap.ok(shown.returncode == 0 and len(lines) == len(segments(live)) and
           rst == ["(3) closesocket, client: RST"] and any(c.startswith("connect: the handshake") for _, c in lines),
           "tshark reads the export: every segment of the run, the RST's comment names its call and step",
           f"exit {shown.returncode} {shown.stderr[-300:]}\n{lines[:12]}")


def main():
    cli = sys.argv[1]
    names = sys.argv[2:] or ALL
    tap = Tap()
    with tempfile.TemporaryDirectory() as tmp:
        why = "tcpdump is not installed (Debian: apt-get install tcpdump)"
        if subprocess.run(["sh", "-c", "command -v tcpdump"], capture_output=True).returncode == 0:
            probe = Capture(os.path.join(tmp, "probe.pcap"))
            why = probe.start(timeout=10)
            probe.stop()
        if why:
            print(f"1..0 # SKIP capture on loopback is impossible here: {why}")
            return 0
        for name in names:
            for role in ("client", "server"):
                what = f"{name} as {role}"
                # as people run it (libpcap hands packets over in blocks, up to 1 s late), and
                # with --immediate-mode (each packet at once)
                cap = Capture(os.path.join(tmp, f"{name}-{role}.pcap"), immediate=role == "server")
                err = cap.start()
                if not tap.ok(err is None, f"{what}: tcpdump captures loopback", err):
                    continue
                run = run_cli(cli, ["--run", name, "--role", role, "--format", "jsonl", "--wire",
                                    wine_path(cap.path)], timeout=120)
                cap.stop()
                check_run(tap, what, run)
        errors(tap, cli, tmp)
        after_the_fact(tap, cli, tmp)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
