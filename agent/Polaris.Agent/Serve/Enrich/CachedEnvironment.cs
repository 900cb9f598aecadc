namespace Polaris.Agent.Serve.Enrich;

/// <summary>An analysis in the cache, with the stamp it was made at and when that stamp was last checked.</summary>
/// <param name="Analysis">The analysis.</param>
/// <param name="Stamp">The folders' modification times it reflects.</param>
/// <param name="CheckedAtMs">When the stamp was last compared with the disk, <see cref="Environment.TickCount64"/>.</param>
/// <param name="RefreshingSinceMs">When a record was sent to be checked again by a thread that may read; until then
/// (or for a while after) the analysis stands in for the records that may not.</param>
public sealed record CachedEnvironment(EnvironmentAnalysis Analysis, EnvironmentStamp Stamp, long CheckedAtMs, long RefreshingSinceMs = long.MinValue / 2);
