using Polaris.Agent.Cli;
using Polaris.Agent.Run;

namespace Polaris.Agent.Install;

/// <summary><c>polaris-agent install-hook --prefix ENV [--uninstall]</c>: installs the hook into an environment's
/// site-packages as <c>_polaris_hook.py</c> plus a .pth file that imports it.</summary>
/// <remarks>
/// Python processes .pth files of site-packages whatever PYTHONPATH says, so this covers <c>python -I</c>,
/// <c>python -E</c> and venvs without system site-packages, where <c>run</c>'s PYTHONPATH cannot reach. The .pth
/// name sorts first, so the imports other .pth files make are timed too.
/// </remarks>
public static class InstallHookCommand
{
    /// <summary>Name of the .pth file.</summary>
    public const string PthName = "00-polaris-agent.pth";

    /// <summary>Name the hook module gets inside site-packages.</summary>
    public const string ModuleName = "_polaris_hook.py";

    private static readonly HashSet<string> Options = ["prefix", "uninstall"];

    // Every user of the environment runs the hook; a Python starting meanwhile sees no hook or a whole one.
    private const UnixFileMode WorldReadable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    public static int Execute(IReadOnlyList<string> args, TextWriter output)
    {
        var uninstall = args.Contains("--uninstall");
        var options = new OptionReader(args.Where(a => a != "--uninstall").ToArray(), Options);
        var prefix = options.Get("prefix") ?? throw new UsageException("install-hook needs --prefix ENV");
        var sitePackages = SitePackages(Path.GetFullPath(prefix));
        if (sitePackages.Count == 0)
        {
            throw new UsageException($"no site-packages or dist-packages under {prefix}/lib/python3*: is it a Python environment?");
        }
        var hook = HookFiles.Embedded();
        foreach (var folder in sitePackages)
        {
            if (uninstall)
            {
                // Say what was there: an admin checking a list of environments must not read "removed" for one
                // that never had the hook (a typo in a prefix would go unnoticed).
                var found = File.Exists(Path.Combine(folder, PthName)) | File.Exists(Path.Combine(folder, ModuleName));
                File.Delete(Path.Combine(folder, PthName));
                File.Delete(Path.Combine(folder, ModuleName));
                // The bytecode install compiled: left behind, it would outlive the hook it was made from.
                var cache = Path.Combine(folder, "__pycache__");
                if (Directory.Exists(cache))
                {
                    foreach (var compiled in Directory.GetFiles(cache, Path.GetFileNameWithoutExtension(ModuleName) + ".*.pyc"))
                    {
                        File.Delete(compiled);
                    }
                }
                output.WriteLine(found ? $"removed the hook from {folder}" : $"the hook was not installed in {folder}");
            }
            else
            {
                AtomicFile.Write(Path.Combine(folder, ModuleName), hook, WorldReadable);
                CompileWith(Path.Combine(Path.GetFullPath(prefix), "bin", "python3"), Path.Combine(folder, ModuleName));
                AtomicFile.Write(Path.Combine(folder, PthName), "import _polaris_hook\n"u8.ToArray(), WorldReadable);
                output.WriteLine($"installed the hook into {folder}");
            }
        }
        return 0;
    }

    /// <summary>The folders of an environment whose .pth files its Pythons run: <c>lib/python3.*/site-packages</c>,
    /// one per Python version it holds, and Debian's <c>lib/python3/dist-packages</c>, which every Debian
    /// <c>python3.X</c> of the prefix reads (<c>--prefix /usr</c> covers them all). A prefix with neither, such as
    /// Debian's <c>/usr/local</c>, gets its <c>lib/python3.X/dist-packages</c>, which Debian's <c>python3.X</c> reads.</summary>
    /// <remarks>Debian's <c>/usr/lib/python3.X/dist-packages</c> is read by the same interpreters as
    /// <c>/usr/lib/python3/dist-packages</c>: a second copy there would add nothing.</remarks>
    public static IReadOnlyList<string> SitePackages(string prefix)
    {
        var lib = Path.Combine(prefix, "lib");
        if (!Directory.Exists(lib))
        {
            return [];
        }
        var versions = Directory.GetDirectories(lib, "python3*");
        var folders = versions.Select(d => Path.Combine(d, "site-packages"))
            .Append(Path.Combine(lib, "python3", "dist-packages"))
            .Where(Directory.Exists)
            .ToArray();
        if (folders.Length == 0)
        {
            folders = versions.Select(d => Path.Combine(d, "dist-packages")).Where(Directory.Exists).ToArray();
        }
        return folders.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
    }

    // Every process of the environment would otherwise compile the hook (milliseconds) where no bytecode cache can be
    // written: a read-only prefix, or PYTHONDONTWRITEBYTECODE. Best effort: without the interpreter there is no cache.
    private static void CompileWith(string python, string module)
    {
        if (!File.Exists(python))
        {
            return;
        }
        using var compile = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(python, ["-m", "py_compile", module])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        });
        compile?.WaitForExit();
    }

}
