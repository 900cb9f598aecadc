using Polaris.Testing;

namespace Polaris.Agent.Tests;

/// <summary><see cref="AtomicFile"/> in a folder others may add files to (a node exporter's textfile folder shared
/// with a group; an environment's site-packages): its temporary file must not be one they prepared.</summary>
public class AtomicFileTests
{
    [Fact]
    public void A_symlink_planted_under_the_temporary_name_is_not_followed()
    {
        using var dir = new TempDirectory();
        var victim = dir.Combine("victim");
        File.WriteAllText(victim, "secret\n");
        File.SetUnixFileMode(victim, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var path = dir.Combine("polaris_agent.prom");
        // The name the writer used to take: the file's, its pid (public in /proc), .tmp.
        File.CreateSymbolicLink($"{path}.{Environment.ProcessId}.tmp", victim);

        AtomicFile.Write(path, "new\n"u8.ToArray(), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        Assert.Equal("secret\n", File.ReadAllText(victim));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(victim));
        Assert.Equal("new\n", File.ReadAllText(path));
        Assert.Null(new FileInfo(path).LinkTarget);
    }
}
