namespace Polaris.Agent.Bench;

/// <summary>Chooses the packages the <c>many</c> workload imports: the first candidates, by name, that import cleanly alone and together.</summary>
public static class PackageDiscovery
{
    /// <summary>How many packages the facility's poster imported in its many-libraries case.</summary>
    public const int Limit = 95;

    /// <summary>How many packages may be dropped for breaking the import of the others before discovery gives up.</summary>
    public const int MaxDropped = 20;

    /// <summary>The <paramref name="candidates"/> for which <paramref name="imports"/> holds, in their order, checked only as far as they are read.</summary>
    /// <param name="candidates">Names in the order to try them: sorted, for a list that repeats from run to run.</param>
    /// <param name="imports">Whether a name imports cleanly on its own; called in parallel.</param>
    /// <param name="parallelism">How many checks run at once: each is an interpreter of its own.</param>
    public static IEnumerable<string> Importable(IReadOnlyList<string> candidates, Func<string, bool> imports, int parallelism = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parallelism, 1);
        // Checked a chunk at a time, so the order is the candidates' whatever order the checks finish in.
        foreach (var chunk in candidates.Chunk(parallelism))
        {
            var results = new bool[chunk.Length];
            Parallel.For(0, chunk.Length, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, i => results[i] = imports(chunk[i]));
            for (int i = 0; i < chunk.Length; i++)
            {
                if (results[i])
                {
                    yield return chunk[i];
                }
            }
        }
    }

    /// <summary>The first <paramref name="limit"/> of <paramref name="importable"/> that also import one after the other in one interpreter.</summary>
    /// <remarks>
    /// Packages that import alone can still clash: Debian's setuptools asserts when numba has loaded the
    /// standard library's distutils first. The package whose import fails is dropped and the next one
    /// taken in, until the whole list imports.
    /// </remarks>
    /// <param name="importable">Packages that import alone, in order; read only as far as needed.</param>
    /// <param name="firstFailure">Imports the list in one interpreter; the package whose import failed, or null when all imported.</param>
    /// <param name="dropped">Told of each package dropped.</param>
    /// <param name="limit">How many to keep.</param>
    /// <exception cref="IOException">More than <see cref="MaxDropped"/> packages had to be dropped.</exception>
    public static IReadOnlyList<string> ImportableTogether(IEnumerable<string> importable, Func<IReadOnlyList<string>, string?> firstFailure,
        Action<string> dropped, int limit = Limit)
    {
        var excluded = new HashSet<string>(StringComparer.Ordinal);
        var read = new List<string>();
        using var source = importable.GetEnumerator();
        while (true)
        {
            var chosen = read.Where(p => !excluded.Contains(p)).ToList();
            while (chosen.Count < limit && source.MoveNext())
            {
                read.Add(source.Current);
                chosen.Add(source.Current);
            }
            if (chosen.Count == 0 || firstFailure(chosen) is not { } failing)
            {
                return chosen;
            }
            if (excluded.Count == MaxDropped)
            {
                throw new IOException($"workload many: {MaxDropped} packages dropped and {failing} still fails to import after the others");
            }
            excluded.Add(failing);
            dropped(failing);
        }
    }
}
