using Polaris.Collector.Aggregation;

namespace Polaris.Collector.Metrics;

/// <summary>What the summaries of one commit group add for one library with the same user, job, day, environment kind
/// and domain: the metrics count it once. The ranks of a job on every node send the same libraries, and counting each
/// summary's sixty libraries one by one took a third of a millisecond per summary on the store's one writer thread.</summary>
internal sealed class LibraryCountGroup(LibraryCountGroup.Key key)
{
    /// <summary>What the summaries of a group share.</summary>
    public readonly record struct Key(string Library, uint Uid, string JobKey, int Day, int Today, string Kind, string Domain);

    public Key Of { get; } = key;

    /// <summary>Summaries added.</summary>
    public int Summaries { get; private set; }

    public long Processes { get; private set; }

    public long StartupProcesses { get; private set; }

    public long[] OriginLoads { get; } = new long[LibraryFacts.OriginCount];

    public ImportHistogram ImportNs { get; } = new();

    public void Add(LibraryFacts library)
    {
        Summaries++;
        Processes += library.Processes;
        StartupProcesses += library.StartupProcesses;
        for (int i = 0; i < OriginLoads.Length; i++)
        {
            OriginLoads[i] += library.OriginLoads[i];
        }
        ImportNs.Add(library.ImportNs);
    }
}
