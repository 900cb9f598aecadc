"""The hook's wall-clock cost per import, measured inside one Python process.

Run with the hook enabled (PYTHONPATH=artifacts/agent/hook, POLARIS_AGENT_DROP=a drop folder). It writes
ROUNDS x 2 packages of MODULES empty submodules, then imports them in turn, alternately through the hook's
timing wrapper and through importlib's own _find_and_load (the hook keeps the original in its closure). The
hook flushes after each package import, so its share of flush work is in the figure. Starting processes
is noisy on a shared machine; inside one process the two kinds of import alternate within milliseconds.
usage: python3 hook-import-cost.py [ROUNDS] [MODULES]
"""
import os
import statistics
import sys
import tempfile
import time

rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 40
size = int(sys.argv[2]) if len(sys.argv) > 2 else 200
bootstrap = sys.modules["_frozen_importlib"]
hooked = bootstrap._find_and_load
if hooked.__code__.co_name != "find_and_load":
    sys.exit("the hook is not installed: run with PYTHONPATH=artifacts/agent/hook")
original = hooked.__closure__[hooked.__code__.co_freevars.index("original")].cell_contents
if "--no-flush" in sys.argv:
    # The wrapper alone: its flush is told the record is finished, so it returns at once.
    flush = hooked.__closure__[hooked.__code__.co_freevars.index("flush")].cell_contents
    flush.__closure__[flush.__code__.co_freevars.index("done")].cell_contents = True
    sys.argv.remove("--no-flush")

root = tempfile.mkdtemp(prefix="polaris-import-cost-")
for r in range(rounds * 2):
    package = os.path.join(root, "cost_%d" % r)
    os.mkdir(package)
    with open(os.path.join(package, "__init__.py"), "w") as init:
        for m in range(size):
            open(os.path.join(package, "m%d.py" % m), "w").close()
            init.write("from . import m%d\n" % m)
sys.path.insert(0, root)
import compileall  # noqa: E402

compileall.compile_dir(root, quiet=1)
with_hook, without = [], []
for r in range(rounds):
    for i, finder in enumerate((hooked, original) if r % 2 else (original, hooked)):
        bootstrap._find_and_load = finder
        started = time.perf_counter_ns()
        __import__("cost_%d" % (2 * r + i))
        elapsed = (time.perf_counter_ns() - started) / (size + 1)
        (with_hook if finder is hooked else without).append(elapsed)
bootstrap._find_and_load = hooked
print("per import: %.2f us with the hook, %.2f us without: the hook adds %.2f us (medians of %d packages of %d modules each)" % (
    statistics.median(with_hook) / 1000, statistics.median(without) / 1000,
    (statistics.median(with_hook) - statistics.median(without)) / 1000, rounds, size))
