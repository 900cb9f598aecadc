namespace Polaris.Wire;

/// <summary>What <see cref="OriginRules"/> say of one folder from its path alone.</summary>
/// <param name="Settled">The best configured root, or the user site when the path has its shape: what no disk could
/// change.</param>
/// <param name="Guessed">The environment the path's shape suggests (<c>.../envs/NAME/lib/...</c> a conda environment,
/// <c>PREFIX/lib/pythonX.Y/site-packages</c> under a project root a venv), always longer than
/// <paramref name="Settled"/>; <see cref="PrefixMatch.None"/> when there is none. A program that can look at the
/// prefix (<c>conda-meta/</c>, <c>pyvenv.cfg</c>) knows better.</param>
public readonly record struct RuleMatch(PrefixMatch Settled, PrefixMatch Guessed)
{
    /// <summary>What the rules alone decide: the guess when there is one, else what is settled.</summary>
    public PrefixMatch Best => Guessed.Length < 0 ? Settled : Settled.Or(Guessed.Origin, Guessed.Length);

    /// <summary>The origin of <see cref="Best"/>; <see cref="Origin.Other"/> when no rule covers the folder.</summary>
    public Origin Origin => Best.Length < 0 ? Origin.Other : Best.Origin;
}
