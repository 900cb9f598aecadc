using System.Text.Json.Serialization;

namespace Polaris.Collector.Rollups;

/// <summary>The JSON of <see cref="RollupRecord"/>, generated at build time: the collector writes it and
/// <c>merge-rollups</c> reads it with the same contract, without reflection.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(RollupRecord))]
internal sealed partial class RollupJsonContext : JsonSerializerContext;
