"""test_external.py: ShutdownLab against programs nobody here wrote (issue 9, SPEC section
7): socat as the client, as the server and as an abortive peer; two ShutdownLab processes
playing every built-in scenario across --peer, with the same verdicts as the embedded peer;
a class of 1,000 concurrent clients; hostile peers beside well-behaved ones; and the
handshake's refusals. Every wait is for an event (the 'listening' line, a port in the
socket table, a process's exit) under a deadline, never a fixed sleep."""
import json
import os
import socket
import subprocess
import sys
import threading
import time

import peers
from transcript import Tap, run_cli

PAYLOAD = 65536


def listening_on(port, seconds=30):
    """Waits until something listens on the loopback port (the kernel's socket table)."""
    deadline = time.monotonic() + seconds
    want = f":{port:04X} "
    while time.monotonic() < deadline:
        with open("/proc/net/tcp") as f:
            if any(want in line and line.split()[3] == "0A" for line in f):
                return True
        time.sleep(0.02)  # polling the table: the event has no other signal
    return False


def checks(run, side=None):
    return [e for e in run.kind("check") if side is None or e.get("side") == side]


def socat_client(tap, cli):
    port = peers.free_port()
    bg = peers.Background(cli, ["--run", "graceful-client", "--listen", f"127.0.0.1:{port}", "--format", "jsonl"])
    tap.ok(bg.wait_listening(), "socat client: the server says where it listens", "".join(bg.err_lines))
    rc, out = peers.socat(["-", f"TCP:127.0.0.1:{port}"])  # stdin /dev/null: it half-closes at once
    run = bg.finish()
    tap.eq(rc, 0, "socat client: socat exits 0")
    tap.eq(len(out), PAYLOAD, "socat client: socat receives the whole response")
    tap.ok(out == peers.pattern(peers.SERVER_XOR, len(out)), "socat client: every byte is the one the server sent")
    tap.eq(run.rc, 0, "socat client: the run passes (exit 0)")
    hs = [e for e in run.kind("note") if e.get("name") == "handshake"]
    tap.ok(hs and "another program" in hs[0].get("text", ""), "socat client: the handshake note says another program",
           hs)
    other = checks(run, "client")
    tap.ok(other and all(e.get("verdict") in ("not_observable", "inferred") for e in other),
           "socat client: no check of the client's lines passed: each is not observable, or inferred",
           [(e["name"], e["verdict"]) for e in other])
    inferred = {e["name"]: e for e in other if e.get("verdict") == "inferred"}
    tap.ok("shutdown(SD_SEND)" in inferred and "a FIN arrived" in inferred["shutdown(SD_SEND)"].get("text", ""),
           "socat client: its half-close is inferred from the FIN this end saw, and says so",
           [(e["name"], e.get("text")) for e in other])
    tap.ok(all(e.get("inferred") is True and e.get("text") for e in inferred.values()),
           "socat client: each inferred check is marked inferred, with its reason")
    tap.ok(any(e.get("kind") == "step" and e.get("side") == "client" and e.get("inferred") is True and e.get("reason")
               for e in run.events),
           "socat client: its inferred steps are in the jsonl with \"inferred\":true and a reason")
    tap.ok(any(e.get("verdict") == "ok" for e in checks(run, "server")), "socat client: the server's own checks are judged")
    tap.eq(run.summary.get("peer"), "external", "socat client: the summary says the peer was external")


