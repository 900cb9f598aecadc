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

    /// <summary>A day's last summary read into its uses (its sequence number, one varint): what is added to them once
    /// the prune has taken the summaries they were read from.</summary>
    public const string Included = "i";

    /// <summary>The section of <paramref name="package"/>'s modules (a top-level name).</summary>
    public static string Modules(string package) => "m:" + package;

    /// <summary>The top-level package of a module's name.</summary>
    public static string TopLevel(string module) => module.Split('.', 2)[0];

    /// <summary>The uses of a day whose period is not built, for each of <paramref name="sources"/>, packed as its
    /// period holds them: from the day's stored summaries, each read once for all sources; before
    /// <paramref name="keptFrom"/>, where the prune took the summaries a build read before, what was built then
    /// (still stored: a fold removes only the period's marker) and the summaries stored since.</summary>
    /// <param name="store">The store.</param>
    /// <param name="day">The day.</param>
    /// <param name="keptFrom">The first day whose summaries are all kept (<see cref="CollectorStore.SummariesKeptFrom"/>).</param>
    /// <param name="sources">The sources wanted.</param>
    /// <param name="cancel">Stops the reading.</param>
    public static Dictionary<RecordSource, UnbuiltDay> Unbuilt(CollectorStore store, DateOnly day, DateOnly keptFrom, IEnumerable<RecordSource> sources, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(sources);
        string period = CollectorStore.DayPeriod(day);
        var wanted = sources.Distinct().ToArray();
        var previous = wanted.ToDictionary(s => s, s => day < keptFrom ? store.AllPeriodUses(s, period) : []);
        var after = previous.ToDictionary(p => p.Key, p => p.Value.Where(c => c.Section == Included).Select(c => ReadIncluded(c.Chunk)).DefaultIfEmpty(0).Max());
        var uses = wanted.ToDictionary(s => s, _ => new PeriodUses());
        var last = new Dictionary<RecordSource, long>(after);
        foreach (var summary in store.UsesOn(day))
        {
            cancel.ThrowIfCancellationRequested();
            if (!uses.TryGetValue(summary.Source, out var period1) || summary.Id <= after[summary.Source])
            {
                continue;
            }
            last[summary.Source] = Math.Max(last[summary.Source], summary.Id);
            if (summary.Uses != null)
            {
                period1.Add(summary.Uses);
            }
            if (summary.Job != null)
            {
                period1.Add(summary.Job);
            }
            if (summary.Times != null)
            {
                period1.Add(summary.Times);
            }
        }
        return wanted.ToDictionary(s => s, s =>
        {
            foreach (var (section, chunk) in previous[s])
            {
                AddTo(uses[s], section, chunk);
            }
            return new UnbuiltDay(Pack(uses[s], last[s]), uses[s].Dropped);
        });
    }

    /// <summary>Packs every section of <paramref name="uses"/> for <see cref="CollectorStore.StorePeriod"/>, and for a
    /// day the last summary read into it.</summary>
    public static List<(string Section, IReadOnlyList<byte[]> Chunks)> Pack(PeriodUses uses, long lastIncluded = 0)
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
        if (lastIncluded > 0)
        {
            var id = new System.Buffers.ArrayBufferWriter<byte>();
            PackedRollups.Number(id, lastIncluded);
            sections.Add((Included, [id.WrittenSpan.ToArray()]));
        }
        return sections;
    }

    /// <summary>The summary number an <see cref="Included"/> chunk holds.</summary>
    /// <exception cref="InvalidDataException">The chunk is damaged.</exception>
    public static long ReadIncluded(ReadOnlySpan<byte> chunk)
    {
        int at = 0;
        return PackedRollups.ReadNumber(chunk, ref at);
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
