namespace Polaris.Wire;

/// <summary>A conda package present in both the base environment and this one, in another version or build.</summary>
/// <param name="Name">Package name.</param>
/// <param name="BaseVersion">Version and build in the base environment, e.g. <c>1.26.4 py311h64a7726_0</c>.</param>
/// <param name="Version">Version and build in this environment.</param>
public sealed record PackageChange(string Name, string BaseVersion, string Version);
