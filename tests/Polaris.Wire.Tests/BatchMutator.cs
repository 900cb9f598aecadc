using ZstdSharp;

namespace Polaris.Wire.Tests;

/// <summary>Mutates real encoded batches for the decoder's fuzz tests: in the MessagePack before compression (so the
/// mutation reaches the reader) and in the compressed bytes (so it reaches the decompressor).</summary>
public sealed class BatchMutator(int seed)
{
    // Bytes that change a MessagePack value's type or size: nil, false, uint64, int64, float64, str32, bin32,
    // array16/32, map16/32, negative fixint, fixarray/fixmap of one, and edges of fixint.
    private static readonly byte[] Interesting = [0xc0, 0xc2, 0xcf, 0xd3, 0xcb, 0xdb, 0xc6, 0xdc, 0xdd, 0xde, 0xdf, 0xff, 0x91, 0x81, 0x7f, 0x80, 0x00, 0xa0, 0xd0];

    private readonly Random _random = new(seed);

    /// <summary>Real batches: one with every field filled, and one of many summaries.</summary>
    public static IReadOnlyList<Batch> Corpus() =>
    [
        new Batch
        {
            Key = "0193a1b2c3d4e5f60718293a4b5c6d7e", Node = "x3005c0s13b0n0", AgentVersion = "0.1.0", CreatedAtMs = 1_764_000_000_123,
            Summaries = SummaryBuilder.Summarize(
            [
                new ProcessRecord
                {
                    Host = "x3005c0s13b0n0", Uid = 0, User = "root", Pid = 1, ParentPid = 77, WorkingDirectory = "/lus/eagle/projects/p/run",
                    StartedAtMs = 1_764_000_000_000, EndedAtMs = 1_764_000_002_000, ImportNs = 81_000_000, RuntimeNs = 2_000_000_000,
                    ExitReason = ExitReasons.Signal, Partial = true, PidVerified = true,
                    Modules =
                    [
                        new ModuleImport("torch", "/soft/conda/lib/python3.11/site-packages/torch/__init__.py") { Kind = ModuleKind.Source, Version = "2.3.0", Origin = Origin.BaseEnv },
                        new ModuleImport("torch.nn", "/soft/conda/lib/python3.11/site-packages/torch/nn/__init__.py"),
                    ],
                    // torch.nn loaded at start-up: the module entry's tenth element is in the corpus too.
                    Times = [new ImportTime(900_000_000, 1_000_000), new ImportTime(1000, 500) { Startup = true }],
                    SharedObjects = [new SharedObject("/usr/lib/x86_64-linux-gnu/libcuda.so.1") { Origin = Origin.System }],
                    Environment = new PythonEnvironment
                    {
                        Implementation = "cpython", Prefix = "/home/asmith/envs/ml", BasePrefix = "/soft/conda", Kind = EnvironmentKind.BaseClone, Name = "ml",
                        Changes = new EnvironmentChanges
                        {
                            CondaAdded = [new CondaPackage("xarray", "2024.3.0", "pyhd8ed1ab_0", "conda-forge")],
                            CondaChanged = [new PackageChange("numpy", "1.26.4 py311h64a7726_0", "2.0.0 py311h1_0")],
                            PipInstalled = [new PipPackage("mytool", "0.3")],
                            UserSite = "/home/asmith/.local/lib/python3.11/site-packages", PythonPath = ["/home/asmith/lib"],
                        },
                    },
                    Job = new JobContext
                    {
                        JobId = "1234501.polaris-pbs-01", Account = "MatSciProj", Queue = "prod", NodeCount = 4, Rank = 3, Size = 16,
                        Script = "/home/asmith/run.py", Variables = new Dictionary<string, string> { ["PBS_JOBID"] = "1234501.polaris-pbs-01" },
                    },
                },
            ]),
        },
        new Batch
        {
            Key = "0193a1b2c3d4e5f60718293a4b5c6d7f", Node = "x1000c0s0b0n0", AgentVersion = "0.1.0", CreatedAtMs = 1_764_000_000_456,
            Summaries = SummaryBuilder.Summarize(Enumerable.Range(0, 40).Select(i => new ProcessRecord
            {
                Host = "x1000c0s0b0n0", Uid = (uint)(1000 + i % 5), User = $"user{i % 5}", Pid = 100 + i,
                StartedAtMs = 1_764_000_000_000 + i, EndedAtMs = 1_764_000_001_000 + i, RuntimeNs = 1_000_000_000,
                Modules = Enumerable.Range(0, 1 + i % 7).Select(m => new ModuleImport(m == 0 ? "numpy" : $"numpy.m{m}", $"/soft/numpy/m{m}.py") { Version = m == 0 ? "1.26" : "" }).ToArray(),
                Times = Enumerable.Range(0, 1 + i % 7).Select(m => new ImportTime(1000L * (m + 1), 500L * (m + 1)) { Startup = m == 1 && i % 3 == 0 }).ToArray(),
                // Each rank has its own PMI_RANK, every other one a device: members with variables of their own, set and unset.
                Job = new JobContext
                {
                    JobId = $"{i % 3}.pbs", Rank = i, Size = 40,
                    Variables = i % 2 == 0
                        ? new Dictionary<string, string> { ["PBS_JOBID"] = $"{i % 3}.pbs", ["PMI_RANK"] = $"{i}", ["CUDA_VISIBLE_DEVICES"] = $"{i % 4}" }
                        : new Dictionary<string, string> { ["PBS_JOBID"] = $"{i % 3}.pbs", ["PMI_RANK"] = $"{i}" },
                },
            })),
        },
    ];

