using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Polaris.Collector.Import;
using Polaris.Testing;
using ZstdSharp;

namespace Polaris.Collector.Tests.Import;

/// <summary>Every form an import's inputs come in gives the same records; hostile inputs are skipped with a reason.</summary>
public class ImportInputsTests
{
    [Fact]
    public void An_archive_its_unpacked_tree_and_tar_gz_tar_gz_zst_and_plain_copies_give_the_same_records()
    {
        using var folder = new TempDirectory();
        foreach (var (archive, read) in new (string, Func<string[], (List<ImportedProcess>, ImportTally)>)[]
            { (ImportFixtures.XaltArchive, ImportFixtures.Xalt), (ImportFixtures.PmsArchive, ImportFixtures.Pms) })
        {
            var tree = folder.Combine(Path.GetFileName(archive) + ".tree");
            ImportFixtures.Unpack(archive, tree);
            var tar = folder.Combine(Path.GetFileName(archive) + ".tar");
            TarFile.CreateFromDirectory(tree, tar, includeBaseDirectory: false);
            var tarGz = folder.Combine(Path.GetFileName(archive) + ".tgz");
            using (var output = File.Create(tarGz))
            using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
            {
                TarFile.CreateFromDirectory(tree, gzip, includeBaseDirectory: false);
            }
            var compressed = folder.Combine(Path.GetFileName(archive) + ".files");
            CompressEachFile(tree, compressed);

            var (expected, _) = read([archive]);
            Assert.NotEmpty(expected);
            foreach (var form in new[] { tree, tar, tarGz, compressed })
            {
                var (processes, tally) = read([form]);
                Assert.Equal(ImportFixtures.DescribeAll(expected), ImportFixtures.DescribeAll(processes));
                Assert.Empty(tally.Skipped);
            }
        }
    }

    [Fact]
    public void A_folder_is_walked_in_ordinal_order_without_following_symbolic_links()
    {
        using var folder = new TempDirectory();
        using var outside = new TempDirectory();
        Directory.CreateDirectory(folder.Combine("b"));
        File.WriteAllText(folder.Combine("b", "2"), "x");
        File.WriteAllText(folder.Combine("B"), "x");
        File.WriteAllText(folder.Combine("a"), "x");
        File.WriteAllText(folder.Combine("b", "1"), "x");
        File.WriteAllText(folder.Combine("empty"), "");
        File.WriteAllText(outside.Combine("secret"), "x");
        File.CreateSymbolicLink(folder.Combine("link-to-file"), outside.Combine("secret"));
        Directory.CreateSymbolicLink(folder.Combine("link-to-folder"), outside.Path);
        Directory.CreateSymbolicLink(folder.Combine("b", "loop"), folder.Path);
        var tally = new ImportTally();

        var names = new ImportInputs(tally).Walk([folder.Path, folder.Combine("missing")]).Select(e => Path.GetRelativePath(folder.Path, e.Name)).ToList();

        Assert.Equal(["B", "a", Path.Combine("b", "1"), Path.Combine("b", "2")], names);
        Assert.Equal(3, tally.Skipped["symbolic link in a folder (not followed)"]);
        Assert.Equal(1, tally.Skipped["empty file or not a regular file"]);
        Assert.Equal(1, tally.Skipped["path not found"]);
        Assert.Equal(4, tally.Entries);
    }

