using Polaris.Testing;

namespace Polaris.EndToEnd.Tests;

/// <summary>A real venv made by Debian's interpreter (<c>python3 -m venv --without-pip</c>).</summary>
internal static class VirtualEnvironment
{
    /// <summary>Creates a venv at <paramref name="prefix"/> and returns its site-packages folder.</summary>
    public static string Create(string prefix, bool systemSitePackages = false)
    {
        var result = CommandResult.Run(RepoPaths.Python, ["-m", "venv", "--without-pip", .. systemSitePackages ? ["--system-site-packages"] : Array.Empty<string>(), prefix]);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"python3 -m venv {prefix} failed:\n{result.StderrText}");
        }
        return PythonPackage.SitePackages(prefix);
    }

    /// <summary>The environment's interpreter.</summary>
    public static string Python(string prefix) => Path.Combine(prefix, "bin", "python");
}
