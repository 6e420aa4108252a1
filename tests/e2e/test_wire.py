#!/usr/bin/env python3
"""test_wire.py: the wire as an oracle. Under Wine the sockets are the host's own TCP
sockets, so a capture on the host's loopback shows which segments really left. For every
built-in scenario in both roles, tcpdump captures loopback while the headless runner plays
it (jsonl); then, per direction (client to server, server to client):
- every FIN and RST the transcript inferred (its "wire" events, labelled inferred) was on
  the wire in that direction;
- every FIN and RST on the wire was inferred.
What the capture shows is Linux's TCP under Wine, not Windows: it checks the inference and
gives Wine's known differences their evidence (an RST that Wine reports as a graceful
FD_CLOSE was really sent). Where capture is impossible (no tcpdump, no permission) the
whole test says so and is skipped, never passed.
usage: test_wire.py [--report] PATH/TO/shutdownlab-cli.exe [NAME...]
(--report prints what was captured as the table in docs/wire.md, instead of TAP)"""
import os
import re
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time

from transcript import Tap, run_cli

ALL = ["abortive-linger0", "close-unread-data", "closesocket-implicit", "graceful-client", "graceful-server",
       "half-close-bulk", "linger-nonblocking", "shutdown-receive", "simultaneous-close", "wsasenddisconnect"]
FIN, RST = 0x01, 0x04


