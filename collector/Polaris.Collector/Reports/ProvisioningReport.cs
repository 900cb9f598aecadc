using Polaris.Collector.Access;
using Polaris.Wire;

namespace Polaris.Collector.Reports;

/// <summary>The question the facility's study exists for: which packages users load from outside the base environment
/// (user sites, custom environments, venvs, home directories, project file systems), by how many users and domains,
/// at which versions, and whether the base environment already has them: the candidates for the next base
/// environment. <see cref="ProvisioningYaml"/> writes them as a conda <c>environment.yml</c> fragment.</summary>
public sealed class ProvisioningReport : IReport
{
    /// <summary>Packages listed, the most users first.</summary>
    public const int Packages = 100;

    /// <summary>Versions named per package, the most users first.</summary>
    public const int VersionsShown = 3;

    /// <summary>Where a package lies outside the base environment.</summary>
    public static readonly IReadOnlySet<Origin> Outside = new HashSet<Origin> { Origin.UserSite, Origin.CustomEnv, Origin.Venv, Origin.Home, Origin.Project };

    public string Name => "provisioning";

    public string Description => "packages users load from outside the base environment, by users and domains, with their versions and the base environment's: candidates for the next base environment";

    public ReadLevel Level => ReadLevel.Aggregates;

    public ReportTable Run(ReportData data, ReportQuery query)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(query);
        var table = new ReportTable(ReportTitles.Of("Packages used from outside the base environment", query),
            ["package", "users", "domains", "processes", "versions", "base-version", "conda-package"]);
        var candidates = Candidates(data, query, out string baseSource);
        foreach (var package in candidates)
        {
            var (conda, known) = CondaNames.Of(package.Name);
            table.AddGroup(package.Users.Count, package.Name, (long)package.Users.Count, (long)package.Domains.Count, package.Processes,
                string.Join(", ", package.TopVersions(VersionsShown, query.MinimumUsers).Select(v => $"{(v.Version.Length == 0 ? "?" : v.Version)} ({v.Users})")),
                package.BaseVersion ?? "", known ? conda : conda + "?");
        }
        table.Notes.Add("outside: loaded from a user site, a custom environment, a venv, a home directory or a project file system; versions: __version__ as the processes saw it, with its users; " + baseSource);
        if (query.MinimumUsers > 1)
        {
            table.Notes.Add($"versions: those of at least {query.MinimumUsers} users (a read token's floor)");
        }
        table.Notes.Add("conda-package: the conda name of the import name, '?' where the two may differ and it is a guess");
        return table;
    }

    /// <summary>The candidates, most users first: what <see cref="Run"/> lists and the fragment pins.</summary>
    public static IReadOnlyList<ProvisioningCandidate> Candidates(ReportData data, ReportQuery query) => Candidates(data, query, out _);

    /// <summary>The candidates, most users first, with their base versions from the base environment's package list
    /// when <see cref="ReportData.BasePackagesFile"/> names one, else from what processes loaded from the base.</summary>
    /// <param name="data">What the report reads.</param>
    /// <param name="query">The query.</param>
    /// <param name="baseSource">Where the base versions came from, for a note: the list, or why it could not be read.</param>
    public static IReadOnlyList<ProvisioningCandidate> Candidates(ReportData data, ReportQuery query, out string baseSource)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(query);
        var packages = new Dictionary<string, ProvisioningCandidate>(StringComparer.Ordinal);
        foreach (var (name, domain, use) in data.UseTable(query, UsesSections.Outside).Entries)
        {
            if (!packages.TryGetValue(name, out var candidate))
            {
                packages[name] = candidate = new ProvisioningCandidate(name);
            }
            candidate.Add(domain, use);
        }
        // Of the versions loaded from the base, per package, the processes of each over every domain asked for.
        var baseVersions = data.UseTable(query, UsesSections.Base, packages.ContainsKey).Entries
            .GroupBy(e => e.Name, StringComparer.Ordinal)
            .ToDictionary(p => p.Key, p => p.SelectMany(e => e.Use.Versions ?? []).GroupBy(v => v.Key, StringComparer.Ordinal)
                .ToDictionary(v => v.Key, v => v.Sum(x => x.Value.Processes), StringComparer.Ordinal), StringComparer.Ordinal);
        if (BaseList(data, out baseSource) is { } list)
        {
            foreach (var candidate in packages.Values)
            {
                candidate.BaseVersion = list.VersionOf(candidate.Name) is { } listed ? (listed.Length > 0 ? listed : "?") : null;
            }
        }
        else
        {
            foreach (var (name, seen) in baseVersions)
            {
                if (packages.TryGetValue(name, out var candidate))
                {
                    candidate.BaseVersion = seen.OrderByDescending(v => v.Value).ThenBy(v => v.Key, StringComparer.Ordinal).First().Key is { Length: > 0 } v ? v : "?";
                }
            }
        }
        return packages.Values
            .OrderByDescending(p => p.Users.Count).ThenByDescending(p => p.Domains.Count).ThenByDescending(p => p.Processes).ThenBy(p => p.Name, StringComparer.Ordinal)
            .Take(Packages)
            .ToArray();
    }

    /// <summary>The base environment's package list, read now (it changes as the base is rebuilt); null when none is
    /// set or it cannot be read, which <paramref name="source"/> says.</summary>
    private static BasePackageList? BaseList(ReportData data, out string source)
    {
        const string FromProcesses = "base-version: the version seen loaded from the base environment in the same days, empty when no process loaded it from there";
        if (data.BasePackagesFile.Length == 0)
        {
            source = FromProcesses;
            return null;
        }
        var name = Path.GetFileName(data.BasePackagesFile);
        try
        {
            var list = BasePackageList.Read(data.BasePackagesFile);
            source = $"base-version: from the base environment's package list {name} ({list.Count} packages"
                + (list.LinesRefused > 0 ? $", {list.LinesRefused} lines not read" : "") + "), empty when it lists no such package, '?' when it gives no version";
            return list;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            // The reason without the exception's text, which names the server's paths to a read token.
            source = $"the base environment's package list {name} could not be read ({(e is InvalidDataException ? e.Message : e.GetType().Name)}); {FromProcesses}";
            return null;
        }
    }
}
