namespace Polaris.Agent.Bench;

/// <summary>Chooses the packages the <c>many</c> workload imports: the first candidates, by name, that import cleanly alone.</summary>
public static class PackageDiscovery
{
    /// <summary>How many packages the facility's poster imported in its many-libraries case.</summary>
    public const int Limit = 95;

    /// <summary>The first <paramref name="limit"/> of <paramref name="candidates"/> (in their order) for which <paramref name="imports"/> holds.</summary>
    /// <param name="candidates">Names in the order to try them: sorted, for a list that repeats from run to run.</param>
    /// <param name="imports">Whether a name imports cleanly; called in parallel.</param>
    /// <param name="limit">How many to keep.</param>
    /// <param name="parallelism">How many checks run at once: each is an interpreter of its own.</param>
    public static IReadOnlyList<string> Importable(IReadOnlyList<string> candidates, Func<string, bool> imports, int limit = Limit, int parallelism = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parallelism, 1);
        var chosen = new List<string>();
        // Checked a chunk at a time, so the result is the sorted prefix whatever order the checks finish in.
        foreach (var chunk in candidates.Chunk(parallelism))
        {
            var results = new bool[chunk.Length];
            Parallel.For(0, chunk.Length, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, i => results[i] = imports(chunk[i]));
            for (int i = 0; i < chunk.Length && chosen.Count < limit; i++)
            {
                if (results[i])
                {
                    chosen.Add(chunk[i]);
                }
            }
            if (chosen.Count >= limit)
            {
                break;
            }
        }
        return chosen;
    }
}
