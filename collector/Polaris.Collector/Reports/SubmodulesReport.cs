using Polaris.Collector.Access;
using Polaris.Wire;

namespace Polaris.Collector.Reports;

/// <summary>For one package, which of its submodules are used, by how many users and processes, and which of them are
/// compiled extensions (the study: SciPy's linalg, sparse and Cython extensions; PyTorch's core, CUDA and
/// multiprocessing). Read from the stored summaries' module tables: the days <c>retentionDays</c> keeps.</summary>
public sealed class SubmodulesReport : IReport
{
    /// <summary>Submodules listed, the most used first.</summary>
    public const int Submodules = 200;

    public string Name => "submodules";

    public string Description => "for one package (library=NAME), its submodules by users, jobs and processes, and which are compiled extensions";

    public ReadLevel Level => ReadLevel.Aggregates;

    public ReportTable Run(ReportData data, ReportQuery query)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(query);
        if (query.Libraries.Count != 1)
        {
            throw new ReportQueryException("submodules needs one package: library=NAME");
        }
        var package = query.Libraries[0];
        var user = data.UserNumbers();
        var modules = new Dictionary<string, (string Kind, HashSet<long> Users, HashSet<string> Jobs, long Processes)>(StringComparer.Ordinal);
        foreach (var uses in data.Uses(query))
        {
            if (query.Domain != null && uses.Facts.Domain != query.Domain)
            {
                continue;
            }
            var names = uses.Table.Names;
            for (int i = 0; i < names.Length; i++)
            {
                if (uses.ModuleProcesses[i] <= 0 || !(names[i] == package || names[i].StartsWith(package + ".", StringComparison.Ordinal)))
                {
                    continue;
                }
                if (!modules.TryGetValue(names[i], out var entry))
                {
                    entry = (((ModuleKind)uses.Table.Kinds[i]).Name(), [], new HashSet<string>(StringComparer.Ordinal), 0);
                }
                entry.Users.Add(user(uses.Facts.Uid));
                if (uses.Facts.JobKey.Length > 0)
                {
                    entry.Jobs.Add(uses.Facts.JobKey);
                }
                modules[names[i]] = (entry.Kind, entry.Users, entry.Jobs, entry.Processes + uses.ModuleProcesses[i]);
            }
        }
        var table = new ReportTable(ReportTitles.Of($"Submodules of {package}", query), ["module", "kind", "users", "jobs", "processes"]);
        foreach (var (name, (kind, users, jobs, processes)) in modules
            .OrderByDescending(m => m.Value.Users.Count).ThenByDescending(m => m.Value.Processes).ThenBy(m => m.Key, StringComparer.Ordinal)
            .Take(Submodules))
        {
            table.AddGroup(users.Count, name, kind.Length == 0 ? "unknown" : kind, (long)users.Count, (long)jobs.Count, processes);
        }
        if (modules.Count > Submodules)
        {
            table.Notes.Add($"{modules.Count - Submodules} more submodules are not listed: name a subpackage (library={package}.NAME)");
        }
        table.Notes.Add("from the stored summaries (retentionDays); kind extension: a compiled module (.so); XALT keeps top-level packages only, so its records list no submodules");
        return table;
    }
}
