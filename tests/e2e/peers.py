"""peers.py: programs nobody here wrote, and plain sockets, as the other end of a
ShutdownLab run (issue 9): free ports, starting the CLI in the background and waiting
until it listens, socat, and a class of asyncio clients that check every byte."""
import asyncio
import os
import resource
import shutil
import socket
import subprocess
import threading
import time

from transcript import Run, wine_command

SERVER_XOR, CLIENT_XOR = 0xA5, 0x3C  # src/core/pattern.h: byte i is (i % 251) ^ this


def pattern(xor, n, offset=0):
    return bytes(((offset + i) % 251) ^ xor for i in range(n))


def free_port():
    """A loopback port nobody listens on now (the OS's pick, released at once)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def raise_fd_limit(want=8192):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(want, hard), hard))


class Background:
    """The CLI running in the background; its stderr read as it comes, so a test waits for
    the 'listening' line (an event), never for a fixed time."""

    def __init__(self, cli, args, timeout=120):
        self.t0 = time.monotonic()
        self.timeout = timeout
        self.p = subprocess.Popen(wine_command() + [cli] + list(args), stdin=subprocess.DEVNULL,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.err_lines = []
        self.listening = threading.Event()
        self.out = b""
        self.rusage = None
        threading.Thread(target=self._read_err, daemon=True).start()
        self._out_thread = threading.Thread(target=self._read_out, daemon=True)
        self._out_thread.start()

    def _read_err(self):
        for line in self.p.stderr:
            text = line.decode("utf-8", "replace")
            self.err_lines.append(text)
            if "listening" in text:
                self.listening.set()

    def _read_out(self):
        self.out = self.p.stdout.read()

    def wait_listening(self, seconds=60):
        return self.listening.wait(seconds)

    def finish(self):
        """Waits for the exit (killing it after its timeout); returns a Run, with the
        process's peak memory in self.rusage."""
        left = max(1.0, self.timeout - (time.monotonic() - self.t0))
        deadline = time.monotonic() + left
        rc = None
        while rc is None and time.monotonic() < deadline:
            pid, status, ru = os.wait4(self.p.pid, os.WNOHANG)
            if pid:
                rc, self.rusage = os.waitstatus_to_exitcode(status), ru
            else:
                time.sleep(0.05)  # polling the exit, not waiting for an event of the run
        if rc is None:
            self.p.kill()
            _, status, self.rusage = os.wait4(self.p.pid, 0)
            rc = -1
        self.p.returncode = rc
        self._out_thread.join(10)
        return Run(rc, self.out.decode("utf-8", "replace"), "".join(self.err_lines), time.monotonic() - self.t0)


def socat_available():
    return shutil.which("socat") is not None


def socat(args, stdin=subprocess.DEVNULL, timeout=60):
    """Runs socat to its end; returns (exit code, stdout bytes)."""
    p = subprocess.run(["socat"] + list(args), stdin=stdin, capture_output=True, timeout=timeout)
    return p.returncode, p.stdout


async def _good(port, want, results, i):
    """A well-behaved client of graceful-client: half-closes at once, reads to the end."""
    try:
        r, w = await asyncio.open_connection("127.0.0.1", port)
        w.write_eof()
        got = await asyncio.wait_for(r.read(), 60)
        w.close()
        results[i] = (len(got), got == pattern(SERVER_XOR, len(got)) and len(got) == want)
    except Exception as e:  # noqa: BLE001 - a failed client is a result, said in the test
        results[i] = (-1, repr(e))


def class_of_clients(port, n, want):
    """n concurrent clients; [(bytes received, whole and correct)]."""
    results = [None] * n

    async def main():
        await asyncio.gather(*(_good(port, want, results, i) for i in range(n)))

    asyncio.run(main())
    return results


def rss_kb(pid):
    """The process's resident memory now (KB), or None when it is gone."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


class RssWatch:
    """Samples a process's resident memory every 20 ms in the background: the peak while
    something happens, against the value before it began."""

    def __init__(self, pid):
        self.pid = pid
        self.before = rss_kb(pid)
        self.peak = self.before or 0
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)
        self._t.start()

    def _run(self):
        while not self._stop.wait(0.02):
            v = rss_kb(self.pid)
            if v is None:
                return
            self.peak = max(self.peak, v)

    def stop(self):
        self._stop.set()
        self._t.join(5)
        return self.peak - (self.before or 0)
