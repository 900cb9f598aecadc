using System.Formats.Tar;
using System.Text;
using Polaris.Collector.Import;
using Polaris.Testing;
using Polaris.Wire;
using static Polaris.Collector.Tests.Import.XaltRecords;

namespace Polaris.Collector.Tests.Import;

/// <summary>A record counts as its file's owner's: one user's forged records, whatever user, run uuid, host, pid or
/// job they claim, make that user's own summaries and leave another user's as they are, on disk and in archives.</summary>
public class ImportOwnerTests
{
    private const uint Alice = 1001;
    private const uint Mallory = 1002;
    private static readonly DateOnly Day = new(2026, 11, 25);

    private static string NameOf(uint uid) => EntryOwner.OfFile(uid).Name;

    // alice's run (its start and end records) and a package; mallory's forgeries of it: alice's uuid and name, a job
    // of mallory's, a later end, and a package for alice's run.
    private static void WriteXaltForgery(string alice, string mallory)
    {
        Write(Path.Combine(alice, "run.a0.json"), Run(user: "alice", job: "1001", end: 0));
        Write(Path.Combine(alice, "run.a1.json"), Run(user: "alice", job: "1001"));
        Write(Path.Combine(alice, "pkg.a2.json"), Pkg("numpy"));
        Write(Path.Combine(mallory, "run.m0.json"), Run(user: "alice", job: "666", end: 1795617999));
        Write(Path.Combine(mallory, "pkg.m1.json"), Pkg("evil"));
    }

    [Fact]
    public void A_users_xalt_records_naming_another_users_run_make_their_own_run_and_leave_the_others_alone()
    {
        using var folder = new TempDirectory();
        WriteXaltForgery(folder.Combine("alice"), folder.Combine("mallory"));
        FileOwners.Give(folder.Combine("alice"), Alice);
        FileOwners.Give(folder.Combine("mallory"), Mallory);

        foreach (var order in new[] { new[] { "mallory", "alice" }, ["alice", "mallory"] })
        {
            var (processes, tally) = ImportFixtures.Xalt([.. order.Select(o => folder.Combine(o))]);

            Assert.Equal(2, processes.Count);
            var alice = Assert.Single(processes, p => p.User == NameOf(Alice));
            Assert.Equal(("1001", $"{Alice}/debvm/{Uuid}", false), (alice.JobId, alice.Identity, alice.UserFromRecord));
            Assert.Equal(["numpy"], alice.Modules.Select(m => m.Name));
            var mallory = Assert.Single(processes, p => p.User == NameOf(Mallory));
            Assert.Equal(("666", $"{Mallory}/debvm/{Uuid}"), (mallory.JobId, mallory.Identity));
            Assert.Equal(["evil"], mallory.Modules.Select(m => m.Name));
            Assert.DoesNotContain(processes, p => p.User == "alice");
            // alice's file says "alice" too, which is not the passwd name of uid 1001 here: noted, not taken.
            Assert.Equal([Path.Combine(folder.Path, "mallory", "run.m0.json")], tally.ExamplesOf(XaltReader.OtherUser).Where(w => w.Contains("mallory", StringComparison.Ordinal)));
            Assert.Equal(1, tally.Skipped["run start record superseded by its end record"]);
            Assert.False(tally.Noted.ContainsKey(ImportTally.UserFromRecord));
        }
    }

    [Fact]
    public void Stored_the_forger_first_another_users_xalt_and_pms_records_keep_their_own_summaries()
    {
        using var folder = new TempDirectory();
        WriteXaltForgery(folder.Combine("xalt", "alice"), folder.Combine("xalt", "mallory"));
        var aliceEnv = new Dictionary<string, string> { ["LOGNAME"] = "alice", ["PBS_JOBID"] = "1001.pbs" };
        var forgedEnv = new Dictionary<string, string> { ["LOGNAME"] = "alice", ["PBS_JOBID"] = "666.pbs" };
        // The same host, pid and timestamp: the identity alice's line has.
        Write(folder.Combine("pms", "alice", "vm.7.log"), PmsLines.Line(pid: 7, env: aliceEnv) + "\n");
        Write(folder.Combine("pms", "mallory", "vm.7.log"), PmsLines.Line(pid: 7, env: forgedEnv, modules: new() { ["evil"] = "/tmp/evil/__init__.py" }) + "\n");
        foreach (var tool in new[] { "xalt", "pms" })
        {
            FileOwners.Give(folder.Combine(tool, "alice"), Alice);
            FileOwners.Give(folder.Combine(tool, "mallory"), Mallory);
        }
        using var data = new TempDirectory();

        var (xaltStored, xaltDuplicates) = Import(data.Path, RecordSource.Xalt, folder.Combine("xalt", "mallory"), folder.Combine("xalt", "alice"));
        var (pmsStored, pmsDuplicates) = Import(data.Path, RecordSource.PyModuleSnooper, folder.Combine("pms", "mallory"), folder.Combine("pms", "alice"));

        Assert.Equal((2L, 0L, 2L, 0L), (xaltStored, xaltDuplicates, pmsStored, pmsDuplicates));
        using var store = new TestStore(data.Path);
        var rows = store.Store.SummariesOn(Day).ToList();
        var alice = rows.Where(r => r.Processes[0].User == NameOf(Alice)).ToList();
        Assert.Equal(["xalt:1001:numpy", "pymodulesnooper:1001.pbs:numpy"],
            alice.Select(r => $"{r.Processes[0].Source}:{r.Processes[0].JobId}:{string.Join(',', r.Modules.Select(m => m.Module).Where(m => m != "os"))}"));
        Assert.All(rows.Where(r => r.Processes[0].User == NameOf(Mallory)), r => Assert.StartsWith("666", r.Processes[0].JobId, StringComparison.Ordinal));
        Assert.DoesNotContain(rows, r => r.Processes[0].User == "alice");
    }

