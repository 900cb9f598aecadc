using Polaris.Agent.Native;
using Polaris.Agent.Run;

namespace Polaris.Agent.Install;

/// <summary>The hook in one environment: <c>_polaris_hook.py</c> and <c>00-polaris-agent.pth</c> in each folder of
/// site-packages its Pythons read. Installing again is a no-op when the files are current, so the command is safe to
/// repeat on every node and after every upgrade.</summary>
public sealed class HookInstallation(string prefix)
{
    /// <summary>Name of the .pth file.</summary>
    public const string PthName = "00-polaris-agent.pth";

    /// <summary>Name the hook module gets inside site-packages.</summary>
    public const string ModuleName = "_polaris_hook.py";

    private static readonly byte[] PthContent = "import _polaris_hook\n"u8.ToArray();

    // Every user of the environment runs the hook; a Python starting meanwhile sees no hook or a whole one.
    private const UnixFileMode WorldReadable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>The environment's prefix, absolute.</summary>
    public string Prefix { get; } = Path.GetFullPath(prefix);

    /// <summary>The folders the hook goes into (<see cref="SitePackages(string)"/>).</summary>
    public IReadOnlyList<string> Folders => SitePackages(Prefix);

    /// <summary>Installs or updates the hook in every folder; one line a folder says which.</summary>
    public IEnumerable<string> Install()
    {
        var hook = HookFiles.Embedded();
        var python = Path.Combine(Prefix, "bin", "python3");
        foreach (var folder in Folders)
        {
            var module = Path.Combine(folder, ModuleName);
            var pth = Path.Combine(folder, PthName);
            bool had = File.Exists(module);
            if (had && SameBytes(module, hook) && SameBytes(pth, PthContent) && Compiled(folder))
            {
                yield return $"the hook in {folder} is up to date";
                continue;
            }
            AtomicFile.Write(module, hook, WorldReadable);
            var compiled = Compile(python, module);
            AtomicFile.Write(pth, PthContent, WorldReadable);
            yield return (had ? $"updated the hook in {folder}" : $"installed the hook into {folder}") + (compiled is null ? "" : $" ({compiled})");
        }
    }

    /// <summary>Removes the hook from every folder; one line a folder says whether it was there.</summary>
    public IEnumerable<string> Uninstall()
    {
        foreach (var folder in Folders)
        {
            // Say what was there: an admin checking a list of environments must not read "removed" for one that never
            // had the hook (a typo in a prefix would go unnoticed).
            var found = File.Exists(Path.Combine(folder, PthName)) | File.Exists(Path.Combine(folder, ModuleName));
            File.Delete(Path.Combine(folder, PthName));
            File.Delete(Path.Combine(folder, ModuleName));
            // The bytecode install compiled: left behind, it would outlive the hook it was made from.
            foreach (var compiled in CompiledFiles(folder))
            {
                File.Delete(compiled);
            }
            yield return found ? $"removed the hook from {folder}" : $"the hook was not installed in {folder}";
        }
    }

    /// <summary>Why root should not write into this environment, or null: a folder of it, or on the way to it, that
    /// another user owns or may write to could be swapped (a symlink) between a check and a write, and its Python is
    /// that user's program (<see cref="RootOnlyPath"/>).</summary>
    public string? UnsafeForRoot()
    {
        // Every folder root lists (lib), writes into (site-packages, __pycache__) or passes (python3.X).
        var paths = new List<string> { Prefix, Path.Combine(Prefix, "lib") };
        foreach (var folder in Folders)
        {
            paths.AddRange([Path.GetDirectoryName(folder)!, folder, Path.Combine(folder, "__pycache__")]);
        }
        return paths.Distinct(StringComparer.Ordinal).Select(RootOnlyPath.Problem).FirstOrDefault(p => p != null) is { } problem
            ? problem + "; run install-hook as its owner"
            : null;
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

    private static bool SameBytes(string path, byte[] content)
    {
        try
        {
            return File.ReadAllBytes(path).AsSpan().SequenceEqual(content);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static string[] CompiledFiles(string folder)
    {
        var cache = Path.Combine(folder, "__pycache__");
        return Directory.Exists(cache) ? Directory.GetFiles(cache, Path.GetFileNameWithoutExtension(ModuleName) + ".*.pyc") : [];
    }

    // Up to date needs the bytecode too when the environment has a Python to make it: a prefix without one never has any.
    private bool Compiled(string folder) =>
        !File.Exists(Path.Combine(Prefix, "bin", "python3"))
        || CompiledFiles(folder).Any(f => File.GetLastWriteTimeUtc(f) >= File.GetLastWriteTimeUtc(Path.Combine(folder, ModuleName)));

    // Every process of the environment would otherwise compile the hook (milliseconds) where no bytecode cache can be
    // written: a read-only prefix, or PYTHONDONTWRITEBYTECODE. Best effort: without the interpreter there is no cache.
    // Returns why it was not compiled, or null (compiled, or nothing to compile with).
    private string? Compile(string python, string module)
    {
        if (!File.Exists(python))
        {
            return null;
        }
        // root runs no program another user could have changed, nor one a pyvenv.cfg of theirs points elsewhere
        // (its home= is where the interpreter takes its standard library from).
        string[] read = [python, Path.Combine(Prefix, "bin", "pyvenv.cfg"), Path.Combine(Prefix, "pyvenv.cfg")];
        if (Libc.getuid() == 0 && read.Any(p => RootOnlyPath.Problem(p) != null))
        {
            return $"not byte-compiled: {python} is not root's alone";
        }
        // -I: neither the working folder (root's shell may stand in /tmp) nor PYTHONPATH chooses what py_compile is;
        // -S: no .pth file of the environment runs, the hook's own included.
        System.Diagnostics.Process? compile;
        try
        {
            compile = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(python, ["-I", "-S", "-m", "py_compile", module])
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
            });
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            // Another architecture's environment on a shared file system, or a broken one: the hook is in place all the
            // same, and the refresh goes on to the next environment.
            return $"not byte-compiled: {python} did not start: {new System.ComponentModel.Win32Exception(e.NativeErrorCode).Message}";
        }
        using var started = compile;
        if (compile is null)
        {
            return $"not byte-compiled: {python} did not start";
        }
        compile.StandardOutput.ReadToEnd();
        var error = compile.StandardError.ReadToEnd();
        compile.WaitForExit();
        return compile.ExitCode == 0 ? null : $"not byte-compiled: {error.Trim().Split('\n')[^1]}";
    }
}
