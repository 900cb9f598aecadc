using System.Globalization;

namespace Polaris.Agent.Serve.Receive;

/// <summary>Tells whether the process that wrote a record file still runs, so an unfinished record is not cut short.</summary>
/// <remarks>
/// A pid alone can be reused: the process must also have started when the record says (within a few seconds:
/// the hook notes its start a little after the kernel does). /proc/PID/stat is readable for every user's process.
/// </remarks>
public static class ProcessLiveness
{
    private static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(5);
    private static readonly Lazy<long> BootTimeSeconds = new(ReadBootTime);

    // USER_HZ is 100 on every Linux architecture the agent targets.
    private const double TicksPerSecond = 100.0;

    /// <summary>True when process <paramref name="pid"/> runs and started near <paramref name="startedUnixNs"/>.</summary>
    public static bool IsRunning(int pid, long startedUnixNs)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
        // Field 22, counted after the command name, which may hold spaces and parentheses.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        if (fields.Length < 20 || !long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks))
        {
            return false;
        }
        if (fields[0] is "Z" or "X")
        {
            return false; // a zombie has closed all its files: its record is as complete as it will get
        }
        var started = BootTimeSeconds.Value + ticks / TicksPerSecond;
        return Math.Abs(started - startedUnixNs / 1e9) <= Tolerance.TotalSeconds;
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
