using System.Buffers;
using System.Text.Json;
using MessagePack;
using ZstdSharp;

namespace Polaris.Wire.Tests;

public class BatchCodecTests
{
    internal static Batch Sample() => new()
    {
        Key = "0193a1b2c3d4e5f60718293a4b5c6d7e",
        Node = "x3005c0s13b0n0",
        AgentVersion = "0.1.0",
        CreatedAtMs = 1_764_000_000_123,
        Summaries = SummaryBuilder.Summarize(
        [
            new ProcessRecord
            {
                Host = "x3005c0s13b0n0", Uid = 1001, User = "asmith", Pid = 4242, PidVerified = true,
                PythonVersion = "3.11.2", Executable = "/usr/bin/python3",
                StartedAtMs = 1_764_000_000_000, EndedAtMs = 1_764_000_000_100,
                Modules =
                [
                    new ModuleImport("numpy", "/usr/lib/python3/dist-packages/numpy/__init__.py"),
                    new ModuleImport("numpy.core._multiarray_umath", "/usr/lib/python3/dist-packages/numpy/core/_multiarray_umath.cpython-311-x86_64-linux-gnu.so"),
                    new ModuleImport("sys", ""),
                    new ModuleImport("données", "/home/asmith/données/__init__.py"),
                ],
            },
            new ProcessRecord
            {
                Host = "x3005c0s13b0n0", Uid = 0, User = "root", Pid = 1, ParentPid = 77, WorkingDirectory = "/lus/eagle/projects/p/run",
                ImportNs = 81_000_000, RuntimeNs = 2_000_000_000, ExitReason = ExitReasons.Signal, Partial = true,
                Modules = [new ModuleImport("torch", "/soft/conda/2024-04-29/lib/python3.11/site-packages/torch/__init__.py")
                {
                    Kind = ModuleKind.Source, Version = "2.3.0", Origin = Origin.BaseEnv,
                }],
                Times = [new ImportTime(900_000_000, 1_000_000)],
                SharedObjects = [new SharedObject("/usr/lib/x86_64-linux-gnu/libcuda.so.1") { Origin = Origin.System }],
                Environment = new PythonEnvironment
                {
                    Implementation = "cpython", Prefix = "/home/asmith/envs/ml", BasePrefix = "/soft/conda/2024-04-29",
                    Kind = EnvironmentKind.BaseClone, Name = "ml",
                    Changes = new EnvironmentChanges
                    {
                        CondaAdded = [new CondaPackage("xarray", "2024.3.0", "pyhd8ed1ab_0", "conda-forge")],
                        CondaRemoved = [new CondaPackage("tk", "8.6.13", "h1", "conda-forge")],
                        CondaChanged = [new PackageChange("numpy", "1.26.4 py311h64a7726_0", "2.0.0 py311h1_0")],
                        PipInstalled = [new PipPackage("mytool", "0.3")],
                        UserSite = "/home/asmith/.local/lib/python3.11/site-packages",
                        PythonPath = ["/home/asmith/lib"],
                    },
                },
                Job = new JobContext
                {
                    JobId = "1234501.polaris-pbs-01", Account = "MatSciProj", Queue = "prod", NodeCount = 4, Rank = 3, Size = 16,
                    Script = "/home/asmith/run.py",
                    // In name order, as the writer sends them: the comparison below is of the JSON text.
                    Variables = new Dictionary<string, string> { ["LOADEDMODULES"] = "conda", ["PBS_JOBID"] = "1234501.polaris-pbs-01" },
                },
            },
            // Another rank of that job, on its own device and without the modules loaded: a member with variables of its own.
            new ProcessRecord
            {
                Host = "x3005c0s13b0n0", Uid = 0, User = "root", Pid = 2, StartedAtMs = 1_764_000_000_200, EndedAtMs = 1_764_000_000_300,
                Environment = new PythonEnvironment { Prefix = "/home/asmith/envs/ml" },
                Job = new JobContext
                {
                    JobId = "1234501.polaris-pbs-01", Rank = 4, Size = 16, Script = "/home/asmith/run.py",
                    Variables = new Dictionary<string, string> { ["PBS_JOBID"] = "1234501.polaris-pbs-01", ["CUDA_VISIBLE_DEVICES"] = "1", ["PYTHONUSERBASE"] = "" },
                },
            },
        ]),
    };

