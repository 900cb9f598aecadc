# Polaris Agent's Python hook: records every module this process imports (name, file, import time)
# and hands them to the node daemon (polaris-agent serve) through a file in the node's drop directory,
# which the daemon reads when the file is closed: at exit, or when the kernel closes it after a
# SIGKILL. docs/hook.md explains it.
#
# Rules this file lives by:
# - it never prints, never raises, never changes the program's output, exit status or behaviour;
# - it imports nothing the interpreter has not loaded at start-up (atexit, built into CPython, is
#   instantiated privately where CPython allows): not even _socket, whose start-up alone costs a
#   quarter of a millisecond;
# - it never waits for the daemon: writing to a file never blocks on another process;
# - it uses only what CPython 3.8 and later provide;
# - it does no work in the program's process that the daemon can do: per import it notes the name,
#   two clock readings and the thread; per frame it reads files and versions with C loops (map, join,
#   marshal), so that no bytecode runs per module; self times, origins and shared objects are worked
#   out by the daemon.
# Every function here is a code object the interpreter unmarshals at start-up, in every process: the
# few there are do much each, on purpose.
#
# Loaded two ways: as `sitecustomize` from a folder that `polaris-agent run` puts first on PYTHONPATH,
# or as `_polaris_hook` from a .pth file that `polaris-agent install-hook` writes into an environment's
# site-packages (which also covers `python -I`, `-E` and isolated venvs).


