using System.Reflection;

namespace Polaris.Collector;

/// <summary>Facts about this build of the collector.</summary>
public static class CollectorInfo
{
    /// <summary>The informational version without the source-revision suffix.</summary>
    public static string Version { get; } =
        (typeof(CollectorInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0")
        .Split('+')[0];
}
