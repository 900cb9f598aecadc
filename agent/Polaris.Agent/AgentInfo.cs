using System.Reflection;

namespace Polaris.Agent;

/// <summary>Facts about this build of the agent.</summary>
public static class AgentInfo
{
    /// <summary>The informational version without the source-revision suffix.</summary>
    public static string Version { get; } =
        (typeof(AgentInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0")
        .Split('+')[0];
}
