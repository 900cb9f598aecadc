using Polaris.Collector.Import;

namespace Polaris.Collector.Tests.Import;

/// <summary>truth.json's counts, computed from what a reader gave: the jobs (ids as the tool gives them), users and
/// processes, and per top-level package the distinct jobs, users and processes that imported it.</summary>
internal sealed record ToolCounts(
    SortedSet<string> JobIds, SortedSet<string> Users, int Processes, SortedDictionary<string, (int Jobs, int Users, int Processes)> Packages)
{
    public static ToolCounts Of(IReadOnlyCollection<ImportedProcess> processes, Func<string, bool> isPackage)
    {
        var jobs = new SortedSet<string>(processes.Select(p => p.JobId).Where(j => j.Length > 0), StringComparer.Ordinal);
        var users = new SortedSet<string>(processes.Select(p => p.User).Where(u => u.Length > 0), StringComparer.Ordinal);
        var packages = new SortedDictionary<string, (int, int, int)>(StringComparer.Ordinal);
        var byPackage = processes
            .SelectMany(p => p.Modules.Select(m => m.TopLevel).Where(isPackage).Distinct().Select(top => (top, p)))
            .GroupBy(x => x.top, StringComparer.Ordinal);
        foreach (var group in byPackage)
        {
            packages[group.Key] = (
                group.Select(x => x.p.JobId).Distinct().Count(),
                group.Select(x => x.p.User).Distinct().Count(),
                group.Count());
        }
        return new ToolCounts(jobs, users, processes.Count, packages);
    }

    /// <summary>truth.json's rule: the first name component, excluding the standard library
    /// (<c>sys.stdlib_module_names</c>), <c>__main__</c> and <c>sitecustomize</c>. The standard library is the
    /// collector's list (Aggregation/stdlib-modules.txt): CPython 3.11's names and 14 later ones, none of which a 3.11
    /// process can import.</summary>
    public static bool TruthRule(string topLevel) => topLevel.Length > 0 && !TruthExcluded.Contains(topLevel);

    private static readonly HashSet<string> TruthExcluded = new(
        File.ReadLines(Path.Combine(Polaris.Testing.RepoPaths.Root, "collector", "Polaris.Collector", "Aggregation", "stdlib-modules.txt"))
            .Where(l => l.Length > 0 && l[0] != '#').Select(l => l.Trim())
            .Append("__main__").Append("sitecustomize"),
        StringComparer.Ordinal);
}
