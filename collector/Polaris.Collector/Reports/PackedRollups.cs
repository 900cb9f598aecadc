using System.Buffers;
using System.Text;
using Polaris.Collector.Aggregation;
using Polaris.Collector.Storage;

namespace Polaris.Collector.Reports;

/// <summary>The roll-ups of a built period (<see cref="RollupPeriods"/>) in one binary: for each library its name,
/// counts, packed sets (<see cref="PackedSet"/>, jobs as numbers), kinds, domains, origin loads and import-time
/// histogram, read straight into <see cref="LibraryAggregate"/>s.</summary>
/// <remarks>As BSON, a roll-up is a tree of values LiteDB builds one object at a time (tens of µs each); a year of a
/// facility's month and day roll-ups is some 90,000 of them. Packed, a bundle is one byte array read in a loop.</remarks>
public static class PackedRollups
{
    /// <summary>Appends <paramref name="aggregate"/> (built with user numbers as stored and no domain filter).</summary>
    public static void Write(IBufferWriter<byte> into, LibraryAggregate aggregate)
    {
        ArgumentNullException.ThrowIfNull(into);
        ArgumentNullException.ThrowIfNull(aggregate);
        Text(into, aggregate.Library);
        Number(into, aggregate.Processes);
        Number(into, aggregate.StartupProcesses);
        Bytes(into, PackedSet.Numbers(aggregate.Users));
        Bytes(into, PackedSet.Numbers(aggregate.Jobs));
        Number(into, aggregate.KindUsers.Count);
        foreach (var (kind, users) in aggregate.KindUsers)
        {
            Text(into, kind);
            Bytes(into, PackedSet.Numbers(users));
            Number(into, aggregate.KindProcesses.GetValueOrDefault(kind));
        }
        Number(into, aggregate.Domains.Count);
        foreach (var (domain, (users, jobs, processes)) in aggregate.Domains)
        {
            Text(into, domain);
            Bytes(into, PackedSet.Numbers(users));
            Bytes(into, PackedSet.Numbers(jobs));
            Number(into, processes);
        }
        Number(into, aggregate.OriginLoads.Count(l => l != 0));
        for (int i = 0; i < aggregate.OriginLoads.Length; i++)
        {
            if (aggregate.OriginLoads[i] != 0)
            {
                Number(into, i);
                Number(into, aggregate.OriginLoads[i]);
            }
        }
        Number(into, aggregate.ImportNs.Count);
        Number(into, aggregate.ImportNs.Sum);
        var buckets = aggregate.ImportNs.Buckets;
        Number(into, buckets.Length);
        foreach (long count in buckets)
        {
            Number(into, count);
        }
    }

    /// <summary>Adds every library of <paramref name="packed"/> (or only those of <paramref name="only"/>) to its
    /// aggregate in <paramref name="libraries"/>: all of it, or only <paramref name="domain"/>'s users, jobs and
    /// processes, each user as <paramref name="user"/> maps it; with no domain, only the <paramref name="parts"/> asked
    /// for, the other sets read past (import cost needs no jobs or kinds).</summary>
    /// <exception cref="InvalidDataException">The binary is damaged.</exception>
    public static void AddTo(ReadOnlySpan<byte> packed, Dictionary<string, LibraryAggregate> libraries, string? domain, Func<long, long> user,
        IReadOnlyCollection<string>? only = null, LibraryParts parts = LibraryParts.All)
    {
        ArgumentNullException.ThrowIfNull(libraries);
        for (int at = 0; at < packed.Length;)
        {
            string library = ReadText(packed, ref at);
            // A library not asked for is read past, not built.
            LibraryAggregate? aggregate = null;
            if ((only == null || only.Contains(library)) && !libraries.TryGetValue(library, out aggregate))
            {
                libraries[library] = aggregate = new LibraryAggregate(library);
            }
            ReadEntry(packed, ref at, aggregate, domain, user, domain == null ? parts : LibraryParts.All);
        }
    }

