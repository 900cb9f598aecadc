namespace Polaris.Wire;

/// <summary>The best rule found so far for one path: the longest prefix, and on equal length the more specific origin.</summary>
/// <param name="Origin">The origin of the best rule.</param>
/// <param name="Length">Its prefix length; -1 when no rule matched.</param>
public readonly record struct PrefixMatch(Origin Origin, int Length)
{
    /// <summary>No rule matched yet.</summary>
    public static PrefixMatch None { get; } = new(Origin.Other, -1);

    /// <summary>This match or the candidate, whichever wins.</summary>
    public PrefixMatch Or(Origin origin, int length) =>
        length > Length || (length == Length && Specificity(origin) > Specificity(Origin)) ? new PrefixMatch(origin, length) : this;

    // Equal lengths mean the same folder named twice (a venv that is also the working directory, a home that is
    // also a project root): the narrower meaning wins.
    private static int Specificity(Origin origin) => origin switch
    {
        Origin.UserSite => 6,
        Origin.Venv or Origin.CustomEnv or Origin.BaseEnv => 5,
        Origin.Project => 4,
        Origin.Home => 3,
        Origin.Cwd => 2,
        Origin.System => 1,
        _ => 0,
    };
}
