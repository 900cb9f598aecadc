using System.Globalization;

namespace Polaris.Collector.Import;

/// <summary>The MPI rank of an imported process, from its kept variables.</summary>
/// <remarks>The agent's order (<c>JobContextReader</c>): the launcher closest to the process first; PALS sets
/// <c>PMI_RANK</c> too, and the two agree on Polaris.</remarks>
internal static class ImportedRank
{
    private static readonly string[] Variables = ["PALS_RANKID", "PMI_RANK", "OMPI_COMM_WORLD_RANK", "PMIX_RANK", "SLURM_PROCID"];

    /// <summary>The first variable that holds a rank (a number from 0), or -1.</summary>
    public static int Of(IReadOnlyDictionary<string, string> variables)
    {
        foreach (var name in Variables)
        {
            if (variables.TryGetValue(name, out var text)
                && int.TryParse(text.AsSpan().Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int rank))
            {
                return rank;
            }
        }
        return -1;
    }
}
