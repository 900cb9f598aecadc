using Polaris.Wire;

namespace Polaris.Agent.Serve.Receive;

/// <summary>Works out import order, self times and the import phase from the start and end the hook noted per import.</summary>
/// <remarks>
/// The hook only reads the clock around each import, so that the program pays as little as possible. Imports in
/// one thread nest: an import that starts inside another's interval and on the same thread was caused by it.
/// Self time is the cumulative time less that of the imports nested directly inside; the import phase is the sum of
/// the outermost imports. Done here, in the daemon, it costs the program nothing. This runs for every record of
/// every process, so it works on arrays, sorts keys once, and reuses its scratch arrays on each thread. The ranks of a
/// job and the runs of a program import in the same order, so the last record's order is tried first
/// (<see cref="ImportOrder"/>): a check in one pass instead of a sort, and the same module list for every record.
/// </remarks>
internal static class ImportTiming
{
    [ThreadStatic]
    private static Scratch? t_scratch;

    /// <param name="groups">The groups as listed: each one's modules (null where the hook listed itself) and, for a
    /// timed group, each module's start, end (monotonic ns) and thread.</param>
    public static (ModuleImport[] Modules, ImportTime[] Times, long ImportNs) Of(List<ModuleGroup> groups)
    {
        int n = 0;
        foreach (var (columns, _) in groups)
        {
            n += columns.Modules.Length;
        }
        var s = t_scratch ??= new Scratch();
        s.Ensure(n);
        int count = Flatten(groups, s);
        var ordered = s.LastOrder.Fits(groups, s.Keys, count) ? s.LastOrder.Apply(s.Order) : SortAndRemember(groups, s, count);
        long importNs = Nest(s, count);
        var timesOf = ImportTimePool.Rent(count);
        for (int k = 0; k < count; k++)
        {
            int i = s.Order[k];
            var time = s.Times[i];
            timesOf[k] = time.IsTimed ? new ImportTime(time.End - time.Start, Math.Max(0, time.End - time.Start - s.Children[i])) : default;
        }
        return (ordered, timesOf, importNs);
    }

    /// <summary>Lists the imports' intervals and sort keys in listed order, leaving out the hook's own entries;
    /// returns how many there are.</summary>
    /// <remarks>Untimed modules (loaded before the hook) keep their listed order ahead of all timed ones, which go by
    /// the time each import began.</remarks>
    private static int Flatten(List<ModuleGroup> groups, Scratch s)
    {
        int count = 0;
        foreach (var (columns, times) in groups)
        {
            var modules = columns.Modules;
            var timed = times is { } segment ? segment.AsSpan() : default;
            for (int i = 0; i < modules.Length; i++)
            {
                if (modules[i] is null)
                {
                    continue;
                }
                var time = timed.IsEmpty ? default : timed[i];
                s.Times[count] = time;
                s.Keys[count] = time.IsTimed ? time.Start : long.MinValue + count;
                s.Order[count] = count;
                s.Children[count] = 0;
                count++;
            }
        }
        return count;
    }

    /// <summary>Sorts the imports by their keys and returns the modules in that order, remembered for the next record.</summary>
    private static ModuleImport[] SortAndRemember(List<ModuleGroup> groups, Scratch s, int count)
    {
        var listed = new ModuleImport[count];
        int at = 0;
        foreach (var (columns, _) in groups)
        {
            foreach (var module in columns.Modules)
            {
                if (module is not null)
                {
                    listed[at++] = module;
                }
            }
        }
        Array.Sort(s.Keys, s.Order, 0, count);
        var ordered = new ModuleImport[count];
        for (int k = 0; k < count; k++)
        {
            ordered[k] = listed[s.Order[k]];
        }
        s.LastOrder.Remember(groups, s.Order, ordered);
        return ordered;
    }

    /// <summary>Adds each import's time to the import it ran inside, in start order; returns the outermost imports' sum.</summary>
    private static long Nest(Scratch s, int count)
    {
        long importNs = 0;
        Dictionary<long, OpenImports>? others = null;
        // The first thread's open imports are kept at hand: one thread is the common case, and needs no look-up.
        var main = s.Main;
        main.Depth = 0;
        bool first = true;
        long mainThread = 0;
        for (int k = 0; k < count; k++)
        {
            int i = s.Order[k];
            var (start, end, thread) = s.Times[i];
            if (end <= start)
            {
                continue; // not timed
            }
            if (first)
            {
                first = false;
                mainThread = thread;
            }
            OpenImports? open = main;
            if (thread != mainThread && !(others ??= []).TryGetValue(thread, out open))
            {
                others[thread] = open = new OpenImports(count);
            }
            importNs += open.Enter(i, start, end, s.Times, s.Children);
        }
        return importNs;
    }

    /// <summary>One thread's imports still open at the current start time, innermost last.</summary>
    private sealed class OpenImports(int capacity)
    {
        public int[] Items = new int[capacity];
        public int Depth;

        /// <summary>Closes the imports that ended before <paramref name="start"/>, charges this import to the one it
        /// ran inside, and opens it; returns its time when it is outermost, else 0.</summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        public long Enter(int i, long start, long end, ImportInterval[] times, long[] children)
        {
            // On locals: the loop runs for every import of every record.
            var items = Items;
            int depth = Depth;
            while (depth > 0 && times[items[depth - 1]].End <= start)
            {
                depth--;
            }
            long outermost = 0;
            if (depth > 0)
            {
                children[items[depth - 1]] += end - start;
            }
            else
            {
                outermost = end - start;
            }
            items[depth] = i;
            Depth = depth + 1;
            return outermost;
        }
    }

    private sealed class Scratch
    {
        public ImportInterval[] Times = [];
        public long[] Keys = [];
        public int[] Order = [];
        public long[] Children = [];
        public OpenImports Main = new(0);
        public readonly ImportOrder LastOrder = new();

        public void Ensure(int n)
        {
            if (Keys.Length >= n)
            {
                return;
            }
            int size = Math.Max(n, 2 * Keys.Length);
            Times = new ImportInterval[size];
            Keys = new long[size];
            Order = new int[size];
            Children = new long[size];
            Main = new OpenImports(size);
        }
    }
}
