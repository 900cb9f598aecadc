using Polaris.Wire;

namespace Polaris.Agent.Serve.Enrich;

/// <summary>What the daemon works out about one environment, shared by every record that ran in it.</summary>
/// <param name="Kind">Base, clone, conda env, venv on base, venv, system Python or other.</param>
/// <param name="Name">The environment's name.</param>
/// <param name="Changes">Conda and pip differences from the base; the per-process parts (user site, PYTHONPATH) are empty.</param>
public sealed record EnvironmentAnalysis(EnvironmentKind Kind, string Name, EnvironmentChanges Changes)
{
    /// <summary>Nothing could be worked out.</summary>
    public static EnvironmentAnalysis Unknown { get; } = new(EnvironmentKind.Unknown, "", new EnvironmentChanges());
}
