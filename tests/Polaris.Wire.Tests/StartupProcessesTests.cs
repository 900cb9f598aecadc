using System.Buffers;
using MessagePack;

namespace Polaris.Wire.Tests;

/// <summary>A module entry's optional tenth element, the processes that loaded it at start-up: written only when there
/// are any, read as none from an entry of nine, and followed by elements a newer writer may add.</summary>
public class StartupProcessesTests
{
    private static ProcessRecord Run(int pid, bool pthStartup) => new()
    {
        RecordId = $"n1:{pid}.1", Host = "n1", Uid = 1001, User = "asmith", Pid = pid, Executable = "/usr/bin/python3",
        StartedAtMs = 1_764_000_000_000, EndedAtMs = 1_764_000_000_100, Job = new JobContext { Script = "/home/asmith/run.py" },
        Modules = [new ModuleImport("pthpkg", "/venv/pthpkg/__init__.py"), new ModuleImport("json", "/usr/lib/python3.11/json/__init__.py")],
        Times = [new ImportTime(0, 0) { Startup = pthStartup }, new ImportTime(2000, 1000)],
    };

    private static Batch BatchOf(params ProcessRecord[] records) => new()
    {
        Key = "k1", Node = "n1", AgentVersion = "0.1.0", CreatedAtMs = 1_764_000_000_123, Summaries = SummaryBuilder.Summarize(records),
    };

    /// <summary>The element counts of the first summary's module entries, read from the MessagePack itself.</summary>
    private static int[] ModuleEntryLengths(byte[] compressed)
    {
        var reader = new MessagePackReader(BatchCodecTests.Decompress(compressed));
        for (int fields = reader.ReadMapHeader(); fields > 0 && reader.ReadString() != "sums"; fields--)
        {
            reader.Skip();
        }
        reader.ReadArrayHeader();
        for (int fields = reader.ReadMapHeader(); fields > 0 && reader.ReadString() != "mods"; fields--)
        {
            reader.Skip();
        }
        var lengths = new int[reader.ReadArrayHeader()];
        for (int i = 0; i < lengths.Length; i++)
        {
            lengths[i] = reader.ReadArrayHeader();
            for (int e = 0; e < lengths[i]; e++)
            {
                reader.Skip();
            }
        }
        return lengths;
    }

    [Fact]
    public void The_count_travels_as_a_tenth_element_only_for_modules_some_process_loaded_at_start_up()
    {
        var bytes = BatchCodec.Encode(BatchOf(Run(1, true), Run(2, true), Run(3, false)));

        var decoded = Assert.Single(BatchCodec.Decode(bytes).Summaries);

        Assert.Equal([("pthpkg", 3, 2), ("json", 3, 0)], decoded.Modules.Select(m => (m.Name, m.Processes, m.StartupProcesses)));
        // json's entry has the nine elements of a batch written before the count existed, and reads as none.
        Assert.Equal([10, 9], ModuleEntryLengths(bytes));
    }

    [Fact]
    public void Elements_past_the_tenth_are_skipped()
    {
        var buffer = new ArrayBufferWriter<byte>();
        var w = new MessagePackWriter(buffer);
        w.WriteMapHeader(4);
        w.Write("v"); w.Write(WireFormat.Version);
        w.Write("key"); w.Write("k1");
        w.Write("created"); w.Write(1_764_000_000_000L);
        w.Write("sums"); w.WriteArrayHeader(1);
        w.WriteMapHeader(2);
        w.Write("members"); w.WriteArrayHeader(1);
        w.WriteArrayHeader(11);
        w.Write("n:7.1"); w.Write(7); w.Write(0); w.Write(-1); w.Write(1_764_000_000_000L); w.Write(1_764_000_000_100L); w.Write(0L); w.Write(0L);
        w.Write("exit"); w.Write(false); w.Write("/");
        w.Write("mods"); w.WriteArrayHeader(1);
        w.WriteArrayHeader(11);
        w.Write("_distutils_hack"); w.Write("/usr/lib/python3/dist-packages/_distutils_hack/__init__.py"); w.Write("source"); w.Write(""); w.Write("system");
        w.Write(1);
        for (int d = 0; d < 2; d++)
        {
            w.WriteArrayHeader(5); w.Write(0); w.Write(0L); w.Write(0L); w.Write(0L); w.WriteArrayHeader(0);
        }
        w.WriteArrayHeader(0);
        w.Write(1);
        w.Write("a future module field");
        w.Flush();

        var module = Assert.Single(Assert.Single(BatchCodec.Decode(BatchCodecTests.Compress(buffer.WrittenSpan)).Summaries).Modules);

        Assert.Equal(("_distutils_hack", 1, 1), (module.Name, module.Processes, module.StartupProcesses));
    }

    [Fact]
    public void A_count_that_is_no_integer_refuses_its_summary_alone()
    {
        var batch = BatchOf(Run(1, true));
        var good = batch.Summaries[0];
        var plain = BatchCodecTests.Decompress(BatchCodec.Encode(batch with { Summaries = [good, good] }));
        // The first summary's pthpkg entry: its header (0x9a, ten elements) is followed by its name; its count is the
        // entry's last byte, a positive fixint 1 just before the next entry's header (0x99, json's nine).
        int entry = IndexOf(plain, [0x9a, 0xa6, .. "pthpkg"u8]);
        int next = IndexOf(plain, [0x99, 0xa4, .. "json"u8], entry);
        Assert.Equal(0x01, plain[next - 1]);
        plain[next - 1] = 0xc0; // nil where the count goes

        var received = BatchCodec.Receive(BatchCodecTests.Compress(plain));

        var refusal = Assert.Single(received.Refused);
        Assert.Equal((0, SummaryRefusalKind.Malformed), (refusal.Index, refusal.Kind));
        Assert.Equal(1, Assert.Single(received.Batch.Summaries).Modules[0].StartupProcesses);
    }

    private static int IndexOf(byte[] bytes, byte[] pattern, int from = 0)
    {
        int at = bytes.AsSpan(from).IndexOf(pattern);
        Assert.True(at >= 0, "pattern not found");
        return from + at;
    }
}
