using System.Globalization;
using Polaris.Agent.Native;

namespace Polaris.Agent.Serve.Receive;

/// <summary>Processes that run in a PID namespace of their own (a container started with <c>--pid</c> or
/// <c>--containall</c>), by the pid they see themselves as: the pid the hook writes into a record's name.</summary>
/// <remarks>
/// The host's /proc does not know such a pid, so without this the daemon would take a container's record as ended
/// while its process still wrote to it: never read live, and cut short by a restart of the daemon. The kernel lists a
/// process's pid in each namespace it belongs to on the <c>NSpid:</c> line of /proc/PID/status, the host's first and
/// its own last. Reading every process's status is the cost, so the index is made at most once a second and only when
/// asked about a pid the host does not know (a record made while the daemon watched was located then, and never asks).
/// Bounded: at most <see cref="MaxProcesses"/> namespaced processes are indexed. Thread-safe.
/// </remarks>
public static class NamespacedProcesses
{
    /// <summary>Namespaced processes indexed at most: a node runs a few thousand processes.</summary>
    public const int MaxProcesses = 100_000;

    private static readonly Lock Gate = new();
    private static Dictionary<int, List<int>> _byOwnPid = [];
    private static long _madeAtMs = long.MinValue;

    /// <summary>True when a process of user <paramref name="uid"/> (as the host knows them) that calls itself
    /// <paramref name="ownPid"/> in its own PID namespace runs and started near <paramref name="startedUnixNs"/>.</summary>
    public static bool IsRunning(int ownPid, long startedUnixNs, uint uid)
    {
        List<int>? hostPids;
        lock (Gate)
        {
            long now = Environment.TickCount64;
            if (_madeAtMs == long.MinValue || now - _madeAtMs >= 1000)
            {
                _byOwnPid = Index();
                _madeAtMs = now;
            }
            _byOwnPid.TryGetValue(ownPid, out hostPids);
        }
        return hostPids?.Any(host => ProcessLiveness.Matches(ProcessLiveness.StartOf(host), startedUnixNs)
            && FileStatus.Of("/proc/" + host.ToString(CultureInfo.InvariantCulture)) is { } process && process.Uid == uid) ?? false;
    }

    private static Dictionary<int, List<int>> Index()
    {
        var index = new Dictionary<int, List<int>>();
        int count = 0;
        IEnumerable<string> folders;
        try
        {
            folders = Directory.EnumerateDirectories("/proc");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return index;
        }
        foreach (var folder in folders)
        {
            if (!int.TryParse(Path.GetFileName(folder.AsSpan()), NumberStyles.None, CultureInfo.InvariantCulture, out int hostPid))
            {
                continue;
            }
            if (OwnPid(folder) is { } own && own != hostPid && count++ < MaxProcesses)
            {
                if (!index.TryGetValue(own, out var hosts))
                {
                    index[own] = hosts = [];
                }
                hosts.Add(hostPid);
            }
        }
        return index;
    }

    // The last pid of the NSpid line: the process's pid in its innermost namespace; null where it has none of its own.
    private static int? OwnPid(string folder)
    {
        try
        {
            foreach (var line in File.ReadLines(Path.Combine(folder, "status")))
            {
                if (line.StartsWith("NSpid:", StringComparison.Ordinal))
                {
                    var pids = line.AsSpan(6).Trim();
                    int last = pids.LastIndexOfAny(' ', '\t');
                    return last >= 0 && int.TryParse(pids[(last + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int own) ? own : null;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // gone meanwhile
        }
        return null;
    }
}
