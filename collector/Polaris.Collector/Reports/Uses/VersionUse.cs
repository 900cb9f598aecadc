namespace Polaris.Collector.Reports;

/// <summary>One version of a package in a <see cref="Use"/>: its users and processes.</summary>
public sealed class VersionUse
{
    /// <summary>User numbers as stored.</summary>
    public HashSet<long> Users { get; } = [];

    /// <summary>Processes that loaded this version.</summary>
    public long Processes { get; set; }
}
