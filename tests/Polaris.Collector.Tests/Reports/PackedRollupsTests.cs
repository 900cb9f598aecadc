using System.Buffers;
using Polaris.Collector.Reports;
using Polaris.Collector.Storage;
using Polaris.Testing;
using Polaris.Wire;

namespace Polaris.Collector.Tests.Reports;

/// <summary>A period's packed roll-ups read back as the aggregates they were written from, whole, by domain and for
/// chosen libraries; a damaged bundle is refused, never read past its end.</summary>
public class PackedRollupsTests
{
    private static Dictionary<string, LibraryAggregate> Aggregates()
    {
        using var dir = new TempDirectory();
        using var opened = new TestStore(dir.Path, domainOf: account => account == "CompSciProj" ? "Computer Science" : "Earth Science");
        var now = DateTime.UtcNow.Date.AddHours(12);
        opened.Store.Ingest(SummaryFixtures.BatchOf("a", "n1", SummaryFixtures.Job("n1", "101", 1001, 2, now, ["numpy", "scipy"], EnvironmentKind.BaseEnv, "CompSciProj")), now);
        opened.Store.Ingest(SummaryFixtures.BatchOf("b", "n2", SummaryFixtures.Job("n2", "x-7", 1002, 3, now, ["numpy"], EnvironmentKind.Venv, "ClimateProj")), now);
        opened.Store.Fold();
        var libraries = new Dictionary<string, LibraryAggregate>(StringComparer.Ordinal);
        foreach (var rollup in opened.Store.RollupDocuments(RecordSource.Agent, DateOnly.FromDateTime(now), null))
        {
            string library = rollup["lib"].AsString;
            libraries[library] = new LibraryAggregate(library);
            libraries[library].Add(rollup, null, u => u);
        }
        return libraries;
    }

    private static byte[] Pack(IEnumerable<LibraryAggregate> aggregates)
    {
        var packed = new ArrayBufferWriter<byte>();
        foreach (var aggregate in aggregates)
        {
            PackedRollups.Write(packed, aggregate);
        }
        return packed.WrittenSpan.ToArray();
    }

    [Fact]
    public void What_is_written_reads_back_whole_by_domain_and_for_chosen_libraries()
    {
        var written = Aggregates();
        var packed = Pack(written.Values);

        var all = new Dictionary<string, LibraryAggregate>(StringComparer.Ordinal);
        PackedRollups.AddTo(packed, all, null, u => u);
        var climate = new Dictionary<string, LibraryAggregate>(StringComparer.Ordinal);
        PackedRollups.AddTo(packed, climate, "Earth Science", u => u);
        var chosen = new Dictionary<string, LibraryAggregate>(StringComparer.Ordinal);
        PackedRollups.AddTo(packed, chosen, null, u => u + 1, ["scipy"]);

        Assert.Equal(written.Keys.Order(), all.Keys.Order());
        foreach (var (name, expected) in written)
        {
            var read = all[name];
            Assert.Equal(expected.Users, read.Users);
            Assert.Equal(expected.Jobs, read.Jobs);
            Assert.Equal((expected.Processes, expected.StartupProcesses), (read.Processes, read.StartupProcesses));
            Assert.Equal(expected.OriginLoads, read.OriginLoads);
            Assert.Equal(expected.KindUsers.Keys.Order(), read.KindUsers.Keys.Order());
            Assert.Equal(expected.Domains.Keys.Order(), read.Domains.Keys.Order());
            Assert.Equal((expected.ImportNs.Count, expected.ImportNs.Sum), (read.ImportNs.Count, read.ImportNs.Sum));
        }
        Assert.Equal([1002L], climate["numpy"].Users);
        Assert.Equal(3, climate["numpy"].Processes);
        Assert.Equal([PackedSet.JobNumber("x-7")], climate["numpy"].Jobs);
        Assert.Equal(["scipy"], chosen.Keys);
        Assert.Equal([1002L], chosen["scipy"].Users); // through the user map: 1001 + 1
    }

    [Fact]
    public void A_damaged_bundle_is_refused()
    {
        var entries = Aggregates().Values.Select(a => Pack([a])).ToArray();
        var packed = entries.SelectMany(e => e).ToArray();
        // A cut between two libraries' roll-ups is a shorter bundle; anywhere else it is damage.
        var boundaries = entries.Select((_, i) => entries.Take(i + 1).Sum(e => e.Length)).ToHashSet();

        for (int cut = 1; cut < packed.Length; cut++)
        {
            if (boundaries.Contains(cut))
            {
                continue;
            }
            Assert.Throws<InvalidDataException>(() => PackedRollups.AddTo(packed.AsSpan(0, cut).ToArray(), [], null, u => u));
        }
    }
}
