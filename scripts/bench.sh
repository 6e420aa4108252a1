#!/usr/bin/env bash
# Benchmarks for SPEC section 8's quality bars, each a ratio measured side by side in one
# run (these machines are noisy; absolute numbers mean little):
#   size      each release executable (scripts/release.sh: -Os, LTO, stripped, as the zip
#             ships it) against an empty Win32 window built the same way, by section, and
#             the DLLs it imports (only Windows system DLLs are acceptable);
#   startup   launch to first paint of the GUI (the release build) against the empty
#             window, the same empty window loading the GUI's DLLs (manifest, comctl32
#             v6, Winsock, iphlpapi), holding only the event log's list view, and a
#             window of the GUI's kinds of controls and nothing else
#             (bench/empty_window.c), runs interleaved (median of N);
#   switch    choosing another scenario or role until the window is repainted, against
#             choosing the scenario already shown (a layout and repaint only);
#   bulk      BYTES through the WSAAsyncSelect path (half-close-bulk) against a plain
#             blocking send/recv loop on the same loopback, runs interleaved;
#   storm     10,000 and 100,000 FD_READs (--storm): headless time per event, the
#             window's p99 answer time and memory per event (scripts/bench-storm.py);
#   replay    a recording of 100,000 events (--storm, recorded) opened in the window against a
#             plain start and a small recording of the same run: time to first paint, memory
#             beyond the file's size per event, at first paint and after Run to the end
#             (scripts/bench-replay.py, bench/replay.c);
#   suite     every built-in scenario in both roles, headless, one process each, in all
#             (scripts/bench-suite.py), and what the slowest spend their time on;
#   class     1, 100 and 1,000 concurrent clients against --listen --max-connections N:
#             connections per second against a plain asyncio server's with the same
#             clients, and the server's memory per connection (scripts/bench-class.py);
#   soak      a lesson without a restart: 300 mixed operations in one window
#             (tests/gui/test_soak.c; the test suite runs 1,000), its GDI objects, handles,
#             threads and private bytes: first sample, last, and the slope per 1,000
#             operations after the first 100 against the test's bounds.
# Usage: scripts/bench.sh [RUNS (default 7)] [BYTES (default 200000000)]
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-7}"
bytes="${2:-200000000}"
scripts/setup-debian.sh --quiet
scripts/build.sh >/dev/null
. scripts/wine-env.sh
wine_prepare

echo "== size (KB, the release executables stripped as scripts/release.sh ships them; ratio to the empty window)"
scripts/release.sh --builddir build-release --outdir build-release >/dev/null
ninja -C build-release bench/empty_window.exe bench/empty_window_dlls.exe bench/log_window.exe bench/controls_window.exe \
  >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
stripped() { x86_64-w64-mingw32-strip -o "$tmp/$(basename "$1")" "$1" && stat -c %s "$tmp/$(basename "$1")"; }
# The sections that take room in the file (.bss takes none), in KB.
sections() {
  x86_64-w64-mingw32-objdump -h "$1" | awk '$1 ~ /^[0-9]+$/ && $2 != ".bss" { print $2, $3 }' |
    while read -r name hex; do awk -v n="$name" -v v=$((16#$hex)) 'BEGIN { printf "%s %.1f  ", n, v / 1024 }'; done
}
base=$(stripped build-release/bench/empty_window.exe)
for exe in build-release/src/ui/shutdownlab.exe build-release/src/cli/shutdownlab-cli.exe; do
  size=$(stripped "$exe")
  target=$([ "$(basename "$exe")" = shutdownlab.exe ] && echo 340 || echo 256)   # as tests/e2e/test_release.py
  dlls=$(x86_64-w64-mingw32-objdump -p "$exe" | sed -n 's/.*DLL Name: //p' | sort | tr '\n' ' ')
  awk -v n="$(basename "$exe")" -v s="$size" -v b="$base" -v t="$target" -v d="$dlls" -v c="$(sections "$tmp/$(basename "$exe")")" \
    'BEGIN { printf "%-22s %6.1f KB  (target under %d KB)  empty window %4.1f KB  ratio %.1f\n  sections: %s\n  imports: %s\n", n, s/1024, t, b/1024, s/b, c, d }'
done

xvfb-run -a -s '-screen 0 1280x1024x24' bash -c '
  set -euo pipefail
  . scripts/wine-env.sh
  wine_warm
  runs=$1 bytes=$2
  echo "== startup"
  wine build/bench/startup.exe "$runs" build-release/bench/empty_window.exe -- build-release/bench/empty_window_dlls.exe \
    -- build-release/bench/log_window.exe -- build-release/bench/controls_window.exe -- build-release/src/ui/shutdownlab.exe
  echo "== switch"
  wine build/bench/switch.exe 3 build/src/ui/shutdownlab.exe
  echo "== bulk: $bytes bytes, $runs runs each, interleaved"
  for i in $(seq "$runs"); do
    wine build/bench/bulk.exe "$bytes" | awk "{ print \"blocking\", \$2 }"
    wine build/src/cli/shutdownlab-cli.exe --run half-close-bulk --payload "$bytes" --format jsonl |
      python3 -c "
import json, sys
t = [e[\"t_us\"] for e in map(json.loads, sys.stdin)
     if e.get(\"kind\") == \"call\" and e.get(\"name\") == \"recv\" and e.get(\"side\") == \"client\" and e.get(\"bytes\", 0) > 0]
print(\"wsaasyncselect\", (t[-1] - t[0]) / 1000.0 if len(t) > 1 else -1)"
  done | python3 -c "
import statistics, sys
ms = {}
for line in sys.stdin:
    k, v = line.split()
    ms.setdefault(k, []).append(float(v))
b, w = statistics.median(ms[\"blocking\"]), statistics.median(ms[\"wsaasyncselect\"])
mb = $bytes / 1e6
print(f\"blocking loop   median {b:8.1f} ms  {mb / b * 1000:8.1f} MB/s\")
print(f\"WSAAsyncSelect  median {w:8.1f} ms  {mb / w * 1000:8.1f} MB/s  throughput ratio {b / w:.2f} (target 0.8 or more; 1.00 = as fast)\")"
  echo "== storm: FD_READ notifications of the tool'"'"'s own (--storm), headless and in the window"
  python3 scripts/bench-storm.py build
  echo "== replay: a recording of 100,000 events opened in the window"
  python3 scripts/bench-replay.py build "$runs"
  echo "== the whole suite: every scenario in both roles, headless"
  python3 scripts/bench-suite.py build/src/cli/shutdownlab-cli.exe 3
  echo "== class: concurrent clients of graceful-client"
  python3 scripts/bench-class.py build/src/cli/shutdownlab-cli.exe 1 100 1000
  # (Wine says, at each file dialog, that it cannot read the volume label of Z: left out)
  echo "== soak: 300 mixed operations in one window (first sample, last, slope per 1,000 operations after the first 100)"
  { wine build/tests/gui/test_soak.exe build/src/ui/shutdownlab.exe tests/gui/data/abortive-linger0.jsonl \
      tests/gui/data/graceful-client.jsonl --ops 300 || true; } 2> >(grep -v "FS volume label and serial" >&2) |
    sed -n "s/^not ok [0-9]* - \(.* flat after operation 100: \)/FAIL \1/p; s/^ok [0-9]* - \(.* flat after operation 100: \)/\1/p;
            s/^ok [0-9]* - # SKIP /SKIP /p; s/^# operations: /operations: /p"
  wine_stop' bash "$runs" "$bytes"
