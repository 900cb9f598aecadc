using Polaris.Wire;

namespace Polaris.Collector.Import;

/// <summary>Where an import's batches go: a store no collector holds, or a running collector's <c>POST /v1/imports</c>.</summary>
public interface IImportSink : IDisposable
{
    /// <summary>Stores a batch (perhaps with others, once enough have come).</summary>
    Task AddAsync(Batch batch);

    /// <summary>Stores what is left, and makes it reportable (the store's fold).</summary>
    Task FlushAsync();

    /// <summary>Summaries stored, as new.</summary>
    long Stored { get; }

    /// <summary>Summaries found imported before: their record's summary was stored already.</summary>
    long Duplicates { get; }

    /// <summary>Summaries the store refused, with the first reasons.</summary>
    long Refused { get; }

    /// <summary>The first refusals' reasons.</summary>
    IReadOnlyList<string> RefusalReasons { get; }
}
