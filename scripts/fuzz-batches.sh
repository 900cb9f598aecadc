#!/usr/bin/env bash
# Fuzzes the batch decoder: mutates real encoded batches (their MessagePack before compression, and the compressed
# bytes) and checks that every one decodes to valid summaries (the others refused with a reason) or is refused as a
# format error, never anything else. Reports mutations per second.
#
#   bash scripts/fuzz-batches.sh [MUTATIONS] [SEED]      (defaults: 1,000,000 mutations, seed 20261130)
#
# The test run by `dotnet test` is the same one, stopped after 20,000 mutations or 20 s.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
mutations=${1:-1000000}
seed=${2:-20261130}
dotnet build "$root/tests/Polaris.Wire.Tests" -c Release --nologo -v quiet -clp:ErrorsOnly >/dev/null
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
POLARIS_FUZZ_MUTATIONS=$mutations POLARIS_FUZZ_SEED=$seed dotnet test "$root/tests/Polaris.Wire.Tests" --no-build -c Release \
    --filter "FullyQualifiedName~BatchFuzzTests.Mutated" --logger "console;verbosity=detailed" >"$log" 2>&1 || status=$?
grep -E "fuzz:|threw|Error Message" -A3 "$log" || true
[ "$status" -eq 0 ] && grep -q "Passed Polaris.Wire.Tests.BatchFuzzTests" "$log" || { cat "$log" >&2; echo "fuzz-batches: FAILED (seed $seed)" >&2; exit 1; }
