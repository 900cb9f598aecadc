using Polaris.Collector.Storage;
using Polaris.Wire;

namespace Polaris.Collector.Rollups;

/// <summary>One day of one library as <c>GET /v1/rollups</c> answers it: the stored <see cref="RollupDay"/> in plain
/// JSON, users and jobs as the sets they are, so that several collectors' days can be united (docs/collector.md,
/// "Several collectors").</summary>
public sealed record RollupRecord
{
    /// <summary>UTC day the processes started, <c>yyyy-MM-dd</c>.</summary>
    public required string Day { get; init; }

    /// <summary>The library; <c>""</c> is all Python.</summary>
    public required string Library { get; init; }

    /// <summary>Distinct uids, ascending.</summary>
    public required IReadOnlyList<long> Users { get; init; }

    /// <summary>Distinct job keys (the job id up to its first dot), in ordinal order.</summary>
    public required IReadOnlyList<string> Jobs { get; init; }

    /// <summary>Processes: of all Python, or those whose program imported the library.</summary>
    public required long Processes { get; init; }

    /// <summary>Processes that had the library only from start-up (<c>.pth</c> files); 0 for all Python.</summary>
    public long StartupProcesses { get; init; }

    /// <summary>Per environment kind (the wire's names): distinct uids and processes.</summary>
    public IReadOnlyDictionary<string, KindRollup> Kinds { get; init; } = new Dictionary<string, KindRollup>();

    /// <summary>Per science domain: distinct uids, distinct job keys and processes.</summary>
    public IReadOnlyDictionary<string, DomainRollup> Domains { get; init; } = new Dictionary<string, DomainRollup>();

    /// <summary>Module loads (module x process) by origin (the wire's names), non-zero ones only; empty for all Python.</summary>
    public IReadOnlyDictionary<string, long> ModuleLoads { get; init; } = new Dictionary<string, long>();

    /// <summary>Import times of the library's top-level package; empty for all Python.</summary>
    public ImportTimeRollup ImportTime { get; init; } = new(0, 0, []);

    /// <summary>The record of a stored roll-up.</summary>
    public static RollupRecord From(RollupDay rollup)
    {
        ArgumentNullException.ThrowIfNull(rollup);
        var loads = new Dictionary<string, long>(StringComparer.Ordinal);
        for (int i = 0; i < rollup.OriginLoads.Length; i++)
        {
            if (rollup.OriginLoads[i] != 0)
            {
                var name = ((Origin)i).Name() is { Length: > 0 } n ? n : "unknown";
                loads[name] = loads.GetValueOrDefault(name) + rollup.OriginLoads[i];
            }
        }
        var buckets = new List<long[]>();
        var counts = rollup.ImportNs.Buckets;
        for (int b = 0; b < counts.Length; b++)
        {
            if (counts[b] != 0)
            {
                buckets.Add([b, counts[b]]);
            }
        }
        return new RollupRecord
        {
            Day = RollupRange.Text(DateOnly.FromDayNumber(Aggregation.Days.Number(rollup.Day))),
            Library = rollup.Library,
            Users = [.. rollup.Users.Order()],
            Jobs = [.. rollup.Jobs.Order(StringComparer.Ordinal)],
            Processes = rollup.Processes,
            StartupProcesses = rollup.StartupProcesses,
            Kinds = rollup.Kinds.ToDictionary(k => k.Key, k => new KindRollup([.. k.Value.Users.Order()], k.Value.Processes), StringComparer.Ordinal),
            Domains = rollup.Domains.ToDictionary(
                d => d.Key, d => new DomainRollup([.. d.Value.Users.Order()], [.. d.Value.Jobs.Order(StringComparer.Ordinal)], d.Value.Processes), StringComparer.Ordinal),
            ModuleLoads = loads,
            ImportTime = new ImportTimeRollup(rollup.ImportNs.Count, rollup.ImportNs.Sum, buckets),
        };
    }
}
