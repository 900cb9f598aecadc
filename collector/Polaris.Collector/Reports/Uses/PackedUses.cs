using System.Buffers;
using Polaris.Collector.Storage;
using static Polaris.Collector.Reports.PackedRollups;

namespace Polaris.Collector.Reports;

/// <summary>A period's uses (<see cref="PeriodUses"/>) as binary chunks of about <see cref="ChunkBytes"/>, each whole
/// (its own text tables), read straight into the tables and jobs a report unites.</summary>
/// <remarks>A use table's chunk: its domains, then per name (ordinal order) its kind and, per domain, the processes,
/// users, jobs (<see cref="PackedSet"/>) and versions. A jobs chunk: its domains, libraries and nodes, then per job
/// its key, user, node count, timed processes and import time, processes per domain, wall time per node and import
/// time per library.</remarks>
public static class PackedUses
{
    /// <summary>The size at which a chunk is closed: several stay well inside a LiteDB document.</summary>
    public const int ChunkBytes = 1024 * 1024;

    /// <summary>Packs <paramref name="entries"/>, names in ordinal order.</summary>
    public static List<byte[]> Pack(IEnumerable<(string Name, string Domain, Use Use)> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var chunks = new List<byte[]>();
        var domains = new PackedTexts();
        var body = new ArrayBufferWriter<byte>();
        foreach (var name in entries.GroupBy(e => e.Name, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            Text(body, name.Key);
            Number(body, name.Select(e => e.Use.Kind).FirstOrDefault(k => k != 0));
            var uses = name.ToArray();
            Number(body, uses.Length);
            foreach (var (_, domain, use) in uses)
            {
                Number(body, domains.Of(domain));
                Number(body, use.Processes);
                Bytes(body, PackedSet.Numbers(use.Users));
                Bytes(body, PackedSet.Numbers(use.Jobs));
                var versions = use.Versions ?? [];
                Number(body, versions.Count);
                foreach (var (version, versionUse) in versions.OrderBy(v => v.Key, StringComparer.Ordinal))
                {
                    Text(body, version);
                    Number(body, versionUse.Processes);
                    Bytes(body, PackedSet.Numbers(versionUse.Users));
                }
            }
            if (body.WrittenCount + domains.Bytes >= ChunkBytes)
            {
                chunks.Add(Close([domains], body));
                domains = new PackedTexts();
            }
        }
        if (body.WrittenCount > 0)
        {
            chunks.Add(Close([domains], body));
        }
        return chunks;
    }

    /// <summary>Adds the entries of <paramref name="chunk"/> to <paramref name="into"/>: those whose name
    /// <paramref name="names"/> takes (all when null), of <paramref name="domain"/> (all when null), each user as
    /// <paramref name="user"/> maps it (as stored when null).</summary>
    /// <exception cref="InvalidDataException">The chunk is damaged.</exception>
    public static void AddTo(ReadOnlySpan<byte> chunk, UseTable into, Func<string, bool>? names, string? domain, Func<long, long>? user)
    {
        ArgumentNullException.ThrowIfNull(into);
        int at = 0;
        var domains = PackedTexts.Read(chunk, ref at);
        while (at < chunk.Length)
        {
            string name = ReadText(chunk, ref at);
            bool wanted = names == null || names(name);
            byte kind = ReadNumber(chunk, ref at) is var k and <= byte.MaxValue ? (byte)k : throw new InvalidDataException("packed uses hold a module kind past a byte");
            for (long n = ReadNumber(chunk, ref at); n > 0; n--)
            {
                string inDomain = PackedTexts.Pick(domains, chunk, ref at);
                long processes = ReadNumber(chunk, ref at);
                var users = ReadBytes(chunk, ref at);
                var jobs = ReadBytes(chunk, ref at);
                // An entry not asked for is read past, not built.
                var use = wanted && (domain == null || domain == inDomain) ? into.Of(name, inDomain) : null;
                if (use != null)
                {
                    use.Kind = use.Kind == 0 ? kind : use.Kind;
                    use.Processes += processes;
                    PackedSet.AddNumbers(users, use.Users, user);
                    PackedSet.AddNumbers(jobs, use.Jobs);
                }
                for (long v = ReadNumber(chunk, ref at); v > 0; v--)
                {
                    string version = ReadText(chunk, ref at);
                    long versionProcesses = ReadNumber(chunk, ref at);
                    var versionUsers = ReadBytes(chunk, ref at);
                    if (use?.Version(version) is { } versionUse)
                    {
                        versionUse.Processes += versionProcesses;
                        PackedSet.AddNumbers(versionUsers, versionUse.Users, user);
                    }
                }
            }
        }
    }

    /// <summary>Packs <paramref name="jobs"/>, keys in ordinal order.</summary>
    public static List<byte[]> PackJobs(IEnumerable<JobUse> jobs)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        var chunks = new List<byte[]>();
        PackedTexts domains = new(), libraries = new(), nodes = new();
        var body = new ArrayBufferWriter<byte>();
        foreach (var job in jobs.OrderBy(j => j.Key, StringComparer.Ordinal))
        {
            Text(body, job.Key);
            Number(body, job.User.Uid + 1);
            Text(body, job.User.Name);
            Number(body, job.ReportedNodes);
            Number(body, job.TimedProcesses);
            Number(body, job.ImportNs);
            Pairs(body, job.DomainProcesses, domains);
            Pairs(body, job.NodeWallNs, nodes);
            Pairs(body, job.LibraryNs, libraries);
            if (body.WrittenCount + domains.Bytes + libraries.Bytes + nodes.Bytes >= ChunkBytes)
            {
                chunks.Add(Close([domains, libraries, nodes], body));
                (domains, libraries, nodes) = (new(), new(), new());
            }
        }
        if (body.WrittenCount > 0)
        {
            chunks.Add(Close([domains, libraries, nodes], body));
        }
        return chunks;
    }

