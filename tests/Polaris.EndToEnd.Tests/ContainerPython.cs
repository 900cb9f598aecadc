using Polaris.Testing;

namespace Polaris.EndToEnd.Tests;

/// <summary>A Python run as Apptainer runs a container's own: its root a tree of its own holding the host's /usr (the
/// image's interpreter) and, bound in as a site binds them, the hook folder at its own path and the drop folder at the
/// hook's default path (so that nothing inside sets POLARIS_AGENT_DROP); in a mount namespace of its own, and a PID and
/// user namespace as <see cref="ContainerMode"/> says. The user is nobody; PYTHONPATH is the hook folder and nothing
/// else of the host's environment comes in.</summary>
internal sealed class ContainerPython : IDisposable
{
    /// <summary>Where the hook looks when POLARIS_AGENT_DROP is unset, and where a site binds the host's drop folder.</summary>
    public const string DefaultDrop = "/var/spool/polaris-agent/incoming";

    // Run in the new namespaces, by root of them: mounts the host folders into the tree, and a proc of the container's
    // own PID namespace when it has one (this shell is its pid 1), as Apptainer mounts it.
    private const string Setup = """
        set -eu
        root=$1 hook=$2 drop=$3 user=$4; shift 4
        mount --rbind /usr "$root/usr"
        mount --bind "$hook" "$root$hook"
        mount --bind "$drop" "$root/var/spool/polaris-agent/incoming"
        if [ $$ -eq 1 ]; then mount -t proc proc "$root/proc"; else mount --rbind /proc "$root/proc"; fi
        [ "$user" = root ] || set -- /usr/bin/setpriv --reuid "$user" --regid "$user" --clear-groups "$@"
        exec chroot "$root" /usr/bin/env -i PYTHONPATH="$hook" "$@"
        """;

    private readonly TempDirectory _root = new("polaris-container");
    private readonly ContainerMode _mode;

    public ContainerPython(ContainerMode mode)
    {
        _mode = mode;
        // Made here, as root, so that the namespaces' root (nobody, in a user namespace) has only to mount.
        foreach (var folder in new[] { "usr", "proc", DefaultDrop[1..], Hook[1..] })
        {
            Directory.CreateDirectory(_root.Combine(folder));
        }
        foreach (var merged in new[] { "bin", "lib", "lib64", "sbin" })
        {
            File.CreateSymbolicLink(_root.Combine(merged), "usr/" + merged);
        }
        // Every folder in the tree 0755: the user looks paths up from its root.
        foreach (var folder in Directory.GetDirectories(_root.Path, "*", SearchOption.AllDirectories).Append(_root.Path))
        {
            File.SetUnixFileMode(folder, (UnixFileMode)Convert.ToInt32("755", 8));
        }
    }

    /// <summary>The built agent's hook folder, bound in at the same path.</summary>
    public static string Hook => Path.Combine(AgentBinary.Directory, "hook");

    /// <summary>Runs <c>python3 -c CODE</c> in the container, the host's <paramref name="drop"/> bound in, to its end.</summary>
    public CommandResult Run(string drop, string code)
    {
        var (file, arguments) = Command(drop, code);
        return CommandResult.Run(file, arguments);
    }

    /// <summary>Starts <c>python3 -c CODE</c> in the container and returns at once.</summary>
    public ChildProcess Start(string drop, string code)
    {
        var (file, arguments) = Command(drop, code);
        return ChildProcess.Start(file, arguments);
    }

    // --kill-child: the test stops a container it started by killing unshare; without it, the container's pid 1 (and
    // its Python) would run on, reparented, after the test.
    private (string File, string[] Arguments) Command(string drop, string code)
    {
        string[] inside = ["sh", "-c", Setup, "sh", _root.Path, Hook, drop];
        string[] python = ["/usr/bin/python3", "-c", code];
        string nobody = NobodyUser.Uid.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return _mode switch
        {
            ContainerMode.Setuid => ("unshare", ["--mount", .. inside, nobody, .. python]),
            ContainerMode.SetuidWithPid => ("unshare", ["--mount", "--pid", "--fork", "--kill-child", "--mount-proc", .. inside, nobody, .. python]),
            ContainerMode.UserNamespaceWithPid => ("setpriv", ["--reuid", nobody, "--regid", nobody, "--clear-groups",
                "unshare", "--user", "--map-root-user", "--mount", "--pid", "--fork", "--kill-child", "--mount-proc", .. inside, "root", .. python]),
            _ => throw new InvalidOperationException("no container mode " + _mode),
        };
    }

    public void Dispose() => _root.Dispose();
}