def socat_server(tap, cli, tmp):
    port = peers.free_port()
    resp = os.path.join(tmp, "response.bin")
    with open(resp, "wb") as f:
        f.write(peers.pattern(peers.SERVER_XOR, PAYLOAD))
    s = subprocess.Popen(["socat", "-u", f"OPEN:{resp}", f"TCP-LISTEN:{port},bind=127.0.0.1,reuseaddr"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    tap.ok(listening_on(port), "socat server: socat listens")
    run = run_cli(cli, ["--run", "graceful-client", "--connect", f"127.0.0.1:{port}", "--format", "jsonl"], timeout=120)
    try:
        s.wait(30)
    except subprocess.TimeoutExpired:
        s.kill()
    tap.eq(run.rc, 0, "socat server: the client's run passes (exit 0)")
    tap.eq(run.summary.get("client", {}).get("bytes_received"), PAYLOAD,
           "socat server: the client counted every byte socat sent")
    lost = [e for e in checks(run) if e["name"] == "bytes lost" and e["side"] == "server"]
    tap.ok(lost and lost[0]["verdict"] == "not_observable" and "not checked" in lost[0]["observed"],
           "socat server: another program's bytes are counted, and said not checked", lost)


def socat_abortive(tap, cli):
    port = peers.free_port()
    bg = peers.Background(cli, ["--run", "graceful-client", "--listen", f"127.0.0.1:{port}", "--format", "jsonl"])
    tap.ok(bg.wait_listening(), "abortive socat: the server listens")
    # no half-close (shut-none), SO_LINGER {1,0}: its close, 0.1 s after connecting, is an RST
    peers.socat(["-t", "0.1", "OPEN:/dev/null", f"TCP:127.0.0.1:{port},linger=0,shut-none"])
    run = bg.finish()
    tap.ok(run.rc == 1, "abortive socat: the run fails (exit 1), the peer's doing, not the environment's",
           f"exit {run.rc}: {run.err[-300:]}")
    seen = [e for e in checks(run, "server") if "WSAECONNRESET" in e.get("observed", "") or
            "WSAECONNABORTED" in e.get("observed", "")]
    tap.ok(seen, "abortive socat: a server check shows the reset",
           [(e["name"], e["observed"]) for e in checks(run, "server")])
    tap.ok(seen and "ended the connection" in seen[0].get("text", ""), "abortive socat: it says the other program did it",
           seen[:1])


def judged(run, side):
    """A side's checks the embedded run and a two-process run can both make."""
    return [(e.get("step"), e["name"], e["verdict"]) for e in checks(run, side)
            if e["name"] not in ("order", "bytes lost") and e["verdict"] != "not_observable"]


def pair(cli, scenario, role):
    """main plays role, facing a --peer process; returns (main Run, peer Run)."""
    port = peers.free_port()
    mode = "--listen" if role == "server" else "--connect"
    other = "--connect" if role == "server" else "--listen"
    first = [cli, ["--run", scenario, other if role == "client" else mode, f"127.0.0.1:{port}", "--format", "jsonl"]]
    if role == "client":
        first[1].insert(2, "--peer")
    second_args = ["--run", scenario, mode if role == "client" else other, f"127.0.0.1:{port}", "--format", "jsonl"]
    if role == "server":
        second_args.insert(2, "--peer")
    a = peers.Background(*first)
    ok = a.wait_listening()
    b = peers.Background(cli, second_args) if ok else None
    ra = a.finish()
    rb = b.finish() if b else None
    main, peer = (ra, rb) if role == "server" else (rb, ra)
    return main, peer


def two_processes(tap, cli):
    names = [l.split()[0] for l in run_cli(cli, ["--list"]).out.splitlines() if l.strip()]
    tap.ok(len(names) >= 10, "two processes: the built-in scenarios are listed", names)
    for name in names:
        for role in ("client", "server"):
            label = f"two processes: {name}, main plays the {role}"
            embedded = run_cli(cli, ["--run", name, "--role", role, "--format", "jsonl"])
            main, peer = pair(cli, name, role)
            if not tap.ok(main is not None and peer is not None, f"{label}: both processes ran"):
                continue
            other = "server" if role == "client" else "client"
            tap.eq((main.rc, peer.rc), (embedded.rc, embedded.rc), f"{label}: both exit as the embedded run does")
            tap.eq(main.summary.get("peer"), "shutdownlab", f"{label}: the main end knows its peer is ShutdownLab")
            tap.eq(judged(main, role), judged(embedded, role), f"{label}: the {role}'s checks as in the embedded run")
            tap.eq(judged(peer, other), judged(embedded, other), f"{label}: the {other}'s checks as in the embedded run")
            tap.eq([main.summary.get(role, {}).get("content_errors"), peer.summary.get(other, {}).get("content_errors")],
                   [0, 0], f"{label}: each end checked every byte it received against the pattern")


def refusals(tap, cli):
    port = peers.free_port()
    a = peers.Background(cli, ["--run", "graceful-client", "--listen", f"127.0.0.1:{port}", "--format", "jsonl"])
    tap.ok(a.wait_listening(), "handshake: the server listens")
    b = run_cli(cli, ["--run", "graceful-server", "--peer", "--connect", f"127.0.0.1:{port}"], timeout=60)
    ra = a.finish()
    tap.ok((ra.rc, b.rc) == (2, 2), "handshake: another scenario ends both with exit 2", (ra.rc, b.rc, ra.err, b.err))
    tap.ok("graceful-server" in b.err and "graceful-client" in b.err, "handshake: the error names both scenarios", b.err)
    tap.ok("handshake failed" in ra.err, "handshake: the server says so on stderr", ra.err)
    tap.ok(ra.events and not ra.kind("step") and not [e for e in ra.kind("call") if e["name"].startswith("send")],
           "handshake: no line of the scenario was played", ra.out[-500:])
    tap.eq(ra.summary.get("handshake_failed"), True, "handshake: the server's summary says the handshake failed")
    port = peers.free_port()
    r = run_cli(cli, ["--run", "graceful-client", "--listen", f"127.0.0.1:{port}", "--wait-ms", "300"], timeout=60)
    tap.eq(r.rc, 3, "no client: a listen that nobody answers ends (exit 3)")
    tap.ok("no client connected within 300 ms" in r.err + r.out, "no client: it says so", r.err[-300:])
    r = run_cli(cli, ["--run", "graceful-client", "--peer", "--connect", f"127.0.0.1:{peers.free_port()}"], timeout=60)
    tap.ok(r.rc == 3, "nobody there: a refused connect is the environment's (exit 3)", f"exit {r.rc}: {r.err[-300:]}")
    for args, what in [(["--listen", "1", "--connect", "h:1"], "both --listen and --connect"),
                       (["--max-connections", "5"], "--max-connections without --listen"),
                       (["--listen", "127.0.0.1:99999"], "a port beyond 65535"),
                       (["--connect", "5000"], "--connect without a host"),
                       (["--listen", "1", "--role", "client"], "--listen with --role client"),
                       (["--listen", "1", "--peer", "--max-connections", "3"], "--peer with a class"),
                       (["--max-connections", "4097", "--listen", "1"], "more than 4,096 connections")]:
        r = run_cli(cli, ["--run", "graceful-client"] + args, timeout=30)
        tap.ok(r.rc == 2, f"usage: {what} is refused with exit 2", f"exit {r.rc}: {r.err}")


def a_class(tap, cli, n):
    port = peers.free_port()
    bg = peers.Background(cli, ["--run", "graceful-client", "--listen", f"127.0.0.1:{port}", "--max-connections",
                                str(n), "--format", "jsonl"], timeout=300)
    tap.ok(bg.wait_listening(), f"class of {n}: the server listens")
    watch = peers.RssWatch(bg.p.pid)
    res = peers.class_of_clients(port, n, PAYLOAD)
    grown = watch.stop()
    run = bg.finish()
    good = sum(1 for r in res if r[1] is True)
    tap.eq(good, n, f"class of {n}: every client got the whole response, byte for byte",
           [r for r in res if r[1] is not True][:5])
    cls = run.kind("class")
    cls = cls[-1] if cls else {}
    tap.eq((cls.get("connections"), cls.get("passed"), cls.get("failed")), (n, n, 0),
           f"class of {n}: the summary says {n} passed, 0 failed", cls)
    # the clients are not ShutdownLab: what the server sent them only they can count (and did,
    # above); the summary must not claim a count it could not make
    tap.eq((cls.get("bytes_lost"), cls.get("bytes_lost_counted")), (0, 0),
           f"class of {n}: bytes lost are counted on no connection (another program's), not claimed", cls)
    tap.ok(cls.get("concurrent_peak", 0) > 1, f"class of {n}: clients were played at once "
           f"(peak {cls.get('concurrent_peak')})", cls)
    tap.eq(run.rc, 0, f"class of {n}: exit 0")
    conns = {e.get("conn") for e in run.events if e.get("kind") == "summary"}
    tap.eq(conns, set(range(1, n + 1)), f"class of {n}: one jsonl summary per connection, tagged with it")
    tap.ok(all("conn" in e for e in run.events if e.get("kind") != "class"), f"class of {n}: every event says its connection")
    tap.diag(f"class of {n}: peak memory {grown} KB above the listening process's, "
             f"{grown / n:.1f} KB per connection; concurrent peak {cls.get('concurrent_peak')}; {run.seconds:.1f} s")
    tap.ok(grown < n * 64, f"class of {n}: memory stays bounded (under 64 KB per connection)", f"{grown} KB")


def hostile(tap, cli):
    """Garbage, silence, an instant reset and a flood of connect-and-go, beside good clients."""
    port = peers.free_port()
    good_n, garbage_n, silent_n, reset_n, flood_n = 20, 3, 3, 3, 1000
    total = good_n + garbage_n + silent_n + reset_n + flood_n
    bg = peers.Background(cli, ["--run", "graceful-client", "--listen", f"127.0.0.1:{port}", "--max-connections",
                                str(total), "--timeout-ms", "1500", "--max-bytes", "200000", "--wait-ms", "5000", "--format", "jsonl"],
                          timeout=240)
    tap.ok(bg.wait_listening(), "hostile: the server listens")
    watch = peers.RssWatch(bg.p.pid)
    held = []

    def garbage():
        s = socket.create_connection(("127.0.0.1", port))
        try:
            s.sendall(os.urandom(4 << 20))  # more than --max-bytes: the server resets it
        except OSError:
            pass
        held.append(s)

    def silent():
        held.append(socket.create_connection(("127.0.0.1", port)))  # connects, says nothing

    def reset():
        s = socket.create_connection(("127.0.0.1", port))
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        s.close()  # an RST at once

    def flood():
        for _ in range(flood_n):
            s = socket.create_connection(("127.0.0.1", port))
            s.close()

    threads = [threading.Thread(target=f) for f in [garbage] * garbage_n + [silent] * silent_n + [reset] * reset_n + [flood]]
    for t in threads:
        t.start()
    res = peers.class_of_clients(port, good_n, PAYLOAD)
    for t in threads:
        t.join(60)
    grown = watch.stop()
    run = bg.finish()
    for s in held:
        s.close()
    tap.ok(grown < total * 64, "hostile: memory stays bounded through the flood (under 64 KB per connection)",
           f"{grown} KB for {total} connections")
    tap.eq(sum(1 for r in res if r[1] is True), good_n, "hostile: every well-behaved client got the whole response",
           [r for r in res if r[1] is not True][:5])
    cls = (run.kind("class") or [{}])[-1]
    # a client that resets while it waits in the backlog may never reach accept (the host's
    # stack drops it): those, and only those, may have no verdict
    seen = cls.get("connections", 0) + cls.get("vanished", 0)
    tap.ok(total - reset_n <= seen <= total, "hostile: every connection that reached accept got its verdict",
           f"{seen} of {total}: {cls}")
    fails = [e for e in run.kind("check") if e.get("verdict") in ("mismatch", "environment")]
    cut = {e.get("conn") for e in fails if "more than this connection allows" in e.get("text", "")}
    tap.eq(len(cut), garbage_n, "hostile: each flood of bytes is cut off with a verdict that says so",
           [(e.get("conn"), e["name"], e.get("observed"), e.get("text")) for e in fails][:12])
    quiet = {e.get("conn") for e in fails if e["name"] == "FD_CLOSE" and "watchdog" in e.get("text", "")}
    tap.ok(len(quiet) >= silent_n, f"hostile: each silent client meets the FD_CLOSE watchdog ({len(quiet)} did)",
           [e.get("text") for e in fails][:6])
    failed = {e["conn"] for e in run.events if e.get("kind") == "summary" and e.get("exit_code")}
    tap.ok(cut | quiet <= failed, "hostile: those connections, and their verdicts, failed", (cut, quiet, failed))
    tap.ok(run.rc in (0, 1) and run.seconds < 200, "hostile: the server ends on its own, nothing hangs",
           f"rc {run.rc}, {run.seconds:.1f} s")


def beyond_the_bound(tap, cli):
    """More clients than --max-connections: the first N are played, the rest refused by
    the system once the listener is closed, and the server ends."""
    port = peers.free_port()
    bg = peers.Background(cli, ["--run", "graceful-client", "--listen", f"127.0.0.1:{port}", "--max-connections", "5",
                                "--format", "jsonl"], timeout=120)
    tap.ok(bg.wait_listening(), "beyond the bound: the server listens")
    res = peers.class_of_clients(port, 5, PAYLOAD)
    run = bg.finish()
    late = []
    for _ in range(20):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=5).close()
            late.append("connected")
        except OSError as e:
            late.append(type(e).__name__)
    tap.eq(sum(1 for r in res if r[1] is True), 5, "beyond the bound: the first 5 clients are played")
    tap.eq((run.rc, (run.kind("class") or [{}])[-1].get("connections")), (0, 5), "beyond the bound: 5 verdicts, exit 0")
    tap.ok(all(x == "ConnectionRefusedError" for x in late), "beyond the bound: later clients are refused", late[:3])


def main():
    cli = sys.argv[1]
    tap = Tap()
    peers.raise_fd_limit()
    if not peers.socat_available():
        print("1..0 # SKIP socat is not installed (scripts/setup-debian.sh installs it)")
        return 0
    tmp = os.environ.get("TMPDIR", "/tmp")
    socat_client(tap, cli)
    socat_server(tap, cli, tmp)
    socat_abortive(tap, cli)
    refusals(tap, cli)
    two_processes(tap, cli)
    a_class(tap, cli, 1000)
    hostile(tap, cli)
    beyond_the_bound(tap, cli)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
