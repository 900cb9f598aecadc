namespace Polaris.Agent.Serve.Enrich;

/// <summary>A conda environment's records in the cache, with the <c>conda-meta/</c> modification time they reflect.</summary>
/// <param name="Environment">The records; null when the environment has no readable <c>conda-meta/</c>.</param>
/// <param name="Stamp">The modification time of <c>conda-meta/</c> when read.</param>
/// <param name="CheckedAtMs">When the stamp was last compared with the disk, <see cref="System.Environment.TickCount64"/>.</param>
public sealed record CachedConda(CondaEnvironment? Environment, long Stamp, long CheckedAtMs);
