using Polaris.Wire;

namespace Polaris.Agent.Serve.Receive;

/// <summary>Arrays for the import times of records on their way from the receive stage to the aggregator, handed
/// back once the aggregator has folded them in.</summary>
/// <remarks>
/// A record of 600 modules carries 14 KB of times; at thousands of records a second, allocating them anew kept the
/// garbage collector busy clearing memory. Arrays are kept by their exact length (the records of one program have
/// one), and only as many as can be on their way at once, under as many lengths. Thread-safe.
/// </remarks>
internal static class ImportTimePool
{
    private const int MaxKept = 64;
    // Times kept in all: 64 arrays at a forged record's 16,384 modules would hold 24 MB; this keeps at most 6 MB.
    private const int MaxKeptTimes = 256 * 1024;
    private static readonly Lock s_lock = new();
    private static readonly Dictionary<int, Stack<ImportTime[]>> s_free = [];
    private static int s_kept;
    private static int s_keptTimes;

    /// <summary>The lengths the pool keeps a stack for: never more than the arrays it may keep.</summary>
    internal static int Lengths
    {
        get
        {
            lock (s_lock)
            {
                return s_free.Count;
            }
        }
    }

    /// <summary>An array of exactly <paramref name="length"/> times; its contents are left from its last use.</summary>
    public static ImportTime[] Rent(int length)
    {
        lock (s_lock)
        {
            if (s_free.TryGetValue(length, out var free) && free.Count > 0)
            {
                s_kept--;
                s_keptTimes -= length;
                return free.Pop();
            }
        }
        return new ImportTime[length];
    }

    /// <summary>Takes back the times of a record that nothing reads any more.</summary>
    public static void Return(IReadOnlyList<ImportTime> times)
    {
        if (times is not ImportTime[] { Length: > 0 } array)
        {
            return;
        }
        lock (s_lock)
        {
            if (s_kept >= MaxKept || s_keptTimes + array.Length > MaxKeptTimes)
            {
                return;
            }
            if (!s_free.TryGetValue(array.Length, out var free))
            {
                // Lengths none of whose arrays are kept go first: records of ever-new lengths (a user can write
                // them) would otherwise leave an empty stack behind for each.
                if (s_free.Count >= MaxKept)
                {
                    foreach (var (length, stack) in s_free)
                    {
                        if (stack.Count == 0)
                        {
                            s_free.Remove(length);
                        }
                    }
                }
                s_free[array.Length] = free = new Stack<ImportTime[]>();
            }
            free.Push(array);
            s_kept++;
            s_keptTimes += array.Length;
        }
    }
}