    [Fact]
    public void An_admins_archive_keeps_its_headers_owners_and_a_users_archive_is_all_its_owners()
    {
        using var folder = new TempDirectory();
        var admins = folder.Combine("admin.tar");
        WriteTar(admins, [
            (Alice, "alice", "xalt/a/run.a0.json", Run(user: "alice", job: "1001", end: 0)),
            (Alice, "alice", "xalt/a/run.a1.json", Run(user: "alice", job: "1001")),
            (Alice, "alice", "xalt/a/pkg.a2.json", Pkg("numpy")),
            (Mallory, "mallory", "xalt/m/run.m0.json", Run(user: "alice", job: "666", end: 1795617999)),
            (Mallory, "mallory", "xalt/m/pkg.m1.json", Pkg("evil")),
        ]);
        var users = folder.Combine("mallory.tar");
        File.Copy(admins, users);
        FileOwners.Give(users, Mallory);

        var (fromAdmin, adminTally) = ImportFixtures.Xalt(admins);
        var (fromUser, userTally) = ImportFixtures.Xalt(users);

        Assert.Equal(["alice:1001:numpy", "mallory:666:evil"], fromAdmin.Select(p => $"{p.User}:{p.JobId}:{string.Join(',', p.Modules.Select(m => m.Name))}").Order(StringComparer.Ordinal));
        Assert.Equal(1, adminTally.Noted[XaltReader.OtherUser]);
        // A user's archive claiming alice's files is mallory's: one run of mallory's, the first record's job, the
        // other job's record not taken.
        var only = Assert.Single(fromUser);
        Assert.Equal((NameOf(Mallory), $"{Mallory}/debvm/{Uuid}", "1001"), (only.User, only.Identity, only.JobId));
        Assert.Equal(1, userTally.Skipped["run record with the uuid of another host's, user's or job's run (not taken)"]);
    }

    [Fact]
    public void Records_no_user_owns_take_the_records_user_marked_and_a_later_record_never_changes_it()
    {
        using var folder = new TempDirectory();
        Write(folder.Combine("x", "run.1.json"), Run(user: "alice", job: "1001", end: 0));
        Write(folder.Combine("x", "run.2.json"), Run(user: "bob", job: "1001"));
        Write(folder.Combine("x", "run.3.json"), Run(user: "alice", job: "777"));
        Write(folder.Combine("p", "vm.log"), PmsLines.Line(pid: 3) + "\n");

        var (xalt, xaltTally) = ImportFixtures.Xalt(folder.Combine("x"));
        var (pms, pmsTally) = ImportFixtures.Pms(folder.Combine("p"));

        var run = Assert.Single(xalt);
        Assert.Equal(("alice", "1001", Uuid, true), (run.User, run.JobId, run.Identity, run.UserFromRecord));
        Assert.Equal(2, xaltTally.Skipped["run record with the uuid of another host's, user's or job's run (not taken)"]);
        Assert.Equal(1, xaltTally.Noted[ImportTally.UserFromRecord]);
        var line = Assert.Single(pms);
        Assert.Equal(("bjones", true, "vm/3/11-25-2026 14:35:45.519657"), (line.User, line.UserFromRecord, line.Identity));
        Assert.Equal(1, pmsTally.Noted[ImportTally.UserFromRecord]);
        var text = new StringWriter();
        pmsTally.WriteTo(text);
        Assert.Contains("1 kept, noted: " + ImportTally.UserFromRecord, text.ToString(), StringComparison.Ordinal);
    }

    private static (long Stored, long Duplicates) Import(string data, RecordSource source, params string[] paths)
    {
        var tally = new ImportTally();
        var entries = new ImportInputs(tally).Walk(paths);
        var processes = source == RecordSource.Xalt ? new XaltReader(tally).Read(entries) : new PyModuleSnooperReader(tally, TimeZoneInfo.Utc).Read(entries);
        var store = new TestStore(data);
        using var sink = new StoreImportSink(store.Store, long.MaxValue);
        foreach (var batch in new ImportedSummaries(new CollectorOptions().OriginRules()).Batches(processes, source))
        {
            sink.AddAsync(batch).GetAwaiter().GetResult();
        }
        sink.FlushAsync().GetAwaiter().GetResult();
        return (sink.Stored, sink.Duplicates);
    }

    private static void WriteTar(string path, (uint Uid, string Name, string Entry, string Json)[] files)
    {
        using var output = File.Create(path);
        using var writer = new TarWriter(output, TarEntryFormat.Pax);
        foreach (var (uid, name, entry, json) in files)
        {
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, entry)
            {
                Uid = (int)uid, UserName = name, DataStream = new MemoryStream(Encoding.UTF8.GetBytes(json)),
            });
        }
    }

    private static void Write(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }
}
