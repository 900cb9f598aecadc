namespace Polaris.Collector.Aggregation;

/// <summary>Domain label values that do not come from the domain table.</summary>
public static class Domains
{
    /// <summary>A job whose project the table does not list (or no table is configured).</summary>
    public const string Unknown = "unknown";

    /// <summary>Processes outside any job.</summary>
    public const string None = "none";
}
