using System.Runtime.InteropServices;

namespace Polaris.Agent.Native;

/// <summary>Watches one folder for files created, closed after writing or moved in, blocking in the kernel until
/// something happens.</summary>
/// <remarks>
/// An idle daemon must not wake: <see cref="Wait"/> sleeps in <c>poll</c> with no timeout on the inotify
/// descriptor and an eventfd that <see cref="Stop"/> signals.
/// </remarks>
internal sealed unsafe class Inotify : IDisposable
{
    private const uint InCreate = 0x100;
    private const uint InCloseWrite = 0x8;
    private const uint InMovedTo = 0x80;
    private const uint InQueueOverflow = 0x4000;
    private const int InNonBlock = 0x800;
    private const int InCloExec = 0x80000;
    private const short PollIn = 0x1;

    private readonly int _fd;
    private readonly int _wake;
    private int _disposed;

    public Inotify(string folder)
    {
        _fd = Libc.inotify_init1(InNonBlock | InCloExec);
        if (_fd < 0)
        {
            throw new IOException("inotify_init1: " + Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError()));
        }
        byte* path = NativeStrings.Utf8(folder);
        try
        {
            if (Libc.inotify_add_watch(_fd, path, InCreate | InCloseWrite | InMovedTo) < 0)
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

    /// <summary>Blocks until files are created, closed or moved in, or <paramref name="timeoutMs"/> passes (-1: no
    /// timeout); returns the events in order (empty on timeout), or null once stopped. <paramref name="overflowed"/>
    /// set means events were lost: rescan the folder.</summary>
    public List<(string Name, bool Created)>? Wait(int timeoutMs, out bool overflowed)
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

    private List<(string Name, bool Created)> ReadEvents(ref bool overflowed)
    {
        var names = new List<(string Name, bool Created)>();
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
                uint mask = *(uint*)(buffer + at + 4);
                uint nameLength = *(uint*)(buffer + at + 12);
                if ((mask & InQueueOverflow) != 0)
                {
                    overflowed = true;
                }
                if (nameLength > 0)
                {
                    var span = new ReadOnlySpan<byte>(buffer + at + 16, (int)nameLength);
                    int end = span.IndexOf((byte)0);
                    names.Add((FolderEntries.Name(end < 0 ? span : span[..end]), (mask & InCreate) != 0));
                }
                at += 16 + (nint)nameLength;
            }
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
