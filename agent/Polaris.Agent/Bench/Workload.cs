namespace Polaris.Agent.Bench;

/// <summary>A command every configuration runs, timed from its start to its exit.</summary>
/// <param name="Name">Its name in the table: <c>one</c>, <c>many</c>, <c>cmd1</c>, ...</param>
/// <param name="Command">The program and its arguments, searched on PATH.</param>
/// <param name="Description">How the report's header explains it.</param>
public sealed record Workload(string Name, IReadOnlyList<string> Command, string Description)
{
    /// <summary>Whether each run is exactly one Python process, so the hook sends exactly one record; unknown for user commands.</summary>
    public bool OnePythonProcess { get; init; }

    /// <summary>The poster's one-library case: <c>python -c 'import numpy'</c>.</summary>
    public static Workload ImportOne(string python) =>
        new("one", [python, "-c", "import numpy"], $"{Path.GetFileName(python)} -c 'import numpy'") { OnePythonProcess = true };

    /// <summary>The poster's many-libraries case: one interpreter importing every package in <paramref name="packages"/>.</summary>
    public static Workload ImportMany(string python, IReadOnlyList<string> packages) =>
        new("many", [python, "-c", ImportScript(packages)],
            $"{Path.GetFileName(python)} -c 'import ...' of {packages.Count} packages") { OnePythonProcess = true };

    /// <summary>One <c>import</c> statement per line, so a traceback's line number names the package that failed.</summary>
    public static string ImportScript(IEnumerable<string> packages) => string.Join('\n', packages.Select(p => "import " + p));

    /// <summary>A command the user gave, run by <c>/bin/sh -c</c>.</summary>
    public static Workload Shell(string name, string command) =>
        new(name, ["/bin/sh", "-c", command], $"sh -c '{command}'");
}