    // One library's roll-up after its name, into `aggregate`, or read past when it is null.
    private static void ReadEntry(ReadOnlySpan<byte> packed, ref int at, LibraryAggregate? aggregate, string? domain, Func<long, long> user, LibraryParts parts)
    {
        bool all = aggregate != null && domain == null;
        bool sets = all && parts == LibraryParts.All;
        long processes = ReadNumber(packed, ref at);
        long startup = ReadNumber(packed, ref at);
        var users = ReadBytes(packed, ref at);
        var jobs = ReadBytes(packed, ref at);
        if (all)
        {
            aggregate!.AddCounts(processes, startup);
            if (parts != LibraryParts.Times)
            {
                PackedSet.AddNumbers(users, aggregate.Users, user);
            }
        }
        if (sets)
        {
            PackedSet.AddNumbers(jobs, aggregate!.Jobs);
        }
        for (long kinds = ReadNumber(packed, ref at); kinds > 0; kinds--)
        {
            string kind = ReadText(packed, ref at);
            var kindUsers = ReadBytes(packed, ref at);
            long kindProcesses = ReadNumber(packed, ref at);
            if (sets)
            {
                aggregate!.AddKind(kind, kindUsers, kindProcesses, user);
            }
        }
        for (long domains = ReadNumber(packed, ref at); domains > 0; domains--)
        {
            string name = ReadText(packed, ref at);
            var domainUsers = ReadBytes(packed, ref at);
            var domainJobs = ReadBytes(packed, ref at);
            long domainProcesses = ReadNumber(packed, ref at);
            if (aggregate != null && parts == LibraryParts.All && (domain == null || domain == name))
            {
                aggregate.AddDomain(name, domainUsers, domainJobs, domainProcesses, user, alsoTotals: domain != null);
            }
        }
        for (long origins = ReadNumber(packed, ref at); origins > 0; origins--)
        {
            long origin = ReadNumber(packed, ref at);
            long loads = ReadNumber(packed, ref at);
            if (sets && origin < aggregate!.OriginLoads.Length)
            {
                aggregate.OriginLoads[origin] += loads;
            }
        }
        long count = ReadNumber(packed, ref at);
        long sum = ReadNumber(packed, ref at);
        long bucketCount = ReadNumber(packed, ref at);
        if (bucketCount > ImportHistogram.BucketCount)
        {
            throw new InvalidDataException("packed roll-ups hold more histogram buckets than there are");
        }
        var buckets = new long[ImportHistogram.BucketCount];
        for (int b = 0; b < bucketCount; b++)
        {
            buckets[b] = ReadNumber(packed, ref at);
        }
        if (all)
        {
            aggregate!.ImportNs.Add(ImportHistogram.From(count, sum, buckets));
        }
    }

    internal static long ReadNumber(ReadOnlySpan<byte> packed, ref int at) =>
        PackedSet.ReadVarint(packed, ref at) is var value && value <= long.MaxValue ? (long)value
            : throw new InvalidDataException("packed roll-ups hold a number past a long's range");

    internal static ReadOnlySpan<byte> ReadBytes(ReadOnlySpan<byte> packed, ref int at)
    {
        ulong length = PackedSet.ReadVarint(packed, ref at);
        if (length > (ulong)(packed.Length - at))
        {
            throw new InvalidDataException("packed roll-ups end inside a field");
        }
        var bytes = packed.Slice(at, (int)length);
        at += (int)length;
        return bytes;
    }

    internal static string ReadText(ReadOnlySpan<byte> packed, ref int at) => Encoding.UTF8.GetString(ReadBytes(packed, ref at));

    internal static void Number(IBufferWriter<byte> into, long value) => PackedSet.WriteVarint(into, checked((ulong)value));

    internal static void Bytes(IBufferWriter<byte> into, ReadOnlySpan<byte> bytes)
    {
        PackedSet.WriteVarint(into, (ulong)bytes.Length);
        into.Write(bytes);
    }

    internal static void Text(IBufferWriter<byte> into, string text) => Bytes(into, Encoding.UTF8.GetBytes(text));
}
