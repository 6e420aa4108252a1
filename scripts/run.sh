#!/usr/bin/env bash
# Runs ShutdownLab on this machine: installs what is missing, builds, and launches the
# GUI under Wine; where there is no display, runs the headless runner instead and
# prints the graceful-client transcript. Arguments go to the program.
# Usage: scripts/run.sh [--wire] [shutdownlab.exe or shutdownlab-cli.exe arguments]
#   --wire  capture loopback with tcpdump for the run (as root, or with the capture
#           capability) and show the real segments beside the calls: the program gets
#           --wire FILE; the capture is kept as build/wire/run-TIME.pcap
set -euo pipefail
cd "$(dirname "$0")/.."
wire=
if [ "${1:-}" = --wire ]; then
  wire=1
  shift
fi
scripts/setup-debian.sh --quiet
scripts/build.sh
. scripts/wine-env.sh
wine_prepare

if [ -n "$wire" ]; then
  mkdir -p build/wire
  cap="$PWD/build/wire/run-$(date +%Y%m%d-%H%M%S).pcap"
  err="$cap.log"
  # -U and --immediate-mode: each packet reaches the file as it is captured
  tcpdump -i lo -U --immediate-mode -n -w "$cap" tcp 2>"$err" &
  tcpdump_pid=$!
  stop_capture() {
    kill -INT "$tcpdump_pid" 2>/dev/null || true
    wait "$tcpdump_pid" 2>/dev/null || true
    echo "capture kept in $cap (open it in Wireshark)" >&2
  }
  trap stop_capture EXIT
  for _ in $(seq 100); do # tcpdump says "listening on" once it captures (10 s at most)
    grep -q "listening on" "$err" 2>/dev/null && break
    if ! kill -0 "$tcpdump_pid" 2>/dev/null; then
      echo "run.sh: tcpdump cannot capture loopback here: $(cat "$err")" >&2
      exit 1
    fi
    sleep 0.1
  done
  set -- --wire "Z:${cap//\//\\}" "$@"
fi

if [ -n "${DISPLAY:-}" ]; then
  wine build/src/ui/shutdownlab.exe "$@"
  exit $?
fi
echo "(no display: running the headless runner; set DISPLAY for the window)" >&2
# through a pipe, not a terminal: Wine wraps console output on a tty in escapes
if [ $# -eq 0 ] || { [ -n "$wire" ] && [ $# -eq 2 ]; }; then set -- "$@" --run graceful-client; fi
wine build/src/cli/shutdownlab-cli.exe "$@" | cat
exit "${PIPESTATUS[0]}"
