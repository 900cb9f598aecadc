#!/usr/bin/python3
"""The PromQL of monitoring/: checked against docs/collector.md's metric table, and listed for other tools.

  exprs.py check --doc D --rules R --tests T --dashboard J   every metric and label the rules, their tests and the
                                                               dashboard use is in the doc's table; the dashboard is a
                                                               Prometheus-only Grafana model (exit 1 and one line per
                                                               problem otherwise)
  exprs.py queries DASHBOARD                                   every dashboard query, variables substituted, one a line
  exprs.py as-rules DASHBOARD                                  the same queries as a rules file, for promtool's parser
  exprs.py series DOC                                          every series of the doc's table and its labels, one a
                                                               line (`name label,label`), for a test to hold /metrics to

The table is parsed here, from the markdown, so that the doc, the rules and the dashboard cannot drift apart.
"""
import json
import re
import sys

import yaml

# Prometheus adds these to every scraped series; `up` has only them.
SCRAPE_LABELS = {"instance", "job"}
# What Grafana's variables become in `queries`: a 1h dashboard range, a 15 s scrape interval, every domain and kind.
SUBSTITUTIONS = {"__range": "1h", "__rate_interval": "1m", "__interval": "1m",
                 "domain": ".*", "environment_kind": ".*", "window": "7d"}
AGGREGATIONS = {"sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values",
                "bottomk", "topk", "quantile"}
GROUPING = {"by", "without", "on", "ignoring", "group_left", "group_right"}
KEYWORDS = {"and", "or", "unless", "bool", "offset", "atan2", "inf", "nan"}
# Functions whose first string argument names a label they create.
LABEL_MAKERS = {"label_replace", "label_join", "count_values"}
DATASOURCE = {"type": "prometheus", "uid": "${datasource}"}

TOKEN = re.compile(r"""
    (?P<ws>\s+)
  | (?P<str>"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'|`[^`]*`)
  | (?P<num>0x[0-9a-fA-F]+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?(?:(?:ms|[smhdwy])(?:\d+(?:ms|[smhdwy]))*)?)
  | (?P<ident>[a-zA-Z_][a-zA-Z0-9_:]*)
  | (?P<op>=~|!~|!=|==|<=|>=|[-+*/%^<>=(){}\[\],@:])
""", re.X)


class Problems(list):
    def add(self, where, what):
        self.append(f"{where}: {what}")


def doc_metrics(path):
    """The metric table under '## Metrics' of docs/collector.md: {name: labels}, histograms as their three series."""
    lines = open(path, encoding="utf-8").read().splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith("## Metrics")), None)
    if start is None:
        raise SystemExit(f"check: {path}: no '## Metrics' section")
    rows = []
    for line in lines[start + 1:]:
        if line.startswith("|"):
            rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
        elif rows:
            break
    metrics = {}
    for cells in rows[2:]:  # header, separator
        names = re.findall(r"`([a-zA-Z_:][a-zA-Z0-9_:]*)`", cells[0])
        labels = {label.strip() for label in re.sub(r"\([^)]*\)", "", cells[2]).split(",") if label.strip()}
        for name in names:
            if "histogram" in cells[1]:
                metrics[name + "_bucket"] = labels | {"le"}
                metrics[name + "_sum"] = labels
                metrics[name + "_count"] = labels
            else:
                metrics[name] = labels
    if len(metrics) < 10:
        raise SystemExit(f"check: {path}: only {len(metrics)} metrics read from the '## Metrics' table")
    metrics["up"] = set()
    return metrics


def tokenize(expr):
    tokens, pos = [], 0
    while pos < len(expr):
        match = TOKEN.match(expr, pos)
        if not match:
            raise ValueError(f"cannot read {expr[pos:pos + 20]!r}")
        pos = match.end()
        if match.lastgroup != "ws":
            tokens.append((match.lastgroup, match.group()))
    return tokens


def analyse(expr):
    """(metrics as [(name, [matcher labels])], grouping labels, labels the expression creates)."""
    tokens = tokenize(expr)
    metrics, grouping, created = [], set(), set()
    calls = []  # [function name, strings seen at its own level] per open parenthesis
    i = 0
    while i < len(tokens):
        kind, text = tokens[i]
        following = tokens[i + 1][1] if i + 1 < len(tokens) else None
        if text == "[":  # a range or subquery: durations only
            while tokens[i][1] != "]":
                i += 1
        elif text == "{":
            i = matchers(tokens, i, None, metrics)
        elif kind == "str" and calls:
            calls[-1][1] += 1
            if calls[-1][0] in LABEL_MAKERS and calls[-1][1] == 1:
                created.add(text[1:-1])
        elif text == "(":
            calls.append([None, 0])
        elif text == ")":
            calls.pop()
        elif kind == "ident" and text in GROUPING:
            if following == "(":
                i = label_list(tokens, i + 1, grouping)
        elif kind == "ident" and text.lower() in KEYWORDS:
            pass
        elif kind == "ident" and (following == "(" or text in AGGREGATIONS):
            if following in ("by", "without"):  # topk by (domain) (5, ...)
                i = label_list(tokens, i + 2, grouping)
            calls.append([text, 0])
            i += 1  # its "("
        elif kind == "ident":
            if following == "{":
                i = matchers(tokens, i + 1, text, metrics)
            else:
                metrics.append((text, []))
        i += 1
    return metrics, grouping, created


