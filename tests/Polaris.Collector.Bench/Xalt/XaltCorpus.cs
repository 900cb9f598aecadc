using System.Diagnostics;
using System.Formats.Tar;
using System.Globalization;

namespace Polaris.Collector.Bench.Xalt;

/// <summary><c>polaris-collector-bench xalt-corpus OUT.tar RECORDS [USERS]</c>: an admin's tar of a generated XALT
/// corpus, as <c>tar cf</c> makes it of XALT's result folders: GNU headers, each record owned by its user (uid and
/// uname), the folders by root. Written by root, the archive's headers are trusted by <c>import-xalt</c>
/// (docs/analysis.md, "Whose record it is"). RECORDS counts run and pkg files; the same arguments give the same
/// bytes.</summary>
/// <remarks>
/// Jobs of a year, each a user's, run one to thirty programs on their head node: most are Python runs with a handful
/// to tens of pkg records, some compiled programs (skipped by the importer, as XALT records every program), and multi-
/// node jobs' runs are mostly MPI runs with a start and an end record. A run's records are in one of 1,000 folders
/// (XALT's <c>XALT_RESULT_DIR</c>), in an order of their own within it (a folder's order on disk says nothing).
/// </remarks>
internal static class XaltCorpus
{
    private const int Folders = 1000;

    public static int Run(string output, long records, int users)
    {
        if (Environment.UserName != "root")
        {
            Console.Error.WriteLine("xalt-corpus: not root: import-xalt will take the archive's owner for every record, not its headers");
        }
        var clock = Stopwatch.StartNew();
        var site = new XaltSite(users, seed: 12);
        var folders = Plan(site, records, out var tally);
        var writer = new XaltRecordWriter(site);
        var order = new Random(34);
        long bytes = 0;
        using (var file = File.Create(output))
        using (var tar = new TarWriter(file, TarEntryFormat.Gnu))
        {
            for (int f = 0; f < Folders; f++)
            {
                string folder = f.ToString("D3", CultureInfo.InvariantCulture);
                tar.WriteEntry(new GnuTarEntry(TarEntryType.Directory, folder + "/")
                {
                    Mode = (UnixFileMode)0b1_111_111_111, UserName = "root", GroupName = "root", ModificationTime = DateTimeOffset.UnixEpoch.AddDays(20_600),
                });
                var files = new List<(PlannedRun Run, string Name, byte[] Json)>();
                foreach (var run in folders[f])
                {
                    if (run.Mpi)
                    {
                        var (startName, startJson) = writer.Run(run, startRecord: true);
                        files.Add((run, startName, startJson));
                    }
                    var (name, json) = writer.Run(run, startRecord: false);
                    files.Add((run, name, json));
                    files.AddRange(writer.Packages(run).Select(p => (run, p.Name, p.Json)));
                }
                // The order readdir gives: nothing to do with the runs.
                order.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(files));
                foreach (var (run, name, json) in files)
                {
                    var user = site.Users[run.User];
                    tar.WriteEntry(new GnuTarEntry(TarEntryType.RegularFile, $"{folder}/{name}")
                    {
                        Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
                        Uid = (int)user.Uid, Gid = (int)user.Uid, UserName = user.Name, GroupName = user.Name,
                        ModificationTime = DateTimeOffset.FromUnixTimeMilliseconds((long)((run.Start + run.Seconds) * 1000)),
                        DataStream = new MemoryStream(json),
                    });
                    bytes += json.Length;
                }
            }
        }
        Console.WriteLine($"xalt-corpus: {tally.Records} records ({tally.RunRecords} run, {tally.Records - tally.RunRecords} pkg) of {tally.Runs} runs "
            + $"({tally.PythonRuns} Python, {tally.MpiRuns} MPI with start and end records) in {tally.Jobs} jobs of {users} users on {tally.Hosts} hosts");
        Console.WriteLine($"xalt-corpus: {bytes / 1024 / 1024} MiB of JSON, {new FileInfo(output).Length / 1024 / 1024} MiB of tar, written in {clock.Elapsed.TotalSeconds:F0} s to {output}");
        return 0;
    }

    // Jobs until RECORDS files are planned (the last run's pkg records cut to fit), each run put in a folder.
    private static List<PlannedRun>[] Plan(XaltSite site, long records, out CorpusTally tally)
    {
        var random = new Random(56);
        var folders = Enumerable.Range(0, Folders).Select(_ => new List<PlannedRun>()).ToArray();
        var userPick = new Year.ZipfSampler(site.Users.Length, 0.9);
        var hosts = new HashSet<string>(StringComparer.Ordinal);
        var counts = new CorpusTally();
        double yearStart = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
        for (int job = 4_100_000; counts.Records < records; job++)
        {
            counts.Jobs++;
            int user = userPick.Next(random);
            int nodes = random.NextDouble() < 0.6 ? 1 : 1 << (1 + random.Next(7));
            string queue = nodes >= 64 ? "prod" : nodes > 1 ? "preemptable" : random.NextDouble() < 0.5 ? "debug" : "prod";
            string host = site.Hosts[random.Next(site.Hosts.Length)];
            hosts.Add(host);
            double start = yearStart + (random.NextDouble() * 365 * 86_400);
            int runs = 1 + (int)Math.Min(29, -Math.Log(1 - random.NextDouble()) * 6);
            for (int r = 0; r < runs && counts.Records < records; r++)
            {
                long left = records - counts.Records;
                bool python = random.NextDouble() < 0.92;
                bool mpi = nodes > 1 && random.NextDouble() < 0.7 && left >= 2;
                // A handful to tens: the fixtures' runs have 27 to 81, a site's short scripts fewer.
                int packages = python ? (int)Math.Min(90, 3 + (-Math.Log(1 - random.NextDouble()) * 16)) : 0;
                packages = (int)Math.Min(packages, left - (mpi ? 2 : 1));
                double seconds = 0.2 + (-Math.Log(1 - random.NextDouble()) * 600);
                var run = new PlannedRun(user, job.ToString(CultureInfo.InvariantCulture), queue, nodes, host, start, seconds,
                    Uuid(start, random), python, mpi, packages, random.Next());
                folders[random.Next(Folders)].Add(run);
                counts.Records += run.Records;
                counts.RunRecords += mpi ? 2 : 1;
                counts.Runs++;
                counts.PythonRuns += python ? 1 : 0;
                counts.MpiRuns += mpi ? 1 : 0;
                start += seconds + random.Next(30);
            }
        }
        counts.Hosts = hosts.Count;
        tally = counts;
        return folders;
    }

    // XALT's uuids are time-ordered (version 7): the start's milliseconds, then random bits.
    private static string Uuid(double start, Random random)
    {
        var bytes = new byte[16];
        random.NextBytes(bytes);
        long ms = (long)(start * 1000);
        for (int i = 0; i < 6; i++)
        {
            bytes[i] = (byte)(ms >> (40 - (8 * i)));
        }
        bytes[6] = (byte)(0x70 | (bytes[6] & 0x0f));
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3f));
        string hex = Convert.ToHexStringLower(bytes);
        return $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..]}";
    }
}
