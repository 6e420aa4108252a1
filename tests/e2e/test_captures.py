#!/usr/bin/env python3
"""test_captures.py: the capture reader (src/core/capture.c) and the pcapng writer
(src/core/pcapng.c) held to the tools people open captures with. tcpdump captures a small
TCP exchange on 127.0.0.1 made here with Python sockets (data both ways, a FIN from each
end, and a second connection closed with a reset). Then, through capdump (tests/core/capdump.c):
- the reader gives the segments tshark gives for the same file, field by field;
- editcap to pcapng and to nanosecond pcap, and mergecap, give files the reader reads as the
  same segments (times equal to the microsecond, the original's resolution);
- capdump --pcapng writes them again: tshark reads that file without complaint, with the
  same segments, times to the nanosecond, and each packet's comment "segment N" (Debian 12's
  tshark 4.0 shows it as the field frame.comment; pkt_comment is the protocol's name).
Runs natively, no Wine. Where tcpdump cannot capture (not root, no permission) or tshark,
editcap or mergecap is missing, the whole test says so and is skipped, never passed.
usage: test_captures.py PATH/TO/capdump"""
import os
import re
import select
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time

from transcript import Tap

FLAGS = {"FIN": 0x01, "SYN": 0x02, "RST": 0x04, "PSH": 0x08, "ACK": 0x10, "URG": 0x20}
LINE = re.compile(r"^(-?\d+) (\S+) > (\S+) \[([A-Z, ]*)\] seq=(\d+) ack=(\d+) len=(\d+) win=(\d+) "
                  r"caplen=(\d+) origlen=(\d+) linktype=(\d+)$")
TOOLS = ["tcpdump", "tshark", "editcap", "mergecap"]


