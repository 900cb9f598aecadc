using Polaris.Collector.Metrics;

namespace Polaris.Collector.Rollups;

/// <summary>One library's roll-ups from every collector: each user's and job's last day (a subject on two collectors
/// or two days is one subject), and the processes of each window.</summary>
internal sealed class LibraryTally(int windows)
{
    private readonly DistinctWindows<long> _users = new();
    private readonly DistinctWindows<string> _jobs = new();
    private readonly long[] _processes = new long[windows];

    /// <summary>Adds one collector's roll-up of day number <paramref name="day"/>.</summary>
    /// <exception cref="OverflowException">The processes summed pass <see cref="long.MaxValue"/>.</exception>
    public void Add(int day, RollupRecord record, int until, IReadOnlyList<int> windows)
    {
        foreach (var uid in record.Users)
        {
            _users.See(uid, day);
        }
        foreach (var job in record.Jobs)
        {
            _jobs.See(job, day);
        }
        for (int w = 0; w < windows.Count; w++)
        {
            if (day > until - windows[w])
            {
                // Checked: the numbers come from another process, and a wrapped sum would be a plausible lie.
                _processes[w] = checked(_processes[w] + record.Processes);
            }
        }
    }

    public FacilityRow Row(string library, int until, IReadOnlyList<int> windows) => new(
        library,
        windows.Select(w => _users.Within(until, w)).ToArray(),
        windows.Select(w => _jobs.Within(until, w)).ToArray(),
        _processes.ToArray());
}
