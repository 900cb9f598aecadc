namespace Polaris.Wire;

/// <summary>The interpreter and environment a process ran in: what the hook saw, and what the daemon worked out.</summary>
public sealed record PythonEnvironment
{
    /// <summary><c>sys.implementation.name</c>, e.g. <c>cpython</c>.</summary>
    public string Implementation { get; init; } = "";

    /// <summary><c>sys.prefix</c>.</summary>
    public string Prefix { get; init; } = "";

    /// <summary><c>sys.base_prefix</c>; differs from <see cref="Prefix"/> in a venv.</summary>
    public string BasePrefix { get; init; } = "";

    /// <summary>Base as-is, base clone, conda env, venv on base, other venv, system Python; set by the daemon.</summary>
    public EnvironmentKind Kind { get; init; }

    /// <summary>The environment's name: the conda env's folder name, the venv's folder name, or <c>base</c>; set by the daemon.</summary>
    public string Name { get; init; } = "";

    /// <summary>How it differs from the base environment; set by the daemon.</summary>
    public EnvironmentChanges Changes { get; init; } = new();
}
