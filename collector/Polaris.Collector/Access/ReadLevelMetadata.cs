namespace Polaris.Collector.Access;

/// <summary>Endpoint metadata: the endpoint is guarded at <paramref name="Level"/>.</summary>
public sealed record ReadLevelMetadata(ReadLevel Level);
