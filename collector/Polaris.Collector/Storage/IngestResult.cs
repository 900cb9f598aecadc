namespace Polaris.Collector.Storage;

/// <summary>What storing a batch did.</summary>
/// <param name="Records">Process records stored (records already stored under the same id are not).</param>
/// <param name="Duplicate">True when the batch key was seen before and nothing was stored or counted.</param>
/// <param name="Libraries">For a new batch: per library, how many of its processes imported it.</param>
public sealed record IngestResult(int Records, bool Duplicate, IReadOnlyDictionary<string, int> Libraries);
