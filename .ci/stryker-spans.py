#!/usr/bin/env python3
"""Stryker `-m` patterns for the mutants a full run left undetected, mapped onto the sources of today.

    python3 .ci/stryker-spans.py <mutation-report.json> <commit the report was made at>

Prints one pattern per file (`**/Limits/LimitGate.cs{start..end}...`, character spans, each undetected mutant's lines
and one line either side), found by matching the file's lines at that commit to the working tree's. Pass each to
`dotnet-stryker -m` to test those mutants again without a full run (docs/assurance.md, "Re-run over the undetected
mutants"). A mutant whose lines changed since is reported on stderr and left out: run the file in full then.
"""
import collections
import difflib
import json
import subprocess
import sys

report, commit = sys.argv[1:3]
spans = collections.defaultdict(set)
for path, entry in json.load(open(report, encoding='utf-8'))['files'].items():
    rel = path[path.index('src/'):]
    undetected = [m for m in entry['mutants'] if m['status'] in ('Survived', 'NoCoverage')]
    if not undetected:
        continue
    old = subprocess.run(['git', 'show', f'{commit}:{rel}'], capture_output=True, text=True, check=True).stdout.split('\n')
    new = open(rel, encoding='utf-8-sig').read().split('\n')
    moved = {}
    for tag, i1, i2, j1, _ in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if tag == 'equal':
            moved.update((i1 + k, j1 + k) for k in range(i2 - i1))
    starts = [0]
    for line in new:
        starts.append(starts[-1] + len(line) + 1)
    for m in undetected:
        first, last = m['location']['start']['line'] - 1, m['location']['end']['line'] - 1
        if first not in moved or last not in moved:
            print(f'changed since {commit}: {rel}:{first + 1} ({m["mutatorName"]})', file=sys.stderr)
            continue
        a, b = max(moved[first] - 1, 0), min(moved[last] + 1, len(new) - 1)
        spans[rel].add((starts[a], starts[b + 1] - 1))
for rel, found in sorted(spans.items()):
    print('**/' + rel.split('src/PolicyEngine/', 1)[1] + ''.join(f'{{{a}..{b}}}' for a, b in sorted(found)))
