#!/usr/bin/env bash
# Issue 4, "Cedar, side by side": runs EvaluateBenchmarks.ExactToolAllow and .FiveConditions with BenchmarkDotNet
# and the same policies and calls in Cedar (peers/cedar/bench.js on @cedar-policy/cedar-wasm), then prints
# both medians in ns per decision and the ratio. Target: ours >= 200x faster per decision.
# Usage: benchmarks/compare-cedar.sh [--job short|medium|default] [artifacts-dir]   (a few minutes)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
job="short"
if [[ "${1:-}" == "--job" ]]; then
  job="$2"
  shift 2
fi
artifacts="${1:-$(mktemp -d)}"
mkdir -p "$artifacts"

# BenchmarkDotNet finds the project to build from the working directory: run from here.
cd "$here"
echo "compare-cedar: .NET side (BenchmarkDotNet, --job $job) ..."
dotnet run -c Release --project "$here/PolicyEngine.Benchmarks" -- \
  --filter '*EvaluateBenchmarks.ExactToolAllow' '*EvaluateBenchmarks.FiveConditions' \
  --job "$job" --exporters json --artifacts "$artifacts" >"$artifacts/dotnet.log" 2>&1 || {
  tail -n 40 "$artifacts/dotnet.log"
  exit 1
}

echo "compare-cedar: Cedar side (node) ..."
(cd "$here/peers/cedar" && { [[ -d node_modules ]] || npm ci --no-audit --no-fund >/dev/null; } && node bench.js --json) >"$artifacts/cedar.json"

report="$(find "$artifacts/results" -name '*EvaluateBenchmarks-report-full*.json' | head -n 1)"
python3 - "$report" "$artifacts/cedar.json" <<'PY'
import json, sys

with open(sys.argv[1], encoding="utf-8") as f:
    dotnet = json.load(f)
with open(sys.argv[2], encoding="utf-8") as f:
    cedar = json.load(f)
ours = {b["Method"]: (b.get("Statistics") or {}).get("Median") for b in dotnet["Benchmarks"]}
env = dotnet["HostEnvironmentInfo"]
print(f"# {env['RuntimeVersion']}, {env['ProcessorName']} ({env['LogicalCoreCount']} logical cores); "
      f"Cedar {cedar['cedarVersion']} on node {cedar['node']}")
print(f"{'workload':<16} {'ours (ns)':>10} {'Cedar (ns)':>12} {'ratio':>9}  target >= 200x")
failed = False
for name in ("ExactToolAllow", "FiveConditions"):
    mine, theirs = ours.get(name), cedar["medianNsPerDecision"][name]
    if mine is None:
        print(f"{name:<16} {'NA':>10} {theirs:>12.0f}   (no .NET result)")
        failed = True
        continue
    ratio = theirs / mine
    print(f"{name:<16} {mine:>10.1f} {theirs:>12.0f} {ratio:>8.0f}x  {'met' if ratio >= 200 else 'MISSED'}")
for name, ns in cedar["medianNsPerDecision"].items():
    if "/" in name:
        print(f"  Cedar {name}: {ns:.0f} ns")
sys.exit(1 if failed else 0)
PY
