using System.Runtime.InteropServices;
using Polaris.Wire;

namespace Polaris.Agent.Serve.Receive;

/// <summary>Works out import order, self times and the import phase from the start and end the hook noted per import.</summary>
/// <remarks>
/// The hook only reads the clock around each import, so that the program pays as little as possible. Imports in
/// one thread nest: an import that starts inside another's interval and on the same thread was caused by it.
/// Self time is the cumulative time less that of the imports nested directly inside; the import phase is the sum of
/// the outermost imports. Done here, in the daemon, it costs the program nothing. Arrays and one sort of keys: this
/// runs for every record of every process.
/// </remarks>
internal static class ImportTiming
{
    /// <param name="modules">The modules as listed (untimed ones have a zero interval).</param>
    /// <param name="times">Each module's start, end (monotonic ns) and thread, in the same order.</param>
    public static (ModuleImport[] Modules, ImportTime[] Times, long ImportNs) Of(List<ModuleImport> modules, List<(long Start, long End, long Thread)> times)
    {
        int n = modules.Count;
        var listed = CollectionsMarshal.AsSpan(times);
        // Import order: modules loaded before the hook first, as listed, then by the time each import began.
        var keys = new long[n];
        var order = new int[n];
        for (int i = 0; i < n; i++)
        {
            keys[i] = IsTimed(listed[i]) ? listed[i].Start : long.MinValue + i;
            order[i] = i;
        }
        Array.Sort(keys, order);
        var children = new long[n];
        long importNs = 0;
        Dictionary<long, Stack<int>>? threads = null;
        Stack<int>? mainStack = null;
        long mainThread = 0;
        foreach (int i in order)
        {
            var (start, end, thread) = listed[i];
            if (end <= start)
            {
                continue;
            }
            // One thread is the common case: its stack needs no look-up.
            Stack<int> stack;
            if (mainStack == null)
            {
                mainStack = stack = new Stack<int>();
                mainThread = thread;
            }
            else if (thread == mainThread)
            {
                stack = mainStack;
            }
            else
            {
                threads ??= [];
                if (!threads.TryGetValue(thread, out stack!))
                {
                    threads[thread] = stack = new Stack<int>();
                }
            }
            while (stack.Count > 0 && listed[stack.Peek()].End <= start)
            {
                stack.Pop();
            }
            if (stack.Count > 0)
            {
                children[stack.Peek()] += end - start;
            }
            else
            {
                importNs += end - start;
            }
            stack.Push(i);
        }
        var ordered = new ModuleImport[n];
        var timesOf = new ImportTime[n];
        for (int k = 0; k < n; k++)
        {
            int i = order[k];
            var (start, end, _) = listed[i];
            long cumulative = end - start;
            ordered[k] = modules[i];
            timesOf[k] = cumulative > 0 ? new ImportTime(cumulative, Math.Max(0, cumulative - children[i])) : default;
        }
        return (ordered, timesOf, importNs);
    }

    private static bool IsTimed((long Start, long End, long Thread) time) => time.End > time.Start;
}
