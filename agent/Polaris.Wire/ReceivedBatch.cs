namespace Polaris.Wire;

/// <summary>A batch as a collector takes it in: the summaries that passed, and those refused one by one.</summary>
/// <param name="Batch">The batch, holding only the summaries that passed.</param>
/// <param name="Refused">The summaries refused, by their index in the batch as sent, in that order.</param>
public sealed record ReceivedBatch(Batch Batch, IReadOnlyList<SummaryRefusal> Refused)
{
    /// <summary>The index in the batch as sent of <c>Batch.Summaries[kept]</c>.</summary>
    public int SentIndex(int kept)
    {
        int index = kept;
        foreach (var refusal in Refused)
        {
            if (refusal.Index > index)
            {
                break;
            }
            index++;
        }
        return index;
    }
}
