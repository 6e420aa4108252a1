#!/usr/bin/env python3
"""bench-class.py: a class at once, measured (issue 9; called by scripts/bench.sh).
For 1, 100 and 1,000 concurrent clients of graceful-client against one
`shutdownlab-cli --listen --max-connections N` under Wine: connections per second (from
the first connect to the last client's last byte) and the server's memory per connection
(its resident memory's peak while the class plays, above its own while it only listens).
The same clients also run against a plain Python asyncio server that sends the same
65,536 bytes, side by side: the ratio is what ShutdownLab's checking costs.
Usage: scripts/bench-class.py CLI.exe [N ...]"""
import asyncio
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "e2e"))
import peers  # noqa: E402

PAYLOAD = 65536


def shutdownlab(cli, n):
    port = peers.free_port()
    bg = peers.Background(cli, ["--run", "graceful-client", "--listen", f"127.0.0.1:{port}", "--max-connections",
                                str(n), "--format", "jsonl"], timeout=600)
    if not bg.wait_listening(120):
        raise SystemExit("the server did not start: " + "".join(bg.err_lines))
    watch = peers.RssWatch(bg.p.pid)
    t0 = time.monotonic()
    res = peers.class_of_clients(port, n, PAYLOAD)
    seconds = time.monotonic() - t0
    grown = watch.stop()
    run = bg.finish()
    good = sum(1 for r in res if r[1] is True)
    cls = (run.kind("class") or [{}])[-1]
    if not cls:  # one connection is a plain run: its own summary
        cls = {"passed": int(run.rc == 0), "bytes_lost": 0, "concurrent_peak": 1}
    return seconds, grown, good, cls


def plain(n):
    """The same clients against a plain asyncio server: accept, read to EOF, send, close."""
    data = peers.pattern(peers.SERVER_XOR, PAYLOAD)

    async def serve(r, w):
        await r.read()
        w.write(data)
        await w.drain()
        w.close()

    async def main():
        server = await asyncio.start_server(serve, "127.0.0.1", 0, backlog=4096)
        port = server.sockets[0].getsockname()[1]
        results = [None] * n
        t0 = time.monotonic()
        await asyncio.gather(*(peers._good(port, PAYLOAD, results, i) for i in range(n)))
        seconds = time.monotonic() - t0
        server.close()
        return seconds, sum(1 for r in results if r[1] is True)

    return asyncio.run(main())


def main():
    cli = sys.argv[1]
    sizes = [int(a) for a in sys.argv[2:]] or [1, 100, 1000]
    peers.raise_fd_limit()
    print(f"{'clients':>8} {'ShutdownLab conn/s':>19} {'plain asyncio conn/s':>21} {'ratio':>6} "
          f"{'KB per conn':>12}  result")
    for n in sizes:
        s, grown, good, cls = shutdownlab(cli, n)
        p, pgood = plain(n)
        print(f"{n:>8} {n / s:>19.0f} {n / p:>21.0f} {p / s:>6.2f} {grown / n:>12.1f}  "
              f"{good}/{n} clients got every byte; {cls.get('passed')} passed; "
              f"peak {cls.get('concurrent_peak')} at once (plain: {pgood}/{n})")
    print("ratio: ShutdownLab's rate over the plain server's (1.00 = as fast); KB per conn: the server's peak "
          "resident memory while the class plays, above its own while listening, per client")


if __name__ == "__main__":
    main()
