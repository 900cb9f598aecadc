namespace Polaris.Collector.Aggregation;

/// <summary>What a newer version of a live summary adds to the version counted before it: every version is complete
/// (all members and modules so far), so the difference is exactly what is new. Counts only grow; a forged version that
/// shrinks adds nothing rather than taking anything away.</summary>
public static class FactsDelta
{
    /// <summary><paramref name="newer"/> less <paramref name="counted"/>, library by library.</summary>
    public static SummaryFacts Between(SummaryFacts newer, SummaryFacts counted)
    {
        ArgumentNullException.ThrowIfNull(newer);
        ArgumentNullException.ThrowIfNull(counted);
        var before = new Dictionary<string, LibraryFacts>(StringComparer.Ordinal);
        foreach (var library in counted.Libraries)
        {
            before.TryAdd(library.Name, library);
        }
        var added = new List<LibraryFacts>();
        foreach (var library in newer.Libraries)
        {
            var delta = before.TryGetValue(library.Name, out var old) ? Less(library, old) : library;
            if (delta != null)
            {
                added.Add(delta);
            }
        }
        return newer with
        {
            Processes = Math.Max(0, newer.Processes - counted.Processes),
            HomeProcesses = Math.Max(0, newer.HomeProcesses - counted.HomeProcesses),
            Libraries = added,
        };
    }

    private static LibraryFacts? Less(LibraryFacts newer, LibraryFacts old)
    {
        var delta = new LibraryFacts(newer.Name)
        {
            Processes = Math.Max(0, newer.Processes - old.Processes),
            StartupProcesses = Math.Max(0, newer.StartupProcesses - old.StartupProcesses),
        };
        bool any = delta.Processes > 0 || delta.StartupProcesses > 0;
        for (int i = 0; i < delta.OriginLoads.Length; i++)
        {
            delta.OriginLoads[i] = Math.Max(0, newer.OriginLoads[i] - old.OriginLoads[i]);
            any |= delta.OriginLoads[i] > 0;
        }
        var buckets = new long[ImportHistogram.BucketCount];
        var mine = newer.ImportNs.Buckets;
        var theirs = old.ImportNs.Buckets;
        long count = 0;
        for (int b = 0; b < mine.Length; b++)
        {
            buckets[b] = Math.Max(0, mine[b] - (b < theirs.Length ? theirs[b] : 0));
            count += buckets[b];
        }
        if (count > 0)
        {
            delta.ImportNs.Add(ImportHistogram.From(count, Math.Max(0, newer.ImportNs.Sum - old.ImportNs.Sum), buckets));
            any = true;
        }
        return any ? delta : null;
    }
}
