namespace Polaris.Wire;

/// <summary>How a process's environment differs from the facility's base conda environment.</summary>
public sealed record EnvironmentChanges
{
    /// <summary>Conda packages this environment has and the base has not.</summary>
    public IReadOnlyList<CondaPackage> CondaAdded { get; init; } = [];

    /// <summary>Conda packages the base has and this environment has not.</summary>
    public IReadOnlyList<CondaPackage> CondaRemoved { get; init; } = [];

    /// <summary>Conda packages in both, in another version or build.</summary>
    public IReadOnlyList<PackageChange> CondaChanged { get; init; } = [];

    /// <summary>Packages installed by pip into the environment.</summary>
    public IReadOnlyList<PipPackage> PipInstalled { get; init; } = [];

    /// <summary>The user site-packages folder when the process had it on <c>sys.path</c>; empty otherwise.</summary>
    public string UserSite { get; init; } = "";

    /// <summary>Entries of <c>PYTHONPATH</c> (the hook's own folder excluded).</summary>
    public IReadOnlyList<string> PythonPath { get; init; } = [];

    /// <summary>True when nothing differs.</summary>
    public bool IsEmpty => CondaAdded.Count == 0 && CondaRemoved.Count == 0 && CondaChanged.Count == 0 &&
        PipInstalled.Count == 0 && UserSite.Length == 0 && PythonPath.Count == 0;
}
