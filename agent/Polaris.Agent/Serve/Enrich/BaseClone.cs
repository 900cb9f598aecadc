using Polaris.Wire;

namespace Polaris.Agent.Serve.Enrich;

/// <summary>Decides whether a conda environment started as a copy of a base environment.</summary>
/// <remarks>
/// The rule, from the environment's first transaction in <c>conda-meta/history</c> (later transactions are the
/// user's changes, which is what a clone is for):
/// <list type="number">
/// <item>one of its <c># cmd:</c> lines has <c>--clone SOURCE</c> (or <c>--clone=SOURCE</c>) where SOURCE is a base
/// prefix; a name is resolved as conda does, against the conda installation that ran the command (its executable
/// <c>ROOT/bin/conda</c>): <c>base</c> is ROOT, any other name ROOT<c>/envs/</c>NAME; or</item>
/// <item>it linked every package of the base, same name, version and build (a clone made from an explicit spec
/// file or <c>conda list --export</c> of the base rather than with <c>--clone</c>).</item>
/// </list>
/// </remarks>
public static class BaseClone
{
    /// <summary>True when <paramref name="environment"/> started as a copy of the base at <paramref name="basePrefix"/>
    /// (normalised), whose own records are <paramref name="baseEnvironment"/> (null when unreadable).</summary>
    public static bool IsCloneOf(CondaEnvironment environment, string basePrefix, CondaEnvironment? baseEnvironment)
    {
        if (environment.History.Revisions.Count == 0)
        {
            return false;
        }
        var first = environment.History.Revisions[0];
        foreach (var command in first.Commands)
        {
            if (CloneSource(command) is { } source && source == basePrefix)
            {
                return true;
            }
        }
        return baseEnvironment is { Packages.Count: > 0 } && LinksAll(first, baseEnvironment);
    }

    /// <summary>The prefix a <c>conda create --clone</c> command line copied, normalised; null when it is not one or
    /// the source cannot be resolved.</summary>
    public static string? CloneSource(string command)
    {
        var words = command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        for (int i = 1; i < words.Length; i++)
        {
            string? source = words[i] == "--clone" && i + 1 < words.Length ? words[i + 1]
                : words[i].StartsWith("--clone=", StringComparison.Ordinal) ? words[i]["--clone=".Length..]
                : null;
            if (source != null)
            {
                return Resolve(source, words[0]);
            }
        }
        return null;
    }

    private static string? Resolve(string source, string executable)
    {
        if (source.Contains('/', StringComparison.Ordinal))
        {
            return source.StartsWith('/') ? PathPrefix.Normalize(source) : null;
        }
        // ROOT/bin/conda, ROOT/condabin/conda, ROOT/bin/mamba: the installation is two levels up.
        var root = PathPrefix.Parent(PathPrefix.Parent(executable));
        if (root.Length == 0 || executable[0] != '/')
        {
            return null;
        }
        return source == "base" ? root.ToString() : $"{root}/envs/{source}";
    }

    private static bool LinksAll(CondaRevision revision, CondaEnvironment baseEnvironment)
    {
        if (revision.Added.Count < baseEnvironment.Packages.Count)
        {
            return false;
        }
        int matched = 0;
        foreach (var dist in revision.Added)
        {
            if (baseEnvironment.Packages.TryGetValue(dist.Name, out var package) &&
                package.Version == dist.Version && package.Build == dist.Build)
            {
                matched++;
            }
        }
        return matched == baseEnvironment.Packages.Count;
    }
}
