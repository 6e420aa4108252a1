#!/usr/bin/env bash
# Runs every built-in scenario in both roles N times (default 20) through the headless
# runner under Wine, and prints the failures by scenario, role and exit code (every run
# should exit 0). With --load it keeps every core busy meanwhile, as a loaded classroom
# machine would be. The transcript and stderr of each failed run are kept in build/soak/.
# Usage: scripts/soak.sh [N] [--load]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=20
load=0
for a in "$@"; do
  case "$a" in
    --load) load=1 ;;
    ''|*[!0-9]*) echo "usage: scripts/soak.sh [N] [--load]" >&2; exit 2 ;;
    *) runs=$a ;;
  esac
done
scripts/setup-debian.sh --quiet
scripts/build.sh >/dev/null
. scripts/wine-env.sh
wine_prepare
wine_warm
cli=build/src/cli/shutdownlab-cli.exe
out=build/soak
rm -rf "$out"
mkdir -p "$out"

busy=()
stop_load() { for p in "${busy[@]}"; do kill "$p" 2>/dev/null || true; done; wine_stop; }
trap stop_load EXIT
if [ "$load" = 1 ]; then
  for _ in $(seq "$(nproc)"); do (while :; do :; done) & busy+=($!); done
fi

mapfile -t names < <(wine "$cli" --list </dev/null | awk '{print $1}')
total=0
failed=0
declare -A fails
start=$(date +%s)
for i in $(seq "$runs"); do
  for n in "${names[@]}"; do
    for role in client server; do
      total=$((total + 1))
      set +e
      wine "$cli" --run "$n" --role "$role" --format jsonl </dev/null >"$out/run.jsonl" 2>"$out/run.err"
      rc=$?
      set -e
      if [ "$rc" != 0 ]; then
        failed=$((failed + 1))
        key="$n $role exit $rc"
        fails[$key]=$(( ${fails[$key]:-0} + 1 ))
        mv "$out/run.jsonl" "$out/$n-$role-$i.jsonl"
        mv "$out/run.err" "$out/$n-$role-$i.err"
        echo "soak: run $total: $n as $role exited $rc: $(head -c 300 "$out/$n-$role-$i.err" | tr '\n' ' ')" >&2
      fi
    done
  done
done
rm -f "$out/run.jsonl" "$out/run.err"
echo "soak: $total runs of ${#names[@]} scenarios in both roles, $runs times$([ "$load" = 1 ] && echo ", every core kept busy") in $(( $(date +%s) - start )) s"
for key in "${!fails[@]}"; do
  echo "  ${fails[$key]} x $key"
done | sort
echo "soak: $failed failures"
[ "$failed" = 0 ]
