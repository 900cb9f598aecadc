using Polaris.Agent.Cli;

namespace Polaris.Agent.Serve.Ship;

/// <summary>The token the daemon shows the collector, read from a file only the daemon's user may read.</summary>
/// <remarks>
/// A token readable by anyone on a compute node lets any user forge batches, so a file that group or others can
/// read, or that another user owns, stops start-up. The file is read again when the collector answers 401 or 403,
/// so a rotated token takes effect without a restart.
/// </remarks>
public sealed class BearerToken(string path, string? credentialsDirectory)
{
    private string _value = "";

    /// <summary>The token; empty when none is configured.</summary>
    public string Value => _value;

    /// <summary>Reads the file, checking who may read it.</summary>
    /// <exception cref="UsageException">The file is unsafe, unreadable or empty.</exception>
    public void Load()
    {
        if (path.Length == 0)
        {
            return;
        }
        try
        {
            if (!PassedBySystemd())
            {
                CheckPrivate();
            }
            var token = File.ReadAllText(path).Trim();
            _value = token.Length > 0 && !token.Any(char.IsWhiteSpace)
                ? token
                : throw new UsageException($"setting 'tokenFile': {path} must hold one token");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"setting 'tokenFile': {e.Message}");
        }
    }

    // A credential of this service's is private to it whatever its mode says: systemd makes the folder readable by the
    // service's user alone and mounts it read-only. On a file system with ACLs (the tmpfs systemd 255 and later mount
    // for credentials) the file is root's, 0400, with an ACL entry for the service's user, whose mask shows in the group
    // bits (0440): the check below would refuse it, and the daemon would never start once the site made its token.
    private bool PassedBySystemd() => Wire.SystemdCredential.IsPassed(path, credentialsDirectory);

    private void CheckPrivate()
    {
        var mode = File.GetUnixFileMode(path);
        const UnixFileMode shared = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;
        if ((mode & shared) != 0)
        {
            throw new UsageException($"setting 'tokenFile': {path} may be read or written by other users (mode {Convert.ToString((int)mode, 8)}); chmod 600 it");
        }
        // root's file is no other user's: a daemon run as root, and a file systemd passed by ownership (ramfs).
        if (Native.FileStatus.Of(path) is { } status && status.Uid != Native.Libc.getuid() && status.Uid != 0)
        {
            throw new UsageException($"setting 'tokenFile': {path} belongs to uid {status.Uid}, not to the daemon's user or root");
        }
    }
}
