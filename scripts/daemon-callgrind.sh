#!/usr/bin/env bash
# Instructions per record: runs `polaris-agent serve` under valgrind's callgrind over RECORDS copies of one real
# record of `import pandas` (as scripts/daemon-throughput.sh makes them) until every one is spooled, and divides
# the instructions of the whole run by the records. Repeatable to a fraction of a percent, whatever else the
# machine does, unlike wall times. Compare two builds with the same RECORDS: start-up counts in both.
#
#   bash scripts/daemon-callgrind.sh [RECORDS]      (default: 3000)      AGENT=path for another build, OUT=path to
#                                                                       keep the profile
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
records=${1:-3000}
agent="${AGENT:-$root/artifacts/agent/polaris-agent}"
work=$(mktemp -d /var/tmp/polaris-callgrind.XXXXXX)
daemon=""
trap '[ -n "$daemon" ] && kill "$daemon" 2>/dev/null; rm -rf "$work"' EXIT
mkdir -p "$work/sample" "$work/incoming"
"$agent" run --drop "$work/sample" -- /usr/bin/python3 -c "import pandas"
sample=$(ls "$work"/sample/*.rec)
/usr/bin/python3 - "$sample" "$work/incoming" "$records" <<'PY'
import sys
sample, folder, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
data = open(sample, "rb").read()
# Copies, not hard links: the daemon removes a file with a second name (one record would count once per name).
for i in range(n):
    with open("%s/%d.%d.rec" % (folder, 5_000_000 + i, 1_764_000_000_000_000_000 + i), "wb") as f:
        f.write(data)
PY
cat >"$work/agent.json" <<JSON
{ "userRecordsPerSecond": 1000000, "userRecordBurst": 10000000, "summaryQuietMs": 100, "statusSocket": "$work/status.sock" }
JSON
# A copy without the .dbg file beside it: valgrind's reader gives up on the one the AOT compiler writes.
cp "$agent" "$work/polaris-agent"
valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.out" "$work/polaris-agent" serve --drop "$work/incoming" \
  --spool "$work/spool" --collector http://127.0.0.1:9/ --config "$work/agent.json" >"$work/daemon.log" 2>&1 &
daemon=$!
/usr/bin/python3 - "$work/status.sock" "$records" "$daemon" <<'PY' || { tail "$work/daemon.log"; exit 1; }
import json, os, socket, sys, time
path, records, daemon = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
deadline = time.time() + 3600
while time.time() < deadline:
    time.sleep(0.5)
    os.kill(daemon, 0)
    try:
        with socket.socket(socket.AF_UNIX) as s:
            s.connect(path)
            counters = json.loads(b"".join(iter(lambda: s.recv(65536), b"")))["counters"]
    except (OSError, ValueError):
        continue
    if counters["processes_spooled"] >= records:
        break
PY
kill -TERM "$daemon"; wait "$daemon" || true; daemon=""
total=$(awk '/^summary:/ {print $2}' "$work/callgrind.out")
# OUT=path keeps the profile, for callgrind_annotate.
[ -n "${OUT:-}" ] && cp "$work/callgrind.out" "$OUT"
echo "instructions: $total for $records records: $((total / records)) per record (start-up included)"
