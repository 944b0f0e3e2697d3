#!/usr/bin/env bash
# The packaging test: keeps the README's Install, Quick start and MCP server sections honest.
#
# Packs every package with one test version into a temporary folder, then, outside the repository (so that none of
# its Directory.Build.props or global.json applies), creates a console project and an MCP server project, adds the
# packages with the README's own install commands, builds them and runs the README's code, taken from README.md:
#   - the Quick start prints what the README says it prints;
#   - the MCP server, started from / as desktop clients start it, answers tools/call over stdio with the policy's
#     decisions, and a broken policy stops it at startup naming FILE:LINE:COL;
#   - the policyengine tool installs from the package and reports the test version.
# Usage: .ci/package-test.sh [VERSION]   (default: a unique 0.0.0-ci.* version, so no cached package is reused)
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
readme="$repo/README.md"
version=${1:-0.0.0-ci.$(date +%s).$$}
work=$(mktemp -d)
packages="$work/packages"
nuget_cache=${NUGET_PACKAGES:-$HOME/.nuget/packages}

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

cleanup() {
  rm -rf "$work"
  # The test version is unique: its copies in the package cache would only pile up.
  rm -rf "$nuget_cache"/policyengine*/"$version"
  rmdir "$nuget_cache"/policyengine* 2>/dev/null || true
}
trap cleanup EXIT

fail() { echo "package-test: FAILED: $*" >&2; exit 1; }

# block HEADING LANG [N]: the Nth (default 1st) ```LANG block of the README section "## HEADING".
block() {
  awk -v heading="## $1" -v lang="$2" -v want="${3:-1}" '
    /^## / { in_section = ($0 == heading) }
    in_section && !in_block && $0 == "```" lang { in_block = 1; n++; next }
    in_block && $0 == "```" { in_block = 0; if (n == want) exit; next }
    in_block && n == want { print }' "$readme"
}

# README commands, one per line, that start with PREFIX ("dotnet add package"), comments removed.
commands() { block "$1" sh | sed -e 's/[[:space:]]*#.*$//' | grep "^$2" || true; }

expect_contains() { # TEXT FRAGMENT WHAT
  [[ $1 == *"$2"* ]] || fail "$3: expected to contain [$2], got:"$'\n'"$1"
}

SECONDS=0
echo "==> dotnet pack -p:Version=$version"
dotnet pack "$repo/PolicyEngine.sln" -c Release -p:Version="$version" -o "$packages" --nologo -v:q
for id in PolicyEngine PolicyEngine.ModelContextProtocol PolicyEngine.Redis PolicyEngine.Cli; do
  for ext in nupkg snupkg; do
    [[ -f "$packages/$id.$version.$ext" ]] || fail "missing $id.$version.$ext"
  done
  # The listing is read whole first: `unzip | grep -q` fails under pipefail when grep stops early (SIGPIPE).
  listing=$(unzip -l "$packages/$id.$version.nupkg")
  for file in README.md icon.png CHANGELOG.md; do
    [[ $listing == *" $file"$'\n'* ]] || fail "$id has no $file"
  done
done
# No package may depend on another of ours at a different version (the set must restore as one).
for id in PolicyEngine PolicyEngine.ModelContextProtocol PolicyEngine.Redis PolicyEngine.Cli; do
  nuspec=$(unzip -p "$packages/$id.$version.nupkg" "$id.nuspec")
  expect_contains "$nuspec" "<version>$version</version>" "$id version"
  expect_contains "$nuspec" '<repository type="git" url="' "$id repository"
  if grep -o '<dependency id="PolicyEngine[^"]*" version="[^"]*"' <<<"$nuspec" | grep -v "version=\"$version\"" ; then
    fail "$id depends on PolicyEngine at another version"
  fi
done

