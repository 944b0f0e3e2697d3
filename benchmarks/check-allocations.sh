#!/usr/bin/env bash
# CI gate (issue 4, issue 20). Two parts:
# 1. The exact gate: `--allocation-probe` runs every [Benchmark] method of EvaluateBenchmarks (found by
#    reflection, no list to keep) after its setup and counts the bytes the thread allocates over 200,000 calls
#    with GC.GetAllocatedBytesForCurrentThread. Any byte in every measured round fails. BenchmarkDotNet's
#    bytes per operation are rounded, so anything under 0.5 B/op passed the old gate.
# 2. The short in-process BenchmarkDotNet job (--ci), for timings (printed, not gated: CI machines are noisy).
#    Its methods come from the report itself; one with no result (a setup that threw, a crash) fails.
# Usage: benchmarks/check-allocations.sh [artifacts-dir]   (the directory is emptied first)
#   BENCH_FILTER='*EvaluateBenchmarks*' runs only the gated class (default: the whole suite, '*').
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
artifacts="${1:-$(mktemp -d)}"
# Start clean: an old report left in the folder must never stand in for this run's.
rm -rf "$artifacts"
mkdir -p "$artifacts"

# BenchmarkDotNet finds the project to build from the working directory: run from here, never from elsewhere.
cd "$here"
# The --ci job runs in process with short warm-ups. On a loaded machine the tiered JIT's 100 ms call-counting
# delay can leave a method in Tier-0 code while it is measured, and Tier-0 code is slower and may allocate
# where the optimized code does not. Promote hot methods without the delay, so the gate sees steady-state code.
export DOTNET_TC_CallCountingDelayMs=0

dotnet build -c Release "$here/PolicyEngine.Benchmarks" --nologo -v quiet >"$artifacts/build.log" 2>&1 || {
  tail -n 40 "$artifacts/build.log"
  echo "check-allocations: the build failed (log: $artifacts/build.log)" >&2
  exit 1
}
probe_status=0
dotnet run -c Release --no-build --project "$here/PolicyEngine.Benchmarks" -- --allocation-probe | tee "$artifacts/probe.log" || probe_status=$?

dotnet run -c Release --no-build --project "$here/PolicyEngine.Benchmarks" -- \
  --ci --filter "${BENCH_FILTER:-*}" --exporters json --artifacts "$artifacts" >"$artifacts/run.log" 2>&1 || {
  tail -n 60 "$artifacts/run.log"
  echo "check-allocations: the benchmark run failed (log: $artifacts/run.log)" >&2
  exit 1
}

report="$(find "$artifacts/results" -name '*EvaluateBenchmarks-report-full*.json' | head -n 1)"
if [[ -z "$report" ]]; then
  echo "check-allocations: no full JSON report under $artifacts/results" >&2
  exit 1
fi

python3 - "$report" <<'PY'
import json, sys

with open(sys.argv[1], encoding="utf-8") as f:
    benchmarks = json.load(f)["Benchmarks"]

failures = []
if not benchmarks:
    failures.append("the report lists no benchmarks")
for b in benchmarks:
    method = b["Method"]
    allocated = (b.get("Memory") or {}).get("BytesAllocatedPerOperation")
    median = (b.get("Statistics") or {}).get("Median")
    if median is None:
        failures.append(f"{method}: no result (did its setup throw? see run.log)")
    shown = f"{median:8.1f} ns" if median is not None else "      NA"
    print(f"  {method:<28} {shown}  {allocated if allocated is not None else 'NA'} B/op (rounded, for information)")

if failures:
    print("check-allocations: FAILED", *failures, sep="\n  ", file=sys.stderr)
    sys.exit(1)
PY

if (( probe_status != 0 )); then
  echo "check-allocations: FAILED: a method allocated in every measured round (probe.log above)" >&2
  exit 1
fi
echo "check-allocations: every EvaluateBenchmarks method allocates 0 bytes over 200,000 calls"
