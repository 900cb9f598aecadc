using Polaris.Collector.Storage;
using Polaris.Wire;

namespace Polaris.Collector.Reports;

/// <summary>How a period's uses (<see cref="PeriodUses"/>) are stored: a section each for shared objects, packages
/// from outside the base environment, packages from the base and jobs, and one per top-level package for modules, so
/// that the submodules of one package are read without the others'.</summary>
public static class UsesSections
{
    public const string Objects = "o";
    public const string Outside = "p";
    public const string Base = "b";
    public const string Jobs = "j";

    /// <summary>The section of <paramref name="package"/>'s modules (a top-level name).</summary>
    public static string Modules(string package) => "m:" + package;

    /// <summary>The top-level package of a module's name.</summary>
    public static string TopLevel(string module) => module.Split('.', 2)[0];

    /// <summary>The uses of every source on <paramref name="day"/>, from its stored summaries, each read once.</summary>
    public static Dictionary<RecordSource, PeriodUses> OfDay(CollectorStore store, DateOnly day, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var uses = new Dictionary<RecordSource, PeriodUses>();
        foreach (var summary in store.UsesOn(day))
        {
            cancel.ThrowIfCancellationRequested();
            if (!uses.TryGetValue(summary.Source, out var period))
            {
                uses[summary.Source] = period = new PeriodUses();
            }
            if (summary.Uses != null)
            {
                period.Add(summary.Uses);
            }
            if (summary.Job != null)
            {
                period.Add(summary.Job);
            }
            if (summary.Times != null)
            {
                period.Add(summary.Times);
            }
        }
        return uses;
    }

    /// <summary>Packs every section of <paramref name="uses"/> for <see cref="CollectorStore.StorePeriod"/>.</summary>
    public static List<(string Section, IReadOnlyList<byte[]> Chunks)> Pack(PeriodUses uses)
    {
        ArgumentNullException.ThrowIfNull(uses);
        var sections = new List<(string, IReadOnlyList<byte[]>)>
        {
            (Objects, PackedUses.Pack(uses.Objects.Entries)),
            (Outside, PackedUses.Pack(uses.Outside.Entries)),
            (Base, PackedUses.Pack(uses.Base.Entries)),
            (Jobs, PackedUses.PackJobs(uses.Jobs.Values)),
        };
        foreach (var package in uses.Modules.Entries.GroupBy(e => TopLevel(e.Name), StringComparer.Ordinal))
        {
            sections.Add((Modules(package.Key), PackedUses.Pack(package)));
        }
        return sections;
    }

    /// <summary>Adds a stored chunk of <paramref name="section"/> to <paramref name="into"/>, users as stored and every
    /// domain: to unite a month from its days.</summary>
    public static void AddTo(PeriodUses into, string section, ReadOnlySpan<byte> chunk)
    {
        ArgumentNullException.ThrowIfNull(into);
        ArgumentNullException.ThrowIfNull(section);
        switch (section)
        {
            case Objects: PackedUses.AddTo(chunk, into.Objects, null, null, null); break;
            case Outside: PackedUses.AddTo(chunk, into.Outside, null, null, null); break;
            case Base: PackedUses.AddTo(chunk, into.Base, null, null, null); break;
            case Jobs: PackedUses.AddJobsTo(chunk, into.Jobs, null, int.MaxValue); break;
            default:
                if (section.StartsWith("m:", StringComparison.Ordinal))
                {
                    PackedUses.AddTo(chunk, into.Modules, null, null, null);
                }
                break;
        }
    }
}
