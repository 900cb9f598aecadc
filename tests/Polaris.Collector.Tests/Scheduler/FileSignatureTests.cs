using Polaris.Collector.Scheduler;
using Polaris.Testing;

namespace Polaris.Collector.Tests.Scheduler;

public class FileSignatureTests
{
    [Fact]
    public void A_signature_reads_what_dotnet_reports_and_the_inode_it_does_not()
    {
        using var folder = new TempDirectory();
        var path = folder.Combine("a.csv");
        File.WriteAllText(path, "a,A\n");
        var stamp = new DateTime(2025, 4, 14, 12, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(path, stamp);

        var signature = FileSignature.Of(path, out var error);

        Assert.Null(error);
        Assert.Equal((true, true, 4L), (signature.Exists, signature.IsRegularFile, signature.Size));
        Assert.Equal(new DateTimeOffset(stamp).ToUnixTimeSeconds() * 1_000_000_000, signature.Modified);
        Assert.Equal(signature, FileSignature.Of(path, out _));

        var other = folder.Combine("b.csv");
        File.WriteAllText(other, "b,B\n");
        File.SetLastWriteTimeUtc(other, stamp);
        File.Move(other, path, overwrite: true);
        var replaced = FileSignature.Of(path, out _);

        Assert.Equal((signature.Size, signature.Modified), (replaced.Size, replaced.Modified));
        Assert.NotEqual(signature.Inode, replaced.Inode);
    }

    [Fact]
    public void A_missing_file_has_no_signature_and_no_error_and_a_folder_is_no_regular_file()
    {
        using var folder = new TempDirectory();

        Assert.False(FileSignature.Of(folder.Combine("missing"), out var error).Exists);
        Assert.Null(error);
        Assert.Equal((true, false), (FileSignature.Of(folder.Path, out _).Exists, FileSignature.Of(folder.Path, out _).IsRegularFile));
    }
}
