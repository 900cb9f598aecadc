using Polaris.Wire;

namespace Polaris.Collector.Import;

/// <summary>What the XALT reader holds of one run uuid while its records come in: the run record once read, and the
/// Python packages its <c>pkg</c> records named, which may come before it or after it.</summary>
internal sealed class XaltJoin(string uuid)
{
    /// <summary>The run's uuid.</summary>
    public string Uuid { get; } = uuid;

    /// <summary>The run record's process, without its modules; null while only <c>pkg</c> records came.</summary>
    public ImportedProcess? Run { get; set; }

    /// <summary>Where the run record was read, for the tally.</summary>
    public string RunWhere { get; set; } = "";

    /// <summary>The run's end time (0 in a start record XALT writes as an MPI program begins).</summary>
    public double RunEnd { get; set; }

    /// <summary>The run's executable is a Python interpreter by its name.</summary>
    public bool PythonExecutable { get; set; }

    /// <summary>The packages of its <c>pkg</c> records, as (name, path).</summary>
    public List<(string Name, string Path)> Packages { get; } = [];

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

    /// <summary>A summary's bound on modules, which no process's <c>pkg</c> records come near.</summary>
    public bool Full => Packages.Count >= SummaryBounds.MaxModulesPerSummary;
}
