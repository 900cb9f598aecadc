namespace Polaris.EndToEnd.Tests;

/// <summary>Debian's lmod package, as installed by scripts/setup-debian.sh.</summary>
internal sealed class LmodSystem : IModuleSystem
{
    public string InitScript(string shell) => Path.Combine("/usr/share/lmod/lmod/init", shell);
}
