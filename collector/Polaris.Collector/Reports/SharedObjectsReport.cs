using Polaris.Collector.Access;

namespace Polaris.Collector.Reports;

/// <summary>The non-Python libraries processes mapped (CUDA, cuDNN, NCCL, MKL, ...), by users, jobs and processes: the
/// shared objects of the stored summaries, Python's own extension modules left out. Read from the stored summaries:
/// the days <c>retentionDays</c> keeps.</summary>
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
        var user = data.UserNumbers();
        var objects = new Dictionary<string, (HashSet<long> Users, HashSet<string> Jobs, long Processes)>(StringComparer.Ordinal);
        foreach (var uses in data.Uses(query))
        {
            if (query.Domain != null && uses.Facts.Domain != query.Domain)
            {
                continue;
            }
            var paths = uses.Table.Objects;
            for (int i = 0; i < paths.Length; i++)
            {
                var name = Path.GetFileName(paths[i]);
                if (uses.ObjectProcesses[i] <= 0 || IsPythonExtension(name))
                {
                    continue;
                }
                if (!objects.TryGetValue(name, out var entry))
                {
                    entry = ([], new HashSet<string>(StringComparer.Ordinal), 0);
                }
                entry.Users.Add(user(uses.Facts.Uid));
                if (uses.Facts.JobKey.Length > 0)
                {
                    entry.Jobs.Add(uses.Facts.JobKey);
                }
                objects[name] = (entry.Users, entry.Jobs, entry.Processes + uses.ObjectProcesses[i]);
            }
        }
        var table = new ReportTable(ReportTitles.Of("Shared libraries", query), ["library", "users", "jobs", "processes"]);
        foreach (var (name, (users, jobs, processes)) in objects
            .OrderByDescending(o => o.Value.Users.Count).ThenByDescending(o => o.Value.Processes).ThenBy(o => o.Key, StringComparer.Ordinal)
            .Take(Objects))
        {
            table.AddGroup(users.Count, name, (long)users.Count, (long)jobs.Count, processes);
        }
        if (objects.Count > Objects)
        {
            table.Notes.Add($"{objects.Count - Objects} more libraries are not listed");
        }
        table.Notes.Add("by file name (libcudnn.so.8); Python extension modules (*.cpython-*.so, *.abi3.so) are left out: they are modules, in the submodules report; from the stored summaries (retentionDays)");
        return table;
    }

    /// <summary>A compiled Python module rather than a library it uses.</summary>
    internal static bool IsPythonExtension(string name) =>
        name.Contains(".cpython-", StringComparison.Ordinal) || name.Contains(".pypy", StringComparison.Ordinal)
        || name.EndsWith(".abi3.so", StringComparison.Ordinal);
}
