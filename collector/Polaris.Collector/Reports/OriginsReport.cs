using Polaris.Collector.Access;
using Polaris.Wire;

namespace Polaris.Collector.Reports;

/// <summary>Where libraries are loaded from (home, user site, project file systems, the base environment, custom
/// environments, venvs, the system), overall and per library: module loads (a module in a process) by origin, the
/// libraries loaded most from home directories and user sites first.</summary>
public sealed class OriginsReport : IReport
{
    /// <summary>Libraries listed after the total.</summary>
    public const int Libraries = 30;

    private static readonly Origin[] Shown =
        [Origin.Home, Origin.UserSite, Origin.Project, Origin.BaseEnv, Origin.CustomEnv, Origin.Venv, Origin.System, Origin.Cwd, Origin.Other, Origin.Unknown];

    public string Name => "origins";

    public string Description => "module loads by where the files lie (home, user-site, project, base-env, custom-env, venv, system, ...), overall and per library";

    public ReadLevel Level => ReadLevel.Aggregates;

    public ReportTable Run(ReportData data, ReportQuery query)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(query);
        var libraries = data.Libraries(query with { Domain = null }, query.Libraries.Count > 0 ? query.Libraries : null)
            .Values.Where(l => l.Library.Length > 0).ToArray();
        var table = new ReportTable(ReportTitles.Of("Module loads by origin", query with { Domain = null }),
            ["library", .. Shown.Select(o => o == Origin.Unknown ? "unknown" : o.Name()), "home-share"]);
        var total = new long[Shown.Length];
        foreach (var library in libraries)
        {
            for (int i = 0; i < Shown.Length; i++)
            {
                total[i] += library.OriginLoads[(int)Shown[i]];
            }
        }
        table.AddGroup(libraries.SelectMany(l => l.Users).Distinct().Count(), Row("(all libraries)", total));
        var ranked = libraries
            .Select(l => (l.Library, l.Users, Loads: Shown.Select(o => l.OriginLoads[(int)o]).ToArray()))
            .OrderByDescending(l => l.Loads[0] + l.Loads[1]).ThenByDescending(l => l.Loads.Sum()).ThenBy(l => l.Library, StringComparer.Ordinal)
            .Take(Libraries);
        foreach (var (library, users, loads) in ranked)
        {
            table.AddGroup(users.Count, Row(library, loads));
        }
        table.Notes.Add("a load is a module of the library in one process; home-share: home and user-site loads of all loads; libraries loaded most from home directories first");
        if (query.Domain != null)
        {
            table.Notes.Add("origins are kept over all domains: the domain filter does not apply to this report");
        }
        return table;
    }

    private static object[] Row(string library, long[] loads)
    {
        long all = loads.Sum();
        return [library, .. loads.Cast<object>(), all == 0 ? 0.0 : (double)(loads[0] + loads[1]) / all];
    }
}
