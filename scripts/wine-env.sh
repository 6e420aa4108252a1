# wine-env.sh: sourced by the other scripts. One Wine prefix for ShutdownLab (a cache, never
# committed), made once, and Wine started once before tests: Wine's background processes
# otherwise hold every test's output pipe open for ~2.5 s
# (reference/wine8-toolchain-and-winsock-measurements.md, section 1).
export WINEPREFIX="${SHUTDOWNLAB_WINEPREFIX:-${XDG_CACHE_HOME:-$HOME/.cache}/shutdownlab/wineprefix}"
export WINEDEBUG="${WINEDEBUG:--all}"
export WINEDLLOVERRIDES="${WINEDLLOVERRIDES:-mscoree,mshtml=}"   # no Mono or Gecko prompts
export WINEARCH=win64

# Creates the prefix if needed. Without a window manager (Xvfb), Wine draws its own
# window frames when Managed=N.
wine_prepare() {
  if [ ! -f "$WINEPREFIX/system.reg" ]; then
    mkdir -p "$WINEPREFIX"
    echo "wine: creating the prefix in $WINEPREFIX (once; about 15 s)"
    wineboot -i </dev/null >/dev/null 2>&1 || true
    wineserver -w
    wine reg add 'HKCU\Software\Wine\X11 Driver' /v Managed /d N /f </dev/null >/dev/null 2>&1 || true
    wineserver -w
  fi
}

# Starts wineserver and Wine's services with their stdio detached. Call it under the
# display the tests will use: a wineserver keeps the DISPLAY it started with.
wine_warm() {
  wineserver -k 2>/dev/null || true
  wineserver -w 2>/dev/null || true
  wineserver -p </dev/null >/dev/null 2>&1
  wine wineboot </dev/null >/dev/null 2>&1 || true
}

wine_stop() {
  wineserver -k 2>/dev/null || true
}
