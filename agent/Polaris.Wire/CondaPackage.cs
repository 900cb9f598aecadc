namespace Polaris.Wire;

/// <summary>A package as a conda environment records it in <c>conda-meta/NAME-VERSION-BUILD.json</c>.</summary>
/// <param name="Name">Package name.</param>
/// <param name="Version">Version.</param>
/// <param name="Build">Build string, e.g. <c>py311h64a7726_0</c>.</param>
/// <param name="Channel">Channel, e.g. <c>conda-forge</c>; empty when unknown.</param>
public sealed record CondaPackage(string Name, string Version, string Build, string Channel);
