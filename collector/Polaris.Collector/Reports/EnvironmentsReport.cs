using Polaris.Collector.Access;

namespace Polaris.Collector.Reports;

/// <summary>For chosen libraries, their users by the environments they used them in: the base environment only, custom
/// environments only, or both (the study's PyTorch and TensorFlow bars: PyTorch users mostly in custom environments,
/// TensorFlow users mostly in the base one).</summary>
public sealed class EnvironmentsReport : IReport
{
    /// <summary>Libraries shown when none is named: those with the most users.</summary>
    public const int DefaultLibraries = 10;

    /// <summary>The environment kinds (the wire's names) counted as custom: what users build themselves.</summary>
    public static readonly IReadOnlySet<string> Custom = new HashSet<string>(["conda", "base-clone", "venv", "venv-on-base"], StringComparer.Ordinal);

    /// <summary>The facility's base environment.</summary>
    public const string Base = "base";

    public string Name => "environments";

    public string Description => "users of chosen libraries (library=NAME) in the base environment only, custom environments only, or both";

    public ReadLevel Level => ReadLevel.Aggregates;

    public ReportTable Run(ReportData data, ReportQuery query)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(query);
        var libraries = data.Libraries(query with { Domain = null }, query.Libraries.Count > 0 ? query.Libraries : null);
        var chosen = query.Libraries.Count > 0
            ? query.Libraries.Where(libraries.ContainsKey).Select(l => libraries[l])
            : LibrariesReport.Ranked(libraries.Values).Where(l => l.Library.Length > 0).Take(DefaultLibraries);
        var table = new ReportTable(ReportTitles.Of("Users by environment", query with { Domain = null }),
            ["library", "users", "base-only", "custom-only", "both", "other-only"]);
        foreach (var library in chosen)
        {
            var inBase = library.KindUsers.TryGetValue(Base, out var b) ? b : [];
            var inCustom = library.KindUsers.Where(k => Custom.Contains(k.Key)).SelectMany(k => k.Value).ToHashSet();
            long both = inBase.Count(inCustom.Contains);
            long baseOnly = inBase.Count - both, customOnly = inCustom.Count - both;
            table.AddGroup(library.Users.Count, library.Library, (long)library.Users.Count, baseOnly, customOnly, both, library.Users.Count - baseOnly - customOnly - both);
        }
        table.Notes.Add("base: the facility's base conda environment; custom: conda environments, clones of the base, venvs (on the base or not); other-only: users seen only in a system Python or an environment not classified");
        if (query.Domain != null)
        {
            table.Notes.Add("environment kinds are kept over all domains: the domain filter does not apply to this report");
        }
        return table;
    }
}
