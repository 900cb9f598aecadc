using System.Collections.Frozen;

namespace Polaris.Collector.Scheduler;

/// <summary>The science domain of each project, from the CSV file <c>domainFile</c>; immutable, so any number of
/// threads read one while a new one is loaded.</summary>
/// <remarks>
/// <para>The file has a row <c>project,domain</c> a line, with an optional header line <c>project,domain</c>,
/// <c>#</c> comments and blank lines; fields may be quoted (<c>"Climate, Weather",Earth Science</c>) and are
/// trimmed. Projects match case-insensitively (ordinal). A line that is not a row is junk: counted, the first
/// <see cref="MaxJunkKept"/> described with their line numbers, and skipped; the rest of the table stands.</para>
/// <para>Junk: a line with other than two fields, an empty project or domain, a project past
/// <see cref="MaxProjectBytes"/> bytes or with a control character, a domain that is not 1 to
/// <see cref="MaxDomainLength"/> of <c>[A-Za-z0-9 _./&amp;+-]</c> or is <see cref="None"/>, a project listed
/// before (the first row holds), a line that is not UTF-8, and every row past <see cref="MaxRows"/>.</para>
/// </remarks>
public sealed class DomainTable
{
    /// <summary>The domain of a job whose project the table does not list, or that has none.</summary>
    public const string Unknown = "unknown";

    /// <summary>The domain of a process outside any job; the table cannot give it to a project.</summary>
    public const string None = "none";

    /// <summary>The largest file read; a larger one is refused whole.</summary>
    public const int MaxFileBytes = 16 << 20;

    /// <summary>The most rows taken; the rows after are junk.</summary>
    public const int MaxRows = 100_000;

    /// <summary>The longest project, in UTF-8 bytes.</summary>
    public const int MaxProjectBytes = 128;

    /// <summary>The longest domain, in characters (all ASCII).</summary>
    public const int MaxDomainLength = 64;

    /// <summary>The most junk lines described; all are counted.</summary>
    public const int MaxJunkKept = 1000;

    private readonly FrozenDictionary<string, string> _domains;

    internal DomainTable(Dictionary<string, string> domains, IReadOnlyList<DomainTableJunk> junk, long junkLines)
    {
        _domains = domains.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        Domains = [.. domains.Values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        Junk = [.. junk];
        JunkLines = junkLines;
    }

    /// <summary>A table without rows: every job's domain is <see cref="Unknown"/>.</summary>
    public static DomainTable Empty { get; } = new([], [], 0);

    /// <summary>The projects listed.</summary>
    public int Count => _domains.Count;

    /// <summary>The distinct domains, in ordinal order: the label values a domain can take besides
    /// <see cref="Unknown"/> and <see cref="None"/>.</summary>
    public IReadOnlyList<string> Domains { get; }

    /// <summary>Lines that were junk.</summary>
    public long JunkLines { get; }

    /// <summary>The first junk lines, in line order.</summary>
    public IReadOnlyList<DomainTableJunk> Junk { get; }

    /// <summary>The domain of <paramref name="project"/>: the table's, or <see cref="Unknown"/> when it is not
    /// listed, null or empty.</summary>
    public string Lookup(string? project) =>
        !string.IsNullOrEmpty(project) && project.Length <= MaxProjectBytes && _domains.TryGetValue(project, out var domain)
            ? domain
            : Unknown;

    /// <summary>The domain of a process: <see cref="None"/> outside any job, else its job's account's.</summary>
    /// <param name="account">The job's account (PBS <c>Account_Name</c>, the project it charges).</param>
    /// <param name="inJob">Whether the process ran in a job.</param>
    public string DomainOf(string? account, bool inJob) => inJob ? Lookup(account) : None;

    /// <summary>Reads a table from the bytes of a file.</summary>
    /// <exception cref="InvalidDataException">More than <see cref="MaxFileBytes"/> bytes.</exception>
    public static DomainTable Parse(ReadOnlySpan<byte> csv)
    {
        if (csv.Length > MaxFileBytes)
        {
            throw new InvalidDataException($"the domain table is larger than {MaxFileBytes} bytes");
        }
        if (csv.StartsWith("\uFEFF"u8))
        {
            // Spreadsheets write a byte order mark first.
            csv = csv[3..];
        }
        var builder = new DomainTableBuilder();
        for (long number = 1; !csv.IsEmpty; number++)
        {
            int newline = csv.IndexOf((byte)'\n');
            builder.Line(number, newline < 0 ? csv : csv[..newline]);
            csv = newline < 0 ? [] : csv[(newline + 1)..];
        }
        return builder.Build();
    }

    /// <summary>Reads the table in the file at <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">The file is larger than <see cref="MaxFileBytes"/> bytes, or is not a
    /// regular file.</exception>
    /// <exception cref="IOException">The file cannot be read, or grew while it was read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file cannot be opened.</exception>
    public static DomainTable Load(string path)
    {
        // Examined first: opening a FIFO would wait for a writer, and a device may never end.
        if (FileSignature.Of(path, out _) is { Exists: true, IsRegularFile: false })
        {
            throw new InvalidDataException("the domain table is not a regular file");
        }
        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        long length = RandomAccess.GetLength(file);
        if (length > MaxFileBytes)
        {
            throw new InvalidDataException($"the domain table is larger than {MaxFileBytes} bytes");
        }
        // One byte more than the size, to see a file that grew while it was read.
        var bytes = new byte[length + 1];
        int read = 0;
        for (int n; read < bytes.Length && (n = RandomAccess.Read(file, bytes.AsSpan(read), read)) > 0;)
        {
            read += n;
        }
        if (read > length)
        {
            throw new IOException("the domain table grew while it was read");
        }
        return Parse(bytes.AsSpan(0, read));
    }
}
