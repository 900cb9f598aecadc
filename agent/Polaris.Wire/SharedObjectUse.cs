namespace Polaris.Wire;

/// <summary>A shared library mapped at exit by some processes of a summary.</summary>
/// <param name="Path">Its path.</param>
/// <param name="Origin">Where it lies.</param>
/// <param name="Processes">Processes that had it mapped.</param>
public sealed record SharedObjectUse(string Path, Origin Origin, int Processes);