    /// <summary>Adds the jobs of <paramref name="chunk"/> to <paramref name="into"/>, a job already there united with
    /// its part here; of the libraries' import times, those <paramref name="libraries"/> takes (all when null). At
    /// most <paramref name="maxJobs"/> jobs are held: the parts of jobs past it are counted, not added. Without
    /// <paramref name="times"/>, not the nodes' and libraries' times (coverage, which holds a million jobs); without
    /// <paramref name="processes"/>, not the processes by domain (import cost).</summary>
    /// <returns>The parts of jobs left out.</returns>
    /// <exception cref="InvalidDataException">The chunk is damaged.</exception>
    public static long AddJobsTo(ReadOnlySpan<byte> chunk, Dictionary<string, JobUse> into, Func<string, bool>? libraries, int maxJobs,
        bool times = true, bool processes = true)
    {
        ArgumentNullException.ThrowIfNull(into);
        int at = 0;
        var domainNames = PackedTexts.Read(chunk, ref at);
        var libraryNames = PackedTexts.Read(chunk, ref at);
        var nodeNames = PackedTexts.Read(chunk, ref at);
        var tracked = libraryNames.Select(l => libraries == null || libraries(l)).ToArray();
        long leftOut = 0;
        while (at < chunk.Length)
        {
            string key = ReadText(chunk, ref at);
            if (!into.TryGetValue(key, out var job) && into.Count < maxJobs)
            {
                into[key] = job = new JobUse(key);
            }
            leftOut += job == null ? 1 : 0;
            long uid = ReadNumber(chunk, ref at) - 1;
            string user = ReadText(chunk, ref at);
            int nodes = ReadNumber(chunk, ref at) is var n and <= int.MaxValue ? (int)n : throw new InvalidDataException("packed uses hold a node count past an int");
            long timed = ReadNumber(chunk, ref at);
            long importNs = ReadNumber(chunk, ref at);
            if (job != null)
            {
                job.User = job.User.Uid < 0 ? (uid, user) : job.User;
                job.ReportedNodes = Math.Max(job.ReportedNodes, nodes);
                job.TimedProcesses += timed;
                job.ImportNs = JobUse.Saturating(job.ImportNs, importNs);
            }
            AddPairs(chunk, ref at, domainNames, processes ? job?.DomainProcesses : null, null);
            AddPairs(chunk, ref at, nodeNames, times ? job?.NodeWallNs : null, null);
            AddPairs(chunk, ref at, libraryNames, times ? job?.LibraryNs : null, tracked);
        }
        return leftOut;
    }

    private static void Pairs(IBufferWriter<byte> body, Dictionary<string, long> values, PackedTexts texts)
    {
        Number(body, values.Count);
        foreach (var (text, value) in values)
        {
            Number(body, texts.Of(text));
            Number(body, value);
        }
    }

    private static void AddPairs(ReadOnlySpan<byte> chunk, ref int at, string[] texts, Dictionary<string, long>? into, bool[]? taken)
    {
        for (long n = ReadNumber(chunk, ref at); n > 0; n--)
        {
            long number = ReadNumber(chunk, ref at);
            long value = ReadNumber(chunk, ref at);
            if (number >= texts.Length)
            {
                throw new InvalidDataException("packed uses refer to a text they do not hold");
            }
            if (into != null && (taken == null || taken[number]))
            {
                JobUse.Add(into, texts[number], value);
            }
        }
    }

    // A chunk: its text tables, then its body, which is emptied for the next.
    private static byte[] Close(PackedTexts[] tables, ArrayBufferWriter<byte> body)
    {
        var chunk = new ArrayBufferWriter<byte>(body.WrittenCount + 1024);
        foreach (var table in tables)
        {
            table.WriteTo(chunk);
        }
        chunk.Write(body.WrittenSpan);
        body.Clear();
        return chunk.WrittenSpan.ToArray();
    }
}