    [Fact]
    public void A_batch_survives_encoding_and_decoding_field_for_field()
    {
        var batch = Sample();

        var decoded = BatchCodec.Decode(BatchCodec.Encode(batch));

        Assert.Equal(batch.Key, decoded.Key);
        Assert.Equal(batch.Node, decoded.Node);
        Assert.Equal(batch.AgentVersion, decoded.AgentVersion);
        Assert.Equal(batch.CreatedAtMs, decoded.CreatedAtMs);
        // Summaries hold lists, which records compare by reference: compare their full JSON instead.
        Assert.Equal(JsonSerializer.Serialize(batch.Summaries), JsonSerializer.Serialize(decoded.Summaries));
        // Tuples are fields, which JSON leaves out: compare the distributions' buckets one by one.
        var torch = decoded.Summaries[1].Modules.Single(m => m.Name == "torch");
        Assert.Equal([(29, 1L)], torch.CumulativeNs.Buckets);
        Assert.Equal([(19, 1L)], torch.SelfNs.Buckets);
        Assert.Equal(1_000_000, torch.SelfNs.Max);
        Assert.Equal([true, false], decoded.Summaries.Select(s => s.Members[0].PidVerified));
        Assert.Equal(
            new Dictionary<string, string?> { ["CUDA_VISIBLE_DEVICES"] = "1", ["LOADEDMODULES"] = null, ["PYTHONUSERBASE"] = "" },
            decoded.Summaries[1].Members[1].Variables);
    }

    [Fact]
    public void The_bytes_are_a_zstd_frame_holding_a_MessagePack_map_with_short_keys()
    {
        var bytes = BatchCodec.Encode(Sample());

        Assert.Equal(new byte[] { 0x28, 0xB5, 0x2F, 0xFD }, bytes[..4]);
        using var decompressor = new Decompressor();
        var reader = new MessagePackReader(decompressor.Unwrap(bytes).ToArray());
        int fields = reader.ReadMapHeader();
        var keys = new List<string>();
        for (int i = 0; i < fields; i++)
        {
            keys.Add(reader.ReadString()!);
            if (keys[^1] == "v")
            {
                Assert.Equal(WireFormat.Version, reader.ReadInt32());
            }
            else
            {
                reader.Skip();
            }
        }
        Assert.Equal(["v", "key", "node", "agent", "created", "sums"], keys);
    }

    [Fact]
    public void Keys_a_newer_writer_adds_are_skipped()
    {
        var buffer = new ArrayBufferWriter<byte>();
        var w = new MessagePackWriter(buffer);
        w.WriteMapHeader(5);
        w.Write("v"); w.Write(WireFormat.Version);
        w.Write("created"); w.Write(1_764_000_000_000L);
        w.Write("future"); w.WriteArrayHeader(2); w.Write(1); w.Write("x");
        w.Write("key"); w.Write("k1");
        w.Write("sums"); w.WriteArrayHeader(1);
        w.WriteMapHeader(2);
        w.Write("members"); w.WriteArrayHeader(1);
        w.WriteArrayHeader(14);
        w.Write("n:7.1"); w.Write(7); w.Write(0); w.Write(-1); w.Write(1_764_000_000_000L); w.Write(1_764_000_000_100L); w.Write(0L); w.Write(0L);
        w.Write("exit"); w.Write(false); w.Write("/"); w.Write(true);
        w.WriteNil(); // no variables of its own, written because a field follows
        w.Write("a future member field");
        w.Write("gpu"); w.Write("A100");
        w.Flush();

        var batch = BatchCodec.Decode(Compress(buffer.WrittenSpan));

        Assert.Equal("k1", batch.Key);
        Assert.Equal(7, Assert.Single(Assert.Single(batch.Summaries).Members).Pid);
    }