class Capture:
    """tcpdump on loopback, writing a pcap file, for the connections on some ports."""

    def __init__(self, path, ports):
        self.path = path
        self.ports = ports
        self.proc = None
        self.err = b""

    def start(self, timeout=10):
        """None once tcpdump says it listens; otherwise why it does not."""
        expr = "tcp and (" + " or ".join(f"port {p}" for p in self.ports) + ")"
        self.proc = subprocess.Popen(["tcpdump", "-i", "lo", "-U", "--immediate-mode", "-n", "-w", self.path, expr],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        end = time.monotonic() + timeout
        fd = self.proc.stderr.fileno()
        while time.monotonic() < end and b"listening on" not in self.err:
            ready, _, _ = select.select([fd], [], [], max(0.0, end - time.monotonic()))
            if not ready:
                break
            chunk = os.read(fd, 4096)
            if not chunk:  # tcpdump ended
                break
            self.err += chunk
        if b"listening on" in self.err:
            return None
        self.stop()
        return self.err.decode(errors="replace").strip() or "tcpdump did not start listening"

    def stop(self):
        """SIGINT (tcpdump flushes its file and exits), waited for."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc and self.proc.stderr:
            self.err += self.proc.stderr.read() or b""
            self.proc.stderr.close()


def exchange(listener):
    """A client and a server on the listener: 50 bytes up, 1 back, the client shuts down
    sending, the server closes, the client closes; then a second connection the client
    ends with a reset (SO_LINGER 0)."""
    c = socket.create_connection(listener.getsockname(), timeout=10)
    s, _ = listener.accept()
    s.settimeout(10)
    c.sendall(b"hello" * 10)
    got = b""
    while len(got) < 50:
        piece = s.recv(100)
        if not piece:
            break
        got += piece
    s.sendall(b"x")
    c.recv(10)
    c.shutdown(socket.SHUT_WR)
    s.recv(10)  # the client's FIN: 0 bytes
    s.close()
    c.recv(10)  # the server's FIN
    c.close()
    c = socket.create_connection(listener.getsockname(), timeout=10)
    s, _ = listener.accept()
    c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    c.close()  # a reset
    s.settimeout(10)
    try:
        s.recv(10)
    except ConnectionResetError:
        pass
    s.close()


def refused(port):
    """A connection refused on loopback: a SYN, then an RST, the capture's last segments."""
    probe = socket.socket()
    try:
        probe.connect(("127.0.0.1", port))
    except OSError:
        pass
    finally:
        probe.close()


def capdump(tool, path, *extra):
    """(exit code, segments, stderr) of capdump on a file; a segment is the tuple (t_ns, src,
    dst, flags, seq, ack, len, win, caplen, origlen, linktype)."""
    p = subprocess.run([tool, path, *extra], capture_output=True, text=True, timeout=60)
    segs = []
    for line in p.stdout.splitlines():
        m = LINE.match(line)
        if not m:
            return 1, segs, f"a line capdump should not print: {line!r}\n{p.stderr}"
        flags = sum(FLAGS[f] for f in m.group(4).split(", ") if f)
        segs.append((int(m.group(1)), m.group(2), m.group(3), flags) + tuple(int(m.group(i)) for i in range(5, 12)))
    return p.returncode, segs, p.stderr


def tshark(path, *fields):
    """(exit code, rows of the fields, stderr less tshark's warning about running as root)."""
    args = ["tshark", "-n", "-r", path, "-T", "fields", "-E", "separator=/t"]
    for f in fields:
        args += ["-e", f]
    p = subprocess.run(args, capture_output=True, text=True, timeout=60)
    err = "\n".join(l for l in p.stderr.splitlines() if "Running as user" not in l)
    return p.returncode, [line.split("\t") for line in p.stdout.splitlines()], err


def ns(epoch):
    """'1700000000.123456000' as integer nanoseconds."""
    sec, _, frac = epoch.partition(".")
    return int(sec) * 10 ** 9 + int((frac + "000000000")[:9])


def wire_fields(seg):
    """What every reader of a capture must agree on: endpoints, flags, seq, ack, len, win."""
    return seg[1:8]


def main():
    tool = sys.argv[1]
    tap = Tap()
    missing = [t for t in TOOLS if shutil.which(t) is None]
    if missing:
        print(f"1..0 # SKIP {', '.join(missing)} not installed (Debian: apt-get install tcpdump tshark)")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen(4)
        marker_sock = socket.socket()
        marker_sock.bind(("127.0.0.1", 0))  # a port nobody listens on once it is closed
        marker = marker_sock.getsockname()[1]
        marker_sock.close()
        port = listener.getsockname()[1]
        pcap = os.path.join(tmp, "x.pcap")
        cap = Capture(pcap, [port, marker])
        why = cap.start()
        if why:
            listener.close()
            print(f"1..0 # SKIP tcpdump cannot capture on loopback here: {' '.join(why.split())}")
            return 0
        try:
            exchange(listener)
            refused(marker)
            # tcpdump writes in order: once the refused connection's RST is in the file,
            # so is everything before it (a bounded poll, paced by tcpdump's own exit)
            end, segs = time.monotonic() + 15, []
            while time.monotonic() < end:
                _, segs, _ = capdump(tool, pcap)
                if any(s[1].endswith(f":{marker}") and s[3] & FLAGS["RST"] for s in segs) or cap.proc.poll() is not None:
                    break
                try:
                    cap.proc.wait(timeout=0.05)
                except subprocess.TimeoutExpired:
                    pass
        finally:
            cap.stop()
            listener.close()
        if not tap.ok(cap.proc.returncode == 0, "tcpdump captured and exited on SIGINT",
                      cap.err.decode(errors="replace")):
            return tap.done()

        # the reader on tcpdump's own file, against tshark's reading of it
        rc, segs, err = capdump(tool, pcap)
        tap.ok(rc == 0 and segs, f"capdump reads tcpdump's pcap: {len(segs)} segments", err)
        ours = [s for s in segs if s[1].endswith(f":{port}") or s[2].endswith(f":{port}")]
        up = sum(s[6] for s in ours if s[2].endswith(f":{port}"))
        down = sum(s[6] for s in ours if s[1].endswith(f":{port}"))
        kinds = {(s[1].endswith(f":{port}"), f) for s in ours for f in ("SYN", "FIN", "RST") if s[3] & FLAGS[f]}
        tap.ok(up == 50 and down == 1, f"the exchange's payload: 50 bytes up, 1 down (read {up} and {down})")
        want = {(False, "SYN"), (True, "SYN"), (False, "FIN"), (True, "FIN"), (False, "RST")}
        tap.ok(want <= kinds, "SYNs and FINs from both ends and the client's RST are read",
               f"read (from the server, flag): {sorted(kinds)}")
        tap.ok(all(s[10] == 1 and s[8] == s[9] for s in segs), "every frame: Ethernet (lo), captured whole "
               "(caplen = origlen)", "\n".join(map(str, segs[:5])))
        rc, rows, err = tshark(pcap, "frame.time_epoch", "ip.src", "tcp.srcport", "ip.dst", "tcp.dstport",
                               "tcp.flags", "tcp.seq_raw", "tcp.ack_raw", "tcp.len", "tcp.window_size_value",
                               "frame.cap_len", "frame.len")
        theirs = [(ns(r[0]), f"{r[1]}:{r[2]}", f"{r[3]}:{r[4]}", int(r[5], 16) & 0x3f) +
                  tuple(int(x) for x in r[6:12]) for r in rows if len(r) == 12]
        tap.eq([s[:10] for s in segs], theirs, "capdump's segments are tshark's, field by field (time in ns, "
               "endpoints, flags, seq, ack, len, win, caplen, origlen)", err)

        # the same capture as other tools write it
        conversions = [("editcap -F pcapng", ["editcap", "-F", "pcapng", pcap], "x.editcap.pcapng"),
                       ("editcap -F nsecpcap", ["editcap", "-F", "nsecpcap", pcap], "x.nsec.pcap"),
                       ("mergecap -w", ["mergecap", "-w"], "x.merged.pcapng")]
        for what, cmd, name in conversions:
            out = os.path.join(tmp, name)
            cmd = cmd + [out, pcap] if cmd[0] == "mergecap" else cmd + [out]
            p = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
            if not tap.ok(p.returncode == 0, f"{what} converts the capture", p.stderr):
                continue
            rc, other, err = capdump(tool, out)
            tap.ok(rc == 0 and [wire_fields(s) for s in other] == [wire_fields(s) for s in segs],
                   f"{what}: the same {len(segs)} segments (endpoints, flags, seq, ack, len, win)",
                   err or f"first differences: {[(a, b) for a, b in zip(other, segs) if wire_fields(a) != wire_fields(b)][:3]}"
                   f" ({len(other)} read)")
            tap.eq([s[0] // 1000 for s in other], [s[0] // 1000 for s in segs], f"{what}: the same times to the "
                   "microsecond")

        # the writer, read by tshark
        out = os.path.join(tmp, "x.capdump.pcapng")
        rc, again, err = capdump(tool, pcap, "--pcapng", out)
        tap.ok(rc == 0 and again == segs, "capdump --pcapng writes every segment", err)
        rc, rows, err = tshark(out, "frame.comment")
        comments = [r[0] for r in rows]
        tap.ok(rc == 0 and not err, "tshark reads the written pcapng without a complaint", f"exit {rc}: {err}")
        tap.eq(comments, [f"segment {i + 1}" for i in range(len(segs))], "tshark shows each packet's comment "
               "'segment N' (frame.comment)")
        rc, rows, err = tshark(out, "frame.time_epoch", "ip.src", "tcp.srcport", "ip.dst", "tcp.dstport",
                               "tcp.flags", "tcp.seq_raw", "tcp.ack_raw", "tcp.len", "tcp.window_size_value",
                               "frame.cap_len", "frame.len")
        written = [(ns(r[0]), f"{r[1]}:{r[2]}", f"{r[3]}:{r[4]}", int(r[5], 16) & 0x3f) +
                   tuple(int(x) for x in r[6:12]) for r in rows if len(r) == 12]
        tap.eq(written, theirs, "tshark reads the written file as it read tcpdump's: every field, times to the ns",
               err)
        rc, back, err = capdump(tool, out)
        tap.ok(rc == 0 and back == segs, "capdump reads the written file as it read tcpdump's (link type, "
               "lengths, times to the ns)", err or f"{len(back)} segments; first: {back[:1]} against {segs[:1]}")
        p = subprocess.run(["capinfos", "-M", out], capture_output=True, text=True, timeout=60) \
            if shutil.which("capinfos") else None
        if p is not None:
            tap.ok(p.returncode == 0 and re.search(r"Capture application:\s+ShutdownLab capdump", p.stdout) and
                   re.search(r"nanoseconds", p.stdout), "capinfos: written by 'ShutdownLab capdump', nanosecond "
                   "timestamps", p.stdout + p.stderr)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
