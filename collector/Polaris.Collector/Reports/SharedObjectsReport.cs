using Polaris.Collector.Access;

namespace Polaris.Collector.Reports;

/// <summary>The non-Python libraries processes mapped (CUDA, cuDNN, NCCL, MKL, ...), by users, jobs and processes: the
/// shared objects of the summaries, Python's own extension modules left out. Read from the periods' uses
/// (<see cref="PeriodUses"/>), kept as long as the roll-ups.</summary>
public sealed class SharedObjectsReport : IReport
{
    /// <summary>Libraries listed, the most used first.</summary>
    public const int Objects = 200;

    public string Name => "shared-objects";

    public string Description => "non-Python shared libraries loaded (CUDA, cuDNN, NCCL, MKL, ...) by users, jobs and processes";

    public ReadLevel Level => ReadLevel.Aggregates;

    public ReportTable Run(ReportData data, ReportQuery query)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(query);
        // Every domain's entry of a library together: its users and jobs united.
        var objects = data.UseTable(query, UsesSections.Objects).Entries.GroupBy(e => e.Name, StringComparer.Ordinal).Select(o =>
        {
            var users = new HashSet<long>();
            var jobs = new HashSet<long>();
            foreach (var (_, _, use) in o)
            {
                users.UnionWith(use.Users);
                jobs.UnionWith(use.Jobs);
            }
            return (Name: o.Key, Users: users.Count, Jobs: jobs.Count, Processes: o.Sum(e => e.Use.Processes));
        }).ToArray();
        var table = new ReportTable(ReportTitles.Of("Shared libraries", query), ["library", "users", "jobs", "processes"]);
        foreach (var (name, users, jobs, processes) in objects
            .OrderByDescending(o => o.Users).ThenByDescending(o => o.Processes).ThenBy(o => o.Name, StringComparer.Ordinal)
            .Take(Objects))
        {
            table.AddGroup(users, name, (long)users, (long)jobs, processes);
        }
        if (objects.Length > Objects)
        {
            table.Notes.Add($"{objects.Length - Objects} more libraries are not listed");
        }
        table.Notes.Add("by file name (libcudnn.so.8); Python extension modules (*.cpython-*.so, *.abi3.so) are left out: they are modules, in the submodules report");
        return table;
    }

    /// <summary>A compiled Python module rather than a library it uses.</summary>
    internal static bool IsPythonExtension(string name) =>
        name.Contains(".cpython-", StringComparison.Ordinal) || name.Contains(".pypy", StringComparison.Ordinal)
        || name.EndsWith(".abi3.so", StringComparison.Ordinal);
}
