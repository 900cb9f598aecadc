using Polaris.Testing;

namespace Polaris.EndToEnd.Tests;

/// <summary>A root to install RPMs into with <c>rpm --root</c>, scriptlets and all, as an admin builds a node image:
/// this machine's own file system seen through an overlay, so that the scriptlets find a shell, Python,
/// systemd-sysusers and systemd-tmpfiles, while everything the transaction writes lands in a private upper folder
/// and this machine is left as it was. No systemd runs in it (an empty <c>/run</c>), as in an image build.</summary>
/// <remarks>Needs root, as rpm --root does.</remarks>
public sealed class ScratchRoot : IDisposable
{
    private readonly TempDirectory _folder = new("polaris-rpm-root");
    private readonly List<string> _mounts = [];

    public ScratchRoot()
    {
        Directory.CreateDirectory(_folder.Combine("upper"));
        Directory.CreateDirectory(_folder.Combine("work"));
        Directory.CreateDirectory(Root);
        try
        {
            Mount("-t", "overlay", "overlay", "-o", $"lowerdir=/,upperdir={_folder.Combine("upper")},workdir={_folder.Combine("work")}", Root);
            Mount("-t", "tmpfs", "tmpfs", Path("/run"));
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The root, as rpm's --root names it.</summary>
    public string Root => _folder.Combine("root");

    /// <summary>What the transactions wrote, and only that: the overlay's upper folder.</summary>
    public string Written => _folder.Combine("upper");

    /// <summary>A path inside the root.</summary>
    public string Path(string absolute) => Root + absolute;

    /// <summary>Runs rpm on this root, with a database of its own (the machine's would be seen through the overlay).</summary>
    public CommandResult Rpm(params string[] arguments) => CommandResult.Run("rpm", ["--root", Root, "--dbpath", "/var/lib/polaris-test-rpmdb", .. arguments]);

    /// <summary>The uid a user name has in the root's /etc/passwd, or null.</summary>
    public int? Uid(string user) =>
        File.ReadLines(Path("/etc/passwd")).Select(l => l.Split(':')).Where(f => f[0] == user).Select(f => (int?)int.Parse(f[2], System.Globalization.CultureInfo.InvariantCulture)).FirstOrDefault();

    private void Mount(params string[] arguments)
    {
        var result = CommandResult.Run("mount", arguments);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"mount {string.Join(' ', arguments)}: {result.StderrText}");
        }
        _mounts.Add(arguments[^1]);
    }

    public void Dispose()
    {
        // The last mount first: /run sits on the overlay. Lazily: a process a failed test left running in the root
        // must not keep it mounted.
        foreach (var target in Enumerable.Reverse(_mounts))
        {
            CommandResult.Run("umount", ["-l", target]);
        }
        // Deleting the folder while the overlay were still mounted would walk this machine's whole file system.
        if (!File.ReadLines("/proc/self/mounts").Any(l => l.Split(' ')[1] == Root))
        {
            _folder.Dispose();
        }
    }
}
