using Polaris.Agent.Cli;

namespace Polaris.Agent.Serve.Ship;

/// <summary>The token the daemon shows the collector, read from a file only the daemon's user may read.</summary>
/// <remarks>
/// A token readable by anyone on a compute node lets any user forge batches, so a file that group or others can
/// read, or that another user owns, stops start-up. The file is read again when the collector answers 401 or 403,
/// so a rotated token takes effect without a restart.
/// </remarks>
public sealed class BearerToken(string path)
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
            var mode = File.GetUnixFileMode(path);
            const UnixFileMode shared = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;
            if ((mode & shared) != 0)
            {
                throw new UsageException($"setting 'tokenFile': {path} may be read or written by other users (mode {Convert.ToString((int)mode, 8)}); chmod 600 it");
            }
            // root's file is no other user's: systemd's credentials, and a daemon run as root.
            if (Native.FileStatus.Of(path) is { } status && status.Uid != Native.Libc.getuid() && status.Uid != 0)
            {
                throw new UsageException($"setting 'tokenFile': {path} belongs to uid {status.Uid}, not to the daemon's user or root");
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
}
