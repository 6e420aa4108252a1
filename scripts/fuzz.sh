#!/usr/bin/env bash
# Builds the libFuzzer harnesses of tests/fuzz (scenario parser, transcript formatters,
# recording reader, the handshake line) natively with clang, ASan and UBSan, the portable core compiled in,
# and runs each for SECONDS on a copy of its seed corpus. Exits non-zero on a crash, leak, timeout or UB;
# the reproducer is left in the output folder (printed).
# Usage: scripts/fuzz.sh [--tap] [SECONDS]   (default 60 s per harness)
#   --tap       TAP on stdout (the meson test 'fuzz'); "1..0 # SKIP" without clang
#   FUZZ_OUT    where binaries, corpora and crash reproducers go (default build-fuzz/)
#   FUZZ_JOBS   parallel fuzzing processes per harness (default 1)
#   FUZZ_BUILTIN  the generated builtin_scenarios.c to compile in (default: build/'s)
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
tap=0
if [ "${1:-}" = "--tap" ]; then
  tap=1
  shift
fi
seconds="${1:-60}"
out="${FUZZ_OUT:-$root/build-fuzz}"
jobs="${FUZZ_JOBS:-1}"
cc="${CLANG:-clang}"
harnesses=(fuzz_scenario fuzz_format fuzz_recording fuzz_hello fuzz_capture)

say() { if [ $tap = 1 ]; then echo "# $*"; else echo "$*"; fi; }
skip() {
  if [ $tap = 1 ]; then echo "1..0 # SKIP $*"; exit 0; fi
  echo "fuzz.sh: $*" >&2
  exit 1
}

case "$seconds" in
  ''|*[!0-9]*) echo "usage: scripts/fuzz.sh [--tap] [SECONDS]" >&2; exit 2 ;;
esac
command -v "$cc" >/dev/null 2>&1 || skip "no clang"
mkdir -p "$out" || exit 1
work="$(mktemp -d "$out/run.XXXXXX")" || exit 1
trap 'rm -rf "$work"' EXIT

# The fuzzer runtime (libclang-rt-*-dev) is a separate package: probe for it.
printf '#include <stdint.h>\n#include <stddef.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }\n' >"$work/probe.c"
"$cc" -fsanitize=fuzzer,address,undefined "$work/probe.c" -o "$work/probe" >/dev/null 2>&1 ||
  skip "no clang libFuzzer runtime (install libclang-rt-dev)"

# The built-ins as compiled into the programs: meson's generated file (FUZZ_BUILTIN, or
# build/'s), or made here from scenarios/.
builtin="$work/builtin_scenarios.c"
generated="${FUZZ_BUILTIN:-$root/build/src/core/builtin_scenarios.c}"
if [ -f "$generated" ]; then
  cp "$generated" "$builtin"
else
  python3 "$root/scripts/embed-scenarios.py" "$builtin" "$root"/scenarios/*.scn || exit 1
fi

flags=(-std=c11 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
       -fno-omit-frame-pointer -I"$root/src/core" -I"$root/tests/fuzz")
core=("$root"/src/core/*.c "$builtin")
for h in "${harnesses[@]}"; do
  if ! "$cc" "${flags[@]}" "$root/tests/fuzz/$h.c" "${core[@]}" -o "$out/$h" 2>"$work/$h.build.log"; then
    cat "$work/$h.build.log" >&2
    if [ $tap = 1 ]; then echo "1..${#harnesses[@]}"; echo "not ok 1 - $h builds"; exit 1; fi
    exit 1
  fi
done

[ $tap = 1 ] && echo "1..${#harnesses[@]}"
n=0
failed=0
for h in "${harnesses[@]}"; do
  n=$((n + 1))
  corpus="$work/corpus-${h#fuzz_}"
  seeds="$root/tests/fuzz/corpus/${h#fuzz_}"
  mkdir -p "$corpus" "$out/artifacts"
  opts=(-max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1
        -artifact_prefix="$out/artifacts/$h-")
  case $h in
    fuzz_scenario) opts+=(-max_len=20000 -dict="$root/tests/fuzz/scenario.dict") ;;
    fuzz_format) opts+=(-max_len=8192) ;;
    fuzz_recording) opts+=(-max_len=32768) ;;
    fuzz_hello) opts+=(-max_len=512) ;;
    fuzz_capture) opts+=(-max_len=16384) ;;
  esac
  [ "$jobs" -gt 1 ] && opts+=(-fork="$jobs" -ignore_crashes=0)
  log="$out/$h.log"
  say "$h: fuzzing for ${seconds}s (log: $log)"
  "$out/$h" "${opts[@]}" "$corpus" "$seeds" >"$log" 2>&1
  rc=$?
  execs=$(grep -aEo 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -Eo '[0-9]+$' | tail -1)
  if [ $rc = 0 ]; then
    [ $tap = 1 ] && echo "ok $n - $h: no crash, leak, hang or UB in ${seconds}s (${execs:-?} runs)"
    [ $tap = 1 ] || echo "$h: ok, ${execs:-?} runs"
  else
    failed=1
    artifact=$(grep -aEo "Test unit written to [^ ]+" "$log" | tail -1 | sed 's/Test unit written to //')
    [ $tap = 1 ] && echo "not ok $n - $h: failed (exit $rc), reproducer: ${artifact:-see log}"
    grep -aE 'jsonl|tap:|text|ERROR|SUMMARY|runtime error|==[0-9]+==' "$log" | head -20 | sed 's/^/# /'
    [ $tap = 1 ] || echo "$h: FAILED (exit $rc); reproducer ${artifact:-?}; log $log" >&2
  fi
done
exit $failed
