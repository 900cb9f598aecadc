namespace Polaris.Agent.Tests.Enrich;

/// <summary>A conda package as the fake facility writes it into conda-meta.</summary>
public sealed record CondaRecord(string Name, string Version, string Build, string Channel, string[] DistInfos)
{
    /// <summary>The dist string conda-meta/history writes: channel/subdir::name-version-build.</summary>
    public string Dist => $"conda-forge/linux-64::{Name}-{Version}-{Build}";
}
