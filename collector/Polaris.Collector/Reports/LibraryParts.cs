namespace Polaris.Collector.Reports;

/// <summary>What of a library's roll-ups a report reads from the periods' bundles: the sets are most of the cost of a
/// year, and import cost needs few of them.</summary>
public enum LibraryParts
{
    /// <summary>Everything: counts, users, jobs, kinds, domains, origins, import times.</summary>
    All,

    /// <summary>Counts, users and import times.</summary>
    Users,

    /// <summary>Counts and import times.</summary>
    Times,
}
