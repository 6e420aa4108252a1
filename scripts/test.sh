#!/usr/bin/env bash
# Runs every test: installs what is missing, builds, starts Wine once inside one
# xvfb-run (GUI tests need a display, and Wine keeps the display it started with), runs
# `meson test`, and ends with the line "N passed, N failed" from Meson's results.
# Usage: scripts/test.sh [meson test arguments, e.g. --suite core]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-debian.sh --quiet
scripts/build.sh
. scripts/wine-env.sh
wine_prepare

set +e
xvfb-run -a -s '-screen 0 1280x1024x24' bash -c '
  . scripts/wine-env.sh
  wine_warm
  meson test -C build --print-errorlogs "$@"
  rc=$?
  wine_stop
  exit $rc' bash "$@"
rc=$?
set -e
python3 scripts/test-summary.py build/meson-logs/testlog.json
exit $rc
