using Polaris.Wire;

namespace Polaris.Agent.Serve.Enrich;

/// <summary>Settings of the enrich stage: where the hook lives and the path roots that decide origins and environments.</summary>
/// <remarks>Every path is absolute; <see cref="AgentOptions"/> validates them at start-up.</remarks>
public sealed record EnrichOptions
{
    /// <summary>Default <see cref="HomeRoots"/>: <see cref="OriginRoots.DefaultHomeRoots"/>, which the collector shares.</summary>
    public static readonly IReadOnlyList<string> DefaultHomeRoots = OriginRoots.DefaultHomeRoots;

    /// <summary>Default <see cref="ProjectRoots"/>: <see cref="OriginRoots.DefaultProjectRoots"/>.</summary>
    public static readonly IReadOnlyList<string> DefaultProjectRoots = OriginRoots.DefaultProjectRoots;

    /// <summary>Default <see cref="SystemPrefixes"/>: <see cref="OriginRoots.DefaultSystemPrefixes"/>.</summary>
    public static readonly IReadOnlyList<string> DefaultSystemPrefixes = OriginRoots.DefaultSystemPrefixes;

    /// <summary>The folder holding the hook's <c>sitecustomize.py</c>; left out of reported <c>PYTHONPATH</c> entries.</summary>
    public string HookDirectory { get; init; } = "";

    /// <summary>The facility's base conda environments; the first is the one changes are reported against. Default none.</summary>
    public IReadOnlyList<string> BaseEnvironments { get; init; } = [];

    /// <summary>Roots of home directories, besides each user's own passwd home. Default <c>/home</c>.</summary>
    public IReadOnlyList<string> HomeRoots { get; init; } = DefaultHomeRoots;

    /// <summary>Shared project file systems. Default <c>/lus</c>, <c>/eagle</c>, <c>/grand</c>, <c>/projects</c>.</summary>
    public IReadOnlyList<string> ProjectRoots { get; init; } = DefaultProjectRoots;

    /// <summary>The operating system's folders. Default <c>/usr</c>, <c>/lib</c>, <c>/lib64</c>, <c>/bin</c>,
    /// <c>/sbin</c>, <c>/etc</c>, <c>/opt/cray</c>, <c>/opt/nvidia</c>.</summary>
    public IReadOnlyList<string> SystemPrefixes { get; init; } = DefaultSystemPrefixes;

    /// <summary>The roots that decide origins, as <see cref="OriginRules"/> takes them.</summary>
    public OriginRoots OriginRoots => new()
    {
        HomeRoots = HomeRoots,
        ProjectRoots = ProjectRoots,
        BaseEnvironments = BaseEnvironments,
        SystemPrefixes = SystemPrefixes,
    };

    /// <summary>The enrich settings of the daemon's options.</summary>
    public static EnrichOptions From(AgentOptions options, string hookDirectory) => new()
    {
        HookDirectory = hookDirectory,
        BaseEnvironments = options.BaseEnvironments,
        HomeRoots = options.HomeRoots,
        ProjectRoots = options.ProjectRoots,
        SystemPrefixes = options.SystemPrefixes,
    };
}
