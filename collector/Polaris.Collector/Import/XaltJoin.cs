using Polaris.Wire;

namespace Polaris.Collector.Import;

/// <summary>What the XALT reader holds of one run (its owner and uuid) while its records come in: the run record once
/// read, and the Python packages its <c>pkg</c> records named, which may come before it or after it.</summary>
internal sealed class XaltJoin(string uuid)
{
    // What a join costs besides its strings: the object, its list, the reader's dictionary entry and queue slot.
    private const long Overhead = 256;

    // A string's header and length, besides its UTF-16 characters.
    private const long PerString = 24;

    private long _runBytes;
    private long _packageBytes;

    /// <summary>The run's uuid.</summary>
    public string Uuid { get; } = uuid;

    /// <summary>The run record's process, without its modules; null while only <c>pkg</c> records came.</summary>
    public ImportedProcess? Run { get; private set; }

    /// <summary>Where the run record was read, for the tally.</summary>
    public string RunWhere { get; private set; } = "";

    /// <summary>The run's end time (0 in a start record XALT writes as an MPI program begins).</summary>
    public double RunEnd { get; private set; }

    /// <summary>The run's executable is a Python interpreter by its name.</summary>
    public bool PythonExecutable { get; private set; }

    /// <summary>The packages of its <c>pkg</c> records, as (name, path).</summary>
    public List<(string Name, string Path)> Packages { get; } = [];

    /// <summary>About what the join holds in memory: its strings' characters and headers, and a fixed overhead;
    /// the reader's budget of waiting records is counted in these.</summary>
    public long Bytes => Overhead + (2L * Uuid.Length) + _runBytes + _packageBytes;

    /// <summary>A summary's bound on modules, which no process's <c>pkg</c> records come near.</summary>
    public bool Full => Packages.Count >= SummaryBounds.MaxModulesPerSummary;

    /// <summary>Takes the run record (the first, or one that supersedes it).</summary>
    public void SetRun(ImportedProcess run, string where, double end, bool pythonExecutable)
    {
        Run = run;
        RunWhere = where;
        RunEnd = end;
        PythonExecutable = pythonExecutable;
        _runBytes = SizeOf(run) + StringBytes(where);
    }

    /// <summary>Adds a <c>pkg</c> record's package.</summary>
    public void AddPackage(string name, string path)
    {
        Packages.Add((name, path));
        _packageBytes += StringBytes(name) + StringBytes(path) + 16;
    }

    /// <summary>The process with its modules, once no more records are waited for.</summary>
    public ImportedProcess Complete()
    {
        var clip = new ProcessClipper();
        // In name order: the order pkg records come in is the order of their files in a folder or an archive, which
        // says nothing of the process, and the same run read from two copies must come out the same.
        Packages.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name) is var byName and not 0 ? byName : string.CompareOrdinal(a.Path, b.Path));
        foreach (var (name, path) in Packages)
        {
            clip.Module(name, path);
        }
        return Run! with { Modules = clip.Modules, Clips = Run.Clips + clip.Clips };
    }

    private static long SizeOf(ImportedProcess run)
    {
        long bytes = Overhead + StringBytes(run.Identity) + StringBytes(run.User) + StringBytes(run.JobId) + StringBytes(run.Account)
            + StringBytes(run.Queue) + StringBytes(run.Host) + StringBytes(run.Executable) + StringBytes(run.WorkingDirectory);
        foreach (var library in run.SharedObjects)
        {
            bytes += StringBytes(library.Path) + 48;
        }
        foreach (var (name, value) in run.Variables)
        {
            bytes += StringBytes(name) + StringBytes(value) + 32;
        }
        return bytes;
    }

    private static long StringBytes(string text) => PerString + (2L * text.Length);
}
