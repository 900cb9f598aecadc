namespace Polaris.Wire;

/// <summary>Files under <paramref name="Prefix"/> are of <paramref name="Origin"/>, unless a longer rule says otherwise.</summary>
/// <param name="Prefix">A normalised absolute folder (see <see cref="PathPrefix.Normalize"/>).</param>
/// <param name="Origin">The class of the files under it.</param>
public readonly record struct OriginRule(string Prefix, Origin Origin);
