namespace Polaris.Collector.Import;

/// <summary>The environment variables an imported record may keep: the agent's hook's allowlist, read from the hook
/// itself (embedded in this build), so that an import keeps exactly what the agent would have let leave a process.</summary>
/// <remarks>
/// The list lives once, in the hook (<c>agent/Polaris.Agent/Hook/sitecustomize.py</c>, <c>_ALLOWED_VARIABLES</c>):
/// a Python file the agent installs on nodes, which cannot read a C# constant. Copying it here would let the two
/// drift; reading it from the embedded hook cannot. A hook whose list this cannot find fails the type's first use
/// (and the tests), not an import that would then keep nothing or everything.
/// </remarks>
public static class AllowedVariables
{
    private const string ResourceName = "Polaris.Collector.hook-sitecustomize.py";
    private const string Assignment = "_ALLOWED_VARIABLES = (";

    /// <summary>The allowlisted names, in the hook's order.</summary>
    public static IReadOnlyList<string> Names { get; } = Load();

    private static readonly HashSet<string> Set = new(Names, StringComparer.Ordinal);

    /// <summary>True when a process's variable <paramref name="name"/> may be kept.</summary>
    public static bool Contains(string name) => Set.Contains(name);

    // The assignment is a parenthesised run of byte-string literals, one or more a line, with comment lines between:
    // `    b" PALS_RANKID PMI_RANK"`. Only that shape is read; anything else in the parentheses is an error.
    private static string[] Load()
    {
        using var stream = typeof(AllowedVariables).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException("the hook is missing from this build");
        using var reader = new StreamReader(stream);
        var names = new List<string>();
        bool inside = false;
        while (reader.ReadLine() is { } line)
        {
            var text = line.Trim();
            if (!inside)
            {
                inside = text.StartsWith(Assignment, StringComparison.Ordinal);
                continue;
            }
            if (text == ")")
            {
                return names.Count > 0 ? [.. names] : throw new InvalidOperationException("the hook's allowlist is empty");
            }
            if (text.Length == 0 || text[0] == '#')
            {
                continue;
            }
            if (!text.StartsWith("b\"", StringComparison.Ordinal) || !text.EndsWith('"') || text.Length < 3)
            {
                throw new InvalidOperationException("the hook's allowlist has a line this reader does not know");
            }
            names.AddRange(text[2..^1].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        }
        throw new InvalidOperationException("the hook's allowlist was not found");
    }
}
