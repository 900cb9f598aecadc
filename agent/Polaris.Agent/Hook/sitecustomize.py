# Polaris Agent's Python hook: records every module this process imports (name, file, import time)
# and hands them to the node daemon (polaris-agent serve) through a file in the node's drop directory,
# which the daemon reads when the file is closed: at exit, or when the kernel closes it after a
# SIGKILL. docs/hook.md explains it.
#
# Rules this file lives by:
# - it never prints, never raises, never changes the program's output, exit status or behaviour;
# - it imports nothing the interpreter has not loaded at start-up (_thread, atexit and time are built
#   into CPython on Debian; os and sys are loaded by site): not even _socket, whose start-up alone
#   costs a quarter of a millisecond;
# - it never waits for the daemon: writing to a file never blocks on another process;
# - it uses only what CPython 3.8 and later provide;
# - it does no work in the program's process that the daemon can do: per import it notes the name,
#   two clock readings and the thread; self times, the import phase and origins are worked out later.
#
# Loaded two ways: as `sitecustomize` from a folder that `polaris-agent run` puts first on PYTHONPATH,
# or as `_polaris_hook` from a .pth file that `polaris-agent install-hook` writes into an environment's
# site-packages (which also covers `python -I`, `-E` and isolated venvs).


def _polaris_install(sys, os):
    import time
    import atexit
    import _thread

    # O_APPEND: each frame lands whole at the end; O_EXCL and O_NOFOLLOW: never open a file someone
    # planted; O_CLOEXEC: programs we exec do not inherit it.
    open_flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND | os.O_NOFOLLOW | os.O_CLOEXEC
    wall_ns = time.time_ns
    perf_ns = time.perf_counter_ns
    thread_id = _thread.get_ident
    modules = sys.modules
    bootstrap = modules.get("_frozen_importlib")
    original = getattr(bootstrap, "_find_and_load", None)

    # Modules loaded before us (site, encodings, .pth imports) are reported untimed with the first flush.
    startup = list(modules)
    timed = []  # (name, start ns, end ns, thread), in completion order
    # Closure variables, not dict or list items: the wrapper reads them on every import.
    depth = 0  # imports under way, all threads together
    # Flushing starts once the interpreter's own start-up is over: imports made by site and
    # sitecustomize go out with the first flush of the program's imports, in the same frame.
    armed = False
    flushing = False
    state = {
        "pid": os.getpid(),
        "start": wall_ns(),
        "ppid": 0,
        "inherited": frozenset(),
        "sent": 0,  # timed entries already written
        "header": False,
        "fd": -1,
        "fd_id": None,
        "done": False,
        "lock": _thread.allocate_lock(),
    }

    def find_and_load(name, import_):
        # Wraps importlib's _find_and_load, which CPython calls once for every module not yet in
        # sys.modules: the cheapest place to time imports (one Python call per import).
        nonlocal depth
        depth += 1
        started = perf_ns()
        try:
            module = original(name, import_)
        finally:
            depth -= 1
        try:
            timed.append((name, started, perf_ns(), thread_id()))
            if not depth and armed and not flushing:
                # Every import has returned: a burst has settled. Flush it, so that a process killed later
                # (SIGTERM, SIGKILL) is still recorded up to here.
                flush(None)
        except Exception:
            pass  # our bookkeeping must never fail the program's import (a MemoryError, say)
        return module

    def describe(fields, times, rows):
        # Per module: m NUL name NUL file NUL version, and its start, end and thread appended to `times`,
        # which goes out as one repr(): int-to-text in C, not a str() call per number. Attributes come from
        # the module's __dict__, never getattr: a lazy module's __getattr__ would run the program's code.
        for name, started, ended, thread in rows:
            try:
                attributes = modules[name].__dict__
                path = attributes.get("__file__")
                if path.__class__ is not str:
                    spec = attributes.get("__spec__")
                    origin = spec.origin if spec is not None else None
                    path = origin if origin in ("built-in", "frozen") else ("namespace" if spec is not None else "")
                version = attributes.get("__version__") if "." not in name else None
            except Exception:
                continue
            fields += ("m", name, path, version if version.__class__ is str else "")
            times += (started, ended, thread)

    def header(fields):
        environ = os.environ
        fields += (
            "py", "%d.%d.%d" % sys.version_info[:3],
            "impl", sys.implementation.name,
            "exe", sys.executable or "",
            "prefix", sys.prefix,
            "base", getattr(sys, "base_prefix", sys.prefix),
            "start", str(state["start"]),
            "ppid", str(state["ppid"]),
        )
        try:
            fields += ("cwd", os.getcwd())
        except Exception:
            pass
        script = sys.argv[0] if getattr(sys, "argv", None) else ""
        if script and script not in ("-c", "-m") and script[0] != "-":
            fields += ("script", os.path.abspath(script))
        site = modules.get("site")
        user_site = getattr(site, "USER_SITE", None)
        if getattr(site, "ENABLE_USER_SITE", False) and user_site in sys.path:
            fields += ("usersite", user_site)
        # The allowlist: nothing else from the environment leaves the process (environments carry secrets).
        # os.environ's own bytes dict: a lookup there skips os.environ's per-key encoding.
        raw = getattr(environ, "_data", None)
        for variable, key in _ALLOWED_VARIABLES:
            value = raw.get(key) if raw is not None else environ.get(variable)
            if value is not None:
                fields += ("v", variable, value if value.__class__ is str else value.decode("utf-8", "surrogateescape"))

    def shared_objects(fields):
        # The kernel hands /proc/self/maps out a page per read.
        chunks = []
        try:
            fd = os.open("/proc/self/maps", os.O_RDONLY | os.O_CLOEXEC)
            try:
                while True:
                    chunk = os.read(fd, 65536)
                    if not chunk:
                        break
                    chunks.append(chunk)
            finally:
                os.close(fd)
        except Exception:
            return
        # Read once per process (at exit), so nothing needs remembering between reads.
        for path in {line[line.find(b"/"):] for line in b"".join(chunks).split(b"\n") if b".so" in line}:
            fields += ("s", path.decode("utf-8", "surrogateescape"))

    def record_file():
        fd = state["fd"]
        if fd >= 0:
            # The program may have closed our descriptor and reused its number (daemonising code closes
            # every fd): never write into someone else's file.
            try:
                if os.fstat(fd)[1:3] == state["fd_id"]:
                    return fd
            except Exception:
                pass
            state["fd"] = -1
            state["done"] = True  # the rest of this process's record is lost; nothing is written twice
            return -1
        folder = os.environ.get("POLARIS_AGENT_DROP") or "/var/spool/polaris-agent/incoming"
        name = "%s/%d.%d.rec" % (folder, state["pid"], state["start"])
        try:
            fd = os.open(name, open_flags, 0o600)
            state["fd_id"] = os.fstat(fd)[1:3]
        except Exception:
            return -1
        state["fd"] = fd
        return fd

    def flush(exit_reason):
        nonlocal flushing
        lock = state["lock"]
        if state["done"] or not lock.acquire(True, 0.25):
            return
        flushing = True
        try:
            fd = record_file()
            if fd < 0:
                return
            fields = ["polaris2"]
            times = []
            inherited = state["inherited"]
            if not state["header"]:
                header(fields)
                describe(fields, times, [(n, 0, 0, 0) for n in startup if n not in inherited and n in modules])
            end = len(timed)
            # A failed import is not in sys.modules: describe skips it.
            # Raw clock readings and thread ids: the daemon needs only their differences and groups.
            describe(fields, times, timed[state["sent"]:end])
            if exit_reason is not None:
                # Modules that never passed through an import (aliases, entries set by hand) and, in a
                # forked child, none of the parent's: the parent reports those.
                reported = {entry[0] for entry in timed}
                reported.update(startup)
                rest = []
                for name in [n for n in modules if n not in reported and n not in inherited]:
                    try:
                        real = modules[name].__dict__.get("__name__")
                    except Exception:
                        real = None
                    if real != name and real.__class__ is str and real in modules:
                        continue  # an extension's short alias: listed once, under its real name
                    rest.append((name, 0, 0, 0))
                describe(fields, times, rest)
                # Read once, at exit: /proc/self/maps costs the kernel ~0.1 ms to produce for a numpy
                # process, too much to pay at every flush.
                shared_objects(fields)
                fields += ("end", str(wall_ns()), "exit", exit_reason)
            if times:
                fields += ("t", repr(times))
            # NUL separates fields: it cannot occur in a module name or a POSIX path, so nothing needs
            # escaping. Each frame is prefixed with its length; O_APPEND writes it whole.
            data = "\0".join(fields).encode("utf-8", "surrogateescape")
            os.write(fd, len(data).to_bytes(4, "little") + data)
            state["header"] = True
            state["sent"] = end
            if exit_reason is not None:
                state["done"] = True
                state["fd"] = -1
                os.close(fd)  # the close tells the daemon the record is complete
        except BaseException as error:
            # A frame may be half written: stop here; the daemon ignores a partial last frame.
            state["done"] = True
            if not isinstance(error, Exception):
                raise  # KeyboardInterrupt and the like belong to the program, not to us
        finally:
            flushing = False
            lock.release()

    def at_exit():
        try:
            flush("exit")
        except BaseException:
            pass

    real_exit = os._exit

    def _exit(status):
        # Forked multiprocessing workers end through os._exit, past atexit.
        try:
            flush("os-exit")
        except BaseException:
            pass
        finally:
            real_exit(status)

    def after_fork_in_child():
        # The child is a process of its own: it reports only what it imports itself.
        nonlocal depth, flushing
        state["ppid"] = state["pid"]
        state["pid"] = os.getpid()
        state["inherited"] = frozenset(modules)
        state["start"] = wall_ns()
        state["lock"] = _thread.allocate_lock()
        state["done"] = False
        state["header"] = False
        state["sent"] = 0
        flushing = False
        depth = 0
        del timed[:]
        fd = state["fd"]
        state["fd"] = -1
        if fd >= 0:
            try:
                os.close(fd)  # the child's copy only: the parent's record file stays open
            except Exception:
                pass

    def arm():
        nonlocal armed
        armed = True

    if original is not None and getattr(original, "__code__", None) is not None and original.__code__.co_argcount == 2:
        bootstrap._find_and_load = find_and_load
    atexit.register(at_exit)
    os._exit = _exit
    os.register_at_fork(after_in_child=after_fork_in_child)
    return arm


