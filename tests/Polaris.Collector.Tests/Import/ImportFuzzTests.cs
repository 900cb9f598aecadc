using System.Formats.Tar;
using System.Text;
using Polaris.Collector.Import;
using Polaris.Testing;
using ZstdSharp;

namespace Polaris.Collector.Tests.Import;

/// <summary>Real fixture records with bytes flipped, cut, inserted and repeated: whatever comes of them, no exception
/// leaves a reader or the walk.</summary>
public class ImportFuzzTests
{
    private const int Seed = 20261125;
    private const int Iterations = 3000;

    [Fact]
    public void Mutated_xalt_records_never_throw_out_of_the_reader()
    {
        var records = FixtureFiles(ImportFixtures.XaltArchive);
        var random = new Random(Seed);
        var tally = new ImportTally();
        var reader = new XaltReader(tally, maxPendingBytes: 16 * 1024, maxPendingRuns: 8);

        // One reader over all of them, so that joins, supersessions and evictions of damaged records meet too.
        var entries = Enumerable.Range(0, Iterations).Select(i =>
        {
            var (name, bytes) = records[random.Next(records.Count)];
            return ImportFixtures.Entry(name, Mutate(bytes, random));
        });
        var processes = reader.Read(entries).ToList();

        Assert.Equal(Iterations, tally.Records + tally.Skipped.GetValueOrDefault("not a .json file"));
        Assert.All(processes, p => Assert.NotEmpty(p.Identity));
    }

    [Fact]
    public void Mutated_pms_lines_never_throw_out_of_the_reader()
    {
        var lines = FixtureFiles(ImportFixtures.PmsArchive);
        var random = new Random(Seed);
        var tally = new ImportTally();

        var entries = Enumerable.Range(0, Iterations).Select(i => ImportFixtures.Entry($"pms/{i}", Mutate(lines[random.Next(lines.Count)].Bytes, random)));
        var processes = new PyModuleSnooperReader(tally, TimeZoneInfo.Utc).Read(entries).ToList();

        Assert.Equal(tally.Kept, processes.Count);
        Assert.InRange(tally.Records, Iterations / 2, Iterations * 4L);
        Assert.All(processes, p => Assert.All(p.Variables.Keys, name => Assert.True(AllowedVariables.Contains(name), name)));
    }

    [Fact]
    public void Mutated_archives_never_throw_out_of_the_walk()
    {
        using var folder = new TempDirectory();
        var archive = File.ReadAllBytes(ImportFixtures.PmsArchive);
        using var raw = new MemoryStream();
        using (var zstd = new DecompressionStream(new MemoryStream(archive)))
        {
            zstd.CopyTo(raw);
        }
        var tar = raw.ToArray();
        var random = new Random(Seed);
        for (int i = 0; i < 300; i++)
        {
            bool compressed = i % 2 == 0;
            var path = folder.Combine(compressed ? "fuzz.tar.zst" : "fuzz.tar");
            File.WriteAllBytes(path, Mutate(compressed ? archive : tar, random));
            var tally = new ImportTally();

            _ = new PyModuleSnooperReader(tally, TimeZoneInfo.Utc).Read(new ImportInputs(tally).Walk([path])).ToList();
        }
    }

    private static List<(string Name, byte[] Bytes)> FixtureFiles(string archive)
    {
        using var file = File.OpenRead(archive);
        using var zstd = new DecompressionStream(file);
        using var reader = new TarReader(zstd);
        var files = new List<(string, byte[])>();
        while (reader.GetNextEntry(copyData: true) is { } entry)
        {
            if (entry.DataStream is { } data)
            {
                using var copy = new MemoryStream();
                data.CopyTo(copy);
                files.Add((Path.GetFileName(entry.Name), copy.ToArray()));
            }
        }
        return files;
    }

    private static readonly byte[][] Interesting =
        [.. new[] { "\"", "{", "}", "[", "]", ",", ":", "null", "-1", "1e999", "\\u0000", "\\ud800", "\n", "\"userT\"", "\"xalt_run_uuid\"", "99999999999999999999" }
            .Select(Encoding.UTF8.GetBytes)];

    private static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = new List<byte>(original);
        int mutations = 1 + random.Next(4);
        for (int m = 0; m < mutations && bytes.Count > 0; m++)
        {
            int at = random.Next(bytes.Count);
            switch (random.Next(6))
            {
                case 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 2:
                    bytes.InsertRange(at, Enumerable.Range(0, 1 + random.Next(16)).Select(_ => (byte)random.Next(256)));
                    break;
                case 3:
                    bytes.InsertRange(at, Interesting[random.Next(Interesting.Length)]);
                    break;
                case 4:
                    bytes.RemoveRange(at, Math.Min(bytes.Count - at, 1 + random.Next(64)));
                    break;
                default:
                    int length = Math.Min(bytes.Count - at, 1 + random.Next(256));
                    bytes.InsertRange(at, bytes.GetRange(at, length));
                    break;
            }
        }
        return [.. bytes];
    }
}
