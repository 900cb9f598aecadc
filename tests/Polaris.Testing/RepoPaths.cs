namespace Polaris.Testing;

/// <summary>Where things are in this repository, found from the running test assembly.</summary>
public static class RepoPaths
{
    /// <summary>The folder holding Polaris.Agent.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>Build configuration the tests were built in (Debug or Release); the collector is built alike.</summary>
    public static string Configuration { get; } =
        typeof(RepoPaths).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyConfigurationAttribute), false)
            .OfType<System.Reflection.AssemblyConfigurationAttribute>().FirstOrDefault()?.Configuration ?? "Debug";

    /// <summary>Debian's interpreter, which sees apt's python3-* packages.</summary>
    public const string Python = "/usr/bin/python3";

    /// <summary>The shared fixtures folder beside the repository (../shared/fixtures), as CI lays it out.</summary>
    public static string SharedFixtures => Path.GetFullPath(Path.Combine(Root, "..", "shared", "fixtures"));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Polaris.Agent.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("cannot find Polaris.Agent.sln above " + AppContext.BaseDirectory);
    }
}
