namespace Polaris.EndToEnd.Tests;

/// <summary>The module systems the modulefiles are tested with, by name.</summary>
internal static class ModuleSystems
{
    public const string Lmod = "lmod";

    public const string EnvironmentModules = "environment-modules";

    /// <summary>The module system <paramref name="name"/>; Environment Modules as a copy in <paramref name="folder"/>.</summary>
    public static IModuleSystem Open(string name, string folder) => name switch
    {
        Lmod => new LmodSystem(),
        EnvironmentModules => EnvironmentModulesCopy.Create(folder),
        _ => throw new ArgumentException("no module system " + name, nameof(name)),
    };
}
