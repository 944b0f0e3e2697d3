#!/usr/bin/env bash
# Fuzzes one target of the PolicyEngine SharpFuzz harness with AFL++ for a bounded time.
#   fuzz/run.sh policy|call|mcp SECONDS
# Installs afl++ (Debian) and SharpFuzz.CommandLine if missing, builds Release, instruments
# PolicyEngine.dll, runs afl-fuzz, prints every crash and exits 1 if there is any.
set -euo pipefail

TARGET="${1:-}"
SECONDS_TO_RUN="${2:-60}"
if [[ "$TARGET" != "policy" && "$TARGET" != "call" && "$TARGET" != "mcp" ]] || ! [[ "$SECONDS_TO_RUN" =~ ^[0-9]+$ ]]; then
  echo "usage: $0 policy|call|mcp SECONDS" >&2
  exit 2
fi

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
WORK="${FUZZ_WORK:-$HERE/.work}"
TOOLS="$WORK/tools"
OUT="$WORK/build-$TARGET"
FINDINGS="$WORK/findings-$TARGET"
SHARPFUZZ_VERSION="${SHARPFUZZ_VERSION:-}"

if ! command -v afl-fuzz >/dev/null 2>&1; then
  echo "== installing afl++"
  SUDO=""; [[ "$(id -u)" != 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq afl++ >/dev/null
fi

if [[ ! -x "$TOOLS/sharpfuzz" ]]; then
  echo "== installing SharpFuzz.CommandLine ${SHARPFUZZ_VERSION:-latest}"
  dotnet tool install --tool-path "$TOOLS" SharpFuzz.CommandLine ${SHARPFUZZ_VERSION:+--version "$SHARPFUZZ_VERSION"} >/dev/null
fi

echo "== building (Release)"
rm -rf "$OUT"
dotnet publish "$HERE/PolicyEngine.Fuzz/PolicyEngine.Fuzz.csproj" -c Release -o "$OUT" --nologo -v quiet >/dev/null

# An uninstrumented copy replays crashes outside AFL (instrumented code needs AFL's shared memory).
rm -rf "$OUT-plain"
cp -r "$OUT" "$OUT-plain"

echo "== instrumenting PolicyEngine.dll"
"$TOOLS/sharpfuzz" "$OUT/PolicyEngine.dll"
if [[ "$TARGET" == "mcp" ]]; then
  # The mcp target's coverage is mostly the adapter's (the schema check before the policy).
  echo "== instrumenting PolicyEngine.ModelContextProtocol.dll"
  "$TOOLS/sharpfuzz" "$OUT/PolicyEngine.ModelContextProtocol.dll"
fi

[[ -d "$HERE/corpus/$TARGET" ]] || python3 "$HERE/make-corpus.py"

# Replay the whole seed corpus without instrumentation first: a seed that crashes (an old regression
# such as hostile-invalid-utf8 coming back) fails the run here, before AFL could skip it.
echo "== replaying corpus/$TARGET without instrumentation"
mapfile -t SEEDS < <(find "$HERE/corpus/$TARGET" -type f | sort)
if ! dotnet "$OUT-plain/PolicyEngine.Fuzz.dll" "$TARGET" "${SEEDS[@]}"; then
  echo "error: a seed of corpus/$TARGET throws (above); fix it before fuzzing" >&2
  exit 1
fi

rm -rf "$FINDINGS"
mkdir -p "$FINDINGS"
echo "== afl-fuzz $TARGET for ${SECONDS_TO_RUN}s"
# Container-friendly settings: no CPU governor or core_pattern checks, no UI, no CPU pinning on a shared
# machine; dotnet itself is not AFL-instrumented (SharpFuzz instruments the IL), hence SKIP_BIN_CHECK.
export AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 AFL_SKIP_BIN_CHECK=1 \
       AFL_NO_AFFINITY=1 AFL_FORKSRV_INIT_TMOUT=60000
set +e
afl-fuzz -i "$HERE/corpus/$TARGET" -o "$FINDINGS" -t 5000 -m none -V "$SECONDS_TO_RUN" \
  -- dotnet "$OUT/PolicyEngine.Fuzz.dll" "$TARGET" > "$FINDINGS/afl.log" 2>&1
AFL_RC=$?
set -e

STATS="$(find "$FINDINGS" -name fuzzer_stats | head -1)"
if [[ -z "$STATS" ]]; then
  echo "afl-fuzz did not start (exit $AFL_RC):" >&2
  tail -40 "$FINDINGS/afl.log" >&2
  exit 3
fi
grep -E '^(execs_done|execs_per_sec|corpus_count|saved_crashes|saved_hangs|unique_crashes|unique_hangs) ' "$STATS" || true

mapfile -t CRASHES < <(find "$FINDINGS" -path '*/crashes/id:*' -type f | sort)
mapfile -t HANGS < <(find "$FINDINGS" -path '*/hangs/id:*' -type f | sort)

# A run that barely executed proves nothing: fail under a floor (FUZZ_MIN_EXECS, default 50 per second asked;
# the call target ran about 15,000 a second on a shared 2-core machine).
EXECS="$(awk '$1 == "execs_done" { print $3 }' "$STATS")"
MIN_EXECS="${FUZZ_MIN_EXECS:-$(( SECONDS_TO_RUN * 50 ))}"
if (( ${EXECS:-0} < MIN_EXECS )); then
  echo "error: afl-fuzz ran only ${EXECS:-0} executions in ${SECONDS_TO_RUN}s (floor $MIN_EXECS)" >&2
  exit 1
fi

# A hang is an input the engine did not decide within AFL's 5 s: it fails the run like a crash.
for h in "${HANGS[@]}"; do
  echo "--- hang: $h"
  head -c 600 "$h" | od -c | head -12
done
if (( ${#HANGS[@]} > 0 )); then
  echo "== ${#HANGS[@]} hang(s) in $TARGET" >&2
  exit 1
fi
if (( ${#CRASHES[@]} > 0 )); then
  echo "== ${#CRASHES[@]} crash(es) in $TARGET:"
  for c in "${CRASHES[@]}"; do
    echo "--- $c"
    head -c 600 "$c" | od -c | head -12
    echo "replay: dotnet $OUT-plain/PolicyEngine.Fuzz.dll $TARGET '$c'"
    dotnet "$OUT-plain/PolicyEngine.Fuzz.dll" "$TARGET" "$c" 2>&1 | head -6 || true
  done
  exit 1
fi
echo "== no crashes"
