using Polaris.Testing;

namespace Polaris.EndToEnd.Tests;

/// <summary>Writes Python packages and their installer metadata into a folder, as pip or conda would leave them.</summary>
internal static class PythonPackage
{
    private static readonly Lazy<string> Version = new(() =>
        CommandResult.Run(RepoPaths.Python, ["-c", "import sys; print('%d.%d' % sys.version_info[:2])"]).StdoutText.Trim());

    /// <summary>The interpreter's <c>X.Y</c>, which names <c>lib/pythonX.Y</c>.</summary>
    public static string MajorMinor => Version.Value;

    /// <summary><c>PREFIX/lib/pythonX.Y/site-packages</c>, for an environment or a user base.</summary>
    public static string SitePackages(string prefix) => Path.Combine(prefix, "lib", "python" + MajorMinor, "site-packages");

    /// <summary>Creates the package <paramref name="name"/> (a folder with <c>__init__.py</c>) in <paramref name="folder"/>.</summary>
    public static string Create(string folder, string name, string version = "")
    {
        var package = Path.Combine(folder, name);
        Directory.CreateDirectory(package);
        var init = Path.Combine(package, "__init__.py");
        File.WriteAllText(init, version.Length > 0 ? $"__version__ = \"{version}\"\n" : "");
        return init;
    }

    /// <summary>Creates <c>NAME-VERSION.dist-info</c> with <c>METADATA</c> and <c>INSTALLER</c>, as pip writes them.</summary>
    public static string CreateDistInfo(string folder, string name, string version, string installer)
    {
        var distInfo = Path.Combine(folder, $"{name}-{version}.dist-info");
        Directory.CreateDirectory(distInfo);
        File.WriteAllText(Path.Combine(distInfo, "METADATA"), $"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n\nA long description.\n");
        File.WriteAllText(Path.Combine(distInfo, "INSTALLER"), installer + "\n");
        return distInfo;
    }
}
