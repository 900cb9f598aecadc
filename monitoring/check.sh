#!/usr/bin/env bash
# Checks the alert rules and the dashboard: promtool's syntax check and unit tests of the rules, promtool's parser
# on every dashboard query, the dashboard's shape (Prometheus only, through ${datasource}), and every metric and
# label they use against docs/collector.md's "Metrics" table. Exit 0 when all hold; each problem on stderr.
# Usage: monitoring/check.sh [DASHBOARD]   (default monitoring/polaris-dashboard.json; tests check broken copies)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dashboard=${1:-$root/monitoring/polaris-dashboard.json}
python=/usr/bin/python3  # Debian's, which has python3-yaml (scripts/setup-debian.sh)

if ! command -v promtool >/dev/null; then
  echo "check: promtool not found (Debian: apt-get install prometheus; scripts/setup-debian.sh)" >&2
  exit 1
fi
promtool check rules "$root/monitoring/polaris-rules.yml"
promtool test rules "$root/monitoring/polaris-rules.test.yml"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$python" "$root/monitoring/exprs.py" as-rules "$dashboard" >"$work/dashboard-queries.yml"
promtool check rules "$work/dashboard-queries.yml"

"$python" "$root/monitoring/exprs.py" check --doc "$root/docs/collector.md" \
  --rules "$root/monitoring/polaris-rules.yml" --tests "$root/monitoring/polaris-rules.test.yml" \
  --dashboard "$dashboard"
