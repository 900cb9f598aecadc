#!/usr/bin/python3
"""The end of scripts/demo.sh: waits until Prometheus fires PolarisHomeDirectoryImports, then prints what it holds of
the collector's metrics (each table under the PromQL that made it) and the firing alert.

  demo-prometheus.py PROMETHEUS_URL [TIMEOUT_SECONDS]   exit 1 when the alert has not fired within the timeout (60)
"""
import json
import sys
import time
import urllib.parse
import urllib.request

ALERT = "PolarisHomeDirectoryImports"


def get(base, path, **params):
    url = f"{base}/api/v1/{path}" + ("?" + urllib.parse.urlencode(params) if params else "")
    with urllib.request.urlopen(url, timeout=10) as response:
        answer = json.load(response)
    if answer["status"] != "success":
        raise SystemExit(f"demo: Prometheus answered {url} with {answer}")
    return answer["data"]


def query(base, expr):
    return [(s["metric"], float(s["value"][1])) for s in get(base, "query", query=expr)["result"]]


def firing(base):
    return [a for a in get(base, "alerts")["alerts"] if a["labels"]["alertname"] == ALERT and a["state"] == "firing"]


def table(title, expr, rows, header):
    print(f"\n{title}\n  {expr}")
    widths = [max(len(str(row[i])) for row in [header] + rows) for i in range(len(header))]
    for row in [header] + rows:
        print("  " + "  ".join(str(cell).ljust(width) for cell, width in zip(row, widths)).rstrip())


def number(value):
    return int(value) if value == int(value) else round(value, 3)


def main(argv):
    base, timeout = argv[1].rstrip("/"), float(argv[2]) if len(argv) > 2 else 60
    deadline = time.monotonic() + timeout
    while not (alerts := firing(base)):
        if time.monotonic() > deadline:
            print(f"demo: {ALERT} did not fire within {timeout:.0f} s", file=sys.stderr)
            return 1
        time.sleep(0.5)
    print(f"\nWhat Prometheus has of the collector ({base}/api/v1/query), once {ALERT} fired:")

    expr = "topk(10, sum by (library, environment_kind, domain) (polaris_library_processes_total))"
    users = {m["library"]: v for m, v in query(base, 'max by (library) (polaris_library_users{window="7d"})')}
    jobs = {m["library"]: v for m, v in query(base, 'max by (library) (polaris_library_jobs{window="7d"})')}
    rows = [(m["library"], m["environment_kind"], m["domain"], number(v),
             number(users.get(m["library"], 0)), number(jobs.get(m["library"], 0)))
            for m, v in sorted(query(base, expr), key=lambda s: (-s[1], s[0]["library"]))]
    table("Top libraries by processes, with polaris_library_users and polaris_library_jobs{window=\"7d\"}:", expr, rows,
          ("library", "environment_kind", "domain", "processes", "users 7d", "jobs 7d"))

    expr = "max by (window) (polaris_users), max by (window) (polaris_active_jobs)"
    users = {m["window"]: v for m, v in query(base, "max by (window) (polaris_users)")}
    jobs = {m["window"]: v for m, v in query(base, "max by (window) (polaris_active_jobs)")}
    rows = [(w, number(users.get(w, 0)), number(jobs.get(w, 0))) for w in ("1d", "7d", "30d")]
    table("Distinct users and jobs that ran Python:", expr, rows, ("window", "users", "jobs"))

    expr = "sum by (origin) (polaris_library_module_loads_total)"
    rows = [(m["origin"], number(v)) for m, v in sorted(query(base, expr), key=lambda s: -s[1])]
    table("Module loads by where the file lies:", expr, rows, ("origin", "module loads"))

    expr = 'sum by (library, origin) (polaris_library_module_loads_total{origin=~"home|user-site"})'
    rows = [(m["library"], m["origin"], number(v)) for m, v in query(base, expr)]
    table("Libraries loaded from home directories:", expr, rows, ("library", "origin", "module loads"))

    expr = "polaris_home_loading_job_processes"
    nodes = {m["pbs_job"]: v for m, v in query(base, "polaris_home_loading_job_nodes")}
    uids = {m["pbs_job"]: v for m, v in query(base, "polaris_home_loading_job_uid")}
    rows = [(m["pbs_job"], m["queue"], m["nodes"], number(v), number(nodes.get(m["pbs_job"], 0)),
             number(uids.get(m["pbs_job"], -1))) for m, v in query(base, expr)]
    table("Running jobs loading from home directories (polaris_home_loading_job_{processes,nodes,uid}):", expr, rows,
          ("pbs_job", "queue", "nodes label", "processes", "nodes", "uid"))

    print(f"\nFiring ({base}/api/v1/alerts):")
    for alert in alerts:
        labels = alert["labels"]
        print(f"  {ALERT} pbs_job={labels['pbs_job']} nodes={labels['nodes']} queue={labels['queue']} "
              f"severity={labels['severity']}, active since {alert['activeAt']}")
        print(f"    summary: {alert['annotations']['summary']}")
        print(f"    description: {' '.join(alert['annotations']['description'].split())}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
