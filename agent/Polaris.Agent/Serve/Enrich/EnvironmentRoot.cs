namespace Polaris.Agent.Serve.Enrich;

/// <summary>The innermost environment prefix a path lies in.</summary>
/// <param name="Prefix">The prefix, normalised; empty when there is none.</param>
/// <param name="Marker">What marks it as an environment.</param>
public readonly record struct EnvironmentRoot(string Prefix, PrefixMarker Marker)
{
    /// <summary>No environment: the path lies in none.</summary>
    public static EnvironmentRoot None { get; } = new("", PrefixMarker.None);
}