# Symbols: each .snupkg holds a PDB with SourceLink to the repository and sources under /_/ (no local paths; the
# repository's folder name, when distinctive enough to search for, must not appear).
repo_name=$(basename "$repo")
for id in PolicyEngine PolicyEngine.ModelContextProtocol PolicyEngine.Redis PolicyEngine.Cli; do
  mkdir -p "$work/symbols/$id" && unzip -q -o "$packages/$id.$version.snupkg" -d "$work/symbols/$id"
  pdb=$(find "$work/symbols/$id" -name '*.pdb' | head -1)
  [[ -n $pdb ]] || fail "$id.$version.snupkg has no PDB"
  grep -aq '{"documents":{"/_/\*":"https://' "$pdb" || fail "$id: the PDB has no SourceLink for /_/"
  if (( ${#repo_name} >= 8 )) && grep -aq -- "$repo_name" "$pdb"; then
    fail "$id: the PDB holds the local path of the repository ($repo_name)"
  fi
done

# The packages folder added to the sources the machine already uses (no <clear/>): the README's commands then
# find the test version there and everything else where they always do.
cat > "$work/nuget.config" <<EOF
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="policyengine-test" value="$packages" />
  </packageSources>
</configuration>
EOF

# install_commands SECTION PREFIX: runs the README's commands of that kind, pinned to the test version.
install_commands() {
  local line found=0
  while IFS= read -r line; do
    [[ -n $line ]] || continue
    found=1
    if [[ $line == *" PolicyEngine"* ]]; then line+=" --version $version"; fi
    echo "    \$ $line"
    eval "$line" >/dev/null || fail "README command failed: $line"
  done < <(commands "$1" "$2")
  (( found )) || fail "no '$2' command in the README section '$1'"
}

echo "    (${SECONDS}s)"
echo "==> Quick start: a new console project with the README's install command"
mkdir -p "$work/quickstart" && cd "$work/quickstart"
dotnet new console --framework net10.0 -n QuickStart -o . >/dev/null
line=$(commands Install 'dotnet add package PolicyEngine$')
[[ -n $line ]] || fail "the Install section has no 'dotnet add package PolicyEngine'"
echo "    \$ $line"
eval "$line --version $version" >/dev/null || fail "README command failed: $line"
block "Quick start" json > policy.json
block "Quick start" csharp > Program.cs
[[ -s policy.json && -s Program.cs ]] || fail "no policy or code in the README's Quick start"
dotnet build -c Release --nologo -v:q -o out >/dev/null || { dotnet build -c Release --nologo -o out; fail "the Quick start does not build"; }
# Compared without trailing blanks, which editors remove from the README.
(cd out && cp ../policy.json . && dotnet QuickStart.dll) | sed 's/[[:space:]]*$//' > printed.txt
expected=$(block "Quick start" text | sed 's/[[:space:]]*$//')
[[ "$(cat printed.txt)" == "$expected" ]] || fail "the Quick start printed:"$'\n'"$(cat printed.txt)"$'\n'"the README says:"$'\n'"$expected"
echo "    prints what the README says"

echo "    (${SECONDS}s)"
echo "==> MCP server: a new project with the README's commands, started from /"
mkdir -p "$work/server" && cd "$work/server"
while IFS= read -r line; do
  [[ $line == "dotnet new console"* ]] || continue
  eval "${line%%&&*}" >/dev/null
  project=$(sed -E 's/.* -o ([^ ]+).*/\1/' <<<"${line%%&&*}")
done < <(block "MCP servers and clients" sh)
[[ -n ${project:-} ]] || fail "no 'dotnet new console' in the MCP section"
cd "$project"
install_commands "MCP servers and clients" "dotnet add package"
block "MCP servers and clients" csharp > Program.cs
block "MCP servers and clients" xml > "$work/item-group.xml"
[[ -s "$work/item-group.xml" ]] || fail "no csproj snippet in the MCP section"
csproj=$(ls ./*.csproj)
awk -v f="$work/item-group.xml" '/<\/Project>/ { while ((getline l < f) > 0) print "  " l } { print }' "$csproj" > "$work/project.xml"
mv "$work/project.xml" "$csproj"
cp "$work/quickstart/policy.json" policy.json
dotnet build -c Release --nologo -v:q -o out >/dev/null || { dotnet build -c Release --nologo -o out; fail "the MCP server does not build"; }
server_dll="$PWD/out/$project.dll"

coproc SERVER { cd / && exec dotnet "$server_dll" 2>"$work/server.err"; }
send() { printf '%s\n' "$1" >&"${SERVER[1]}"; }
reply() { # ID: the server's answer to request ID (60 s at most)
  local line
  while IFS= read -r -t 60 line <&"${SERVER[0]}"; do
    if [[ $line == *"\"id\":$1,"* || $line == *"\"id\":$1}"* ]]; then printf '%s' "$line"; return 0; fi
  done
  fail "no answer to request $1; server stderr:"$'\n'"$(cat "$work/server.err")"
}
call() { # ID AMOUNT
  send "{\"jsonrpc\":\"2.0\",\"id\":$1,\"method\":\"tools/call\",\"params\":{\"name\":\"binance_us_place_order\",\"arguments\":{\"symbol\":\"BTCUSD\",\"side\":\"buy\",\"amount\":$2}}}"
  reply "$1"
}
send '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"package-test","version":"1"}}}'
reply 1 >/dev/null
send '{"jsonrpc":"2.0","method":"notifications/initialized"}'
expect_contains "$(call 2 250)" 'Order placed: buy 250 BTCUSD.' "an allowed call"
expect_contains "$(call 3 9000)" '[POLICY DENIED] Orders above 5,000 USD are not allowed.' "a denied call"
call 4 1 >/dev/null
call 5 1 >/dev/null
expect_contains "$(call 6 1)" '[RATE LIMITED] Retry in' "the fourth order in 10 s"
server_in=${SERVER[1]}
exec {server_in}>&-
wait "$SERVER_PID" 2>/dev/null || true
echo "    allowed, denied and rate-limited calls answered as the policy says"

printf '{\n  "version": "1",\n  "defualt": "deny"\n}\n' > out/policy.json
status=0
# The README's server lets the startup exception end the process (SIGABRT); the shell's "Aborted" note is noise here.
{ (cd / && timeout 60 dotnet "$server_dll" </dev/null >/dev/null 2>"$work/bad.err") || status=$?; } 2>/dev/null
(( status != 0 && status != 124 )) || fail "a server with an invalid policy did not stop at startup (exit $status)"
errors=$(cat "$work/bad.err")
expect_contains "$errors" "$PWD/out/policy.json:1:1: /default: A policy document needs 'default'." "the startup failure"
expect_contains "$errors" "$PWD/out/policy.json:3:3: /defualt: Unknown key 'defualt'" "the startup failure"
echo "    an invalid policy stops the start with FILE:LINE:COL: POINTER: message"

echo "    (${SECONDS}s)"
echo "==> the policyengine tool, installed as the README says"
line=$(commands Install "dotnet tool install")
[[ $line == "dotnet tool install -g PolicyEngine.Cli" ]] || fail "unexpected tool install command: $line"
dotnet tool install PolicyEngine.Cli --tool-path "$work/tools" --version "$version" --add-source "$packages" >/dev/null
printed=$("$work/tools/policyengine" --version)
expect_contains "$printed" "policyengine $version" "policyengine --version"
"$work/tools/policyengine" validate "$work/quickstart/policy.json" || fail "policyengine validate rejected the Quick start policy"
echo "    $printed"

echo "package-test: passed ($version, ${SECONDS}s)"