    [Fact]
    public void Links_devices_and_fifos_in_an_archive_are_skipped_and_its_files_read()
    {
        using var folder = new TempDirectory();
        var archive = folder.Combine("hostile.tar");
        using (var output = File.Create(archive))
        using (var writer = new TarWriter(output, TarEntryFormat.Pax))
        {
            writer.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "pms/link") { LinkName = "/etc/passwd" });
            writer.WriteEntry(new PaxTarEntry(TarEntryType.HardLink, "pms/hard") { LinkName = "/etc/shadow" });
            writer.WriteEntry(new PaxTarEntry(TarEntryType.CharacterDevice, "pms/zero") { DeviceMajor = 1, DeviceMinor = 5 });
            writer.WriteEntry(new PaxTarEntry(TarEntryType.Fifo, "pms/fifo"));
            writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "pms/dir"));
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "pms/\u001b[2Jline")
            {
                DataStream = new MemoryStream(Encoding.UTF8.GetBytes(PmsLines.Line(pid: 7) + "\n")),
            });
        }

        var (processes, tally) = ImportFixtures.Pms(archive);

        Assert.Equal("vm/7/11-25-2026 14:35:45.519657", Assert.Single(processes).Identity);
        Assert.Equal(1, tally.Skipped["archive entry that is not a regular file (SymbolicLink)"]);
        Assert.Equal(1, tally.Skipped["archive entry that is not a regular file (HardLink)"]);
        Assert.Equal(1, tally.Skipped["archive entry that is not a regular file (CharacterDevice)"]);
        Assert.Equal(1, tally.Skipped["archive entry that is not a regular file (Fifo)"]);
        Assert.Equal(4, tally.SkippedTotal);
    }

    [Fact]
    public void An_entry_past_the_bound_once_decompressed_is_skipped_at_the_bound_as_a_gzip_or_zstd_bomb()
    {
        using var folder = new TempDirectory();
        var zeros = new byte[1 << 20];
        var gz = folder.Combine("bomb.json.gz");
        using (var output = File.Create(gz))
        using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize))
        {
            for (int i = 0; i < 64; i++)
            {
                gzip.Write(zeros);
            }
        }
        var zst = folder.Combine("bomb.json.zst");
        using (var output = File.Create(zst))
        using (var zstd = new CompressionStream(output, 19))
        {
            for (int i = 0; i < 64; i++)
            {
                zstd.Write(zeros);
            }
        }
        Assert.InRange(new FileInfo(gz).Length + new FileInfo(zst).Length, 1, 200_000);
        var tally = new ImportTally();

        long before = GC.GetAllocatedBytesForCurrentThread();
        var processes = new PyModuleSnooperReader(tally, TimeZoneInfo.Utc).Read(new ImportInputs(tally, maxEntryBytes: 4 << 20).Walk([gz, zst])).ToList();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Empty(processes);
        Assert.Equal(2, tally.Skipped[$"entry larger than {4 << 20} bytes once decompressed"]);
        Assert.InRange(allocated, 0, 48L << 20);
    }

    [Fact]
    public void A_record_file_past_the_readers_bound_is_skipped_unread()
    {
        using var folder = new TempDirectory();
        var path = folder.Combine("run.big.json");
        using (var file = File.Create(path))
        {
            file.SetLength(XaltReader.MaxRecordBytes + 1L);
        }
        var tally = new ImportTally();

        long before = GC.GetAllocatedBytesForCurrentThread();
        var processes = new XaltReader(tally).Read(new ImportInputs(tally).Walk([path])).ToList();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Empty(processes);
        Assert.Equal([path], tally.ExamplesOf($"record file larger than {XaltReader.MaxRecordBytes} bytes"));
        Assert.InRange(allocated, 0, 1L << 20);
    }

    [Fact]
    public void A_cut_or_damaged_archive_is_read_to_the_damage_and_counted()
    {
        using var folder = new TempDirectory();
        var bytes = File.ReadAllBytes(ImportFixtures.XaltArchive);
        var cut = folder.Combine("cut.tar.zst");
        File.WriteAllBytes(cut, bytes[..(bytes.Length / 2)]);
        var garbage = folder.Combine("garbage.tar.gz");
        File.WriteAllBytes(garbage, Encoding.ASCII.GetBytes(new string('x', 5000)));
        var plainGarbage = folder.Combine("garbage.tar");
        File.WriteAllBytes(plainGarbage, [.. Enumerable.Range(0, 5000).Select(i => (byte)(i * 7))]);

        var (processes, tally) = ImportFixtures.Xalt(cut, garbage, plainGarbage);

        Assert.InRange(tally.Records, 1, 832);
        Assert.True(tally.Skipped.Keys.Count(k => k.StartsWith("archive damaged", StringComparison.Ordinal) || k.StartsWith("entry unreadable", StringComparison.Ordinal)) >= 1);
        Assert.True(tally.SkippedTotal >= 3);
        Assert.All(processes, p => Assert.Equal(Polaris.Wire.RecordSource.Xalt, p.Source));
    }

    // Each file of the tree compressed alone, alternately with gzip and zstd, under the same relative names.
    private static void CompressEachFile(string tree, string target)
    {
        int i = 0;
        foreach (var file in Directory.EnumerateFiles(tree, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(tree, file);
            bool gzip = i++ % 2 == 0;
            var path = Path.Combine(target, relative + (gzip ? ".gz" : ".zst"));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using var output = File.Create(path);
            using Stream compressor = gzip ? new GZipStream(output, CompressionLevel.Fastest) : new CompressionStream(output, 3);
            using var input = File.OpenRead(file);
            input.CopyTo(compressor);
        }
    }
}
