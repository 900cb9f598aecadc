namespace Polaris.Collector.Reports;

/// <summary>How one name (a module, a shared object, a package) was used in one science domain over a period: its
/// distinct users and jobs, its processes, and for a package its versions. A period's use is the union of its days'.</summary>
public sealed class Use
{
    /// <summary>For a module, its kind (<see cref="Polaris.Wire.ModuleKind"/>) as first seen; 0 when not known.</summary>
    public byte Kind { get; set; }

    /// <summary>User numbers as stored (a report maps aliases when it reads them).</summary>
    public HashSet<long> Users { get; } = [];

    /// <summary>Jobs, by <see cref="Storage.PackedSet.JobNumber(string)"/>.</summary>
    public HashSet<long> Jobs { get; } = [];

    /// <summary>Processes that used it.</summary>
    public long Processes { get; set; }

    /// <summary>For a package, each version seen (<c>""</c>: none known) with its users and processes; null when none
    /// was recorded.</summary>
    public Dictionary<string, VersionUse>? Versions { get; private set; }

    /// <summary>Versions of one package kept: a package whose <c>__version__</c> is made up anew in every process must
    /// not make an entry of a hundred thousand.</summary>
    public const int MaxVersions = 1000;

    /// <summary>The use of <paramref name="version"/>, added when first asked for; null when it is new and
    /// <see cref="MaxVersions"/> are held.</summary>
    public VersionUse? Version(string version)
    {
        Versions ??= new Dictionary<string, VersionUse>(StringComparer.Ordinal);
        if (!Versions.TryGetValue(version, out var use))
        {
            if (Versions.Count >= MaxVersions)
            {
                return null;
            }
            Versions[version] = use = new VersionUse();
        }
        return use;
    }
}
