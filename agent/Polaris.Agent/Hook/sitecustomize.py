# Polaris Agent's Python hook: records which modules this process imported and hands one record
# to the node daemon (polaris-agent serve) when the interpreter exits.
#
# Rules this file lives by (see docs/hook.md):
# - it never prints, never raises, never changes the program's output, exit status or behaviour;
# - it imports nothing the interpreter has not loaded at start-up (_socket, atexit and time are
#   built into CPython on Debian), and defers all work to exit;
# - it uses only what CPython 3.8 and later provide;
# - when the daemon is absent it silently does nothing.
#
# Python imports this file as `sitecustomize` because `polaris-agent run` puts its folder first on
# PYTHONPATH. It removes that folder from sys.path again at once (an extra sys.path entry makes every
# later import search one more directory), then loads the sitecustomize it shadows, if any.


def _polaris_install():
    import sys
    import os

    here = os.path.dirname(os.path.abspath(__file__))
    for entry in list(sys.path):
        if entry and os.path.abspath(entry) == here:
            sys.path.remove(entry)
            sys.path_importer_cache.pop(entry, None)

    import time
    import atexit

    started_ns = time.time_ns()

    def send_record():
        try:
            import _socket

            fields = [
                "polaris1",
                "py", "%d.%d.%d" % sys.version_info[:3],
                "exe", sys.executable or "",
                "start", str(started_ns),
                "end", str(time.time_ns()),
            ]
            modules = sys.modules
            for name, module in list(modules.items()):
                try:
                    attributes = module.__dict__
                    path = attributes.get("__file__")
                    real = attributes.get("__name__")
                except Exception:
                    path = real = None
                # Some extensions also register under a short alias (scipy's `_moduleTNC` is
                # `scipy.optimize._moduleTNC`): one import, listed once, under its real name.
                if real != name and real.__class__ is str and real in modules:
                    continue
                fields.append("m")
                fields.append(name)
                fields.append(path if path.__class__ is str else "")
            # NUL separates fields: it cannot occur in a module name or a POSIX path, so nothing needs escaping.
            data = "\0".join(fields).encode("utf-8", "surrogateescape")
            path = os.environ.get("POLARIS_AGENT_SOCKET") or "/run/polaris-agent/agent.sock"
            sock = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
            try:
                # A stuck daemon may delay the exit by at most this, never hang it.
                sock.settimeout(0.25)
                sock.connect(path)
                sock.sendall(data)
            finally:
                sock.close()
        except BaseException:
            pass

    atexit.register(send_record)


try:
    _polaris_install()
except BaseException:
    pass
del _polaris_install

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