# Job and environment context: the only environment variables that leave the process.
_ALLOWED_VARIABLES = tuple((name, name.encode()) for name in (
    "PBS_JOBID", "PBS_ACCOUNT", "PBS_QUEUE", "PBS_NODEFILE",
    "PALS_RANKID", "PALS_LOCAL_RANKID", "PMI_RANK", "PMI_SIZE", "PMI_LOCAL_RANK",
    "OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_SIZE", "OMPI_COMM_WORLD_LOCAL_RANK", "PMIX_RANK",
    "MPI_LOCALRANKID", "SLURM_JOB_ID", "SLURM_JOB_ACCOUNT", "SLURM_JOB_PARTITION",
    "SLURM_JOB_NUM_NODES", "SLURM_PROCID", "SLURM_NTASKS",
    "CUDA_VISIBLE_DEVICES", "CONDA_PREFIX", "CONDA_DEFAULT_ENV", "VIRTUAL_ENV",
    "PYTHONPATH", "PYTHONUSERBASE", "LOADEDMODULES",
))


def _polaris_load():
    import sys
    import os

    if "_polaris_hook" in sys.modules and __name__ == "sitecustomize":
        return None  # already installed from a .pth file in this environment
    if __name__ == "sitecustomize":
        # An extra sys.path entry makes every later import search one more folder: remove ours.
        here = os.path.dirname(os.path.abspath(__file__))
        for entry in list(sys.path):
            if entry and os.path.abspath(entry) == here:
                sys.path.remove(entry)
                sys.path_importer_cache.pop(entry, None)
    return _polaris_install(sys, os)


try:
    _polaris_arm = _polaris_load()
except BaseException:
    _polaris_arm = None
del _polaris_load, _polaris_install

if __name__ == "sitecustomize":
    # Load the sitecustomize this file shadows (Debian ships one that installs apport's exception hook).
    # Outside the try above on purpose: an error in that file must surface exactly as site.py would show
    # it without us, and an ImportError naming `sitecustomize` means there is none, which site.py ignores.
    import sys as _polaris_sys

    _polaris_self = _polaris_sys.modules.pop("sitecustomize", None)
    try:
        import sitecustomize  # noqa: F401  the next one on sys.path, now that ours is gone from it
    except ImportError as _polaris_error:
        if _polaris_error.name != "sitecustomize":
            raise
        if _polaris_self is not None:
            _polaris_sys.modules["sitecustomize"] = _polaris_self
    del _polaris_sys, _polaris_self

if _polaris_arm is not None:
    _polaris_arm()
del _polaris_arm
