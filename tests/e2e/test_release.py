#!/usr/bin/env python3
"""test_release.py: the release zip (scripts/release.sh) as a teacher gets it. Unpacked into
a fresh folder (with a space in its name) and run in a fresh Wine prefix, nothing else
installed:
- the zip is named for meson.build's version and holds both executables, every scenario
  file (byte for byte the tree's), every doc and the pictures the docs show, README.md,
  LICENSE and SHA256SUMS, which names every other file with its right SHA-256;
- each executable is stripped, under its size target (GUI 340 KB, CLI 256 KB), imports
  only Windows system DLLs, and carries a manifest, an icon and VERSIONINFO with the
  version;
- shutdownlab-cli.exe --version prints the version, --list names the scenario files, and
  --run graceful-client passes (its transcript says the version and carries the text of
  the scenario file beside it); --run-file runs a scenario file from the zip;
- shutdownlab.exe plays graceful-client and writes a screenshot (--autoplay
  --exit-after-run --screenshot) and its recording says the same version.
Without a display the Wine part runs inside its own xvfb-run.
usage: test_release.py PATH/TO/shutdownlab-VERSION-win64.zip VERSION"""
import glob
import hashlib
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import traceback
import zipfile
import zlib

from transcript import Tap, Run

SOURCE = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
LIMITS_KB = {"shutdownlab.exe": 340, "shutdownlab-cli.exe": 256}
# DLLs every Windows 10 and 11 has in System32: nothing to install beside the executables.
SYSTEM_DLLS = {"kernel32", "user32", "gdi32", "comctl32", "comdlg32", "shell32", "ws2_32", "iphlpapi", "msvcrt",
               "advapi32", "uxtheme", "ole32", "oleaut32", "windowscodecs", "version", "shlwapi", "ntdll",
               "bcrypt", "dwmapi", "shcore", "imm32", "winmm", "crypt32"}
RT_ICON, RT_GROUP_ICON, RT_VERSION, RT_MANIFEST = 3, 14, 16, 24


class Pe:
    """What the test needs of a PE file: sections, imports, resources, symbols."""

    def __init__(self, data):
        self.data = data
        pe = struct.unpack_from("<I", data, 0x3C)[0]
        if data[:2] != b"MZ" or data[pe:pe + 4] != b"PE\0\0":
            raise ValueError("not a PE file")
        coff = pe + 4
        nsec, self.symtab, self.nsyms, opt_size = struct.unpack_from("<H4xIIH", data, coff + 2)
        opt = coff + 20
        magic = struct.unpack_from("<H", data, opt)[0]
        if magic != 0x20B:
            raise ValueError("not PE32+ (64-bit)")
        self.dirs = [struct.unpack_from("<II", data, opt + 112 + 8 * i) for i in range(16)]
        self.sections = []
        for i in range(nsec):
            name, vsize, va, rsize, raw = struct.unpack_from("<8sIIII", data, opt + opt_size + 40 * i)
            name = name.rstrip(b"\0").decode("latin-1")
            if name.startswith("/"):  # a long name, kept in the string table (debug sections)
                strtab = self.symtab + 18 * self.nsyms
                off = strtab + int(name[1:])
                name = data[off:data.index(b"\0", off)].decode("latin-1")
            self.sections.append((name, vsize, va, rsize, raw))

    def at(self, rva):
        for _, vsize, va, rsize, raw in self.sections:
            if va <= rva < va + max(vsize, rsize):
                return raw + rva - va
        raise ValueError(f"rva {rva:#x} is in no section")

    def cstr(self, rva):
        off = self.at(rva)
        return self.data[off:self.data.index(b"\0", off)].decode("latin-1")

    def imports(self):
        rva, size = self.dirs[1]
        names = []
        off = self.at(rva) if size else None
        while off is not None:
            name_rva = struct.unpack_from("<I", self.data, off + 12)[0]
            if not name_rva:
                break
            names.append(self.cstr(name_rva))
            off += 20
        return names

    def resources(self):
        """{type: [(id, bytes)]}: every resource's data, by type and name id."""
        rva, size = self.dirs[2]
        if not size:
            return {}
        base = self.at(rva)

        def entries(off):
            named, ids = struct.unpack_from("<HH", self.data, base + off + 12)
            for i in range(named + ids):
                name, child = struct.unpack_from("<II", self.data, base + off + 16 + 8 * i)
                yield name, child

        out = {}
        for rtype, c1 in entries(0):
            for rid, c2 in entries(c1 & 0x7FFFFFFF):
                for _, leaf in entries(c2 & 0x7FFFFFFF):
                    drva, dsize = struct.unpack_from("<II", self.data, base + leaf)
                    off = self.at(drva)
                    out.setdefault(rtype, []).append((rid, self.data[off:off + dsize]))
        return out


