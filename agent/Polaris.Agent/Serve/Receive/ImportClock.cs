using System.Runtime.InteropServices;

namespace Polaris.Agent.Serve.Receive;

/// <summary>Reads a timed group's clock readings: a marshal tuple of starts, ends (seconds of the process's monotonic
/// clock) and thread ids, one per import or a single one for all.</summary>
/// <remarks>The hook reads <c>time.perf_counter()</c>, a float: cheaper for the program than the integer
/// nanoseconds, and within about a nanosecond of them for a clock that counts from boot (a double holds 15 to 16
/// significant digits).</remarks>
internal static class ImportClock
{
    /// <summary>Reads the intervals of the first <paramref name="keep"/> of <paramref name="count"/> imports into room
    /// taken from <paramref name="arena"/>; the rest are checked and passed over.</summary>
    /// <exception cref="FormatException">The readings are not the hook's tuple of <paramref name="count"/> imports.</exception>
    public static ArraySegment<ImportInterval> Read(ReadOnlySpan<byte> blob, int count, int keep, IntervalArena arena)
    {
        var reader = new MarshalReader(blob);
        if (reader.SequenceLength() != 3)
        {
            throw new FormatException("import times are not (starts, ends, threads)");
        }
        // The length is checked against the bytes left before any room is taken: a forged count allocates nothing.
        CheckLength(ref reader, count);
        // Straight into the arena: no column is copied, and nothing is allocated.
        var segment = arena.Take(keep);
        var times = segment.AsSpan();
        // Each interval is three longs (start, end, thread): floats go straight into their column; anything else
        // (an integer, or a value out of range, which then throws) takes the general path from there.
        var longs = MemoryMarshal.Cast<ImportInterval, long>(times);
        for (int i = reader.ReadNanoseconds(longs, keep, 3); i < keep; i++)
        {
            times[i].Start = Nanoseconds(reader.Number());
        }
        Skip(ref reader, count - keep);
        CheckLength(ref reader, count);
        for (int i = keep == 0 ? 0 : reader.ReadNanoseconds(longs[1..], keep, 3); i < keep; i++)
        {
            times[i].End = Nanoseconds(reader.Number());
        }
        Skip(ref reader, count - keep);
        int threads = reader.SequenceLength();
        if (threads != count && threads != 1)
        {
            throw new FormatException($"{threads} thread ids for {count} imports");
        }
        long thread = 0;
        for (int i = 0; i < keep; i++)
        {
            if (i < threads)
            {
                thread = reader.Integer();
            }
            times[i].Thread = thread;
        }
        return segment;
    }

    /// <summary>Passes over the readings of imports left out, checking that they are numbers in range.</summary>
    private static void Skip(ref MarshalReader reader, int count)
    {
        for (int i = 0; i < count; i++)
        {
            Nanoseconds(reader.Number());
        }
    }

    private static void CheckLength(ref MarshalReader reader, int count)
    {
        if (reader.SequenceLength() != count)
        {
            throw new FormatException($"import times do not match the {count} modules");
        }
    }

    // Rounded half away from zero by hand: Math.Round is a library call on the instruction set the daemon is built for.
    private static long Nanoseconds(double value) =>
        double.IsFinite(value) && Math.Abs(value) < 9e9 ? (long)((value * 1e9) + (value < 0 ? -0.5 : 0.5)) : throw new FormatException("an import time is out of range");
}
