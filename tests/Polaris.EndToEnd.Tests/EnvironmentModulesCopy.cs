using System.Text.RegularExpressions;
using Polaris.Testing;

namespace Polaris.EndToEnd.Tests;

/// <summary>Debian's environment-modules package, from the folder scripts/setup-debian.sh unpacked it into (apt will
/// not install it beside lmod), copied with every path it was built with (its init scripts' modulecmd.tcl,
/// <c>/etc/environment-modules</c>, <c>/usr/share/modules</c>) pointed at the copy: each test has an initrc of its
/// own, as a site's /etc/environment-modules/initrc.</summary>
internal sealed class EnvironmentModulesCopy : IModuleSystem
{
    /// <summary>Where scripts/setup-debian.sh unpacks the package.</summary>
    public const string Unpacked = "/opt/environment-modules";

    private EnvironmentModulesCopy(string root)
    {
        Root = root;
    }

    public string Root { get; }

    /// <summary>The copy's initrc: what the first <c>module</c> command of a login runs, when nothing is loaded yet.</summary>
    public string InitRc => Path.Combine(Root, "etc", "environment-modules", "initrc");

    public string InitScript(string shell) => Path.Combine(Root, "usr", "share", "modules", "init", shell);

    public static EnvironmentModulesCopy Create(string root)
    {
        if (!File.Exists(Path.Combine(Unpacked, "usr", "share", "modules", "init", "bash")))
        {
            throw new InvalidOperationException($"Environment Modules is not unpacked in {Unpacked}: run scripts/setup-debian.sh");
        }
        var copy = CommandResult.Run("cp", ["-a", Unpacked + "/.", root]);
        if (copy.ExitCode != 0)
        {
            throw new InvalidOperationException("cannot copy Environment Modules: " + copy.StderrText);
        }
        // modulecmd.tcl lies in the machine's multiarch folder (/usr/lib/x86_64-linux-gnu on amd64).
        var command = Directory.GetFiles(Path.Combine(root, "usr", "lib"), "modulecmd.tcl", SearchOption.AllDirectories)
            .Single(f => !IsSymlink(f));
        var libraryFolder = "/" + Path.GetRelativePath(root, Path.GetDirectoryName(command)!);
        var builtPaths = new Regex($"({Regex.Escape(libraryFolder)}|/etc/environment-modules|/usr/share/modules)(?=[/'\"}}\\s]|$)", RegexOptions.Multiline);
        // Symlinks (init/.modulespath names /etc/environment-modules/modulespath) are left alone: not read, not written.
        var textFiles = Directory.GetFiles(Path.Combine(root, "usr", "share", "modules", "init"))
            .Concat(Directory.GetFiles(Path.Combine(root, "etc", "environment-modules")))
            .Where(f => !IsSymlink(f))
            .Append(command);
        foreach (var file in textFiles)
        {
            var text = File.ReadAllText(file);
            File.WriteAllText(file, builtPaths.Replace(text, m => root + m.Value));
        }
        return new EnvironmentModulesCopy(root);
    }

    private static bool IsSymlink(string file) => new FileInfo(file).LinkTarget != null;
}