def version_info(block):
    """(the fixed binary version as a dotted string, {key: value} of the string table)."""
    sig = block.find(struct.pack("<I", 0xFEEF04BD))
    fixed = None
    if sig >= 0:
        ms, ls = struct.unpack_from("<II", block, sig + 8)
        fixed = f"{ms >> 16}.{ms & 0xFFFF}.{ls >> 16}.{ls & 0xFFFF}"
    text = block.decode("utf-16-le", "replace")
    strings = {}
    for key in ("FileVersion", "ProductVersion", "OriginalFilename", "ProductName"):
        m = re.search(key + "\0+([^\0]*)\0", text)
        if m:
            strings[key] = m.group(1)
    return fixed, strings


def png_info(path):
    """(width, height, distinct colours in every 8th row) of an 8-bit RGB or RGBA PNG."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("no PNG signature")
    pos, idat, ihdr = 8, b"", None
    while pos < len(data):
        n, kind = struct.unpack_from(">I4s", data, pos)
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    w, h, depth, ctype, _, _, interlace = ihdr
    if depth != 8 or ctype not in (2, 6) or interlace:
        raise ValueError(f"PNG depth {depth}, colour type {ctype}, interlace {interlace}: not decoded here")
    bpp = 3 if ctype == 2 else 4
    raw = zlib.decompress(idat)
    stride = w * bpp
    prev = bytearray(stride)
    colours = set()
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if f == 1:
                line[x] = (line[x] + a) & 0xFF
            elif f == 2:
                line[x] = (line[x] + b) & 0xFF
            elif f == 3:
                line[x] = (line[x] + (a + b) // 2) & 0xFF
            elif f == 4:
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        if y % 8 == 0:
            colours.update(bytes(line[i:i + 3]) for i in range(0, stride, bpp))
        prev = line
    return w, h, len(colours)


def expected_members():
    """What the zip must hold, from the source tree."""
    names = {"shutdownlab.exe", "shutdownlab-cli.exe", "README.md", "LICENSE", "SHA256SUMS"}
    names |= {"scenarios/" + os.path.basename(p) for p in glob.glob(os.path.join(SOURCE, "scenarios", "*.scn"))}
    docs = glob.glob(os.path.join(SOURCE, "docs", "*.md"))
    names |= {"docs/" + os.path.basename(p) for p in docs}
    for md in [os.path.join(SOURCE, "README.md")] + docs:
        for ref in re.findall(r"!\[[^\]]*\]\(([^)\s]+\.png)\)", open(md, encoding="utf-8").read()):
            names.add(os.path.relpath(os.path.normpath(os.path.join(os.path.dirname(md), ref)), SOURCE).replace(os.sep, "/"))
    return names


def check_zip(tap, zip_path, version, root):
    tap.eq(os.path.basename(zip_path), f"shutdownlab-{version}-win64.zip", "the zip is named for meson.build's version")
    with zipfile.ZipFile(zip_path) as z:
        tap.eq(z.testzip(), None, "every member of the zip reads back with its CRC")
        names = [n for n in z.namelist() if not n.endswith("/")]
        z.extractall(root)
    tap.eq(len(names), len(set(names)), "no file is in the zip twice")
    want = expected_members()
    tap.eq(sorted(set(names) - want), [], "nothing in the zip beyond the release's files")
    tap.eq(sorted(want - set(names)), [], "the executables, every scenario file, doc and picture, README, LICENSE, SHA256SUMS")
    differ = [n for n in names if not n.endswith(".exe") and n != "SHA256SUMS" and
              open(os.path.join(root, n), "rb").read() != open(os.path.join(SOURCE, n), "rb").read()]
    tap.eq(differ, [], "each scenario file, doc and picture is byte for byte the tree's")

    sums, bad_lines = {}, []
    for line in open(os.path.join(root, "SHA256SUMS"), encoding="utf-8").read().splitlines():
        m = re.fullmatch(r"([0-9a-f]{64})  (\S+)", line)
        if m:
            sums[m.group(2)] = m.group(1)
        else:
            bad_lines.append(line)
    tap.eq(bad_lines, [], "every line of SHA256SUMS is 'sha256  path'")
    others = {n for n in names if n != "SHA256SUMS"}
    tap.eq((sorted(others - set(sums)), sorted(set(sums) - others)), ([], []),
           "SHA256SUMS names every other file of the zip (files it misses, names it has beyond them)")
    wrong = [n for n, h in sums.items()
             if not os.path.isfile(os.path.join(root, n)) or
             hashlib.sha256(open(os.path.join(root, n), "rb").read()).hexdigest() != h]
    tap.eq(wrong, [], "every file's SHA-256 is the one SHA256SUMS gives")


def check_exe(tap, path, version):
    exe = os.path.basename(path)
    try:
        pe = Pe(open(path, "rb").read())
    except (OSError, ValueError, struct.error) as e:
        tap.ok(False, f"{exe}: a 64-bit Windows executable", str(e))
        return
    size = os.path.getsize(path)
    tap.ok(size < LIMITS_KB[exe] * 1024, f"{exe}: {size / 1024:.1f} KB stripped, under {LIMITS_KB[exe]} KB",
           f"{size} bytes; sections (bytes in the file): " + ", ".join(f"{s[0]} {s[3]}" for s in pe.sections))
    debug = [s[0] for s in pe.sections if s[0].startswith(".debug")]
    tap.ok(pe.nsyms == 0 and not debug, f"{exe}: stripped (no symbol table, no debug sections)",
           f"{pe.nsyms} symbols, sections {debug}")
    dlls = pe.imports()
    tap.ok(dlls and all(d.lower().removesuffix(".dll") in SYSTEM_DLLS for d in dlls),
           f"{exe}: imports only Windows system DLLs ({' '.join(dlls)})",
           [d for d in dlls if d.lower().removesuffix(".dll") not in SYSTEM_DLLS])
    res = pe.resources()
    tap.ok(RT_MANIFEST in res and RT_GROUP_ICON in res and RT_ICON in res, f"{exe}: has its manifest and icon",
           sorted(res))
    blocks = res.get(RT_VERSION, [])
    fixed, strings = version_info(blocks[0][1]) if blocks else (None, {})
    tap.eq((strings.get("FileVersion"), strings.get("ProductVersion")), (version, version),
           f"{exe}: VERSIONINFO's FileVersion and ProductVersion are {version}")
    want = ".".join((version.split("-")[0].split(".") + ["0"] * 4)[:4])
    tap.eq(fixed, want, f"{exe}: VERSIONINFO's binary file version is {want}")
    tap.eq(strings.get("OriginalFilename"), exe, f"{exe}: VERSIONINFO names the file")


class Wine:
    """A fresh Wine prefix of the test's own, its wineserver stopped at the end."""

    def __init__(self, prefix):
        self.env = dict(os.environ, WINEPREFIX=prefix, WINEARCH="win64", WINEDEBUG="-all",
                        WINEDLLOVERRIDES="mscoree,mshtml=")

    def start(self):
        t0 = time.monotonic()
        # A persistent server with its stdio detached: Wine's background processes would
        # otherwise hold the test's output pipes open.
        subprocess.run(["wineserver", "-p"], env=self.env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        p = subprocess.run(["wineboot", "-i"], env=self.env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, timeout=180)
        return p.returncode, time.monotonic() - t0

    def run(self, cwd, args, timeout=120):
        t0 = time.monotonic()
        try:
            p = subprocess.run(["wine"] + args, cwd=cwd, env=self.env, stdin=subprocess.DEVNULL,
                               capture_output=True, timeout=timeout)
        except subprocess.TimeoutExpired as e:
            return Run(-1, (e.stdout or b"").decode("utf-8", "replace"), f"timeout after {timeout} s", timeout)
        return Run(p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace"),
                   time.monotonic() - t0)

    def stop(self):
        subprocess.run(["wineserver", "-k"], env=self.env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        subprocess.run(["wineserver", "-w"], env=self.env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=60)


def run_line(run):
    lines = run.kind("run")
    return lines[0] if lines else {}


def check_programs(tap, root, version):
    scn = open(os.path.join(root, "scenarios", "graceful-client.scn"), encoding="utf-8").read()
    prefix = tempfile.mkdtemp(prefix="sl-release-wineprefix-")
    wine = Wine(prefix)
    try:
        rc, secs = wine.start()
        tap.eq(rc, 0, f"a fresh Wine prefix is made ({secs:.1f} s)")

        run = wine.run(root, ["shutdownlab-cli.exe", "--version"])
        tap.eq((run.rc, run.out.replace("\r\n", "\n")), (0, f"shutdownlab-cli {version}\n"),
               f"shutdownlab-cli.exe --version prints {version}", run.err[-400:])

        run = wine.run(root, ["shutdownlab-cli.exe", "--list"])
        listed = sorted(line.split()[0] for line in run.out.splitlines() if line.strip())
        shipped = sorted(os.path.basename(p)[:-4] for p in glob.glob(os.path.join(root, "scenarios", "*.scn")))
        tap.eq((run.rc, listed), (0, shipped), "--list names the built-ins, one per scenario file in the zip",
               run.err[-400:])

        run = wine.run(root, ["shutdownlab-cli.exe", "--run", "graceful-client", "--format", "jsonl"])
        tap.eq(run.rc, 0, f"shutdownlab-cli.exe --run graceful-client: exit 0 ({run.seconds:.1f} s)", run.err[-600:])
        s = run.summary
        tap.eq((s.get("exit_code"), s.get("mismatches"), s.get("sockets_left_open")), (0, 0, 0),
               "its summary: exit 0, no mismatch, no socket left open", run.out[-600:])
        tap.eq(run_line(run).get("version"), version, f"its transcript says ShutdownLab {version}")
        tap.ok(run_line(run).get("scenario_text") == scn,
               "the built-in it ran is the text of scenarios/graceful-client.scn in the zip")

        run = wine.run(root, ["shutdownlab-cli.exe", "--run-file", "scenarios\\half-close-bulk.scn", "--format", "jsonl"])
        tap.eq((run.rc, run.summary.get("exit_code")), (0, 0),
               "shutdownlab-cli.exe --run-file scenarios\\half-close-bulk.scn: exit 0", run.err[-600:])

        shot = os.path.join(root, "graceful client.png")
        rec = os.path.join(root, "gui.jsonl")
        run = wine.run(root, ["shutdownlab.exe", "--scenario", "graceful-client", "--autoplay", "--exit-after-run",
                              "--screenshot", "graceful client.png", "--record", "gui.jsonl"], timeout=180)
        tap.eq(run.rc, 0, f"shutdownlab.exe --autoplay --exit-after-run --screenshot: exit 0 ({run.seconds:.1f} s)",
               run.err[-600:])
        try:
            w, h, colours = png_info(shot)
            info = None
        except (OSError, ValueError, TypeError, IndexError) as e:
            w = h = colours = 0
            info = str(e)
        tap.ok(w >= 640 and h >= 400, f"the screenshot is a PNG of the window ({w}x{h})", info)
        tap.ok(os.path.isfile(shot) and os.path.getsize(shot) > 10 * 1024 and colours >= 8,
               "the screenshot has the window's content (over 10 KB, at least 8 colours)",
               f"{os.path.getsize(shot) if os.path.isfile(shot) else 'no'} bytes, {colours} colours")
        events = []
        if os.path.isfile(rec):
            events = [json.loads(line) for line in open(rec, encoding="utf-8") if line.strip()]
        first = events[0] if events else {}
        tap.eq((first.get("kind"), first.get("version")), ("run", version), f"the GUI's recording says ShutdownLab {version}")
        tap.eq(events[-1].get("exit_code") if events else None, 0, "the GUI's run passed (its recording's summary)")
    finally:
        wine.stop()
        shutil.rmtree(prefix, ignore_errors=True)


def main():
    zip_path, version = sys.argv[1], sys.argv[2]
    if not os.environ.get("DISPLAY") and not os.environ.get("SL_RELEASE_XVFB"):
        # The GUI needs a display; every Wine process of the prefix then shares it.
        os.environ["SL_RELEASE_XVFB"] = "1"
        return subprocess.run(["xvfb-run", "-a", "-s", "-screen 0 1280x1024x24", sys.executable] + sys.argv).returncode
    tap = Tap()
    t0 = time.monotonic()
    work = tempfile.mkdtemp(prefix="sl-release-")
    root = os.path.join(work, f"ShutdownLab {version}")
    try:
        for what, check in [("the zip", lambda: check_zip(tap, zip_path, version, root)),
                            ("shutdownlab.exe", lambda: check_exe(tap, os.path.join(root, "shutdownlab.exe"), version)),
                            ("shutdownlab-cli.exe",
                             lambda: check_exe(tap, os.path.join(root, "shutdownlab-cli.exe"), version)),
                            ("the programs", lambda: check_programs(tap, root, version))]:
            try:
                check()
            except Exception:  # a broken file must fail the test, not stop it
                tap.ok(False, f"checking {what} went through", traceback.format_exc())
    finally:
        shutil.rmtree(work, ignore_errors=True)
    tap.diag(f"{time.monotonic() - t0:.1f} s in all")
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
