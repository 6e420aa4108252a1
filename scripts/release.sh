#!/usr/bin/env bash
# Builds the release: both executables in a release configuration of their own (-Os,
# link-time optimisation, no debug information, assertions kept), stripped, and
# shutdownlab-VERSION-win64.zip with
#   shutdownlab.exe, shutdownlab-cli.exe   the GUI and the headless runner, stripped
#   scenarios/*.scn                        the built-in scenarios, as files to copy
#   docs/*.md and the PNGs they show, README.md, LICENSE
#   SHA256SUMS                             the SHA-256 of every other file in the zip
# The version is meson.build's project(version: ...), the one place it is set (it is also
# what --version, the About box and VERSIONINFO show). Both executables import only
# Windows system DLLs: the zip runs on Windows 10 and 11 with nothing to install.
# Prints each executable's size and imports, and the zip's path on the last line.
# Usage: scripts/release.sh [--builddir DIR (default build-release)] [--outdir DIR (default dist)]
# (run scripts/setup-debian.sh first on a fresh machine)
set -euo pipefail
builddir=build-release
outdir=dist
while [ $# -gt 0 ]; do
  case "$1" in
    --builddir) builddir="$2"; shift 2 ;;
    --outdir) outdir="$2"; shift 2 ;;
    *) echo "usage: scripts/release.sh [--builddir DIR] [--outdir DIR]" >&2; exit 2 ;;
  esac
done
# Relative paths are the caller's; the script works from the source tree.
case "$builddir" in /*) ;; *) builddir="$PWD/$builddir" ;; esac
case "$outdir" in /*) ;; *) outdir="$PWD/$outdir" ;; esac
cd "$(dirname "$0")/.."

if [ ! -f "$builddir/build.ninja" ]; then
  mkdir -p "$builddir"
  if ! meson setup "$builddir" --cross-file cross/x86_64-w64-mingw32.ini -Dwerror=true \
      --buildtype=minsize -Ddebug=false -Db_ndebug=false -Db_lto=true >"$builddir/release-setup.log" 2>&1; then
    cat "$builddir/release-setup.log" >&2
    exit 1
  fi
fi
# A directory configured otherwise (build/, say) would make a debug zip: refuse it.
python3 - "$builddir/meson-info/intro-buildoptions.json" <<'EOF'
import json, sys
want = {"optimization": "s", "debug": False, "b_ndebug": "false", "b_lto": True}
got = {o["name"]: o["value"] for o in json.load(open(sys.argv[1])) if o["name"] in want}
if got != want:
    sys.exit(f"release: {sys.argv[1].rsplit('/meson-info', 1)[0]} is not a release configuration ({got}, not {want}): "
             "give another --builddir or remove it")
EOF
ninja -C "$builddir" src/ui/shutdownlab.exe src/cli/shutdownlab-cli.exe >"$builddir/release-build.log" 2>&1 || {
  cat "$builddir/release-build.log" >&2
  exit 1
}
version=$(meson introspect "$builddir" --projectinfo | python3 -c 'import json, sys; print(json.load(sys.stdin)["version"])')

mkdir -p "$outdir"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
for exe in src/ui/shutdownlab.exe src/cli/shutdownlab-cli.exe; do
  x86_64-w64-mingw32-strip -o "$stage/$(basename "$exe")" "$builddir/$exe"
done

python3 - "$stage" "$outdir" "$version" <<'EOF'
import glob
import hashlib
import os
import re
import subprocess
import sys
import time
import zipfile

stage, outdir, version = sys.argv[1:4]
name = f"shutdownlab-{version}-win64.zip"
# What a Windows 10 or 11 installation has in System32 (nothing to install beside the .exe).
SYSTEM_DLLS = {"kernel32", "user32", "gdi32", "comctl32", "comdlg32", "shell32", "ws2_32", "iphlpapi",
               "msvcrt", "advapi32", "uxtheme", "ole32", "oleaut32", "windowscodecs", "version",
               "shlwapi", "ntdll", "bcrypt", "dwmapi", "shcore", "imm32", "winmm", "crypt32"}
LIMITS_KB = {"shutdownlab.exe": 300, "shutdownlab-cli.exe": 256}

files = {}  # name in the zip -> path on disk
for exe in ("shutdownlab.exe", "shutdownlab-cli.exe"):
    files[exe] = os.path.join(stage, exe)
for path in ["README.md", "LICENSE"] + sorted(glob.glob("scenarios/*.scn")) + sorted(glob.glob("docs/*.md")):
    files[path] = path
# The pictures the docs show (![...](x.png)), where the docs expect them.
for md in ["README.md"] + sorted(glob.glob("docs/*.md")):
    for ref in re.findall(r"!\[[^\]]*\]\(([^)\s]+\.png)\)", open(md, encoding="utf-8").read()):
        path = os.path.normpath(os.path.join(os.path.dirname(md), ref))
        if not os.path.isfile(path):
            sys.exit(f"release: {md} shows {ref}, which is not in the tree")
        files[path.replace(os.sep, "/")] = path

bad = False
for exe in ("shutdownlab.exe", "shutdownlab-cli.exe"):
    size = os.path.getsize(files[exe])
    dump = subprocess.run(["x86_64-w64-mingw32-objdump", "-p", files[exe]], check=True, capture_output=True,
                          text=True).stdout
    dlls = sorted(re.findall(r"DLL Name: (\S+)", dump), key=str.lower)
    foreign = [d for d in dlls if d.lower().removesuffix(".dll") not in SYSTEM_DLLS]
    over = size >= LIMITS_KB[exe] * 1024
    print(f"{exe:20} {size / 1024:6.1f} KB stripped (target under {LIMITS_KB[exe]} KB{': OVER' if over else ''})")
    print(f"  imports: {' '.join(dlls)}")
    if foreign:
        print(f"release: {exe} imports {', '.join(foreign)}, which Windows does not have", file=sys.stderr)
        bad = True
if bad:
    sys.exit(1)

sums = "".join(f"{hashlib.sha256(open(files[n], 'rb').read()).hexdigest()}  {n}\n" for n in sorted(files))
stamp = time.localtime(int(os.environ.get("SOURCE_DATE_EPOCH", time.time())))[:6]
tmp = os.path.join(outdir, name + ".part")
with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    for n in sorted(files) + ["SHA256SUMS"]:
        info = zipfile.ZipInfo(n, stamp)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = (0o755 if n.endswith(".exe") else 0o644) << 16
        z.writestr(info, sums.encode() if n == "SHA256SUMS" else open(files[n], "rb").read())
os.replace(tmp, os.path.join(outdir, name))
print(f"{len(files) + 1} files, {os.path.getsize(os.path.join(outdir, name)) / 1024:.0f} KB zipped")
print(os.path.join(outdir, name))
EOF
