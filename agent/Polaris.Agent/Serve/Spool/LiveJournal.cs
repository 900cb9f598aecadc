using System.Globalization;
using Polaris.Wire;

namespace Polaris.Agent.Serve.Spool;

/// <summary>What the collector was told of each open live summary, kept in the spool so that a restarted daemon goes on
/// with it: the drop files of its members join the same <c>sid</c> at the next version, and the files of processes
/// already shipped final while running are removed, not counted again.</summary>
/// <remarks>
/// One file per live summary, <c>SID.live</c>: written durably before the batch of each version (a crash in between
/// costs a version number, never a second count), deleted once its last version is spooled and its files removed.
/// Drop files are named one per line, as the spool's consumed journals name them.
/// </remarks>
public sealed class LiveJournal(string spool)
{
    private const string Extension = ".live";
    private const string Magic = "polaris-live 1";
    private readonly string _directory = Path.GetFullPath(spool);

    /// <summary>One live summary: its id, the version last spooled, the drop files of its members, and those of its
    /// processes shipped final while they ran (<c>settled</c>).</summary>
    public sealed record Entry(string Sid, uint Version, IReadOnlyCollection<string> Members, IReadOnlyCollection<string> Settled);

    /// <summary>Writes (or replaces) the entry; when this returns, it survives a crash or reboot.</summary>
    public void Write(Entry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        AtomicFile.Write(PathOf(entry.Sid), file =>
        {
            using var lines = new StreamWriter(file, new System.Text.UTF8Encoding(false), 16 * 1024, leaveOpen: true);
            lines.Write($"{Magic}\n{entry.Sid}\n{entry.Version.ToString(CultureInfo.InvariantCulture)}\n");
            foreach (var member in entry.Members)
            {
                lines.Write("m " + member + "\n");
            }
            foreach (var settled in entry.Settled)
            {
                lines.Write("s " + settled + "\n");
            }
        }, durable: true);
    }

    /// <summary>Forgets a live summary whose last version is spooled and whose files are gone.</summary>
    public void Delete(string sid) => File.Delete(PathOf(sid));

    /// <summary>The entries a previous run left, each with the drop files that are still there; an entry with none
    /// left, or that does not read as one, is deleted.</summary>
    public List<Entry> Load()
    {
        var entries = new List<Entry>();
        if (!Directory.Exists(_directory))
        {
            return entries;
        }
        foreach (var path in Directory.EnumerateFiles(_directory, "*" + Extension))
        {
            var entry = Read(path);
            if (entry is { } found && (found.Members.Count > 0 || found.Settled.Count > 0))
            {
                entries.Add(found);
            }
            else
            {
                File.Delete(path);
            }
        }
        return entries;
    }

    private static Entry? Read(string path)
    {
        var lines = File.ReadAllLines(path);
        if (lines.Length < 3 || lines[0] != Magic || !SummaryBounds.IsSummaryId(lines[1])
            || !uint.TryParse(lines[2], NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            || Path.GetFileNameWithoutExtension(path) != lines[1])
        {
            return null;
        }
        var members = new List<string>();
        var settled = new List<string>();
        foreach (var line in lines.Skip(3))
        {
            // Only what is still there matters: the files of members whose last version was spooled are gone.
            var list = line.StartsWith("m ", StringComparison.Ordinal) ? members : line.StartsWith("s ", StringComparison.Ordinal) ? settled : null;
            if (list != null && File.Exists(line[2..]))
            {
                list.Add(line[2..]);
            }
        }
        return new Entry(lines[1], version, members, settled);
    }

    private string PathOf(string sid) => SummaryBounds.IsSummaryId(sid)
        ? Path.Combine(_directory, sid + Extension)
        : throw new ArgumentException("not a summary id: " + sid, nameof(sid));
}
