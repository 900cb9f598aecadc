using Polaris.Collector.Storage;

namespace Polaris.Collector.Aggregation;

/// <summary>The answer of <c>GET /v1/libraries</c>: processes counted, and libraries by the processes that imported them.</summary>
/// <param name="Processes">Python processes stored.</param>
/// <param name="Libraries">Libraries, most used first.</param>
public sealed record LibraryReport(long Processes, IReadOnlyList<LibraryUse> Libraries)
{
    public static LibraryReport From(StoreTotals totals) => new(
        totals.Processes,
        totals.Libraries
            .OrderByDescending(l => l.Value).ThenBy(l => l.Key, StringComparer.Ordinal)
            .Select(l => new LibraryUse(l.Key, l.Value))
            .ToArray());
}
