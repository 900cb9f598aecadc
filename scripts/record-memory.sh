#!/usr/bin/env bash
# Memory benchmark: the daemon's resident memory before, at the peak of and after taking in record files at the
# maxRecordBytes limit (8 MiB) holding as many modules as fit (about 760,000 one-word names, other ones in each
# file), written as one user would write them into the drop folder.
#
#   bash scripts/record-memory.sh [FILES]      (default: 5 files)
#
# Prints VmRSS at start, VmHWM (the peak) and VmRSS once every file is taken in and its summary spooled.
# AGENT=path runs another build.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
files=${1:-5}
agent="${AGENT:-$root/artifacts/agent/polaris-agent}"
work=$(mktemp -d /var/tmp/polaris-memory.XXXXXX)
daemon=""
trap '[ -n "$daemon" ] && kill "$daemon" 2>/dev/null; rm -rf "$work"' EXIT
mkdir -p "$work/incoming"
cat >"$work/agent.json" <<JSON
{ "summaryQuietMs": 100, "statusSocket": "$work/status.sock" }
JSON
"$agent" serve --drop "$work/incoming" --spool "$work/spool" --collector http://127.0.0.1:9/ --config "$work/agent.json" >"$work/daemon.log" 2>&1 &
daemon=$!
/usr/bin/python3 - "$work" "$daemon" "$files" <<'PY'
import json, os, socket, struct, sys, time
work, daemon, files = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])

def status():
    while True:
        try:
            with socket.socket(socket.AF_UNIX) as s:
                s.connect(work + "/status.sock")
                return json.loads(b"".join(iter(lambda: s.recv(65536), b"")))["counters"]
        except (OSError, ValueError):
            time.sleep(0.1)

def memory():
    fields = dict(line.split(":", 1) for line in open("/proc/%d/status" % daemon))
    return {k: int(fields[k].split()[0]) / 1024 for k in ("VmRSS", "VmHWM")}

status()
time.sleep(0.5)
start = memory()["VmRSS"]
n = 760_000

def make(k):
    # Each file's names differ (as an attacker's would), so no cache spares the daemon any work.
    names = [b"%c%07d" % (97 + k % 26, i) for i in range(n)]
    text = b"\0".join([b"polaris3", b"py", b"3.11.2", b"exe", b"/usr/bin/python3", b"m", b"%d" % n]
                      + names + [b""] * n + [b""] * n + [b"exit", b"exit"])
    payload = struct.pack("<i", len(text)) + text
    return struct.pack("<i", len(payload)) + payload

for i in range(files):
    record = make(i)
    assert len(record) <= 8 * 1024 * 1024, len(record)
    # Pids past pid_max: no such process runs, so the daemon takes the file when it is closed.
    with open("%s/incoming/%d.%d.rec" % (work, 5_000_000 + i, time.time_ns()), "wb") as f:
        f.write(record)
deadline = time.time() + 600
while time.time() < deadline:
    c = status()
    if c["processes_spooled"] >= files:
        break
    time.sleep(0.2)
time.sleep(1)
m = memory()
print("%d files of %d bytes (%d modules each): VmRSS %.1f MiB at start, VmHWM %.1f MiB, VmRSS %.1f MiB after; counters %s"
      % (files, len(record), n, start, m["VmHWM"], m["VmRSS"],
         {k: v for k, v in c.items() if k in ("received", "dropped_malformed", "processes_spooled", "clipped_records", "clipped_modules")}))
PY
