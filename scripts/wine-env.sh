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
#
# It also starts one Wine process that lives until wine_stop (cmd.exe reading a FIFO this
# shell holds open): Wine's desktop process (explorer.exe /desktop) ends about a second after
# the last Wine program, and the next program that opens a window starts it again with that
# program's stdio. A test waiting for its program's output pipe to close then waited for
# explorer too (seen as a run whose transcript was complete that did not "exit" within 120 s
# under load), and every run paid ~0.25 s to start the desktop again. With the keeper the
# desktop stays: a CLI run here went from 0.42-0.47 s to 0.19-0.24 s.
wine_warm() {
  wineserver -k 2>/dev/null || true
  wineserver -w 2>/dev/null || true
  wineserver -p </dev/null >/dev/null 2>&1
  wine wineboot </dev/null >/dev/null 2>&1 || true
  _wine_keeper_dir=$(mktemp -d)
  mkfifo "$_wine_keeper_dir/in"
  wine cmd.exe <"$_wine_keeper_dir/in" >/dev/null 2>&1 &
  exec {_wine_keeper_fd}>"$_wine_keeper_dir/in"   # cmd.exe reads until this is closed
  rm -rf "$_wine_keeper_dir"
}

wine_stop() {
  if [ -n "${_wine_keeper_fd:-}" ]; then
    exec {_wine_keeper_fd}>&-
    unset _wine_keeper_fd
  fi
  wineserver -k 2>/dev/null || true
}
