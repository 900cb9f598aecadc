#!/usr/bin/env bash
# Prints every query of the dashboard, one a line, with Grafana's variables made concrete ($__range 1h,
# $__rate_interval 1m, $domain and $environment_kind .*, $window 7d) and each label_values variable as
# count by (label) (metric): an end-to-end test runs each against a real Prometheus and asserts it returns data.
# The 1m rate interval assumes a scrape interval of 15 s.
# Usage: monitoring/dashboard-queries.sh [DASHBOARD]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
exec /usr/bin/python3 "$root/monitoring/exprs.py" queries "${1:-$root/monitoring/polaris-dashboard.json}"
