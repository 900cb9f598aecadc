namespace Polaris.Agent.Serve.Spool;

/// <summary>What keeping the spool within its bounds dropped: the oldest batches first.</summary>
/// <param name="Batches">Batches deleted unsent.</param>
/// <param name="Bytes">Their size on disk.</param>
public readonly record struct SpoolTrim(int Batches, long Bytes)
{
    public bool DroppedAny => Batches > 0;
}
