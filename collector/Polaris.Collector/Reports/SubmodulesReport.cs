using Polaris.Collector.Access;
using Polaris.Wire;

namespace Polaris.Collector.Reports;

/// <summary>For one package, which of its submodules are used, by how many users and processes, and which of them are
/// compiled extensions (the study: SciPy's linalg, sparse and Cython extensions; PyTorch's core, CUDA and
/// multiprocessing). Read from the periods' uses (<see cref="PeriodUses"/>), kept as long as the roll-ups.</summary>
public sealed class SubmodulesReport : IReport
{
    /// <summary>Submodules listed, the most used first.</summary>
    public const int Submodules = 200;

    public string Name => "submodules";

    public string Description => "for one package (library=NAME), its submodules by users and processes, and which are compiled extensions";

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
        var uses = data.UseTable(query, UsesSections.Modules(UsesSections.TopLevel(package)),
            name => name == package || name.StartsWith(package + ".", StringComparison.Ordinal));
        // Every domain's entry of a module together: its users united.
        var modules = uses.Entries.GroupBy(e => e.Name, StringComparer.Ordinal).Select(m => (
            Name: m.Key,
            Kind: m.Select(e => e.Use.Kind).FirstOrDefault(k => k != 0),
            Users: m.Skip(1).Aggregate(new HashSet<long>(m.First().Use.Users), (all, e) => { all.UnionWith(e.Use.Users); return all; }).Count,
            Processes: m.Sum(e => e.Use.Processes))).ToArray();
        var table = new ReportTable(ReportTitles.Of($"Submodules of {package}", query), ["module", "kind", "users", "processes"]);
        foreach (var (name, kind, users, processes) in modules
            .OrderByDescending(m => m.Users).ThenByDescending(m => m.Processes).ThenBy(m => m.Name, StringComparer.Ordinal)
            .Take(Submodules))
        {
            table.AddGroup(users, name, kind == 0 ? "unknown" : ((ModuleKind)kind).Name(), (long)users, processes);
        }
        if (modules.Length > Submodules)
        {
            table.Notes.Add($"{modules.Length - Submodules} more submodules are not listed: name a subpackage (library={package}.NAME)");
        }
        table.Notes.Add("kind extension: a compiled module (.so); XALT keeps top-level packages only, so its records list no submodules");
        return table;
    }
}
