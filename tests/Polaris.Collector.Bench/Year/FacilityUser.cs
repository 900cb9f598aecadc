using Polaris.Wire;

namespace Polaris.Collector.Bench.Year;

/// <summary>One user of the generated facility: a uid and name, a project, and one or two environments (a module table
/// each, with the import times its processes show).</summary>
internal sealed class FacilityUser
{
    private FacilityUser(int index, string project)
    {
        Uid = 20_000u + (uint)index;
        Name = $"u{index:D4}";
        Project = project;
    }

    public uint Uid { get; }

    public string Name { get; }

    public string Project { get; }

    /// <summary>The user's environments: one, or a base and a custom one used in turn.</summary>
    public List<UserEnvironment> Environments { get; } = [];

    public static FacilityUser Generate(int index, string project, ZipfSampler libraryPick, FacilityPopulation facility, Random random)
    {
        var user = new FacilityUser(index, project);
        // Every Python user imports NumPy's like: the head of the ranking comes with the tail the user draws.
        var libraries = new SortedSet<int> { 0 };
        int count = 4 + random.Next(26);
        while (libraries.Count < count)
        {
            libraries.Add(libraryPick.Next(random));
        }
        double kind = random.NextDouble();
        var kinds = kind < 0.45 ? [EnvironmentKind.BaseEnv]
            : kind < 0.80 ? [EnvironmentKind.CondaEnv]
            : kind < 0.92 ? [EnvironmentKind.Venv]
            : new[] { EnvironmentKind.BaseEnv, EnvironmentKind.CondaEnv };
        // A few users keep a library in their home directory, a few more in their user site: what the study looks for.
        int home = random.NextDouble() < 0.04 ? libraries.ElementAt(random.Next(libraries.Count)) : -1;
        int userSite = random.NextDouble() < 0.08 ? libraries.ElementAt(random.Next(libraries.Count)) : -1;
        foreach (var environmentKind in kinds)
        {
            user.Environments.Add(UserEnvironment.Build(user, environmentKind, libraries, home, userSite, facility, random));
        }
        return user;
    }
}
