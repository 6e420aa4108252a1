#!/usr/bin/env bash
# Configures (once) and builds ShutdownLab into build/ with the MinGW-w64 cross file.
# Usage: scripts/build.sh   (run scripts/setup-debian.sh first on a fresh machine)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f build/build.ninja ]; then
  if ! meson setup build --cross-file cross/x86_64-w64-mingw32.ini -Dwerror=true >build-setup.log 2>&1; then
    cat build-setup.log >&2
    exit 1
  fi
  rm -f build-setup.log
fi
ninja -C build