class Capture:
    """tcpdump on loopback, writing a pcap file, started and stopped around one run."""

    def __init__(self, path, immediate=False):
        self.path = path
        self.immediate = immediate  # each packet to the file at once, not in libpcap's blocks
        self.proc = None
        self.err = ""

    def start(self, timeout=10):
        self.proc = subprocess.Popen(["tcpdump", "-i", "lo", "-U", "-n", "-s", "128"] +
                                     (["--immediate-mode"] if self.immediate else []) + ["-w", self.path, "tcp"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        end = time.monotonic() + timeout
        line = ""
        while time.monotonic() < end:  # tcpdump says "listening on lo" once it captures
            line = self.proc.stderr.readline()
            if "listening on" in line:
                return None
            if not line and self.proc.poll() is not None:
                break
        self.stop()
        return (line + self.err).strip() or "tcpdump did not start listening"

    def drain(self, timeout=15):
        """Sends a marker after everything else (a connection refused on loopback: SYN,
        RST) and waits until it is in the file: tcpdump writes in order, so every earlier
        segment is in it too. False when the marker never arrives."""
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        port = listener.getsockname()[1]
        listener.close()  # nothing listens there now: the connection is refused
        probe = socket.socket()
        try:
            probe.connect(("127.0.0.1", port))
        except OSError:
            pass
        finally:
            probe.close()
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if any(port in (sport, dport) for _, sport, dport, _ in packets(self.path)):
                return True
            if self.proc.poll() is not None:
                return False
            self.proc_wait_briefly()
        return False

    def proc_wait_briefly(self):
        """Waits for tcpdump to exit, at most 50 ms: the poll's pace, woken early if it dies."""
        try:
            self.proc.wait(timeout=0.05)
        except subprocess.TimeoutExpired:
            pass

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)  # flushes the file and exits
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc and self.proc.stderr:
            self.err = self.proc.stderr.read() or ""


def packets(path):
    """(time, src_port, dst_port, tcp_flags) of each IPv4 TCP segment of a pcap file."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24:
        return []
    magic = struct.unpack("<I", data[:4])[0]
    endian = "<" if magic in (0xa1b2c3d4, 0xa1b23c4d) else ">"
    nano = magic in (0xa1b23c4d, 0x4d3cb2a1)
    link = struct.unpack(endian + "I", data[20:24])[0]
    # the link layer's header before IP: Ethernet (lo on Linux), Linux cooked v1 and v2,
    # BSD loopback, raw IP
    skip = {1: 14, 113: 16, 276: 20, 0: 4, 12: 0, 101: 0}.get(link)
    if skip is None:
        raise ValueError(f"pcap link type {link} is not one this test reads")
    out, off = [], 24
    while off + 16 <= len(data):
        sec, frac, incl = struct.unpack(endian + "III", data[off:off + 12])
        pkt = data[off + 16:off + 16 + incl]
        off += 16 + incl
        ip = pkt[skip:]
        if len(ip) < 20 or ip[0] >> 4 != 4 or ip[9] != 6:
            continue
        tcp = ip[(ip[0] & 15) * 4:]
        if len(tcp) >= 14:
            out.append((sec + frac / (1e9 if nano else 1e6), struct.unpack(">H", tcp[0:2])[0],
                        struct.unpack(">H", tcp[2:4])[0], tcp[13]))
    return out


def server_port(run):
    for e in run.events:
        if e.get("kind") == "note" and e.get("name") == "listening":
            m = re.search(r":(\d+)$", e.get("text", ""))
            if m:
                return int(m.group(1))
    return None


def on_wire(segments, port, t0, t1):
    """{(sender, "FIN"|"RST")} of the connection to the server's port while the run ran, as
    captured."""
    seen = set()
    for t, sport, dport, flags in segments:
        if port not in (sport, dport) or not t0 <= t <= t1:
            continue
        sender = "server" if sport == port else "client"
        if flags & FIN:
            seen.add((sender, "FIN"))
        if flags & RST:
            seen.add((sender, "RST"))
    return seen


def inferred(run):
    return {(e["side"], e["name"]) for e in run.events if e.get("kind") == "wire" and e["name"] in ("FIN", "RST")
            and e.get("inferred") is True}


def report(runs, segments):
    """The captures as docs/wire.md's table (test_wire.py --report CLI)."""
    print("| scenario | role | FIN and RST on the wire (sender) | inferred by the transcript |")
    print("|---|---|---|---|")
    for what, run, t0, t1 in runs:
        name, role = what.split(" as ")
        wire = on_wire(segments, server_port(run) or 0, t0, t1)
        fmt = lambda s: ", ".join(f"{k} from the {side}" for side, k in sorted(s)) or "none"
        print(f"| {name} | {role} | {fmt(wire)} | {fmt(inferred(run))} |")


def main():
    args = sys.argv[1:]
    show = args[0] == "--report" if args else False
    if show:
        args = args[1:]
    cli = args[0]
    names = args[1:] or ALL
    tap = Tap()
    with tempfile.TemporaryDirectory() as tmp:
        probe = Capture(os.path.join(tmp, "probe.pcap"))
        why = "tcpdump is not installed (Debian: apt-get install tcpdump)"
        if subprocess.run(["sh", "-c", "command -v tcpdump"], capture_output=True).returncode == 0:
            why = probe.start(timeout=10)
            probe.stop()
        if why:
            print(f"1..0 # SKIP capture on loopback is impossible here: {why}")
            return 0
        # one capture for every run: each run is its server's port and its time
        cap = Capture(os.path.join(tmp, "runs.pcap"))
        err = cap.start()
        if not tap.ok(err is None, "tcpdump captures loopback", err):
            return tap.done()
        runs = []
        for name in names:
            for role in ("client", "server"):
                t0 = time.time()
                run = run_cli(cli, ["--run", name, "--role", role, "--format", "jsonl"], timeout=120)
                runs.append((f"{name} as {role}", run, t0, time.time()))
        if not tap.ok(cap.drain(), "the capture holds everything up to a marker sent after the last run",
                      cap.err):
            return tap.done()
        cap.stop()
        segments = packets(cap.path)
        if show:
            report(runs, segments)
            return 0
        for what, run, t0, t1 in runs:
            port = server_port(run)
            if not tap.ok(run.rc == 0 and port, f"{what}: the run passes and names its port", run.err[-400:]):
                continue
            wire, said = on_wire(segments, port, t0, t1), inferred(run)
            tap.ok(said <= wire, f"{what}: every FIN and RST inferred was on the wire ({sorted(said)})",
                   f"inferred but not captured: {sorted(said - wire)}")
            tap.ok(wire <= said, f"{what}: every FIN and RST on the wire was inferred ({sorted(wire)})",
                   f"captured but not inferred: {sorted(wire - said)}")
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
