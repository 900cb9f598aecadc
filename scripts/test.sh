#!/usr/bin/env bash
# Runs every test: installs what they need, builds (AOT agent included) and the RPMs, then runs all test projects.
# Ends with the line "N passed, N failed".
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

bash scripts/setup-debian.sh
CONFIGURATION=Release bash scripts/build.sh
# The RPMs as an admin builds them (RpmTests check them), from the agent build.sh just published.
rm -rf artifacts/rpm
bash rpm/build.sh --agent artifacts/agent artifacts/rpm

log=$(mktemp)
status=0
dotnet test Polaris.Agent.sln -c Release --no-build --nologo 2>&1 | tee "$log" || status=$?
passed=$(grep -Eo 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -Eo 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
rm -f "$log"
echo "$passed passed, $failed failed"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then
  exit 1
fi
