namespace Polaris.Agent.Serve.Receive;

/// <summary>What a reading thread keeps from one record file to the next, so that the records of one program, which
/// repeat each other almost byte for byte, cost little more than reading them.</summary>
/// <remarks>Not thread-safe: one per reading thread.</remarks>
internal sealed class ReaderCaches
{
    public ReaderCaches(Utf8StringPool? strings = null)
    {
        Strings = strings ?? new Utf8StringPool();
        Columns = new ModuleColumnCache(Strings);
        Maps = new MappedFiles(Strings);
    }

    /// <summary>Strings by their UTF-8 bytes.</summary>
    public Utf8StringPool Strings { get; }

    /// <summary>Parsed module columns by their bytes.</summary>
    public ModuleColumnCache Columns { get; }

    /// <summary>The shared objects of the last maps read.</summary>
    public MappedFiles Maps { get; }

    /// <summary>Room for the import intervals of the record being read.</summary>
    public IntervalArena Intervals { get; } = new();
}
