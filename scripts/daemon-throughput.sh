#!/usr/bin/env bash
# Benchmark: process records per second that `polaris-agent serve` takes in, enriches, merges into summaries and
# spools, on one core (taskset), and its peak resident memory while doing so.
#
#   bash scripts/daemon-throughput.sh [RECORDS] [CPU]      (defaults: 20000 records, core 1)
#
# The records are one real record of `import pandas` (about 580 modules, written by the real hook) under
# RECORDS names (hard links, so the benchmark measures the daemon, not the disk). They wait in the drop folder
# before the daemon starts, as after a node's reboot or the end of a large job; the clock runs from the
# daemon's start until its status socket reports every record spooled. Nothing is shipped (the collector
# address is the discard port), so the spool holds every summary.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
records=${1:-20000}
cpu=${2:-1}
agent="${AGENT:-$root/artifacts/agent/polaris-agent}"
[ -x "$agent" ] || CONFIGURATION=Release bash "$root/scripts/build.sh" >/dev/null
work=$(mktemp -d /var/tmp/polaris-throughput.XXXXXX)
daemon=""
trap '[ -n "$daemon" ] && kill "$daemon" 2>/dev/null; rm -rf "$work"' EXIT

mkdir -p "$work/sample" "$work/incoming"
"$agent" run --drop "$work/sample" -- /usr/bin/python3 -c "import pandas"
sample=$(ls "$work"/sample/*.rec)
modules=$(/usr/bin/python3 -c "import pandas, sys; print(len(sys.modules))")
/usr/bin/python3 - "$sample" "$work/incoming" "$records" <<'PY'
import os, sys
sample, folder, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
# Names of processes that have ended (pids past pid_max), so the daemon reads each record as complete.
for i in range(n):
    os.link(sample, "%s/%d.%d.rec" % (folder, 5_000_000 + i, 1_764_000_000_000_000_000 + i))
PY

cat >"$work/agent.json" <<JSON
{ "userRecordsPerSecond": 1000000, "userRecordBurst": 10000000, "summaryQuietMs": 100, "statusSocket": "$work/status.sock" }
JSON
start=$(date +%s.%N)
taskset -c "$cpu" "$agent" serve --drop "$work/incoming" --spool "$work/spool" --collector http://127.0.0.1:9/ \
  --config "$work/agent.json" >"$work/daemon.log" 2>&1 &
daemon=$!
spooled=0
while [ "$spooled" -lt "$records" ]; do
  sleep 0.2
  kill -0 "$daemon" || { cat "$work/daemon.log"; exit 1; }
  spooled=$("$agent" status --socket "$work/status.sock" --json 2>/dev/null \
    | /usr/bin/python3 -c "import json, sys; print(json.load(sys.stdin)['counters']['processes_spooled'])" 2>/dev/null || echo 0)
done
end=$(date +%s.%N)
peak_kb=$(awk '/VmHWM/ {print $2}' "/proc/$daemon/status")
cpu_ticks=$(awk '{print $14 + $15}' "/proc/$daemon/stat")
kill "$daemon"; wait "$daemon" || true; daemon=""
spool_bytes=$(du -sb "$work/spool" | cut -f1)
/usr/bin/python3 - "$records" "$modules" "$start" "$end" "$peak_kb" "$cpu_ticks" "$(getconf CLK_TCK)" "$spool_bytes" "$(stat -c %s "$sample")" <<'PY'
import sys
records, modules, start, end, peak_kb, ticks, hz, spool, size = sys.argv[1:]
wall = float(end) - float(start)
cpu = int(ticks) / int(hz)
print(f"records: {records} of {modules} modules ({int(size)} bytes each)")
print(f"wall: {wall:.2f} s (includes start-up and the 0.2 s status polling), cpu: {cpu:.2f} s")
print(f"throughput: {int(records) / wall:,.0f} records/s wall, {int(records) / cpu:,.0f} records/s per cpu-second")
print(f"peak resident memory: {int(peak_kb) / 1024:.1f} MiB")
print(f"spool: {int(spool):,} bytes")
PY
