using Polaris.Wire;

namespace Polaris.Agent.Serve.Enrich;

/// <summary>What a folder's place says of its files' origin, as root sees it: the same for every user who may enter
/// the environment it lies in.</summary>
/// <param name="Rules">What the shared rules alone say of the folder.</param>
/// <param name="Match">The best of the rules and the environment the folder lies in.</param>
/// <param name="Root">The folder a user must be able to enter to be shown <paramref name="Match"/>: that environment's
/// prefix, or the prefix the rules guessed an environment at where none was found; null when the rules alone decide.</param>
public readonly record struct FolderOrigin(RuleMatch Rules, PrefixMatch Match, string? Root);
