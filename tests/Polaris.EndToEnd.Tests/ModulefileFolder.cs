using Polaris.Testing;

namespace Polaris.EndToEnd.Tests;

/// <summary>A folder for <c>module use</c> laid out as the package lays out /usr/share/modulefiles: the Lmod and Tcl
/// modulefiles of agent/modulefiles as <c>polaris-agent/VERSION.lua</c> and <c>polaris-agent/VERSION</c>, side by side,
/// with the installed hook folder replaced by the built agent's (artifacts/agent/hook).</summary>
internal sealed class ModulefileFolder
{
    /// <summary>The hook folder the package installs, as the modulefiles name it.</summary>
    public const string InstalledHook = "/usr/lib/polaris-agent/hook";

    private ModulefileFolder(string path, string version)
    {
        Path = path;
        Version = version;
    }

    /// <summary>The folder to <c>module use</c>.</summary>
    public string Path { get; }

    /// <summary>The agent's version, which names the modulefiles as the package's <c>%{version}</c> does.</summary>
    public string Version { get; }

    /// <summary>The hook folder the modulefiles put on PYTHONPATH here.</summary>
    public static string Hook => System.IO.Path.Combine(AgentBinary.Directory, "hook");

    public string LuaFile => System.IO.Path.Combine(Path, "polaris-agent", Version + ".lua");

    public string TclFile => System.IO.Path.Combine(Path, "polaris-agent", Version);

    public static ModulefileFolder Create(string path)
    {
        var version = CommandResult.Run(AgentBinary.FilePath, ["version"]).StdoutText.Trim();
        var folder = new ModulefileFolder(path, version);
        Directory.CreateDirectory(System.IO.Path.Combine(path, "polaris-agent"));
        Install("polaris-agent.lua", folder.LuaFile);
        Install("polaris-agent.tcl", folder.TclFile);
        return folder;
    }

    private static void Install(string source, string destination)
    {
        var text = File.ReadAllText(System.IO.Path.Combine(RepoPaths.Root, "agent", "modulefiles", source));
        // Named once, so that one replacement moves the whole modulefile; a second mention would be left pointing at
        // a folder this machine lacks, and the test would pass on the first alone.
        int first = text.IndexOf(InstalledHook, StringComparison.Ordinal);
        if (first < 0 || text.IndexOf(InstalledHook, first + 1, StringComparison.Ordinal) >= 0)
        {
            throw new InvalidOperationException($"{source} must name {InstalledHook} exactly once");
        }
        File.WriteAllText(destination, text.Replace(InstalledHook, Hook, StringComparison.Ordinal));
    }
}
