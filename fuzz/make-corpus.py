#!/usr/bin/env python3
"""Builds the seed corpus from the conformance cases kept in the repository.

corpus/policy/: every case's policy document (policy_text byte for byte when given) and reload documents.
corpus/call/:   every call, approve payload and raw line of every case, one §9 call line per file.
"""
import json, pathlib, hashlib

root = pathlib.Path(__file__).resolve().parent
cases = root.parent / "tests" / "PolicyEngine.Tests" / "Conformance" / "Cases"
out = {"policy": root / "corpus" / "policy", "call": root / "corpus" / "call"}
for d in out.values():
    d.mkdir(parents=True, exist_ok=True)
    for f in d.glob("*"):
        f.unlink()

def save(kind, name, text):
    data = text.encode("utf-8")
    digest = hashlib.sha256(data).hexdigest()[:8]
    (out[kind] / f"{name}-{digest}").write_bytes(data)

for path in sorted(cases.glob("*.json")):
    case = json.loads(path.read_text(encoding="utf-8"))
    stem = path.stem
    if "policy_text" in case:
        save("policy", stem, case["policy_text"])
    elif "policy" in case:
        save("policy", stem, json.dumps(case["policy"], ensure_ascii=False))
    for i, step in enumerate(case.get("steps", [])):
        if "call" in step:
            save("call", f"{stem}-{i}", json.dumps(step["call"], ensure_ascii=False))
        elif "raw" in step:
            # Lines that are not JSON never reach the engine (no coverage), and AFL++ aborts on such seeds.
            try:
                json.loads(step["raw"])
            except ValueError:
                continue
            save("call", f"{stem}-{i}", step["raw"])
        elif "approve" in step:
            save("call", f"{stem}-{i}", json.dumps(step["approve"], ensure_ascii=False))
        elif "reload" in step:
            save("policy", f"{stem}-reload-{i}", json.dumps(step["reload"], ensure_ascii=False))

# A few hostile seeds the cases do not cover.
save("call", "hostile-deep", '{"tool":"transfer","arguments":{"a":' + "[" * 70 + "]" * 70 + "}}")
save("call", "hostile-numbers", '{"tool":"transfer","arguments":{"to":"x","amount":1e400},"context":{"role":"admin","user":"u"}}')
# No lone-surrogate seed: it crashes today (see RegressionTests) and AFL++ refuses crashing seeds.
save("call", "hostile-dup", '{"tool":"transfer","arguments":{"to":"x","to":"blocked","amount":5}}')
save("policy", "hostile-regex", '{"version":"1","default":"deny","tools":{"x":{"deny_if":[{"conditions":[{"path":"args.a","op":"regex","value":"(a+)+$"}]}]}}}')
print(f"policy seeds: {len(list(out['policy'].iterdir()))}, call seeds: {len(list(out['call'].iterdir()))}")
