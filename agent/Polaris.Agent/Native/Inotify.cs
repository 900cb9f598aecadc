using System.Runtime.InteropServices;

namespace Polaris.Agent.Native;

/// <summary>Watches one folder for files created, closed after writing or moved in, blocking in the kernel until
/// something happens.</summary>
/// <remarks>
/// An idle daemon must not wake: <see cref="Wait"/> sleeps in <c>poll</c> with no timeout on the inotify
/// descriptor and an eventfd that <see cref="Stop"/> signals. Writes are not watched on the folder, where every frame
/// of every process would wake the daemon, but file by file and once (<see cref="WatchWrite"/>): only the files of
/// processes that run long are followed, each by at most one event per read.
/// </remarks>
internal sealed unsafe class Inotify : IDisposable
{
    private const uint InModify = 0x2;
    private const uint InIgnored = 0x8000;
    private const uint InDontFollow = 0x02000000;
    private const uint InOneShot = 0x80000000;
    private const uint InCreate = 0x100;
    private const uint InCloseWrite = 0x8;
    private const uint InMovedTo = 0x80;
    private const uint InQueueOverflow = 0x4000;
    private const int InNonBlock = 0x800;
    private const int InCloExec = 0x80000;
    private const short PollIn = 0x1;

    private readonly int _fd;
    private readonly int _wake;
    private readonly string _folder;
    private readonly int _folderWatch;
    // The files watched for their next write, by watch descriptor: events of a file watch carry no name.
    private readonly Dictionary<int, string> _files = [];
    private int _disposed;

    public Inotify(string folder)
    {
        _fd = Libc.inotify_init1(InNonBlock | InCloExec);
        if (_fd < 0)
        {
            throw new IOException("inotify_init1: " + Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError()));
        }
        _folder = folder;
        byte* path = NativeStrings.Utf8(folder);
        try
        {
            _folderWatch = Libc.inotify_add_watch(_fd, path, InCreate | InCloseWrite | InMovedTo);
            if (_folderWatch < 0)
            {
                var error = Marshal.GetLastPInvokeError();
                Libc.close(_fd);
                throw new IOException($"inotify_add_watch {folder}: {Marshal.GetPInvokeErrorMessage(error)}");
            }
        }
        finally
        {
            NativeMemory.Free(path);
        }
        _wake = Libc.eventfd(0, InNonBlock | InCloExec);
    }

    /// <summary>Asks for one <see cref="FileEvent.Written"/> at the next write to <paramref name="name"/>, a file of the
    /// folder (not followed if a symlink); false when the kernel refuses (the file went, or its watches ran out). Call
    /// from the thread that calls <see cref="Wait"/>.</summary>
    public bool WatchWrite(string name)
    {
        byte* path = NativeStrings.Utf8(Path.Combine(_folder, name));
        try
        {
            int watch = Libc.inotify_add_watch(_fd, path, InModify | InOneShot | InDontFollow);
            if (watch < 0)
            {
                return false;
            }
            _files[watch] = name;
            return true;
        }
        finally
        {
            NativeMemory.Free(path);
        }
    }

    /// <summary>Blocks until files are created, closed or moved in, a file watched is written to, or
    /// <paramref name="timeoutMs"/> passes (-1: no timeout); returns the events in order (empty on timeout), or null
    /// once stopped. <paramref name="overflowed"/> set means events were lost: rescan the folder.</summary>
    public List<(string Name, FileEvent Event)>? Wait(int timeoutMs, out bool overflowed)
    {
        overflowed = false;
        var fds = stackalloc Libc.PollFd[2];
        fds[0] = new Libc.PollFd { Fd = _fd, Events = PollIn };
        fds[1] = new Libc.PollFd { Fd = _wake, Events = PollIn };
        while (Volatile.Read(ref _disposed) == 0)
        {
            int ready = Libc.poll(fds, 2, timeoutMs);
            if (ready < 0 && Marshal.GetLastPInvokeError() == Libc.EINTR)
            {
                continue;
            }
            if (ready < 0 || fds[1].Revents != 0 || Volatile.Read(ref _disposed) != 0)
            {
                return null;
            }
            if (ready == 0)
            {
                return [];
            }
            var names = ReadEvents(ref overflowed);
            if (names.Count > 0 || overflowed)
            {
                return names;
            }
        }
        return null;
    }

    private List<(string Name, FileEvent Event)> ReadEvents(ref bool overflowed)
    {
        var names = new List<(string Name, FileEvent Event)>();
        byte* buffer = stackalloc byte[64 * 1024];
        while (true)
        {
            nint length = Libc.read(_fd, buffer, 64 * 1024);
            if (length <= 0)
            {
                return names; // EAGAIN: drained
            }
            for (nint at = 0; at + 16 <= length;)
            {
                int watch = *(int*)(buffer + at);
                uint mask = *(uint*)(buffer + at + 4);
                uint nameLength = *(uint*)(buffer + at + 12);
                if ((mask & InQueueOverflow) != 0)
                {
                    overflowed = true;
                }
                if (watch != _folderWatch)
                {
                    FileWatchEvent(watch, mask, names);
                }
                else if (nameLength > 0)
                {
                    var span = new ReadOnlySpan<byte>(buffer + at + 16, (int)nameLength);
                    int end = span.IndexOf((byte)0);
                    names.Add((FolderEntries.Name(end < 0 ? span : span[..end]), (mask & InCreate) != 0 ? FileEvent.Created : FileEvent.Closed));
                }
                at += 16 + (nint)nameLength;
            }
        }
    }

    /// <summary>A file watch's event: its write, or the end of the watch (after its one event, or the file's removal).</summary>
    private void FileWatchEvent(int watch, uint mask, List<(string Name, FileEvent Event)> names)
    {
        if ((mask & InIgnored) != 0)
        {
            _files.Remove(watch);
        }
        else if ((mask & InModify) != 0 && _files.TryGetValue(watch, out var name))
        {
            names.Add((name, FileEvent.Written));
        }
    }

    /// <summary>Wakes <see cref="Wait"/>, which then returns null; safe to call more than once.</summary>
    public void Stop()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        ulong one = 1;
        Libc.write(_wake, (byte*)&one, 8);
    }

    /// <summary>Closes the descriptors; call after the thread in <see cref="Wait"/> has returned.</summary>
    public void Dispose()
    {
        Stop();
        Libc.close(_fd);
        Libc.close(_wake);
    }
}
