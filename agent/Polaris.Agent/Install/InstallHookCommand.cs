using Polaris.Agent.Cli;
using Polaris.Agent.Native;

namespace Polaris.Agent.Install;

/// <summary><c>polaris-agent install-hook --prefix ENV</c>, <c>uninstall-hook --prefix ENV</c> and
/// <c>install-hook --refresh</c>: the hook in an environment's site-packages (<see cref="HookInstallation"/>), and the
/// list of environments it went into (<see cref="HookRegistry"/>), which an upgrade of the package refreshes.</summary>
/// <remarks>
/// Python processes .pth files of site-packages whatever PYTHONPATH says, so this covers <c>python -I</c>,
/// <c>python -E</c> and venvs without system site-packages, where <c>run</c>'s PYTHONPATH cannot reach. Every command
/// is idempotent and says, folder by folder, what it did.
/// </remarks>
public static class InstallHookCommand
{
    private static readonly HashSet<string> Options = ["prefix", "registry"];

    /// <summary>Runs <c>install-hook</c> (<paramref name="uninstall"/> false) or <c>uninstall-hook</c>.</summary>
    public static int Execute(IReadOnlyList<string> args, TextWriter output, TextWriter error, bool uninstall)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var command = uninstall ? "uninstall-hook" : "install-hook";
        var options = new OptionReader(args, Options, new HashSet<string> { "uninstall", "refresh" });
        if (options.Operands.Count > 0)
        {
            throw new UsageException($"{command} takes no operands: '{options.Operands[0]}'");
        }
        var registry = new HookRegistry(options.Get("registry") is { } r ? Path.GetFullPath(r) : HookRegistry.DefaultPath);
        if (options.Has("refresh"))
        {
            return options.Get("prefix") is null && !uninstall && !options.Has("uninstall")
                ? Refresh(registry, output, error)
                : throw new UsageException("--refresh takes no --prefix: it updates every environment the registry lists");
        }
        uninstall |= options.Has("uninstall");
        var prefix = options.Get("prefix") ?? throw new UsageException($"{command} needs --prefix ENV");
        var installation = new HookInstallation(prefix);
        if (installation.Folders.Count == 0)
        {
            throw new UsageException($"no site-packages or dist-packages under {prefix}/lib/python3*: is it a Python environment?");
        }
        // As in the refresh: root writing into folders another user may change would follow that user's symlinks
        // (any file of root's rewritten and made world-readable), and the environment's Python, even a symlink to
        // root's own, would run that user's .pth files as root. Removing is left allowed: it only unlinks names.
        if (!uninstall && Libc.getuid() == 0 && installation.UnsafeForRoot() is { } reason)
        {
            error.WriteLine($"polaris-agent: will not install the hook into {installation.Prefix} as root: {reason}");
            return 1;
        }
        foreach (var line in uninstall ? installation.Uninstall() : installation.Install())
        {
            output.WriteLine(line);
        }
        Record(registry, installation.Prefix, !uninstall, output, error);
        return 0;
    }

    // The registry is root's: a user who installs into their own environment is told it will not be refreshed.
    private static void Record(HookRegistry registry, string prefix, bool listed, TextWriter output, TextWriter error)
    {
        try
        {
            if (registry.Set(prefix, listed))
            {
                output.WriteLine(listed ? $"listed {prefix} in {registry.Path}: package upgrades update its hook" : $"removed {prefix} from {registry.Path}");
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (listed)
            {
                error.WriteLine($"polaris-agent: could not list {prefix} in {registry.Path} ({e.Message}): package upgrades will not update its hook; run install-hook again after one");
            }
        }
    }

    // Updates the hook in every listed environment, each on its own: one gone or refused stops none of the others.
    // Exit 1 when any could not be updated, after saying where and why.
    private static int Refresh(HookRegistry registry, TextWriter output, TextWriter error)
    {
        int failed = 0;
        foreach (var prefix in registry.Prefixes())
        {
            string? problem;
            try
            {
                // Every look at the environment may fail (a stale NFS handle, EIO): that environment is named, not the
                // whole refresh stopped.
                var installation = new HookInstallation(prefix);
                problem = !Directory.Exists(prefix) ? "it no longer exists"
                    : installation.Folders.Count == 0 ? "it holds no site-packages"
                    : Libc.getuid() == 0 ? installation.UnsafeForRoot() : null;
                if (problem is null)
                {
                    foreach (var line in installation.Install())
                    {
                        output.WriteLine(line);
                    }
                    continue;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                problem = e.Message;
            }
            failed++;
            error.WriteLine($"polaris-agent: could not update the hook in {prefix}: {problem}");
        }
        return failed == 0 ? 0 : 1;
    }
}
