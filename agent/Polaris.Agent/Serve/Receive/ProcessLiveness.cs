using System.Globalization;

namespace Polaris.Agent.Serve.Receive;

/// <summary>Tells whether the process that wrote a record file still runs, so an unfinished record is not cut short.</summary>
/// <remarks>
/// A pid alone can be reused: the process must also have started when the record says (within a few seconds:
/// the hook notes its start a little after the kernel does). /proc/PID/stat is readable for every user's process.
/// A process that is exiting counts as ended: the kernel closes its files during exit, before it is a zombie, so a
/// killed writer's close comes while /proc still shows it running (state R or D) but with PF_EXITING set.
/// </remarks>
public static class ProcessLiveness
{
    private static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(5);
    private static readonly Lazy<long> BootTimeSeconds = new(ReadBootTime);

    // USER_HZ is 100 on every Linux architecture the agent targets.
    private const double TicksPerSecond = 100.0;

    // include/linux/sched.h: set when the process begins to exit, before its files are closed.
    private const uint ExitingFlag = 0x4;

    /// <summary>True when process <paramref name="pid"/> runs and started near <paramref name="startedUnixNs"/>.</summary>
    public static bool IsRunning(int pid, long startedUnixNs) => Matches(StartOf(pid), startedUnixNs);

    /// <summary>Whether a process that started at <paramref name="startedSeconds"/> (from <see cref="StartOf"/>) is
    /// the one a record names.</summary>
    public static bool Matches(double? startedSeconds, long startedUnixNs) =>
        startedSeconds is { } started && Math.Abs(started - startedUnixNs / 1e9) <= Tolerance.TotalSeconds;

    /// <summary>When process <paramref name="pid"/> started, Unix seconds; null when it does not run (gone, a zombie,
    /// or exiting).</summary>
    public static double? StartOf(int pid)
    {
        if (pid <= 0)
        {
            return null;
        }
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
        // Counted after the command name, which may hold spaces and parentheses: state is field 3, flags 9, start 22.
        int close = stat.LastIndexOf(')');
        if (close < 0 || close + 2 >= stat.Length)
        {
            return null;
        }
        var fields = stat[(close + 2)..].Split(' ');
        if (fields.Length < 20 || !long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks))
        {
            return null;
        }
        if (fields[0] is "Z" or "X")
        {
            return null; // a zombie has closed all its files: its record is as complete as it will get
        }
        if (uint.TryParse(fields[6], NumberStyles.None, CultureInfo.InvariantCulture, out var flags) && (flags & ExitingFlag) != 0)
        {
            return null;
        }
        return BootTimeSeconds.Value + ticks / TicksPerSecond;
    }

    private static long ReadBootTime()
    {
        foreach (var line in File.ReadLines("/proc/stat"))
        {
            if (line.StartsWith("btime ", StringComparison.Ordinal))
            {
                return long.Parse(line.AsSpan(6), CultureInfo.InvariantCulture);
            }
        }
        return 0;
    }
}
