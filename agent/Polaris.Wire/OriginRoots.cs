namespace Polaris.Wire;

/// <summary>The configured roots that decide a path's <see cref="Origin"/>: the agent's settings <c>homeRoots</c>,
/// <c>projectRoots</c>, <c>baseEnvironments</c> and <c>systemPrefixes</c>, which the collector takes with the same
/// names and defaults, so that both classify a path alike.</summary>
/// <remarks>Every path is absolute; each program validates its settings before it builds <see cref="OriginRules"/>.</remarks>
public sealed record OriginRoots
{
    /// <summary>Default <see cref="HomeRoots"/>.</summary>
    public static readonly IReadOnlyList<string> DefaultHomeRoots = ["/home"];

    /// <summary>Default <see cref="ProjectRoots"/>: the shared file systems of ALCF's Polaris.</summary>
    public static readonly IReadOnlyList<string> DefaultProjectRoots = ["/lus", "/eagle", "/grand", "/projects"];

    /// <summary>Default <see cref="SystemPrefixes"/>.</summary>
    public static readonly IReadOnlyList<string> DefaultSystemPrefixes =
        ["/usr", "/lib", "/lib64", "/bin", "/sbin", "/etc", "/opt/cray", "/opt/nvidia"];

    /// <summary>Roots of home directories: each folder right below one is a home. Default <c>/home</c>.</summary>
    public IReadOnlyList<string> HomeRoots { get; init; } = DefaultHomeRoots;

    /// <summary>Shared project file systems. Default <c>/lus</c>, <c>/eagle</c>, <c>/grand</c>, <c>/projects</c>.</summary>
    public IReadOnlyList<string> ProjectRoots { get; init; } = DefaultProjectRoots;

    /// <summary>The facility's base conda environments (their prefixes). Default none.</summary>
    public IReadOnlyList<string> BaseEnvironments { get; init; } = [];

    /// <summary>The operating system's folders. Default <c>/usr</c>, <c>/lib</c>, <c>/lib64</c>, <c>/bin</c>,
    /// <c>/sbin</c>, <c>/etc</c>, <c>/opt/cray</c>, <c>/opt/nvidia</c>.</summary>
    public IReadOnlyList<string> SystemPrefixes { get; init; } = DefaultSystemPrefixes;
}
