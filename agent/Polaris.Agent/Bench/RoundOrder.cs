namespace Polaris.Agent.Bench;

/// <summary>The order configurations run in within one round.</summary>
/// <remarks>
/// Rotating the order each round puts every configuration first, second, ... equally often, so slow drift
/// of the machine (thermal state, page cache, a neighbour's job) and the cost of following a particular
/// predecessor fall on all configurations alike instead of on one.
/// </remarks>
public static class RoundOrder
{
    /// <summary><paramref name="items"/> rotated left by <paramref name="round"/> places.</summary>
    public static IReadOnlyList<T> Of<T>(IReadOnlyList<T> items, int round)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(round);
        if (items.Count == 0)
        {
            return [];
        }
        var shift = round % items.Count;
        return [.. items.Skip(shift), .. items.Take(shift)];
    }
}
