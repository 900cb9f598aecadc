#!/usr/bin/env bash
# Counts the hook's cost with valgrind's callgrind, which counts instructions (repeatable on a shared,
# noisy machine where wall times are not), for Debian's /usr/bin/python3:
#   1. `import numpy`: instructions with the hook against bare Python (same environment size, PYTHONHASHSEED=0);
#   2. the cost per import: a package that imports N empty submodules, at N=0 and N=400; the slope of the
#      hook's extra instructions is its cost per import, converted to microseconds at bare Python's own
#      instructions-per-second rate on this machine.
# usage: bash scripts/hook-cost.sh   (needs valgrind and python3-numpy; the agent built by scripts/build.sh)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
hook=$root/artifacts/agent/hook
[ -f "$hook/sitecustomize.py" ] || { echo "hook-cost: build first (bash scripts/build.sh)"; exit 1; }
command -v valgrind >/dev/null || { echo "hook-cost: needs valgrind"; exit 1; }
work=$(mktemp -d /tmp/polaris-hook-cost.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -m 1733 "$work/drop"
# A bare run gets a PYTHONPATH of the same length that does not exist, so both runs have equal environments.
blank=$(printf '/nonexistent%*s' $(( ${#hook} - 12 )) '' | tr ' ' 'x')

count() { # PYTHONPATH CODE -> instructions
  rm -f "$work"/drop/*
  PYTHONHASHSEED=0 PYTHONPATH="$1" POLARIS_AGENT_DROP="$work/drop" \
    valgrind --tool=callgrind --callgrind-out-file=/dev/null /usr/bin/python3 -c "$2" 2>&1 |
    awk '/Collected/ {print $4}'
}

# Warm the hook's __pycache__ so that no run pays for compiling it.
PYTHONPATH="$hook" POLARIS_AGENT_DROP="$work/drop" /usr/bin/python3 -c pass

bare=$(count "$blank" "import numpy")
hooked=$(count "$hook" "import numpy")
echo "import numpy: bare $bare instructions, with the hook $hooked: +$((hooked - bare)) ($(awk -v a="$bare" -v b="$hooked" 'BEGIN {printf "%.2f", (b - a) * 100 / a}') %)"

for n in 0 400; do
  pkg=$work/p$n/polaris_cost_pkg
  mkdir -p "$pkg"
  : > "$pkg/__init__.py"
  for i in $(seq 1 "$n"); do : > "$pkg/m$i.py"; echo "from . import m$i" >> "$pkg/__init__.py"; done
  PYTHONPATH="$work/p$n" /usr/bin/python3 -c "import polaris_cost_pkg"  # write the __pycache__ files
done
b0=$(count "$work/p0:$blank" "import polaris_cost_pkg")
h0=$(count "$work/p0:$hook" "import polaris_cost_pkg")
b400=$(count "$work/p400:$blank" "import polaris_cost_pkg")
h400=$(count "$work/p400:$hook" "import polaris_cost_pkg")
per=$(( ((h400 - b400) - (h0 - b0)) / 400 ))
# Bare Python's instruction rate on this machine, from the wall time of the same bare run.
start=$(date +%s%N); for _ in 1 2 3 4 5; do PYTHONPATH="$work/p400" /usr/bin/python3 -c "import polaris_cost_pkg"; done; end=$(date +%s%N)
rate=$(awk -v i="$b400" -v ns="$(( (end - start) / 5 ))" 'BEGIN {printf "%.0f", i / (ns / 1e9)}')
echo "per import: $per instructions (slope from 0 to 400 imports), about $(awk -v p="$per" -v r="$rate" 'BEGIN {printf "%.2f", p / r * 1e6}') us at this machine's $(awk -v r="$rate" 'BEGIN {printf "%.0f", r / 1e6}') M instructions/s"
