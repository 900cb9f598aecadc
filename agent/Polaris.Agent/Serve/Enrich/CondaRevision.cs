namespace Polaris.Agent.Serve.Enrich;

/// <summary>One block of <c>conda-meta/history</c>: one conda transaction.</summary>
/// <param name="Timestamp">The block's header time, <c>2024-04-29 10:11:12</c> (local time of the machine that ran conda).</param>
/// <param name="Commands">The <c>conda ...</c> command lines of the block (<c># cmd:</c>), without the marker.</param>
/// <param name="Added">Packages linked by the transaction (<c>+</c> lines).</param>
/// <param name="Removed">Packages unlinked by the transaction (<c>-</c> lines).</param>
public sealed record CondaRevision(
    string Timestamp,
    IReadOnlyList<string> Commands,
    IReadOnlyList<CondaDist> Added,
    IReadOnlyList<CondaDist> Removed);
