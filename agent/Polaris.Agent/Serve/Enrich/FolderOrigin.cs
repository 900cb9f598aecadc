using Polaris.Wire;

namespace Polaris.Agent.Serve.Enrich;

/// <summary>What a folder's place says of its files' origin, as root sees it: the same for every user who may enter
/// the environment it lies in.</summary>
/// <param name="Rules">The best configured rule alone.</param>
/// <param name="Match">The best of the rule and the environment the folder lies in.</param>
/// <param name="Root">That environment's prefix; null when it lies in none.</param>
public readonly record struct FolderOrigin(PrefixMatch Rules, PrefixMatch Match, string? Root);
