#!/usr/bin/env bash
# The main job on embedded defaults: build everything, start the collector (LiteDB in .demo/collector)
# and the node daemon on loopback and a temporary drop folder, run real Python workloads through
# `polaris-agent run`, and print what the collector counted. Then a 4-node PBS job whose ranks import a
# package from a home directory, and Debian's Prometheus with monitoring/polaris-rules.yml scraping the
# collector, until the home-loading alert fires: the new metrics and the alert, as Prometheus has them.
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

# Years of other tools' records join the same store: the XALT and PyModuleSnooper fixtures (seven jobs of five users),
# imported into the store before the collector holds it. A running collector takes imports (POST /v1/imports) only
# with an admin token file, and with one every read wants a token, which the demo's headless Chromium cannot send.
mkdir -p "$work/fixtures"
tar -I zstd -xf tests/fixtures/pms.tar.zst -C "$work/fixtures"
echo "demo: importing tests/fixtures (XALT and PyModuleSnooper records) into $data"
"$collector" import-xalt --data "$data" tests/fixtures/xalt.tar.zst 2>/dev/null | sed 's/^/  /'
"$collector" import-pymodulesnooper --data "$data" --time-zone UTC "$work/fixtures/pms" 2>/dev/null | sed 's/^/  /'

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
home_root=$work/home  # the facility's home file system, for the daemon (homeRoots) and the job below
# Its own status socket, so the demo never takes a node daemon's (/run/polaris-agent/status.sock).
export POLARIS_AGENT_STATUS_SOCKET=$work/status.sock
POLARIS_AGENT_HOME_ROOTS=$home_root "$agent" serve --drop "$drop" --spool "$work/spool" --collector "$url" \
  >"$work/agent.log" 2>&1 &
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

# Python processes the collector counted: the sum of polaris_python_processes_total's series.
processes() {
  curl -sf "$url/metrics" | awk '$1 ~ /^polaris_python_processes_total([{]|$)/ {n += $2} END {print int(n)}'
}
counted=0
for _ in $(seq 300); do
  counted=$(processes)
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

# The study's reports over every source (docs/analysis.md), the imported fixtures' and the agents'.
echo
# The fixtures' records are of 2026-11-25: the reports cover from November 2026 to today.
"$collector" report coverage --collector "$url" --since 2026-11-01 | sed 's/^/  /'
echo
"$collector" report libraries --collector "$url" --since 2026-11-01 >"$work/libraries.txt"
head -12 "$work/libraries.txt" | sed 's/^/  /'

# The dashboard (GET /) as Debian's Chromium draws it, headless, with its own profile in the temporary folder.
timeout 120 /usr/bin/chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --user-data-dir="$work/chromium" --hide-scrollbars --window-size=1400,2600 \
  --virtual-time-budget=5000 --screenshot="$root/.demo/dashboard.png" "$url/?since=2026-11-01" >/dev/null 2>&1 \
  && echo && echo "demo: the dashboard ($url/) drawn by headless Chromium: .demo/dashboard.png" \
  || echo "demo: chromium could not draw the dashboard (scripts/setup-debian.sh installs it)"

# A job whose processes import from a home directory: 4 ranks of PBS job 4242001 on 4 nodes (PBS_NODEFILE), each
# importing homekit from ~asmith/lib on PYTHONPATH, a folder under the daemon's home root.
job=4242001.polaris-pbs-01
mkdir -p "$home_root/asmith/lib/homekit"
echo '__version__ = "0.3"' >"$home_root/asmith/lib/homekit/__init__.py"
printf '%s\n' x3001c0s13b0n0 x3001c0s13b1n0 x3002c0s1b0n0 x3002c0s1b1n0 >"$work/aggr.nodefile"
echo "import homekit, numpy" >"$work/simulate.py"
echo
echo "demo: PBS job $job on 4 nodes: 4 ranks of $python simulate.py importing homekit from $home_root/asmith/lib"
ranks=()
for rank in 0 1 2 3; do
  PBS_JOBID=$job PBS_QUEUE=prod PBS_ACCOUNT=ClimateML PBS_NODEFILE=$work/aggr.nodefile PMI_RANK=$rank PMI_SIZE=4 \
    PYTHONPATH=$home_root/asmith/lib "$agent" run --drop "$drop" -- "$python" "$work/simulate.py" &
  ranks+=($!)
done
for pid in "${ranks[@]}"; do wait "$pid"; done
expected=$((expected + 4))
for _ in $(seq 300); do
  [ "$(processes)" -ge "$expected" ] && break
  sleep 0.1
done

# Debian's Prometheus on loopback, scraping the collector every second. Its copy of monitoring/polaris-rules.yml
# waits 3 s before an alert fires, not the file's minutes (`for:`); the rest is the file's own. Prometheus cannot
# listen on port 0 and say which port it got: a free port is found first, and another tried if it was taken.
sed -E 's/^([[:space:]]+for:[[:space:]]*)[^[:space:]]+/\13s/' monitoring/polaris-rules.yml >"$work/polaris-rules.yml"
cat >"$work/prometheus.yml" <<EOF
global: {scrape_interval: 1s, evaluation_interval: 1s}
rule_files: ['$work/polaris-rules.yml']
scrape_configs:
  - job_name: polaris-collector
    static_configs: [{targets: ['${url#http://}']}]
EOF
prometheus=""
for attempt in 1 2 3 4 5; do
  port=$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  /usr/bin/prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/prometheus-$attempt" \
    --web.listen-address="127.0.0.1:$port" >"$work/prometheus.log" 2>&1 &
  pid=$!
  pids+=("$pid")
  for _ in $(seq 300); do
    grep -q "Server is ready to receive web requests" "$work/prometheus.log" && { prometheus=http://127.0.0.1:$port; break; }
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  [ -n "$prometheus" ] && break
  grep -q "address already in use" "$work/prometheus.log" || { cat "$work/prometheus.log"; echo "demo: Prometheus did not start"; exit 1; }
done
[ -n "$prometheus" ] || { echo "demo: Prometheus found no free port in 5 tries"; exit 1; }
echo "demo: Prometheus $prometheus scraping the collector every second, rules of monitoring/polaris-rules.yml (for: 3s)"
"$python" scripts/demo-prometheus.py "$prometheus"
