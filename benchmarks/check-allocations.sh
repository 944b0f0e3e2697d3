#!/usr/bin/env bash
# CI gate (issue 4): runs the suite with the short in-process job (--ci) and fails if any EvaluateBenchmarks
# method allocates, i.e. if its BytesAllocatedPerOperation is not 0 in BenchmarkDotNet's full JSON report, or
# if it has no result at all (a setup that threw, a crash). Timings are printed but not gated: CI machines are
# noisy, allocation counts are exact.
# Usage: benchmarks/check-allocations.sh [artifacts-dir]
#   BENCH_FILTER='*EvaluateBenchmarks*' runs only the gated class (default: the whole suite, '*').
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
artifacts="${1:-$(mktemp -d)}"
mkdir -p "$artifacts"
methods="ExactToolAllow FiveConditions GlobResolved HiddenOrInvalid SessionRateLimit SessionRateLimitExhausted TenThousandSessions CalendarBudget"

# BenchmarkDotNet finds the project to build from the working directory: run from here, never from elsewhere.
cd "$here"
# The --ci job runs in process with short warm-ups. On a loaded machine the tiered JIT's 100 ms call-counting
# delay can leave a method in Tier-0 code while it is measured, and Tier-0 code is slower and may allocate
# where the optimized code does not. Promote hot methods without the delay, so the gate sees steady-state code.
export DOTNET_TC_CallCountingDelayMs=0
dotnet run -c Release --project "$here/PolicyEngine.Benchmarks" -- \
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

python3 - "$report" $methods <<'PY'
import json, sys

report, expected = sys.argv[1], sys.argv[2:]
with open(report, encoding="utf-8") as f:
    benchmarks = {b["Method"]: b for b in json.load(f)["Benchmarks"]}

failures = []
for method in expected:
    b = benchmarks.get(method)
    allocated = (b or {}).get("Memory", {}).get("BytesAllocatedPerOperation") if b else None
    median = ((b or {}).get("Statistics") or {}).get("Median")
    if allocated is None:
        failures.append(f"{method}: no result (did its setup throw? see run.log)")
    elif allocated > 0:
        failures.append(f"{method}: allocates {allocated} B per operation")
    shown = f"{median:8.1f} ns" if median is not None else "      NA"
    print(f"  {method:<28} {shown}  {allocated if allocated is not None else 'NA'} B/op")

if failures:
    print("check-allocations: FAILED", *failures, sep="\n  ", file=sys.stderr)
    sys.exit(1)
print(f"check-allocations: all {len(expected)} EvaluateBenchmarks methods allocate 0 B per operation")
PY
