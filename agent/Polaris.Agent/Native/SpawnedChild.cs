using System.Runtime.InteropServices;

namespace Polaris.Agent.Native;

/// <summary>A child started with <c>posix_spawnp</c>, its standard streams on files, reaped with <c>waitpid</c>.</summary>
/// <remarks>
/// Not <see cref="System.Diagnostics.Process"/>: that one gives a child only pipes or this process's own
/// streams, and its fork, pipe plumbing and SIGCHLD bookkeeping would add noise of their own to a
/// timing. <c>posix_spawn</c> is the cheapest start glibc offers (vfork-like), output goes straight to
/// files such as <c>/dev/null</c> where no pipe can fill, and signal dispositions are reset as exec does
/// for a shell (.NET ignores SIGPIPE, which children must not inherit).
/// </remarks>
public sealed class SpawnedChild
{
    private const int SignalKill = 9;
    private int? _exitCode;

    private SpawnedChild(int pid)
    {
        Pid = pid;
    }

    public int Pid { get; }

    /// <summary>Starts a program with exactly the given environment.</summary>
    /// <param name="argv">The program (searched on PATH) and its arguments.</param>
    /// <param name="environment">Its whole environment.</param>
    /// <param name="stdin">File opened for reading as fd 0.</param>
    /// <param name="stdout">File opened (created, truncated) for writing as fd 1.</param>
    /// <param name="stderr">File opened (created, truncated) for writing as fd 2.</param>
    /// <exception cref="IOException">The program could not be started.</exception>
    public static unsafe SpawnedChild Start(IReadOnlyList<string> argv, IEnumerable<KeyValuePair<string, string>> environment,
        string stdin = "/dev/null", string stdout = "/dev/null", string stderr = "/dev/null")
    {
        using var args = new NativeStrings(argv);
        using var envp = new NativeStrings(environment.Select(e => e.Key + "=" + e.Value).ToArray());
        using var paths = new NativeStrings([stdin, stdout, stderr]);
        byte* actions = stackalloc byte[PosixSpawn.FileActionsSize];
        byte* attributes = stackalloc byte[PosixSpawn.AttributesSize];
        byte* all = stackalloc byte[PosixSpawn.SignalSetSize];
        byte* none = stackalloc byte[PosixSpawn.SignalSetSize];
        PosixSpawn.posix_spawn_file_actions_init(actions);
        PosixSpawn.posix_spawnattr_init(attributes);
        try
        {
            const int write = PosixSpawn.WriteOnly | PosixSpawn.Create | PosixSpawn.Truncate;
            PosixSpawn.posix_spawn_file_actions_addopen(actions, 0, paths.Pointer[0], PosixSpawn.ReadOnly, 0);
            PosixSpawn.posix_spawn_file_actions_addopen(actions, 1, paths.Pointer[1], write, 0x1B6);
            PosixSpawn.posix_spawn_file_actions_addopen(actions, 2, paths.Pointer[2], write, 0x1B6);
            PosixSpawn.sigfillset(all);
            PosixSpawn.sigemptyset(none);
            PosixSpawn.posix_spawnattr_setsigdefault(attributes, all);
            PosixSpawn.posix_spawnattr_setsigmask(attributes, none);
            PosixSpawn.posix_spawnattr_setflags(attributes, PosixSpawn.SetSignalDefaults | PosixSpawn.SetSignalMask);
            int pid;
            // posix_spawn returns the error number instead of setting errno.
            int error = PosixSpawn.posix_spawnp(&pid, args.Pointer[0], actions, attributes, args.Pointer, envp.Pointer);
            if (error != 0)
            {
                throw new IOException($"cannot run {argv[0]}: {Marshal.GetPInvokeErrorMessage(error)}");
            }
            return new SpawnedChild(pid);
        }
        finally
        {
            PosixSpawn.posix_spawnattr_destroy(attributes);
            PosixSpawn.posix_spawn_file_actions_destroy(actions);
        }
    }

    /// <summary>Blocks until the child ends; its exit status, or 128 + the signal that killed it, as a shell reports it.</summary>
    public int WaitForExit() => Wait(blocking: true) ?? throw new InvalidOperationException("waitpid returned early");

    /// <summary>Waits at most <paramref name="timeout"/>; null when the child still runs.</summary>
    public int? WaitForExit(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (Wait(blocking: false) is { } code)
            {
                return code;
            }
            if (DateTime.UtcNow >= deadline)
            {
                return null;
            }
            Thread.Sleep(10);
        }
    }

    /// <summary>Sends <paramref name="signal"/> unless the child was already reaped (its pid may be someone else's by now).</summary>
    public void Signal(int signal)
    {
        if (_exitCode == null)
        {
            _ = PosixSpawn.kill(Pid, signal);
        }
    }

    /// <summary>SIGKILL, then reaps it.</summary>
    public int Kill()
    {
        Signal(SignalKill);
        return WaitForExit();
    }

    private unsafe int? Wait(bool blocking)
    {
        if (_exitCode is { } known)
        {
            return known;
        }
        int status;
        int result;
        do
        {
            result = PosixSpawn.waitpid(Pid, &status, blocking ? 0 : PosixSpawn.NoHang);
        }
        while (result < 0 && Marshal.GetLastPInvokeError() == PosixSpawn.Interrupted);
        if (result < 0)
        {
            throw new IOException($"waitpid {Pid}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }
        if (result == 0)
        {
            return null;
        }
        int signal = status & 0x7F;
        _exitCode = signal == 0 ? (status >> 8) & 0xFF : 128 + signal;
        return _exitCode;
    }
}
