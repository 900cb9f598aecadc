using Polaris.Wire;

namespace Polaris.Agent.Serve.Enrich;

/// <summary>The packages pip (or another Python installer) put into an environment's <c>site-packages</c>.</summary>
public static class SitePackages
{
    /// <summary>Dist-info folders read at most.</summary>
    public const int MaxDistributions = 20_000;

    /// <summary><c>PREFIX/lib/pythonX.Y/site-packages</c>.</summary>
    public static string Folder(string prefix, string majorMinor) => $"{prefix}/lib/python{majorMinor}/site-packages";

    /// <summary>The distributions in <paramref name="folder"/> that no conda package owns, sorted by name; empty when
    /// the folder is missing or unreadable.</summary>
    /// <remarks>
    /// A dist-info a conda package installed is conda's, whatever its <c>INSTALLER</c> says: conda-build runs
    /// <c>pip install</c> to build many packages, and older ones still carry <c>INSTALLER</c> = <c>pip</c>. Any other
    /// dist-info counts, except one whose <c>INSTALLER</c> names conda (a package whose conda record was lost).
    /// </remarks>
    /// <param name="folder">The site-packages folder.</param>
    /// <param name="owned">Dist-info folder names owned by conda packages; empty outside conda environments.</param>
    public static IReadOnlyList<PipPackage> PipInstalled(string folder, IReadOnlySet<string> owned) =>
        PipInstalled(folder, owned, EnvironmentReader.Unbounded());

    /// <summary><see cref="PipInstalled(string, IReadOnlySet{string})"/> through <paramref name="reader"/>: empty when its
    /// user may not list the folder or its budget ran out.</summary>
    public static IReadOnlyList<PipPackage> PipInstalled(string folder, IReadOnlySet<string> owned, EnvironmentReader reader)
    {
        ArgumentNullException.ThrowIfNull(owned);
        ArgumentNullException.ThrowIfNull(reader);
        var found = new List<PipPackage>();
        try
        {
            foreach (var distInfo in reader.List(folder, "*.dist-info", folders: true))
            {
                if (found.Count >= MaxDistributions)
                {
                    break;
                }
                if (owned.Contains(PathPrefix.LastComponent(distInfo)) ||
                    DistInfo.Installer(distInfo, reader).Equals("conda", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }
                found.Add(DistInfo.Read(distInfo, reader));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
        if (reader.Exhausted)
        {
            return [];
        }
        found.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return found;
    }
}
