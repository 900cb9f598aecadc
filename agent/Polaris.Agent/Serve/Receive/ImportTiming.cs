using Polaris.Wire;

namespace Polaris.Agent.Serve.Receive;

/// <summary>Works out import order, self times and the import phase from the start and end the hook noted per import.</summary>
/// <remarks>
/// The hook only reads the clock around each import, so that the program pays as little as possible. Imports in
/// one thread nest: an import that starts inside another's interval and on the same thread was caused by it.
/// Self time is the cumulative time less that of the imports nested directly inside; the import phase is the sum of
/// the outermost imports. Done here, in the daemon, it costs the program nothing.
/// </remarks>
internal static class ImportTiming
{
    public static (IReadOnlyList<ModuleImport> Modules, long ImportNs) Of(IReadOnlyList<TimedImport> imports)
    {
        // Import order: modules loaded before the hook first, in sys.modules order, then by the time each import began.
        var ordered = imports.ToArray();
        Array.Sort(ordered, static (a, b) =>
            (a.IsTimed ? a.Start : long.MinValue).CompareTo(b.IsTimed ? b.Start : long.MinValue) is var byStart and not 0 ? byStart : a.Seen.CompareTo(b.Seen));
        var children = new long[ordered.Length];
        long importNs = 0;
        var open = new Dictionary<long, Stack<int>>();
        for (int i = 0; i < ordered.Length; i++)
        {
            var import = ordered[i];
            if (!import.IsTimed)
            {
                continue;
            }
            if (!open.TryGetValue(import.Thread, out var stack))
            {
                open[import.Thread] = stack = new Stack<int>();
            }
            while (stack.Count > 0 && ordered[stack.Peek()].End <= import.Start)
            {
                stack.Pop();
            }
            if (stack.Count > 0)
            {
                children[stack.Peek()] += import.Cumulative;
            }
            else
            {
                importNs += import.Cumulative;
            }
            stack.Push(i);
        }
        var modules = new ModuleImport[ordered.Length];
        for (int i = 0; i < ordered.Length; i++)
        {
            var import = ordered[i];
            modules[i] = import.IsTimed
                ? import.Module with { CumulativeNs = import.Cumulative, SelfNs = Math.Max(0, import.Cumulative - children[i]) }
                : import.Module;
        }
        return (modules, importNs);
    }
}
