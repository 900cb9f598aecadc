#!/usr/bin/env bash
# Benchmark: process records per second that `polaris-agent serve` takes in, enriches, merges into summaries and
# spools, on one core (taskset), and its peak resident memory while doing so.
#
#   bash scripts/daemon-throughput.sh [RECORDS] [CPU]      (defaults: 50000 records, core 1)
#
# The records are RECORDS copies of one real record of `import pandas` (about 580 modules, written by the real hook),
# each a file of its own: the daemon refuses a second name of one file (a hard link would count one record twice).
# They are written to a tmpfs (/dev/shm; WORK=DIR puts them elsewhere), so that the benchmark measures the daemon,
# not the disk's journal: 50,000 records take about 6 GB of memory there. They wait in the drop folder
# before the daemon starts, as after a node's reboot or the end of a large job; the clock runs from the
# daemon's start (and, for the rate, from its first record received) until its status socket reports every record
# spooled. Nothing is shipped (the collector address is the discard port), so the spool holds every summary.
# AGENT=path runs another build, to compare two in one sitting.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
records=${1:-50000}
cpu=${2:-1}
agent="${AGENT:-$root/artifacts/agent/polaris-agent}"
[ -x "$agent" ] || CONFIGURATION=Release bash "$root/scripts/build.sh" >/dev/null
work=$(mktemp -d "${WORK:-/dev/shm}/polaris-throughput.XXXXXX")
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
with open(sample, "rb") as f:
    record = f.read()
for i in range(n):
    with open("%s/%d.%d.rec" % (folder, 5_000_000 + i, 1_764_000_000_000_000_000 + i), "wb") as f:
        f.write(record)
PY

cat >"$work/agent.json" <<JSON
{ "userRecordsPerSecond": 1000000, "userRecordBurst": 10000000, "summaryQuietMs": 100, "statusSocket": "$work/status.sock" }
JSON
start=$(date +%s.%N)
taskset -c "$cpu" "$agent" serve --drop "$work/incoming" --spool "$work/spool" --collector http://127.0.0.1:9/ \
  --config "$work/agent.json" >"$work/daemon.log" 2>&1 &
daemon=$!
# One poller, asking the status socket every 100 ms: the time the first record was counted received, and the time
# every record was counted spooled.
read -r first end < <(/usr/bin/python3 - "$work/status.sock" "$records" "$daemon" <<'PY'
import json, os, socket, sys, time
path, records, daemon = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
first = None
while True:
    time.sleep(0.1)
    os.kill(daemon, 0)
    try:
        with socket.socket(socket.AF_UNIX) as s:
            s.connect(path)
            data = b"".join(iter(lambda: s.recv(65536), b""))
        counters = json.loads(data)["counters"]
    except (OSError, ValueError):
        continue
    now = time.time()
    if first is None and counters["received"] > 0:
        first = now
    if counters["processes_spooled"] >= records:
        print(first, now)
        break
PY
) || { cat "$work/daemon.log"; exit 1; }
peak_kb=$(awk '/VmHWM/ {print $2}' "/proc/$daemon/status")
cpu_ticks=$(awk '{print $14 + $15}' "/proc/$daemon/stat")
kill "$daemon"; wait "$daemon" || true; daemon=""
spool_bytes=$(du -sb "$work/spool" | cut -f1)
/usr/bin/python3 - "$records" "$modules" "$start" "$first" "$end" "$peak_kb" "$cpu_ticks" "$(getconf CLK_TCK)" "$spool_bytes" "$(stat -c %s "$sample")" <<'PY'
import sys
records, modules, start, first, end, peak_kb, ticks, hz, spool, size = sys.argv[1:]
wall = float(end) - float(start)
steady = float(end) - float(first)
cpu = int(ticks) / int(hz)
print(f"records: {records} of {modules} modules ({int(size)} bytes each)")
print(f"wall: {wall:.2f} s from start, {steady:.2f} s from the first record received; cpu: {cpu:.2f} s")
print(f"throughput: {int(records) / steady:,.0f} records/s wall, {int(records) / cpu:,.0f} records/s per cpu-second "
      f"({int(records) / wall:,.0f} records/s counting start-up)")
print(f"peak resident memory: {int(peak_kb) / 1024:.1f} MiB")
print(f"spool: {int(spool):,} bytes")
PY
