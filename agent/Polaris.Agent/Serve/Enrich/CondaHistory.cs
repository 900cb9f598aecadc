namespace Polaris.Agent.Serve.Enrich;

/// <summary>The transactions recorded in a conda environment's <c>conda-meta/history</c>, oldest first.</summary>
/// <remarks>
/// The format (conda's <c>conda/history.py</c>): each transaction starts with <c>==> YYYY-MM-DD HH:MM:SS &lt;==</c>,
/// followed by comment lines (<c># cmd: ...</c>, <c># conda version: ...</c>, <c># update specs: ...</c>) and one line
/// per package linked (<c>+dist</c>) or unlinked (<c>-dist</c>). Lines before the first header and lines that fit no
/// shape are skipped: a damaged history yields what can be read, never an error.
/// </remarks>
public sealed class CondaHistory
{
    /// <summary>Reading stops here; a real history is a few hundred KiB at most.</summary>
    public const int MaxBytes = 16 * 1024 * 1024;

    private CondaHistory(IReadOnlyList<CondaRevision> revisions)
    {
        Revisions = revisions;
    }

    /// <summary>An environment without history.</summary>
    public static CondaHistory Empty { get; } = new([]);

    /// <summary>Transactions, oldest first.</summary>
    public IReadOnlyList<CondaRevision> Revisions { get; }

    /// <summary>Reads <c>PREFIX/conda-meta/history</c>; <see cref="Empty"/> when it is missing or unreadable.</summary>
    public static CondaHistory Read(string prefix) => Read(prefix, EnvironmentReader.Unbounded());

    /// <summary>Reads <c>PREFIX/conda-meta/history</c> through <paramref name="reader"/>.</summary>
    public static CondaHistory Read(string prefix, EnvironmentReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var bytes = reader.Read(prefix + "/conda-meta/history", MaxBytes);
        return bytes == null ? Empty : Parse(System.Text.Encoding.UTF8.GetString(bytes));
    }

    /// <summary>Parses the text of a history file.</summary>
    public static CondaHistory Parse(string text)
    {
        var revisions = new List<CondaRevision>();
        string? timestamp = null;
        List<string> commands = [];
        List<CondaDist> added = [];
        List<CondaDist> removed = [];
        foreach (var raw in text.AsSpan().EnumerateLines())
        {
            var line = raw.TrimEnd();
            if (line.StartsWith("==>", StringComparison.Ordinal) && line.EndsWith("<==", StringComparison.Ordinal))
            {
                Close();
                timestamp = line[3..^3].Trim().ToString();
                commands = [];
                added = [];
                removed = [];
            }
            else if (timestamp == null)
            {
                continue;
            }
            else if (line.StartsWith("# cmd:", StringComparison.Ordinal))
            {
                commands.Add(line[6..].Trim().ToString());
            }
            else if (line.Length > 1 && line[0] is '+' or '-' && CondaDist.Parse(line[1..]) is { } dist)
            {
                (line[0] == '+' ? added : removed).Add(dist);
            }
        }
        Close();
        return new CondaHistory(revisions);

        void Close()
        {
            if (timestamp != null)
            {
                revisions.Add(new CondaRevision(timestamp, commands, added, removed));
            }
        }
    }
}
