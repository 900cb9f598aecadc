namespace Polaris.Wire;

/// <summary>What a process record and a summary may hold, so that the collector can always store what an agent sends.</summary>
/// <remarks>
/// Both sides use these numbers: the node daemon clips every record and summary to them before it spools (what it
/// leaves out is counted, never silent), and the collector refuses one summary that is past them (with a reason,
/// never a 5xx, and never the other summaries of its batch). Real values sit far inside every bound: a process that
/// imports torch, sklearn, pandas and matplotlib has about 3,100 modules and 300 shared objects; Linux paths end at
/// <c>PATH_MAX</c> (4,096 bytes) and host names at 255. The byte bounds keep a summary well under LiteDB's document
/// limit (about 16 MB) and a name under its index-key limit (1,023 bytes).
/// </remarks>
public static class SummaryBounds
{
    /// <summary>A module name, in UTF-8 bytes: it becomes an index key at the collector.</summary>
    public const int MaxNameBytes = 512;

    /// <summary>A path (a module's file, a shared object, a prefix, a working directory, a script, an interpreter).</summary>
    public const int MaxPathBytes = 4096;

    /// <summary>A short text: host, user, Python version, implementation, exit reason, job id, account, queue, kind.</summary>
    public const int MaxTextBytes = 256;

    /// <summary>A package version (<c>__version__</c>, conda or pip).</summary>
    public const int MaxVersionBytes = 128;

    /// <summary>The value of one allowlisted environment variable (<c>PYTHONPATH</c> and <c>LOADEDMODULES</c> run long).</summary>
    public const int MaxVariableBytes = 8192;

    /// <summary>Allowlisted environment variables one process record may carry (the hook's allowlist has 32), and
    /// entries one summary member's own variables may hold.</summary>
    public const int MaxVariables = 64;

    /// <summary>Modules one process record may list.</summary>
    public const int MaxModulesPerRecord = 16_384;

    /// <summary>Module entries (a name from one file) one summary may hold.</summary>
    public const int MaxModulesPerSummary = 16_384;

    /// <summary>Shared objects one process record may list.</summary>
    public const int MaxSharedObjectsPerRecord = 4096;

    /// <summary>Shared objects one summary may hold.</summary>
    public const int MaxSharedObjectsPerSummary = 8192;

    /// <summary>Members (processes) of one summary.</summary>
    public const int MaxMembers = 10_000;

    /// <summary>Entries of each list of environment changes (conda added, removed, changed; pip; PYTHONPATH).</summary>
    public const int MaxPackageChanges = 20_000;

    /// <summary>One summary, MessagePack-encoded: BSON at the collector is about twice that, under LiteDB's 16 MB.</summary>
    public const int MaxSummaryBytes = 6 * 1024 * 1024;

    /// <summary>Summaries of one batch a reader refuses one by one; past it the batch is refused whole. An agent
    /// refuses nothing it sends (it checks these bounds first), so only forged bytes come near: 200,000 summaries of
    /// one nil byte each made a 112-byte post cost a second of CPU and 129 MiB of the collector's budget.</summary>
    public const int MaxRefusedSummaries = 1024;

    /// <summary>One batch after decompression: what a daemon writes at most (it closes a batch before this). Its
    /// decoded objects hold up to about five times as much at the collector, and one largest batch must fit the
    /// collector's budget for batches in flight with room for another.</summary>
    public const int MaxBatchBytes = 32 * 1024 * 1024;

    /// <summary>One import's duration, in ns (one day): a longer one is a forged clock reading.</summary>
    public const long MaxImportNs = 86_400L * 1_000_000_000;

    /// <summary>A process's start-to-exit time, in ns (ten years).</summary>
    public const long MaxRuntimeNs = 3650L * 86_400 * 1_000_000_000;

    /// <summary>Earliest time a record or batch may carry, Unix ms (2000-01-01).</summary>
    public const long MinTimeMs = 946_684_800_000;

    /// <summary>Latest time a record or batch may carry, Unix ms (2100-01-01).</summary>
    public const long MaxTimeMs = 4_102_444_800_000;

    /// <summary>Characters of a live summary's id (<c>sid</c>), each of <c>[A-Za-z0-9._:-]</c>.</summary>
    public const int MaxSummaryIdLength = 64;

    /// <summary>The highest version of a live summary (<c>ver</c>): one version per summary window for years; a larger
    /// one is forged.</summary>
    public const uint MaxSummaryVersion = 1u << 31;

    /// <summary>True when <paramref name="id"/> can be a live summary's id: 1 to <see cref="MaxSummaryIdLength"/>
    /// characters of <c>[A-Za-z0-9._:-]</c>, so that it can be a key and a file name anywhere.</summary>
    public static bool IsSummaryId(string? id)
    {
        if (id is not { Length: > 0 and <= MaxSummaryIdLength })
        {
            return false;
        }
        foreach (char ch in id)
        {
            if (!char.IsAsciiLetterOrDigit(ch) && ch is not ('.' or '_' or ':' or '-'))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>True when <paramref name="name"/> can name an environment variable a summary carries:
    /// <c>[A-Za-z_][A-Za-z0-9_]*</c>, at most <see cref="MaxNameBytes"/>. Names become field names of the stored
    /// document, so nothing else passes; the daemon leaves other names out, the collector refuses them.</summary>
    public static bool IsVariableName(string name)
    {
        if (name is not { Length: > 0 and <= MaxNameBytes } || char.IsAsciiDigit(name[0]))
        {
            return false;
        }
        // A loop, not LINQ: the daemon asks this of every variable of every record.
        foreach (char ch in name)
        {
            if (!char.IsAsciiLetterOrDigit(ch) && ch != '_')
            {
                return false;
            }
        }
        return true;
    }
}
