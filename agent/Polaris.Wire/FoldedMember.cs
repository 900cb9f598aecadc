namespace Polaris.Wire;

/// <summary>What a summary counted of one member's record, kept while the member may be read again (a live member):
/// the next read replaces the member's row and adds only what the summary has not counted for it yet.</summary>
/// <param name="SharedObjects">The shared objects counted for the member (none until its exit frame, as a rule).</param>
/// <param name="Clipped">What the daemon had cut from the member's record.</param>
public readonly record struct FoldedMember(IReadOnlyList<SharedObject> SharedObjects, Clips Clipped)
{
    /// <summary>What folding <paramref name="record"/> counted for its member.</summary>
    public static FoldedMember Of(ProcessRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new FoldedMember(record.SharedObjects, record.Clipped);
    }
}
