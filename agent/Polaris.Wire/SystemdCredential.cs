namespace Polaris.Wire;

/// <summary>Secrets systemd passes a service with <c>LoadCredential=</c>: files in <c>$CREDENTIALS_DIRECTORY</c>, readable by
/// the service's user alone, read by systemd as root from files only root may read.</summary>
/// <remarks>The units pair each <c>LoadCredential=NAME:/etc/...</c> with a blank <c>SetCredential=NAME:\n</c> (systemd
/// refuses an empty one), so that a secret the site has not made yet is no failure to start: systemd then passes a
/// blank file, which means "none configured", as a missing setting does. A token file an admin names in a setting is
/// never read this way: an empty one stays an error there.</remarks>
public static class SystemdCredential
{
    /// <summary>The variable systemd sets to the folder of the service's credentials.</summary>
    public const string DirectoryVariable = "CREDENTIALS_DIRECTORY";

    /// <summary>The file of credential <paramref name="name"/> when systemd passed one that is not blank; otherwise "".</summary>
    public static string PathOrNone(string name)
    {
        var directory = Environment.GetEnvironmentVariable(DirectoryVariable);
        if (string.IsNullOrEmpty(directory))
        {
            return "";
        }
        var file = Path.Combine(directory, name);
        try
        {
            using var stream = File.OpenRead(file);
            // A secret is a few hundred bytes: blank is the unit's default; past 4 KiB it is content, whatever it holds.
            var head = new byte[4096];
            int read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            return head.AsSpan(0, read).IndexOfAnyExcept(" \t\r\n"u8) >= 0 || stream.Length > read ? Path.GetFullPath(file) : "";
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return "";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Passed but unreadable: the setting names it, and reading it fails with a message that says so.
            return Path.GetFullPath(file);
        }
    }

    /// <summary>True when <paramref name="path"/> is a file of the credentials folder <paramref name="directory"/> (the
    /// value of <see cref="DirectoryVariable"/>; null or empty: none was passed).</summary>
    public static bool IsPassed(string path, string? directory)
    {
        ArgumentNullException.ThrowIfNull(path);
        return directory is { Length: > 0 }
            && string.Equals(Path.GetDirectoryName(Path.GetFullPath(path)), Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory)), StringComparison.Ordinal);
    }
}