def label_list(tokens, i, labels):
    """Adds the labels of (a, b, ...) from tokens[i] == '('; returns the index of ')'."""
    while tokens[i][1] != ")":
        if tokens[i][0] == "ident":
            labels.add(tokens[i][1])
        i += 1
    return i


def matchers(tokens, i, name, metrics):
    """Reads {label op "value", ...} from tokens[i] == '{'; returns the index of '}'."""
    labels = []
    i += 1
    while tokens[i][1] != "}":
        if tokens[i][0] == "ident" and tokens[i + 1][1] in ("=", "!=", "=~", "!~"):
            if tokens[i][1] == "__name__" and tokens[i + 1][1] == "=":
                name = tokens[i + 2][1][1:-1]
            else:
                labels.append(tokens[i][1])
        i += 1
    metrics.append((name, labels))
    return i


def check_expr(where, expr, known, problems):
    try:
        used, grouping, created = analyse(expr)
    except (ValueError, IndexError) as error:
        problems.add(where, f"cannot parse {expr!r}: {error}")
        return
    if not used:
        problems.add(where, f"no metric in {expr!r}")
    available = SCRAPE_LABELS | created
    for name, labels in used:
        if name not in known:
            problems.add(where, f"metric {name} is not in docs/collector.md's table")
            continue
        available |= known[name]
        for label in labels:
            if label not in known[name] | SCRAPE_LABELS:
                problems.add(where, f"{name} has no label {label} in docs/collector.md's table")
    for label in sorted(grouping - available):
        problems.add(where, f"label {label} is on none of the metrics of {expr!r}")


def substitute(expr, where, problems):
    def value(match):
        name = match.group(1) or match.group(2) or match.group(3)
        if name not in SUBSTITUTIONS:
            problems.add(where, f"unknown variable ${name}")
            return match.group()
        return SUBSTITUTIONS[name]
    return re.sub(r"\$\{(\w+)(?::\w+)?\}|\[\[(\w+)\]\]|\$(\w+)", value, expr)


def dashboard_panels(model):
    for panel in model.get("panels", []):
        yield panel
        yield from panel.get("panels", [])  # a collapsed row holds its panels


def dashboard_queries(model, problems):
    """(where, query) for every target and every label_values variable, variables substituted."""
    for panel in dashboard_panels(model):
        for target in panel.get("targets", []):
            where = f"panel {panel.get('id')} '{panel.get('title')}' {target.get('refId')}"
            yield where, " ".join(substitute(target.get("expr", ""), where, problems).split())
    for variable in model.get("templating", {}).get("list", []):
        if variable.get("type") == "query":
            where = f"variable {variable.get('name')}"
            match = re.fullmatch(r"label_values\((\w+),\s*(\w+)\)", variable.get("definition", ""))
            if not match:
                problems.add(where, "not label_values(metric, label)")
                continue
            yield where, f"count by ({match.group(2)}) ({match.group(1)})"


