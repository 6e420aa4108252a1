#!/usr/bin/env bash
# Runs ShutdownLab on this machine: installs what is missing, builds, and launches the
# GUI under Wine; where there is no display, runs the headless runner instead and
# prints the graceful-client transcript. Arguments go to the program.
# Usage: scripts/run.sh [shutdownlab.exe or shutdownlab-cli.exe arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-debian.sh --quiet
scripts/build.sh
. scripts/wine-env.sh
wine_prepare
if [ -n "${DISPLAY:-}" ]; then
  exec wine build/src/ui/shutdownlab.exe "$@"
fi
echo "(no display: running the headless runner; set DISPLAY for the window)" >&2
# through a pipe, not a terminal: Wine wraps console output on a tty in escapes
if [ $# -eq 0 ]; then set -- --run graceful-client; fi
wine build/src/cli/shutdownlab-cli.exe "$@" | cat
exit "${PIPESTATUS[0]}"
