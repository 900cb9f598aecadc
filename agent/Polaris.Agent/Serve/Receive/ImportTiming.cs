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

    /// <param name="groups">The groups as listed: each one's modules (null where the hook listed itself), how many of
    /// its first ones were loaded at start-up, and, for a timed group, each module's start, end (monotonic ns) and
    /// thread.</param>
    /// <returns>The modules in import order, a name listed once (the first import kept), their times (with whether
    /// each was a start-up one), the import phase, and what was clipped: names listed again, and import times past
    /// <see cref="SummaryBounds.MaxImportNs"/>.</returns>
    /// <remarks>Start-up modules are not always a prefix of that order: the untimed modules of the exit frame (never
    /// imported: aliases, entries set by hand) go ahead of every timed one, start-up imports included. So each time
    /// carries its own flag.</remarks>
    public static (ModuleImport[] Modules, ImportTime[] Times, long ImportNs, Clips Clipped) Of(List<ModuleGroup> groups)
    {
        int n = 0;
        foreach (var (columns, _) in groups)
        {
            n += columns.Modules.Length;
        }
        var s = t_scratch ??= new Scratch();
        s.Ensure(n);
        int count = Flatten(groups, s);
        var ordered = s.LastOrder.Fits(groups, s.Keys, count) ? s.LastOrder.Apply(s.Order, s.Kept) : SortAndRemember(groups, s, count);
        // Every import nests (a module imported again took its time); only the kept ones (s.Kept) are listed.
        long importNs = Nest(s, count, out int timesClipped);
        int kept = ordered.Length;
        var timesOf = ImportTimePool.Rent(kept);
        for (int k = 0; k < kept; k++)
        {
            int i = s.Kept[k];
            var time = s.Times[i];
            timesOf[k] = (time.IsTimed ? new ImportTime(time.End - time.Start, Math.Max(0, time.End - time.Start - s.Children[i])) : default)
                with { Startup = s.Startup[i] };
        }
        return (ordered, timesOf, importNs, new Clips(s.LastOrder.Clipped, 0, 0, timesClipped));
    }

    /// <summary>Lists the imports' intervals, sort keys and whether each was a start-up one in listed order, leaving
    /// out the hook's own entries; returns how many there are.</summary>
    /// <remarks>Untimed modules (loaded before the hook) keep their listed order ahead of all timed ones, which go by
    /// the time each import began.</remarks>
    private static int Flatten(List<ModuleGroup> groups, Scratch s)
    {
        int count = 0;
        foreach (var group in groups)
        {
            var modules = group.Columns.Modules;
            var timed = group.Times is { } segment ? segment.AsSpan() : default;
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
                s.Startup[count] = i < group.Startup;
                count++;
            }
        }
        return count;
    }

    /// <summary>Sorts the imports by their keys and returns the modules in that order, each name once (its first
    /// import), remembered for the next record; leaves the sorted order in <c>s.Order</c> and the kept imports'
    /// in <c>s.Kept</c>.</summary>
    /// <remarks>A real record may list a name again from the same file (a module imported again after a program took
    /// it out of <c>sys.modules</c>; Debian's chained <c>sitecustomize</c>): that is one module, and the summary
    /// counted it once already. The same name from another file only a forged record has: it is counted as clipped,
    /// as a library counts once per process.</remarks>
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
        s.LastOrder.RememberOrder(groups, s.Order, count);
        var files = new Dictionary<string, string>(count, StringComparer.Ordinal);
        var ordered = new List<ModuleImport>(count);
        int clipped = 0;
        for (int k = 0; k < count; k++)
        {
            int i = s.Order[k];
            var module = listed[i];
            if (files.TryAdd(module.Name, module.File))
            {
                s.Kept[ordered.Count] = i;
                ordered.Add(module);
            }
            else if (files[module.Name] != module.File)
            {
                clipped++;
            }
        }
        var modules = ordered.ToArray();
        s.LastOrder.RememberKept(s.Kept, modules, clipped);
        return modules;
    }

    /// <summary>Adds each import's time to the import it ran inside, in start order; returns the outermost imports' sum.</summary>
    /// <remarks>An import longer than <see cref="SummaryBounds.MaxImportNs"/> (a forged clock reading: two readings
    /// within range may be 1.8e19 ns apart, past a long) is cut to it first, and counted in <paramref name="clipped"/>:
    /// so no sum below can overflow.</remarks>
    private static long Nest(Scratch s, int count, out int clipped)
    {
        clipped = 0;
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
            if ((ulong)(end - start) > SummaryBounds.MaxImportNs)
            {
                end = start + SummaryBounds.MaxImportNs;
                s.Times[i].End = end;
                clipped++;
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
        public int[] Kept = [];
        public long[] Children = [];
        public bool[] Startup = [];
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
            Kept = new int[size];
            Children = new long[size];
            Startup = new bool[size];
            Main = new OpenImports(size);
        }
    }
}
