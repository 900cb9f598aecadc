using Polaris.Agent.Cli;
using Polaris.Agent.Serve.Ship;
using Polaris.Testing;

namespace Polaris.Agent.Tests;

/// <summary>The daemon's token file: private to the daemon's user, or systemd's credential, which is private to the
/// service whatever its mode bits say.</summary>
public class BearerTokenTests
{
    // As systemd writes a credential where its file system takes ACLs (tmpfs, which systemd 255 and later mount for
    // credentials): root's, mode 0400, and an ACL entry that lets the service's user read it. The ACL's mask shows in
    // the group bits: ls says 0440.
    private static string CredentialFolderWithToken(TempDirectory dir, string token)
    {
        var credentials = Directory.CreateDirectory(dir.Combine("credentials")).FullName;
        var file = Path.Combine(credentials, "token");
        File.WriteAllText(file, token + "\n");
        File.SetUnixFileMode(file, UnixFileMode.UserRead);
        var acl = CommandResult.Run("setfacl", ["-m", "u:65534:r", file]);
        Assert.True(acl.ExitCode == 0, acl.StderrText);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.GroupRead, File.GetUnixFileMode(file));
        return credentials;
    }

    [Fact]
    public void A_token_systemd_passed_with_an_ACL_is_read()
    {
        using var dir = new TempDirectory();
        var credentials = CredentialFolderWithToken(dir, "secret-1");
        var token = new BearerToken(Path.Combine(credentials, "token"), credentials);

        token.Load();

        Assert.Equal("secret-1", token.Value);
    }

    [Fact]
    public void The_same_file_named_outside_the_service_s_credentials_is_refused()
    {
        using var dir = new TempDirectory();
        var credentials = CredentialFolderWithToken(dir, "secret-1");
        var token = new BearerToken(Path.Combine(credentials, "token"), credentialsDirectory: null);

        var refused = Assert.Throws<UsageException>(token.Load);

        Assert.Contains("may be read or written by other users (mode 440)", refused.Message, StringComparison.Ordinal);
    }
}