def _polaris_install(sys, os):
    import marshal
    import _thread
    # perf_counter as a float of seconds: cheaper to read and to marshal than perf_counter_ns's big integers,
    # and still within a nanosecond or so for a clock that started at boot.
    from time import perf_counter, time_ns as wall_ns

    modules = sys.modules
    bootstrap = modules.get("_frozen_importlib")
    if sys.version_info >= (3, 10):
        # atexit keeps its callbacks in the interpreter since 3.10: a private instance of the built-in module
        # registers with the program's, for a fifth of what importing it costs, and adds nothing to sys.modules.
        import _imp
        atexit = _imp.create_builtin(bootstrap.ModuleSpec("atexit", None))
        _imp.exec_builtin(atexit)
    else:
        import atexit
    original = getattr(bootstrap, "_find_and_load", None)
    spec_type = getattr(bootstrap, "ModuleSpec", None)
    # A module's own namespace through ModuleType's slot, not getattr: a module class that overrides attribute
    # access (importlib.util.LazyLoader's loads the module on any access) is not woken up, and a lazy module's
    # __getattr__ never runs. A C function, so map() calls it without running bytecode.
    module_type = type(sys)
    namespace_of = module_type.__dict__["__dict__"].__get__
    get = dict.get
    thread_id = _thread.get_ident
    # os.environ's own bytes dict, which the program's changes update: a lookup there skips os.environ's per-key
    # encoding and decoding.
    environ = getattr(os.environ, "_data", None) or getattr(os, "environb", {})
    # O_APPEND: each frame lands whole at the end; O_EXCL and O_NOFOLLOW: never open a file someone
    # planted; O_CLOEXEC: programs we exec do not inherit it.
    open_flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND | os.O_NOFOLLOW | os.O_CLOEXEC

    # Closure variables, not dict or list items: the wrapper reads them on every import.
    timed = []  # name, module, start s, end s, thread of each import not yet written, in completion order
    depth = 0  # imports under way, all threads together
    armed = False  # frames are written once the interpreter's start-up (site) is over
    pre = 0  # length of `timed` when an import last settled while site was initialising: the start-up imports
    startup = list(modules)  # loaded before us (site, encodings, .pth imports): reported untimed
    # Loaded while site initialises (from a .pth file, or as sitecustomize), what came before us is the interpreter's
    # start-up; loaded later (a program's site.addsitedir), it is the program's own imports, and nothing is marked.
    site = modules.get("site")
    booting = issubclass(type(site), module_type) and getattr(get(namespace_of(site), "__spec__"), "_initializing", False)
    written = []  # lists of the names of the modules written so far
    pid = os.getpid()
    ppid = 0
    start = wall_ns()
    fd = -1
    fd_id = None
    first = True
    done = False
    lock = _thread.allocate_lock()

    def find_and_load(name, import_):
        # Wraps importlib's _find_and_load, which CPython calls once for every module not yet in
        # sys.modules: the cheapest place to time imports (one Python call per import).
        nonlocal depth, timed
        depth += 1
        started = perf_counter()
        try:
            module = original(name, import_)
        finally:
            depth -= 1
        try:
            # One flat list, extended by a tuple that is freed at once: a tuple kept per import makes the
            # garbage collector's passes longer (measured: 4 k instructions per import, most of the wrapper's).
            timed += (name, module, started, perf_counter(), thread_id())
            if not depth:
                # Every import has returned: a burst has settled. Write it, so that a process killed later
                # (SIGTERM, SIGKILL) is still recorded up to here.
                flush(None)
        except Exception:
            pass  # our bookkeeping must never fail the program's import (a MemoryError, say)
        return module

    def flush(exit_reason):
        nonlocal armed, first, done, fd, fd_id, pre
        locked = False
        try:
            if not armed:
                # site imports sitecustomize and the .pth files: their imports go out with the program's first,
                # marked as start-up ones. Noted here, where only imports made during start-up pass: once armed,
                # an import pays nothing for it.
                site = modules.get("site")
                if issubclass(type(site), module_type) and getattr(get(namespace_of(site), "__spec__"), "_initializing", False):
                    pre = len(timed)
                    return
                armed = True
            # At exit, wait a little for a flush under way in another thread; after an import, leave it to that one.
            locked = not done and (lock.acquire(True, 0.25) if exit_reason else lock.acquire(False))
            if not locked:
                return
            if fd < 0:
                folder = environ.get(b"POLARIS_AGENT_DROP") or b"/var/spool/polaris-agent/incoming"
                try:
                    fd = os.open(b"%s/%d.%d.rec" % (folder, pid, start), open_flags, 0o600)
                    fd_id = os.fstat(fd)[1:3]
                except Exception:
                    done = True  # no drop folder, no daemon to read a record: nothing to do for this process
                    return
            elif os.fstat(fd)[1:3] != fd_id:
                # The program closed our descriptor and reused its number (daemonising code closes every fd):
                # never write into someone else's file. The rest of this record is lost; nothing is written twice.
                fd = -1
                done = True
                return
            fields = ["polaris3"]
            blobs = []
            groups = []  # (key, names, module objects, times blob or None)
            if first:
                if startup:
                    groups.append(("m", startup, list(map(modules.get, startup)), None))
                fields += (
                    "py", "%d.%d.%d" % sys.version_info[:3],
                    "impl", sys.implementation.name,
                    "exe", sys.executable or "",
                    "prefix", sys.prefix or "",
                    "base", getattr(sys, "base_prefix", None) or sys.prefix or "",
                    "start", str(start),
                    "ppid", str(ppid),
                )
                # The modules loaded at start-up come first in this frame: the untimed group of those loaded before
                # us, then the first of the timed imports. None in a forked child, whose imports are its own.
                if booting and (startup or pre):
                    fields += ("pre", str(len(startup) + pre // 5))
                try:
                    fields += ("cwd", os.getcwd())  # fails when the folder was removed
                    script = sys.argv[0]
                    if script and script not in ("-c", "-m") and script[0] != "-":
                        fields += ("script", os.path.abspath(script))
                except Exception:
                    pass
                site = modules.get("site")
                site = namespace_of(site) if issubclass(type(site), module_type) else {}
                if site.get("ENABLE_USER_SITE") and site.get("USER_SITE") in sys.path:
                    fields += ("usersite", site["USER_SITE"])
                # The allowlist: nothing else from the environment leaves the process (environments carry secrets).
                for variable in environ.keys() & set(_ALLOWED_VARIABLES.split()):
                    fields += ("v", variable.decode(), environ.get(variable, b"").decode("utf-8", "surrogateescape"))
            rows = timed[:]
            if rows:
                # Raw clock readings and thread ids, in one marshal call (numbers to bytes in C): the daemon needs
                # only their differences and groups. One thread id stands for all when all are the same.
                threads = rows[4::5]
                if threads.count(threads[0]) == len(threads):
                    threads = threads[:1]
                groups.append(("mt", rows[0::5], rows[1::5], marshal.dumps((rows[2::5], rows[3::5], threads), 2)))
            if exit_reason is not None:
                # Modules that never passed through an import (aliases, entries set by hand) and, in a forked
                # child, none of the parent's: the parent reports those.
                rest = []
                unseen = set(modules).difference(*written)
                for group in groups:
                    unseen.difference_update(group[1])
                for name in unseen:
                    module = modules.get(name)
                    if issubclass(type(module), module_type):
                        real = get(namespace_of(module), "__name__")
                        if real == name or type(real) is not str or real not in modules:
                            rest.append(name)  # not an extension's short alias, which is listed under its real name
                if rest:
                    groups.append(("m", rest, list(map(modules.get, rest)), None))
            for key, names, objects, times in groups:
                # Per group: a count, then three columns (names, files, versions) read by C loops; versions from
                # every module's __dict__, of which the daemon keeps those of top-level packages.
                count = len(names)
                try:
                    spaces = list(map(namespace_of, objects))
                except TypeError:  # not a module: some libraries put other objects into sys.modules
                    spaces = [namespace_of(m) if issubclass(type(m), module_type) else {} for m in objects]
                blank = ("",) * count
                files = list(map(get, spaces, ("__file__",) * count, blank))
                at = -1 if "" in files else count
                try:
                    while at < count:
                        # No __file__: built in, frozen, a namespace package, or made by hand ("").
                        at = files.index("", at + 1)
                        spec = get(spaces[at], "__spec__")
                        if type(spec) is spec_type:
                            origin = spec.origin
                            if origin == "built-in" or origin == "frozen":
                                files[at] = origin
                            elif origin is None and spec.submodule_search_locations is not None:
                                files[at] = "namespace"
                except ValueError:
                    pass
                fields += (key, str(count))
                if times is not None:
                    fields.append(str(len(times)))
                    blobs.append(times)
                fields += names
                fields += files
                fields += map(get, spaces, ("__version__",) * count, blank)
                written.append(names)
            if exit_reason is not None:
                # Read once, at exit: /proc/self/maps costs the kernel ~0.1 ms for a numpy process. Sent as the
                # kernel wrote it, in the chunks it came in: the daemon picks out the shared objects.
                size = len(blobs)
                try:
                    maps = os.open("/proc/self/maps", os.O_RDONLY | os.O_CLOEXEC)
                    try:
                        # The kernel hands it out a page per read. On x86-64 its last line is the vsyscall page's:
                        # seen, no read is spent on learning that the end is reached.
                        chunk = os.read(maps, 65536)
                        while chunk:
                            blobs.append(chunk)
                            chunk = b"" if chunk.endswith(b" [vsyscall]\n") else os.read(maps, 65536)
                    finally:
                        os.close(maps)
                except Exception:
                    del blobs[size:]
                fields += ("maps", str(sum(map(len, blobs[size:]))), "end", str(wall_ns()), "exit", exit_reason)
            # Fields are NUL-separated UTF-8 (NUL occurs neither in a module name nor in a POSIX path); the
            # binary values follow in the order of their fields. A frame is prefixed with its length; O_APPEND
            # writes it whole. A value that is not a plain string (a __version__ tuple) is blanked. A NUL that a
            # program put into a module's name or __file__ by hand shifts the fields: the daemon then drops that
            # frame and counts it, which costs less than scanning every frame for NULs.
            try:
                text = "\0".join(fields)
            except TypeError:
                text = "\0".join([v if type(v) is str else "" for v in fields])
            text = text.encode("utf-8", "surrogateescape")
            blobs[:0] = (b"", text)
            size = sum(map(len, blobs))  # the text and the binary values
            blobs[0] = (size + 4).to_bytes(4, "little") + len(text).to_bytes(4, "little")
            # One writev, no copies: every large buffer a frame copied would be fresh memory, and the first touch of
            # a page costs the kernel more than the copy.
            if os.writev(fd, blobs) != size + 8:
                raise OSError  # a short write (a full disk): the frame is cut short, and so is the record
            first = False
            if rows:
                del timed[:len(rows)]  # what other threads added meanwhile waits for the next frame
            if exit_reason is not None:
                done = True
                os.close(fd)  # the close tells the daemon the record is complete
                fd = -1
        except BaseException as error:
            # A frame may be half written: stop here; the daemon ignores a partial last frame.
            done = True
            if exit_reason is None and not isinstance(error, Exception):
                raise  # KeyboardInterrupt and the like belong to the program, not to us
        finally:
            if locked:
                lock.release()

    real_exit = os._exit

    def _exit(status):
        # Forked multiprocessing workers end through os._exit, past atexit.
        try:
            flush("os-exit")
        finally:
            real_exit(status)

    def after_fork_in_child():
        # The child is a process of its own: it reports only what it imports itself, in a file of its own.
        nonlocal depth, pid, ppid, start, startup, pre, fd, first, done, lock
        ppid = pid
        pid = os.getpid()
        start = wall_ns()
        startup = ()
        pre = 0
        lock = _thread.allocate_lock()
        first = True
        done = False
        depth = 0
        del timed[:]
        written[:] = [list(modules)]  # the parent's modules: the parent reports them
        if fd >= 0:
            try:
                os.close(fd)  # the child's copy only: the parent's record file stays open
            except Exception:
                pass
            fd = -1

    if original is not None and getattr(original, "__code__", None) is not None and original.__code__.co_argcount == 2:
        # Named as importlib's own code: CPython then leaves the wrapper out of the traceback of an error raised
        # while importing, and warnings look past it for the importing line, as they look past importlib (a
        # DeprecationWarning raised at import by a module that __main__ imports is shown, as without the hook).
        find_and_load.__code__ = find_and_load.__code__.replace(co_filename=original.__code__.co_filename)
        bootstrap._find_and_load = find_and_load
    atexit.register(flush, "exit")
    os._exit = _exit
    os.register_at_fork(after_in_child=after_fork_in_child)


# Job and environment context: the only environment variables that leave the process.
_ALLOWED_VARIABLES = (
    b"PBS_JOBID PBS_ACCOUNT PBS_QUEUE PBS_NODEFILE"
    b" PALS_RANKID PALS_LOCAL_RANKID PMI_RANK PMI_SIZE PMI_LOCAL_RANK"
    b" OMPI_COMM_WORLD_RANK OMPI_COMM_WORLD_SIZE OMPI_COMM_WORLD_LOCAL_RANK PMIX_RANK"
    b" MPI_LOCALRANKID SLURM_JOB_ID SLURM_JOB_ACCOUNT SLURM_JOB_PARTITION"
    b" SLURM_JOB_NUM_NODES SLURM_PROCID SLURM_NTASKS"
    b" CUDA_VISIBLE_DEVICES CONDA_PREFIX CONDA_DEFAULT_ENV VIRTUAL_ENV"
    b" PYTHONPATH PYTHONUSERBASE LOADEDMODULES"
    # One launch of an MPI program (outside a batch job, the only thing that tells two launches apart).
    b" PMIX_NAMESPACE PALS_APID SLURM_STEP_ID"
)


def _polaris_installed(sys, os):
    # The hook may be reached more than once in a process: a .pth in the environment and PYTHONPATH both, the folder
    # twice on PYTHONPATH (`run` inside an `env` shell), copies in two folders (a base's and a venv's), a program that
    # calls site.addsitedir. The first one installs; a second install would time every import twice and write a
    # second record. Its wrappers, not its module's name, tell (copies from older agents included).
    for function in (os._exit, getattr(sys.modules.get("_frozen_importlib"), "_find_and_load", None)):
        if getattr(function, "__qualname__", "").startswith("_polaris_install."):
            return True
    return __name__ == "sitecustomize" and "_polaris_hook" in sys.modules


def _polaris_load():
    import sys
    import os

    chain = False
    if __name__ == "sitecustomize":
        # First of all, whether or not this copy installs: take our folder off sys.path. An extra entry makes every
        # later import search one more folder, and the chained `import sitecustomize` below must find the next one,
        # never this file again (which would import itself until the recursion limit, printed into the user's job).
        here = os.path.dirname(__file__)
        ours = [entry for entry in sys.path if entry == here]
        if not ours:  # spelt another way on sys.path (site.py makes PYTHONPATH's entries absolute; a program may not)
            here = os.path.abspath(here)
            ours = [entry for entry in sys.path if entry and os.path.abspath(entry) == here]
        for entry in ours:
            sys.path.remove(entry)
            sys.path_importer_cache.pop(entry, None)
        # Found through no sys.path entry (a custom finder): chaining could find this file again; do not.
        chain = bool(ours)
    try:
        if not _polaris_installed(sys, os):
            _polaris_install(sys, os)
    except BaseException:
        pass
    return chain


try:
    _polaris_chain = _polaris_load()
except BaseException:
    _polaris_chain = False  # our folder may still be on sys.path: chaining could find this file again
del _polaris_load, _polaris_install, _polaris_installed

if _polaris_chain:
    # Load the sitecustomize this file shadows (Debian ships one that installs apport's exception hook).
    # Outside the try above on purpose: an error in that file must surface exactly as site.py would show
    # it without us, and an ImportError naming `sitecustomize` means there is none, which site.py ignores.
    import sys as _polaris_sys

    del _polaris_chain
    _polaris_sys.modules.pop("sitecustomize", None)
    del _polaris_sys
    try:
        import sitecustomize  # noqa: F401  the next one on sys.path, now that ours is gone from it
    except ImportError as _polaris_error:
        if _polaris_error.name != "sitecustomize":
            raise
        # There is none: fail as a missing sitecustomize does. site.py ignores exactly this error, and sys.modules
        # is then left without a `sitecustomize`, as without the hook (a program's own `import sitecustomize` fails
        # as it would have); the hook lives on in the closures it installed.
        raise ModuleNotFoundError("No module named 'sitecustomize'", name="sitecustomize") from None
else:
    del _polaris_chain
