using System.Globalization;

namespace Polaris.Collector.Bench;

/// <summary>
/// The CPU a process's threads used, grouped by thread name, from /proc/PID/task: tells the store writer's share of a
/// burst from the request threads' and the garbage collector's without a profiler, whose samples land on safepoints.
/// </summary>
internal static class ThreadCpu
{
    public static Dictionary<string, double> ByName(int pid)
    {
        var seconds = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            try
            {
                var stat = File.ReadAllText(Path.Combine(task, "stat"));
                int open = stat.IndexOf('('), close = stat.LastIndexOf(')');
                var name = Group(stat[(open + 1)..close]);
                var fields = stat[(close + 2)..].Split(' ');
                double cpu = (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
                seconds[name] = seconds.GetValueOrDefault(name) + cpu;
            }
            catch (IOException)
            {
                // the thread ended between the listing and the read
            }
        }
        return seconds;
    }

    public static string Difference(Dictionary<string, double> before, Dictionary<string, double> after) =>
        string.Join(", ", after
            .Select(kv => (kv.Key, Seconds: kv.Value - before.GetValueOrDefault(kv.Key)))
            .Where(t => t.Seconds >= 0.05)
            .OrderByDescending(t => t.Seconds)
            .Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Key} {t.Seconds:F1} s")));

    // Thread-pool workers are numbered; the kernel keeps 15 characters of a name.
    private static string Group(string name) => name.TrimEnd("0123456789 #".ToCharArray());
}
