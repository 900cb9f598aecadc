using Polaris.Wire;

namespace Polaris.Agent.Serve.Enrich;

/// <summary>The conda packages an environment adds to, removes from and changes in a base environment.</summary>
public static class CondaDiff
{
    /// <summary>Changes from <paramref name="baseEnvironment"/> to <paramref name="environment"/>, each list sorted by
    /// name. A package in both counts as changed when its version or build differs; a channel alone does not.</summary>
    public static EnvironmentChanges Between(CondaEnvironment baseEnvironment, CondaEnvironment environment)
    {
        var added = new List<CondaPackage>();
        var removed = new List<CondaPackage>();
        var changed = new List<PackageChange>();
        foreach (var package in environment.Packages.Values)
        {
            if (!baseEnvironment.Packages.TryGetValue(package.Name, out var basePackage))
            {
                added.Add(package);
            }
            else if (basePackage.Version != package.Version || basePackage.Build != package.Build)
            {
                changed.Add(new PackageChange(package.Name, $"{basePackage.Version} {basePackage.Build}", $"{package.Version} {package.Build}"));
            }
        }
        foreach (var basePackage in baseEnvironment.Packages.Values)
        {
            if (!environment.Packages.ContainsKey(basePackage.Name))
            {
                removed.Add(basePackage);
            }
        }
        added.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        removed.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        changed.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return new EnvironmentChanges { CondaAdded = added, CondaRemoved = removed, CondaChanged = changed };
    }
}
