namespace Polaris.Wire;

/// <summary>A package installed by pip (its dist-info's <c>INSTALLER</c> says pip, or no conda record owns it).</summary>
/// <param name="Name">Distribution name.</param>
/// <param name="Version">Version.</param>
public sealed record PipPackage(string Name, string Version);
