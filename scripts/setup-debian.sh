#!/usr/bin/env bash
# Installs, with apt-get, only what ShutdownLab needs and this machine lacks (Debian 12):
# the MinGW-w64 cross compiler, Wine, Meson and Ninja, Xvfb for the GUI tests, Wine's
# fonts, clang with its fuzzer and sanitizer runtimes for the native core, tcpdump (the
# wire test captures what really left on loopback) and tshark with editcap and mergecap
# (test_captures holds the capture reader and the pcapng writer to Wireshark's tools).
# Usage: scripts/setup-debian.sh [--quiet]
set -euo pipefail

packages=(gcc-mingw-w64-x86-64 wine wine64 meson ninja-build python3 xvfb xauth fonts-wine
          clang libclang-rt-14-dev tcpdump socat tshark)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  [ "${1:-}" = --quiet ] || echo "setup: everything ShutdownLab needs is installed"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "setup: missing ${missing[*]}, and this is not a Debian-like system: install them by hand" >&2
  exit 1
fi
sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo=(sudo); else
    echo "setup: missing ${missing[*]}; run as root or install sudo" >&2
    exit 1
  fi
fi
echo "setup: installing ${missing[*]}"
"${sudo[@]}" apt-get update -qq
# wireshark-common asks whether non-root users may capture; answered here (no, its default)
# so that the install never waits for a question
echo "wireshark-common wireshark-common/install-setuid boolean false" | "${sudo[@]}" debconf-set-selections
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup: done"
