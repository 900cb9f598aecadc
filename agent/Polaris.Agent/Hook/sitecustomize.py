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
# - it does no work at import time that can wait; when the daemon is absent it silently does nothing.
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
    modules = sys.modules
    bootstrap = modules.get("_frozen_importlib")
    original = getattr(bootstrap, "_find_and_load", None)

    # Modules loaded before us (site, encodings, .pth imports) are reported untimed with the first flush.
    startup = list(modules)
    timed = []  # (name, start ns, cumulative ns, self ns), in completion order
    per_thread = _thread._local()
    state = {
        "start": wall_ns(),
        "perf0": perf_ns(),
        "import_ns": 0,
        "ppid": 0,
        "inherited": (),
        "sent": 0,  # timed entries already delivered
        "sent_startup": False,
        "reported": set(),
        "objects": set(),
        "fd": -1,
        "fd_id": None,
        "header": False,
        "done": False,
        "flushing": False,
        "lock": _thread.allocate_lock(),
    }

    def find_and_load(name, import_):
        # Wraps importlib's _find_and_load, which CPython calls once for every module not yet in
        # sys.modules: the cheapest place to time imports (one Python call per import).
        try:
            stack = per_thread.stack
        except AttributeError:
            stack = per_thread.stack = []
        stack.append(0)
        started = perf_ns()
        try:
            module = original(name, import_)
        except BaseException:
            elapsed = perf_ns() - started
            stack.pop()
            if stack:
                stack[-1] += elapsed
            raise
        elapsed = perf_ns() - started
        children = stack.pop()
        timed.append((name, started, elapsed, elapsed - children))
        if stack:
            stack[-1] += elapsed
        else:
            # The outermost import is done: a burst of nested imports has settled. Flush it, so that a
            # process killed later (SIGTERM, SIGKILL, os._exit) is still recorded up to here.
            state["import_ns"] += elapsed
            if not state["flushing"]:  # an import made while flushing must not flush again
                flush(None)
        return module

    def describe(name, fields):
        # Read attributes from the module's __dict__, never with getattr: a lazy module's __getattr__
        # would run the program's code.
        path = version = None
        try:
            attributes = modules.get(name).__dict__
            path = attributes.get("__file__")
            if path.__class__ is not str:
                spec = attributes.get("__spec__")
                origin = spec.origin if spec is not None else None
                path = origin if origin in ("built-in", "frozen") else ("namespace" if spec is not None else "")
            if "." not in name:
                version = attributes.get("__version__")
        except Exception:
            pass
        fields += ("m", name, path if path.__class__ is str else "", "", "", "", version if version.__class__ is str else "")

    def real_name(name):
        try:
            return modules.get(name).__dict__.get("__name__")
        except Exception:
            return None

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
        for variable in _ALLOWED_VARIABLES:
            value = environ.get(variable)
            if value is not None:
                fields += ("v", variable, value)

    def shared_objects(fields):
        try:
            with open("/proc/self/maps", "rb") as maps:
                data = maps.read()
        except Exception:
            return
        seen = state["objects"]
        for line in data.split(b"\n"):
            at = line.find(b"/")
            if at > 0 and b".so" in line:
                path = line[at:]
                if path not in seen:
                    seen.add(path)
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
        lock = state["lock"]
        if state["done"] or not lock.acquire(True, 0.25):
            return
        state["flushing"] = True
        try:
            fd = record_file()
            if fd < 0:
                return
            fields = ["polaris2"]
            if not state["header"]:
                header(fields)
            reported = state["reported"]
            if not state["sent_startup"]:
                inherited = state["inherited"]
                for name in startup:
                    if name not in inherited and name not in reported:
                        reported.add(name)
                        describe(name, fields)
            end = len(timed)
            perf0 = state["perf0"]
            for name, started, cumulative, own in timed[state["sent"]:end]:
                if name in reported or name not in modules:
                    continue  # a failed or repeated import
                reported.add(name)
                describe(name, fields)
                fields[-4] = str(started - perf0)
                fields[-3] = str(cumulative)
                fields[-2] = str(own)
            if exit_reason is not None:
                # Modules that never passed through import (aliases, entries set by hand) and, in a
                # forked child, none of the parent's: the parent reports those.
                inherited = state["inherited"]
                for name in list(modules):
                    if name not in reported and name not in inherited:
                        real = real_name(name)
                        if real != name and real.__class__ is str and real in modules:
                            continue  # an extension's short alias: listed once, under its real name
                        reported.add(name)
                        describe(name, fields)
            if exit_reason is not None:
                # Read once, at exit: /proc/self/maps costs the kernel ~0.1 ms to produce for a numpy
                # process, too much to pay at every flush.
                shared_objects(fields)
            fields += ("importns", str(state["import_ns"]))
            if exit_reason is not None:
                fields += ("end", str(wall_ns()), "exit", exit_reason)
            # NUL separates fields: it cannot occur in a module name or a POSIX path, so nothing needs
            # escaping. Each frame is prefixed with its length; O_APPEND writes it whole.
            data = "\0".join(fields).encode("utf-8", "surrogateescape")
            os.write(fd, len(data).to_bytes(4, "little") + data)
            state["header"] = True
            state["sent_startup"] = True
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
            state["flushing"] = False
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
        state["ppid"] = state["pid"]
        state["pid"] = os.getpid()
        state["inherited"] = frozenset(modules)
        state["start"] = wall_ns()
        state["import_ns"] = 0
        state["lock"] = _thread.allocate_lock()
        state["done"] = False
        state["flushing"] = False
        del timed[:]
        state["header"] = False
        state["sent"] = 0
        state["sent_startup"] = False
        state["reported"] = set()
        state["objects"] = set()
        fd = state["fd"]
        state["fd"] = -1
        if fd >= 0:
            try:
                os.close(fd)  # the child's copy only: the parent's record file stays open
            except Exception:
                pass

    state["pid"] = os.getpid()
    if original is not None and getattr(original, "__code__", None) is not None and original.__code__.co_argcount == 2:
        bootstrap._find_and_load = find_and_load
    atexit.register(at_exit)
    os._exit = _exit
    os.register_at_fork(after_in_child=after_fork_in_child)


