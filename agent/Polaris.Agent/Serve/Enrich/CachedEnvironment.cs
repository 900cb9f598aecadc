namespace Polaris.Agent.Serve.Enrich;

/// <summary>An analysis in the cache, with the stamp it was made at and when that stamp was last checked.</summary>
/// <param name="Analysis">The analysis.</param>
/// <param name="Stamp">The folders' modification times it reflects.</param>
/// <param name="CheckedAtMs">When the stamp was last compared with the disk, <see cref="Environment.TickCount64"/>.</param>
public sealed record CachedEnvironment(EnvironmentAnalysis Analysis, EnvironmentStamp Stamp, long CheckedAtMs);
