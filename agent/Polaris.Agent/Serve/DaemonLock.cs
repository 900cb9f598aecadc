using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Polaris.Agent.Native;

namespace Polaris.Agent.Serve;

/// <summary>The daemon's claim on its drop folder and its spool: an exclusive <c>flock</c> on each folder, held for
/// the daemon's life, so that a second <c>serve</c> on either refuses to start instead of sharing their files and
/// taking over the status socket.</summary>
/// <remarks>
/// The lock is on the folders themselves, not on lock files in them: the drop folder is world-writable, and a user
/// who created a lock file there first could hold it and keep the daemon from starting. Opening a folder to lock it
/// takes read permission, which the drop folder (mode 1733) and the spool (0700) give nobody but the daemon's user.
/// The kernel releases the locks when the daemon exits, however it exits: no stale lock survives a crash.
/// </remarks>
internal sealed class DaemonLock : IDisposable
{
    private readonly List<SafeFileHandle> _held = [];

    private DaemonLock()
    {
    }

    /// <summary>Locks the drop folder and the spool (creating them when missing, as only their owner may read them).</summary>
    /// <exception cref="IOException">Another daemon holds one of them, or a folder cannot be opened.</exception>
    public static DaemonLock Take(AgentOptions options)
    {
        var taken = new DaemonLock();
        try
        {
            // No access for others from the first instant: a user who could open a folder could lock it too.
            const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
            taken.Hold(options.Drop, "drop folder", Private);
            taken.Hold(options.Spool, "spool", Private);
            return taken;
        }
        catch
        {
            taken.Dispose();
            throw;
        }
    }

    private void Hold(string folder, string what, UnixFileMode mode)
    {
        Directory.CreateDirectory(folder, mode);
        var handle = RegularFile.OpenFolder(folder, out int error)
            ?? throw new IOException($"cannot open the {what} {folder} (errno {error})");
        if (Libc.flock(handle, Libc.LOCK_EX | Libc.LOCK_NB) != 0)
        {
            error = Marshal.GetLastPInvokeError();
            handle.Dispose();
            throw new IOException(error == Libc.EWOULDBLOCK
                ? $"another polaris-agent serve is running on the {what} {folder}; stop it first, or give this one a {what} of its own"
                : $"cannot lock the {what} {folder}: {Marshal.GetPInvokeErrorMessage(error)}");
        }
        _held.Add(handle);
    }

    public void Dispose()
    {
        foreach (var handle in _held)
        {
            handle.Dispose();
        }
        _held.Clear();
    }
}