# Job and environment context: the only environment variables that leave the process.
_ALLOWED_VARIABLES = (
    "PBS_JOBID", "PBS_ACCOUNT", "PBS_QUEUE", "PBS_NODEFILE",
    "PALS_RANKID", "PALS_LOCAL_RANKID", "PMI_RANK", "PMI_SIZE", "PMI_LOCAL_RANK",
    "OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_SIZE", "OMPI_COMM_WORLD_LOCAL_RANK", "PMIX_RANK",
    "MPI_LOCALRANKID", "SLURM_JOB_ID", "SLURM_JOB_ACCOUNT", "SLURM_JOB_PARTITION",
    "SLURM_JOB_NUM_NODES", "SLURM_PROCID", "SLURM_NTASKS",
    "CUDA_VISIBLE_DEVICES", "CONDA_PREFIX", "CONDA_DEFAULT_ENV", "VIRTUAL_ENV",
    "PYTHONPATH", "PYTHONUSERBASE", "LOADEDMODULES",
)


def _polaris_load():
    import sys
    import os

    if "_polaris_hook" in sys.modules and __name__ == "sitecustomize":
        return  # already installed from a .pth file in this environment
    if __name__ == "sitecustomize":
        # An extra sys.path entry makes every later import search one more folder: remove ours.
        here = os.path.dirname(os.path.abspath(__file__))
        for entry in list(sys.path):
            if entry and os.path.abspath(entry) == here:
                sys.path.remove(entry)
                sys.path_importer_cache.pop(entry, None)
    _polaris_install(sys, os)


try:
    _polaris_load()
except BaseException:
    pass
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
