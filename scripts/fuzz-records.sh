#!/usr/bin/env bash
# Fuzz benchmark: throws N mutated real record files at the daemon's record parser (RecordFuzzTests, the fuzzer the
# test command runs for 20 s) and reports mutations per second. Any exception other than FormatException, or a record
# past SummaryBounds, fails the run and keeps the file under $TMPDIR/polaris-fuzz-*.rec.
#
#   bash scripts/fuzz-records.sh [N] [SEED]      (defaults: 1,000,000 mutations, seed 20261130)
#
# The real daemon over thousands of mutated files is MutatedRecordTests in tests/Polaris.EndToEnd.Tests.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
mutations=${1:-1000000}
seed=${2:-20261130}
cd "$root"
dotnet build tests/Polaris.Agent.Tests -c Release --nologo -v quiet -clp:ErrorsOnly >/dev/null
POLARIS_FUZZ_MUTATIONS="$mutations" POLARIS_FUZZ_SEED="$seed" \
  dotnet test tests/Polaris.Agent.Tests --no-build -c Release --nologo \
  --filter "FullyQualifiedName~RecordFuzzTests" --logger "console;verbosity=detailed" |
  grep -E "mutations/s|of which|kept |Failed|Passed|Exception|after" || true