def check_dashboard(model, problems):
    if not isinstance(model.get("schemaVersion"), int) or model["schemaVersion"] < 36:
        problems.add("dashboard", "schemaVersion missing or older than 36")
    variables = {v.get("name"): v for v in model.get("templating", {}).get("list", [])}
    source = variables.get("datasource", {})
    if source.get("type") != "datasource" or source.get("query") != "prometheus":
        problems.add("dashboard", "no datasource variable of type datasource for prometheus")
    for name in ("domain", "environment_kind"):
        if variables.get(name, {}).get("type") != "query":
            problems.add("dashboard", f"no query variable {name}")
    for name, variable in variables.items():
        if variable.get("type") == "query" and variable.get("datasource") != DATASOURCE:
            problems.add(f"variable {name}", f"data source is not {DATASOURCE}")
    for annotation in model.get("annotations", {}).get("list", []):
        if annotation.get("datasource", {}).get("type") != "prometheus":
            problems.add("dashboard", f"annotation {annotation.get('name')} is not from Prometheus")
    ids, cells = set(), {}
    panels = list(dashboard_panels(model))
    if not panels:
        problems.add("dashboard", "no panels")
    for panel in panels:
        where = f"panel {panel.get('id')} '{panel.get('title')}'"
        if panel.get("id") in ids:
            problems.add(where, "id used twice")
        ids.add(panel.get("id"))
        grid = panel.get("gridPos", {})
        mine = {(x, y) for x in range(grid.get("x", 0), grid.get("x", 0) + grid.get("w", 0))
                for y in range(grid.get("y", 0), grid.get("y", 0) + grid.get("h", 0))}
        for other in sorted({cells[cell] for cell in mine & cells.keys()}):
            problems.add(where, f"overlaps {other}")
        cells.update(dict.fromkeys(mine, where))
        if panel.get("type") == "row":
            continue
        if not grid.get("w") or not grid.get("h"):
            problems.add(where, "no gridPos")
        if panel.get("datasource") != DATASOURCE:
            problems.add(where, f"data source is not {DATASOURCE}")
        targets = panel.get("targets") or []
        if not targets:
            problems.add(where, "no targets")
        refs = [target.get("refId") for target in targets]
        if len(set(refs)) != len(refs) or None in refs:
            problems.add(where, "refIds missing or repeated")
        for target in targets:
            if target.get("datasource", DATASOURCE) != DATASOURCE:
                problems.add(where, f"target {target.get('refId')}'s data source is not {DATASOURCE}")
            if not str(target.get("expr", "")).strip():
                problems.add(where, f"target {target.get('refId')} has no expr")


def rules_exprs(path):
    for group in yaml.safe_load(open(path, encoding="utf-8"))["groups"]:
        for rule in group["rules"]:
            yield f"{path}: {rule.get('alert') or rule.get('record')}", rule["expr"]


def test_series(path):
    for test in yaml.safe_load(open(path, encoding="utf-8"))["tests"]:
        for series in test.get("input_series", []):
            yield f"{path}: test '{test['name']}'", series["series"]


def names_in_text(path, known, problems):
    """Every polaris_* name anywhere in the file (annotation templates query too) is in the table."""
    for name in sorted(set(re.findall(r"\bpolaris_[a-z0-9_]+", open(path, encoding="utf-8").read()))):
        if name not in known:
            problems.add(path, f"{name} is not in docs/collector.md's table")


def load_dashboard(path):
    try:
        return json.load(open(path, encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise SystemExit(f"check: {path}: {error}")


def check(args):
    options = dict(zip(args[::2], args[1::2]))
    missing = {"--doc", "--rules", "--tests", "--dashboard"} - options.keys()
    if missing:
        raise SystemExit(f"check: missing {', '.join(sorted(missing))}")
    known = doc_metrics(options["--doc"])
    problems = Problems()
    for where, expr in rules_exprs(options["--rules"]):
        check_expr(where, expr, known, problems)
    for where, series in test_series(options["--tests"]):
        check_expr(where, series, known, problems)
    model = load_dashboard(options["--dashboard"])
    check_dashboard(model, problems)
    queries = list(dashboard_queries(model, problems))
    for where, expr in queries:
        check_expr(f"{options['--dashboard']}: {where}", expr, known, problems)
    for path in (options["--rules"], options["--tests"], options["--dashboard"]):
        names_in_text(path, known, problems)
    for problem in problems:
        print("check: " + problem, file=sys.stderr)
    print(f"check: {len(queries)} dashboard queries, metrics and labels against {len(known)} series of "
          f"{options['--doc']}: {len(problems)} problems")
    return 1 if problems else 0


def main(argv):
    command = argv[1] if len(argv) > 1 else ""
    if command == "check":
        return check(argv[2:])
    if command == "series" and len(argv) == 3:
        for name, labels in sorted(doc_metrics(argv[2]).items()):
            print(f"{name} {','.join(sorted(labels))}".rstrip())
        return 0
    if command in ("queries", "as-rules") and len(argv) == 3:
        problems = Problems()
        queries = list(dashboard_queries(load_dashboard(argv[2]), problems))
        if problems:
            print("\n".join("queries: " + p for p in problems), file=sys.stderr)
            return 1
        if command == "queries":
            print("\n".join(expr for _, expr in queries))
        else:
            rules = [{"record": "dashboard_query_" + re.sub(r"\W+", "_", where).strip("_"), "expr": expr}
                     for where, expr in queries]
            print(yaml.safe_dump({"groups": [{"name": "dashboard", "rules": rules}]}, sort_keys=False, width=1000))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