    [Theory]
    [InlineData("not zstd at all")]
    [InlineData("")]
    public void Bytes_that_are_not_zstd_are_refused(string text)
    {
        Assert.Throws<WireFormatException>(() => BatchCodec.Decode(System.Text.Encoding.UTF8.GetBytes(text)));
    }

    [Fact]
    public void A_truncated_batch_is_refused()
    {
        var plain = Decompress(BatchCodec.Encode(Sample()));

        Assert.Throws<WireFormatException>(() => BatchCodec.Decode(Compress(plain.AsSpan(0, plain.Length / 2))));
    }

    [Fact]
    public void A_truncated_zstd_frame_is_refused()
    {
        var bytes = BatchCodec.Encode(Sample());

        Assert.Throws<WireFormatException>(() => BatchCodec.Decode(bytes.AsMemory(0, bytes.Length - 5)));
    }

    [Fact]
    public void Another_schema_version_is_refused()
    {
        var buffer = new ArrayBufferWriter<byte>();
        var w = new MessagePackWriter(buffer);
        w.WriteMapHeader(2);
        w.Write("v"); w.Write(99);
        w.Write("key"); w.Write("k");
        w.Flush();

        var e = Assert.Throws<WireFormatException>(() => BatchCodec.Decode(Compress(buffer.WrittenSpan)));
        Assert.Contains("99", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_batch_without_a_key_is_refused()
    {
        var buffer = new ArrayBufferWriter<byte>();
        var w = new MessagePackWriter(buffer);
        w.WriteMapHeader(1);
        w.Write("v"); w.Write(WireFormat.Version);
        w.Flush();

        Assert.Throws<WireFormatException>(() => BatchCodec.Decode(Compress(buffer.WrittenSpan)));
    }

    [Fact]
    public void A_batch_larger_than_the_limit_is_refused_before_decompression()
    {
        var bytes = BatchCodec.Encode(Sample());
        var plainSize = Decompress(bytes).Length;

        Assert.Throws<WireFormatException>(() => BatchCodec.Decode(bytes, new WireLimits { MaxDecompressedBytes = plainSize - 1 }));
        Assert.Throws<WireFormatException>(() => BatchCodec.Decode(bytes, new WireLimits { MaxCompressedBytes = bytes.Length - 1 }));
    }

    [Fact]
    public void A_huge_array_count_with_no_elements_is_refused_without_allocating_it()
    {
        var buffer = new ArrayBufferWriter<byte>();
        var w = new MessagePackWriter(buffer);
        w.WriteMapHeader(3);
        w.Write("v"); w.Write(WireFormat.Version);
        w.Write("key"); w.Write("k");
        w.Write("sums"); w.WriteArrayHeader(int.MaxValue);
        w.Flush();

        Assert.Throws<WireFormatException>(() => BatchCodec.Decode(Compress(buffer.WrittenSpan)));
    }

    [Fact]
    public void A_module_counted_in_more_processes_than_the_summary_has_is_refused()
    {
        var batch = Sample();
        var summary = batch.Summaries[0];
        var forged = batch with
        {
            Summaries = [summary with { Modules = [summary.Modules[0] with { Processes = 5, Members = [0, 1, 2, 3, 4] }] }],
        };

        var e = Assert.Throws<WireFormatException>(() => BatchCodec.Decode(BatchCodec.Encode(forged)));
        Assert.Contains("numpy", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_distribution_whose_buckets_disagree_with_its_count_is_refused()
    {
        var batch = Sample();
        var summary = batch.Summaries[1];
        var forged = batch with
        {
            Summaries = [summary with { Modules = [summary.Modules[0] with { SelfNs = TimeDistribution.From(1000, 1, 1, 1, [(0, 1)]) }] }],
        };

        Assert.Throws<WireFormatException>(() => BatchCodec.Decode(BatchCodec.Encode(forged)));
    }

    internal static byte[] Compress(ReadOnlySpan<byte> plain)
    {
        using var compressor = new Compressor(3);
        return compressor.Wrap(plain).ToArray();
    }

    internal static byte[] Decompress(byte[] compressed)
    {
        using var decompressor = new Decompressor();
        return decompressor.Unwrap(compressed).ToArray();
    }
}
