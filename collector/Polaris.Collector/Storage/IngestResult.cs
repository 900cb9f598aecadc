using Polaris.Wire;

namespace Polaris.Collector.Storage;

/// <summary>What storing a batch did.</summary>
/// <param name="Summaries">Summaries stored.</param>
/// <param name="Processes">Processes they merge.</param>
/// <param name="Duplicate">True when the batch key was seen before and nothing was stored or counted.</param>
/// <param name="Libraries">For a new batch: per library, how many of its processes imported it.</param>
/// <param name="Refused">Summaries the store could not hold, by their index in the batch it was given.</param>
public sealed record IngestResult(int Summaries, int Processes, bool Duplicate, IReadOnlyDictionary<string, int> Libraries, IReadOnlyList<SummaryRefusal> Refused);