    /// <summary>The corpus as pairs of MessagePack and compressed bytes.</summary>
    public static (byte[] Plain, byte[] Compressed)[] EncodedCorpus()
    {
        using var decompressor = new Decompressor();
        return Corpus().Select(b => BatchCodec.Encode(b)).Select(c => (decompressor.Unwrap(c).ToArray(), c)).ToArray();
    }

    /// <summary>One zstd frame of <paramref name="plain"/>.</summary>
    public static byte[] Compress(ReadOnlySpan<byte> plain)
    {
        using var compressor = new Compressor(3);
        return compressor.Wrap(plain).ToArray();
    }

    /// <summary>A mutation of <paramref name="plain"/> MessagePack bytes: a few random edits.</summary>
    public byte[] MutatePlain(byte[] plain)
    {
        var bytes = new List<byte>(plain);
        int edits = 1 + _random.Next(4);
        for (int e = 0; e < edits && bytes.Count > 0; e++)
        {
            int at = _random.Next(bytes.Count);
            switch (_random.Next(7))
            {
                case 0: bytes[at] ^= (byte)(1 << _random.Next(8)); break;
                case 1: bytes[at] = Interesting[_random.Next(Interesting.Length)]; break;
                case 2: bytes[at] = (byte)_random.Next(256); break;
                case 3: bytes.RemoveRange(at, Math.Min(bytes.Count - at, 1 + _random.Next(16))); break;
                case 4: bytes.InsertRange(at, Enumerable.Range(0, 1 + _random.Next(8)).Select(_ => Interesting[_random.Next(Interesting.Length)])); break;
                case 5:
                    // A slice copied elsewhere: a duplicated entry, field or summary.
                    int length = Math.Min(bytes.Count - at, 1 + _random.Next(64));
                    bytes.InsertRange(_random.Next(bytes.Count), bytes.GetRange(at, length));
                    break;
                default:
                    // A big-endian length or number made huge.
                    for (int k = at; k < Math.Min(bytes.Count, at + 4); k++)
                    {
                        bytes[k] = 0xff;
                    }
                    break;
            }
        }
        return [.. bytes];
    }

    /// <summary>A mutation of the compressed bytes: flipped bits, or a truncation.</summary>
    public byte[] MutateCompressed(byte[] compressed)
    {
        var bytes = (byte[])compressed.Clone();
        if (_random.Next(4) == 0)
        {
            return bytes[.._random.Next(bytes.Length)];
        }
        int flips = 1 + _random.Next(3);
        for (int f = 0; f < flips; f++)
        {
            bytes[_random.Next(bytes.Length)] ^= (byte)(1 << _random.Next(8));
        }
        return bytes;
    }

    /// <summary>A mutated batch on the wire: mostly mutated MessagePack, compressed; sometimes mutated compression.</summary>
    public byte[] Next(IReadOnlyList<(byte[] Plain, byte[] Compressed)> corpus)
    {
        var (plain, compressed) = corpus[_random.Next(corpus.Count)];
        return _random.Next(5) == 0 ? MutateCompressed(compressed) : Compress(MutatePlain(plain));
    }
}
