#!/usr/bin/env bash
# Builds everything: the solution (collector, libraries, tests) and the native-AOT agent.
# The AOT publish must be free of warnings: any IL trimming or AOT warning fails the build.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
configuration=${CONFIGURATION:-Release}

echo "build: solution ($configuration)"
dotnet build Polaris.Agent.sln -c "$configuration" --nologo -v quiet -clp:ErrorsOnly

echo "build: polaris-agent (native AOT)"
log=$(mktemp)
if ! dotnet publish agent/Polaris.Agent -c Release -r linux-x64 -p:PublishAot=true -o artifacts/agent --nologo >"$log" 2>&1; then
  cat "$log"; rm -f "$log"; exit 1
fi
if grep -E "warning (IL|AOT|CS|NU)[0-9]+" "$log" | grep -v NU1603 ; then
  echo "build: the AOT publish printed warnings (above)"; rm -f "$log"; exit 1
fi
rm -f "$log"
echo "build: artifacts/agent/polaris-agent $(du -h artifacts/agent/polaris-agent | cut -f1)"
