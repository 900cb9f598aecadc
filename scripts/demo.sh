#!/usr/bin/env bash
# The main job on embedded defaults: build everything, start the collector (LiteDB in .demo/collector)
# and the node daemon on loopback and a temporary drop folder, run real Python workloads through
# `polaris-agent run`, and print what the collector counted.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

bash scripts/setup-debian.sh
CONFIGURATION=Release bash scripts/build.sh

agent=artifacts/agent/polaris-agent
collector=collector/Polaris.Collector/bin/Release/net10.0/polaris-collector
python=/usr/bin/python3
work=$(mktemp -d /tmp/polaris-demo.XXXXXX)
data=$root/.demo/collector
rm -rf "$data"
mkdir -p "$data"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# The collector picks a free loopback port; its log says which.
"$collector" serve --urls http://127.0.0.1:0 --data "$data" >"$work/collector.log" 2>&1 &
pids+=($!)
url=""
for _ in $(seq 300); do
  url=$(grep -Eo 'http://127\.0\.0\.1:[0-9]+' "$work/collector.log" | head -1 || true)
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "$url" ] || { cat "$work/collector.log"; echo "demo: the collector did not start"; exit 1; }

drop=$work/incoming
# Its own status socket, so the demo never takes a node daemon's (/run/polaris-agent/status.sock).
export POLARIS_AGENT_STATUS_SOCKET=$work/status.sock
"$agent" serve --drop "$drop" --spool "$work/spool" --collector "$url" >"$work/agent.log" 2>&1 &
pids+=($!)
for _ in $(seq 300); do grep -q "Taking in hook records" "$work/agent.log" && break; sleep 0.1; done
grep -q "Taking in hook records" "$work/agent.log" || { cat "$work/agent.log"; echo "demo: the daemon did not start"; exit 1; }

echo "demo: collector $url (data in $data), daemon taking records from $drop"
workloads=(
  "import numpy; numpy.linalg.eigvals(numpy.random.rand(64, 64))"
  "import numpy, json; json.dumps(numpy.arange(10).tolist())"
  "import scipy.optimize; scipy.optimize.minimize_scalar(lambda x: (x - 2) ** 2)"
  "import pandas; pandas.DataFrame({'a': [1, 2, 3]}).describe()"
  "import yaml; yaml.safe_load('a: 1')"
  "import subprocess, sys; subprocess.run([sys.executable, '-c', 'import numpy'], check=True)"
)
runs=0
for code in "${workloads[@]}"; do
  echo "demo: polaris-agent run -- $python -c \"$code\""
  "$agent" run --drop "$drop" -- "$python" -c "$code"
  runs=$((runs + 1))
done
expected=$((runs + 1))  # the subprocess workload starts a second Python

counted=0
for _ in $(seq 300); do
  counted=$(curl -sf "$url/metrics" | awk '$1 == "polaris_python_processes_total" {print int($2)}')
  [ "${counted:-0}" -ge "$expected" ] && break
  sleep 0.1
done

echo
echo "The node daemon (polaris-agent status):"
"$agent" status | sed 's/^/  /'
echo
echo "What the collector counted ($url/metrics):"
curl -sf "$url/metrics" | grep -E '^polaris_' | sort
echo
echo "Libraries by processes that imported them ($url/v1/libraries):"
curl -sf "$url/v1/libraries" | "$python" -c '
import json, sys
report = json.load(sys.stdin)
print("  %-24s %s" % ("library", "processes"))
for row in report["libraries"]:
    print("  %-24s %d" % (row["library"], row["processes"]))
print("  %d Python processes in all" % report["processes"])'
echo
echo "How the daemon merged them ($url/v1/summaries):"
curl -sf "$url/v1/summaries" | "$python" -c '
import json, sys
for s in json.load(sys.stdin):
    print("  %d process(es) of %s %s, %d modules" % (s["procs"], s["exe"], s["job"]["script"] or "-c", len(s["modules"])))'
if [ "${counted:-0}" -ne "$expected" ]; then
  echo "demo: expected $expected processes, the collector counted ${counted:-0}"
  exit 1
fi
