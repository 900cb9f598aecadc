using Polaris.Wire;

namespace Polaris.Collector.Aggregation;

/// <summary>Decides which top-level packages count as libraries a process used.</summary>
/// <remarks>
/// A library is the first component of a module name, excluding the standard library
/// (<c>sys.stdlib_module_names</c>), <c>__main__</c> and the interpreter's customisation hooks: the same
/// rule the shared fixtures' truth.json uses, so agent and importer counts compare.
/// </remarks>
public static class LibraryNames
{
    private static readonly HashSet<string> Excluded = LoadExcluded();

    /// <summary>The libraries among a summary's modules, in first-import order, each with the processes that
    /// imported any of its modules.</summary>
    /// <remarks>
    /// A library counts at most once per process: the member sets of all its entries (the package and its
    /// submodules, each from every file it came from, duplicated entries too) are united, an entry without a member
    /// list standing for every member. Adding the entries' counts instead let one process that listed a package from
    /// 5,000 files count 5,000 times.
    /// </remarks>
    public static IReadOnlyList<(string Library, int Processes)> Of(ProcessSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        int processes = summary.Processes;
        var members = new Dictionary<string, MemberSet>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var module in summary.Modules)
        {
            var top = module.TopLevel;
            if (!IsLibrary(top))
            {
                continue;
            }
            if (!members.TryGetValue(top, out var set))
            {
                order.Add(top);
                members.Add(top, set = new MemberSet(processes));
            }
            set.Add(module.Members);
        }
        return order.Select(l => (l, members[l].Count)).ToArray();
    }

    /// <summary>True when <paramref name="topLevel"/> is a third-party (or user) package, not the standard library.</summary>
    public static bool IsLibrary(string topLevel) =>
        topLevel.Length > 0 && !Excluded.Contains(topLevel) && !IsCythonInternal(topLevel) && !IsBuildConfiguration(topLevel);

    // sysconfig's per-platform data module (`_sysconfigdata__x86_64-linux-gnu`) is standard library under a name no list holds.
    private static bool IsBuildConfiguration(string topLevel) => topLevel.StartsWith("_sysconfigdata_", StringComparison.Ordinal);

    // Cython extension modules register `cython_runtime` and `_cython_X_Y_Z` in sys.modules: bookkeeping, not packages.
    private static bool IsCythonInternal(string topLevel) =>
        topLevel == "cython_runtime" || topLevel.StartsWith("_cython_", StringComparison.Ordinal);

    private static HashSet<string> LoadExcluded()
    {
        using var stream = typeof(LibraryNames).Assembly.GetManifestResourceStream("Polaris.Collector.stdlib-modules.txt")
            ?? throw new InvalidOperationException("the standard library list is missing from this build");
        using var reader = new StreamReader(stream);
        var names = new HashSet<string>(StringComparer.Ordinal) { "__main__", "__mp_main__", "sitecustomize", "usercustomize" };
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && line[0] != '#')
            {
                names.Add(line.Trim());
            }
        }
        return names;
    }
}
