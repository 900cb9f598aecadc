using System.Text;
using MessagePack;

namespace Polaris.Wire;

/// <summary>Reads a batch written by <see cref="BatchWriter"/>; unknown keys are skipped so newer writers stay readable.</summary>
/// <remarks>
/// Every count is checked against its bound of <see cref="SummaryBounds"/> at its header, before anything is made for
/// it, and what the objects it makes hold is counted in <see cref="DecodedBytes"/> before they are made: a summary
/// of 64 variables a member, or of 16,384 modules of one-byte names, decodes to many times its bytes.
/// </remarks>
internal sealed class BatchReader
{
    // What stays of each (the copies records are read through are short-lived and not counted): a summary with its
    // environment, job and changes records; a member; a module; a shared object; a distribution with its bucket
    // array, and a bucket; an entry of environment changes, apart from its strings; a refused summary's record.
    private const int SummaryBytes = 512;
    private const int MemberBytes = 112;
    private const int ModuleBytes = 96;
    private const int SharedObjectBytes = 40;
    private const int DistributionBytes = 160;
    private const int BucketBytes = 32;
    private const int ChangeBytes = 48;
    private const int RefusalBytes = 64;

    private readonly DecodedBytes _decoded;
    private readonly StringPool? _strings;

    private BatchReader(DecodedBytes decoded, StringPool? strings)
    {
        _decoded = decoded;
        _strings = strings;
    }

    /// <summary>Reads a batch; a summary that breaks the format or <see cref="SummaryRules"/> is left out and
    /// listed in <paramref name="refused"/> instead.</summary>
    /// <exception cref="WireFormatException">The batch itself is broken: not a map, no key, another version, a
    /// batch field out of range, or a summary whose MessagePack structure cannot even be skipped.</exception>
    /// <param name="r">The batch's MessagePack.</param>
    /// <param name="refused">Where the summaries refused one by one are listed.</param>
    /// <param name="decoded">Counts (and reserves) what the decoded objects hold.</param>
    /// <param name="strings">Where repeated strings are shared; null to make each anew.</param>
    public static Batch Read(ref MessagePackReader r, List<SummaryRefusal> refused, DecodedBytes decoded, StringPool? strings = null) =>
        new BatchReader(decoded, strings).ReadBatch(ref r, refused);

    private Batch ReadBatch(ref MessagePackReader r, List<SummaryRefusal> refused)
    {
        int? version = null;
        string? key = null, node = null, agent = null;
        long created = 0;
        List<ProcessSummary>? summaries = null;
        int fields = ReadMapHeader(ref r, "batch");
        for (int i = 0; i < fields; i++)
        {
            switch (ReadKey(ref r))
            {
                case WireKeys.Version: version = r.ReadInt32(); break;
                case WireKeys.Key: key = String(ref r); break;
                case WireKeys.Node: node = String(ref r); break;
                case WireKeys.Agent: agent = String(ref r); break;
                case WireKeys.Created: created = r.ReadInt64(); break;
                case WireKeys.Summaries: summaries = ReadSummaries(ref r, refused); break;
                default: SkipValue(ref r); break;
            }
        }
        if (version != WireFormat.Version)
        {
            throw new WireFormatException($"batch version {version?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "missing"} is not {WireFormat.Version}");
        }
        if (string.IsNullOrEmpty(key))
        {
            throw new WireFormatException("batch has no key");
        }
        SummaryRules.Text("batch node", node ?? "", SummaryBounds.MaxTextBytes);
        SummaryRules.Text("batch agent", agent ?? "", SummaryBounds.MaxTextBytes);
        SummaryRules.Time("batch created", created);
        return new Batch
        {
            Key = key,
            Node = node ?? "",
            AgentVersion = agent ?? "",
            CreatedAtMs = created,
            Summaries = summaries ?? [],
        };
    }

    /// <summary>Reads each summary, so that one that is malformed inside, too large, or breaks a rule is refused alone
    /// and the next one is read from where it starts.</summary>
    /// <remarks>Where the bytes left could hold a summary past <see cref="SummaryBounds.MaxSummaryBytes"/>, the summary
    /// is skipped first to find its length, and read only when within the bound, from a copy of the reader. Where they
    /// cannot (every batch an agent sends), it is read at once, and skipped from its start only when the reading fails:
    /// walking every summary twice took a third of the decoding time.</remarks>
    private List<ProcessSummary> ReadSummaries(ref MessagePackReader r, List<SummaryRefusal> refused)
    {
        int count = r.ReadArrayHeader();
        // Never pre-size from a count the sender chose: ReadArrayHeader already checked it against the bytes left.
        var summaries = new List<ProcessSummary>(Math.Min(count, 1024));
        for (int i = 0; i < count; i++)
        {
            _decoded.Add(DecodedBytes.SlotBytes + RefusalBytes);
            var start = r;
            bool mayBeTooLarge = r.Sequence.Length - r.Consumed > SummaryBounds.MaxSummaryBytes;
            if (mayBeTooLarge)
            {
                SkipValue(ref r);
                if (r.Consumed - start.Consumed is var length && length > SummaryBounds.MaxSummaryBytes)
                {
                    _decoded.Add(DecodedBytes.String(80));
                    Refuse(refused, new SummaryRefusal(i, $"summary is {length} bytes; at most {SummaryBounds.MaxSummaryBytes}", SummaryRefusalKind.TooLarge));
                    continue;
                }
            }
            var summaryReader = start;
            ProcessSummary summary;
            try
            {
                summary = ReadSummary(ref summaryReader);
                if (mayBeTooLarge && summaryReader.Consumed != r.Consumed)
                {
                    throw new WireFormatException("summary does not end where its MessagePack value does");
                }
            }
            catch (Exception e) when (e is WireFormatException or MessagePackSerializationException or OverflowException
                or EndOfStreamException or ArgumentException or InvalidOperationException)
            {
                if (!mayBeTooLarge)
                {
                    // Where the summary ends, from its start: a summary whose structure cannot even be skipped breaks the batch.
                    r = start;
                    SkipValue(ref r);
                }
                _decoded.Add(DecodedBytes.String(e.Message.Length));
                Refuse(refused, new SummaryRefusal(i, e.Message,
                    e is WireFormatException { OutOfBounds: true } ? SummaryRefusalKind.OutOfBounds : SummaryRefusalKind.Malformed));
                continue;
            }
            if (!mayBeTooLarge)
            {
                r = summaryReader;
            }
            try
            {
                SummaryRules.Check(summary);
                summaries.Add(summary);
            }
            catch (WireFormatException e)
            {
                _decoded.Add(DecodedBytes.String(e.Message.Length));
                Refuse(refused, new SummaryRefusal(i, e.Message, SummaryRefusalKind.OutOfBounds));
            }
        }
        return summaries;
    }

    /// <summary>Lists a refused summary; past <see cref="SummaryBounds.MaxRefusedSummaries"/> the batch is no batch an
    /// agent sends, and is refused whole before its refusals cost more.</summary>
    private static void Refuse(List<SummaryRefusal> refused, SummaryRefusal refusal)
    {
        if (refused.Count >= SummaryBounds.MaxRefusedSummaries)
        {
            throw new WireFormatException($"more than {SummaryBounds.MaxRefusedSummaries} summaries of the batch are refused");
        }
        refused.Add(refusal);
    }

    private ProcessSummary ReadSummary(ref MessagePackReader r)
    {
        _decoded.Add(SummaryBytes);
        var summary = new ProcessSummary { Host = "", Uid = 0 };
        bool? final = null;
        int fields = ReadMapHeader(ref r, "summary");
        for (int i = 0; i < fields; i++)
        {
            var key = ReadKey(ref r);
            if (key == WireKeys.Final)
            {
                final = r.ReadBoolean();
                continue;
            }
            summary = key switch
            {
                WireKeys.Host => summary with { Host = Text(ref r) },
                WireKeys.Uid => summary with { Uid = r.ReadUInt32() },
                WireKeys.User => summary with { User = Text(ref r) },
                WireKeys.Python => summary with { PythonVersion = Text(ref r) },
                WireKeys.Executable => summary with { Executable = Text(ref r) },
                WireKeys.Environment => summary with { Environment = ReadEnvironment(ref r) },
                WireKeys.Job => summary with { Job = ReadJob(ref r) },
                WireKeys.Members => summary with { Members = ReadMembers(ref r) },
                WireKeys.Modules => summary with { Modules = ReadModules(ref r) },
                WireKeys.SharedObjects => summary with { SharedObjects = ReadSharedObjects(ref r) },
                WireKeys.Clipped => summary with { Clipped = ReadClips(ref r) },
                WireKeys.SummaryId => summary with { SummaryId = String(ref r) },
                WireKeys.SummaryVersion => summary with { Version = ReadVersion(ref r) },
                WireKeys.Source => summary with { Source = ReadSource(ref r) },
                _ => Skip(ref r, summary),
            };
        }
        // Without a sid a summary is version 0 and final, whatever else it says: every summary before live ones was.
        return summary.SummaryId == null
            ? summary with { Version = 0, Final = true }
            : summary with { Final = final ?? false };
    }

    /// <summary>The record's source (<c>src</c>: agent, xalt or pymodulesnooper), refused when it names none of them
    /// or is no string.</summary>
    private static RecordSource ReadSource(ref MessagePackReader r)
    {
        // Compared as bytes: a long string here is made into nothing.
        var source = r.NextMessagePackType == MessagePackType.String && r.TryReadStringSpan(out var utf8) ? WireNames.ParseSource(utf8) : null;
        return source
            ?? throw new WireFormatException("src must be agent, xalt or pymodulesnooper") { OutOfBounds = true };
    }

    /// <summary>A live summary's version, refused past <see cref="SummaryBounds.MaxSummaryVersion"/> as it is read.</summary>
    private static uint ReadVersion(ref MessagePackReader r)
    {
        ulong version = r.ReadUInt64();
        return version <= SummaryBounds.MaxSummaryVersion
            ? (uint)version
            : throw new WireFormatException($"ver {version} is past {SummaryBounds.MaxSummaryVersion}") { OutOfBounds = true };
    }

    /// <summary>What the daemon left out of a summary: counts by kind; a kind this reader does not know is skipped.</summary>
    private Clips ReadClips(ref MessagePackReader r)
    {
        var clips = default(Clips);
        int fields = ReadMapHeader(ref r, "clip");
        for (int i = 0; i < fields; i++)
        {
            var key = ReadKey(ref r);
            long count = r.ReadInt64();
            if (count < 0)
            {
                throw new WireFormatException($"clip: a negative count of {key}");
            }
            clips = key switch
            {
                WireKeys.ClippedModules => clips with { Modules = count },
                WireKeys.ClippedSharedObjects => clips with { SharedObjects = count },
                WireKeys.ClippedTexts => clips with { Texts = count },
                WireKeys.ClippedNumbers => clips with { Numbers = count },
                _ => clips,
            };
        }
        return clips;
    }

    private List<SummaryMember> ReadMembers(ref MessagePackReader r)
    {
        int count = Bounded(r.ReadArrayHeader(), SummaryBounds.MaxMembers, "members");
        _decoded.Add(DecodedBytes.List(count) + ((long)MemberBytes * count));
        var members = new List<SummaryMember>(Math.Min(count, 4096));
        for (int i = 0; i < count; i++)
        {
            int length = r.ReadArrayHeader();
            if (length < 11)
            {
                throw new WireFormatException("a member needs [rid, pid, ppid, rank, start, end, importns, runns, exit, partial, cwd]");
            }
            var member = new SummaryMember(Text(ref r), r.ReadInt32())
            {
                ParentPid = r.ReadInt32(),
                Rank = r.ReadInt32(),
                StartedAtMs = r.ReadInt64(),
                EndedAtMs = r.ReadInt64(),
                ImportNs = r.ReadInt64(),
                RuntimeNs = r.ReadInt64(),
                ExitReason = Text(ref r),
                Partial = r.ReadBoolean(),
                WorkingDirectory = Text(ref r),
            };
            // Twelfth since the pid is checked; a member of an older writer is unverified.
            if (length >= 12)
            {
                member = member with { PidVerified = r.ReadBoolean() };
            }
            // Thirteenth, written only when the member has variables of its own.
            if (length >= 13)
            {
                member = member with { Variables = ReadMemberVariables(ref r, member.Pid) };
            }
            members.Add(member);
            SkipRest(ref r, length, Math.Min(length, 13));
        }
        return members;
    }

    private List<ModuleUse> ReadModules(ref MessagePackReader r)
    {
        int count = Bounded(r.ReadArrayHeader(), SummaryBounds.MaxModulesPerSummary, "mods");
        _decoded.Add(DecodedBytes.List(count) + ((long)ModuleBytes * count));
        var modules = new List<ModuleUse>(Math.Min(count, 4096));
        for (int i = 0; i < count; i++)
        {
            int length = r.ReadArrayHeader();
            if (length < 9)
            {
                throw new WireFormatException("a module needs [name, file, kind, version, origin, processes, self, cumulative, members]");
            }
            var name = String(ref r);
            if (string.IsNullOrEmpty(name))
            {
                throw new WireFormatException("a module entry has no name");
            }
            modules.Add(new ModuleUse(name, Text(ref r))
            {
                Kind = ReadModuleKind(ref r),
                Version = Text(ref r),
                Origin = ReadOrigin(ref r),
                Processes = r.ReadInt32(),
                SelfNs = ReadDistribution(ref r),
                CumulativeNs = ReadDistribution(ref r),
                Members = ReadIndices(ref r),
                // Tenth, written only when some process loaded the module at start-up.
                StartupProcesses = length >= 10 ? r.ReadInt32() : 0,
            });
            SkipRest(ref r, length, Math.Min(length, 10));
        }
        return modules;
    }

    private IReadOnlyList<int> ReadIndices(ref MessagePackReader r)
    {
        int count = Bounded(r.ReadArrayHeader(), SummaryBounds.MaxMembers, "a module's members");
        if (count == 0)
        {
            return []; // every member imported it: most modules of most summaries
        }
        _decoded.Add(DecodedBytes.CollectionBytes + (8L * count));
        var indices = new int[count];
        for (int i = 0; i < count; i++)
        {
            indices[i] = r.ReadInt32();
        }
        return indices;
    }

    private TimeDistribution ReadDistribution(ref MessagePackReader r)
    {
        int length = r.ReadArrayHeader();
        if (length < 5)
        {
            throw new WireFormatException("a distribution needs [count, sum, min, max, buckets]");
        }
        long count = r.ReadInt64(), sum = r.ReadInt64(), min = r.ReadInt64(), max = r.ReadInt64();
        // Buckets are distinct, 0 to 63: 64 pairs at most.
        int pairs = Bounded(r.ReadArrayHeader(), 128, "a distribution's buckets");
        if (pairs % 2 != 0)
        {
            throw new WireFormatException("a distribution's buckets come in [bucket, count] pairs");
        }
        _decoded.Add(DistributionBytes + ((long)BucketBytes * (pairs / 2)));
        var buckets = new (int Bucket, long Count)[pairs / 2];
        long inBuckets = 0;
        for (int i = 0; i < buckets.Length; i++)
        {
            int bucket = r.ReadInt32();
            long n = r.ReadInt64();
            if (bucket is < 0 or > 63 || n < 1)
            {
                throw new WireFormatException($"a distribution bucket [{bucket}, {n}] is out of range");
            }
            inBuckets = checked(inBuckets + n);
            buckets[i] = (bucket, n);
        }
        if (count < 0 || inBuckets != count || min < 0 || max < min || sum < 0)
        {
            throw new WireFormatException("a distribution's count, extremes and buckets disagree");
        }
        SkipRest(ref r, length, 5);
        return TimeDistribution.FromOwned(count, sum, min, max, buckets);
    }

    private List<SharedObjectUse> ReadSharedObjects(ref MessagePackReader r)
    {
        int count = Bounded(r.ReadArrayHeader(), SummaryBounds.MaxSharedObjectsPerSummary, "sos");
        _decoded.Add(DecodedBytes.List(count) + ((long)SharedObjectBytes * count));
        var objects = new List<SharedObjectUse>(Math.Min(count, 4096));
        for (int i = 0; i < count; i++)
        {
            int length = r.ReadArrayHeader();
            if (length < 3)
            {
                throw new WireFormatException("a shared object needs [path, origin, processes]");
            }
            objects.Add(new SharedObjectUse(Text(ref r), ReadOrigin(ref r), r.ReadInt32()));
            SkipRest(ref r, length, 3);
        }
        return objects;
    }

    private static void SkipRest(ref MessagePackReader r, int length, int read)
    {
        for (int i = read; i < length; i++)
        {
            SkipValue(ref r);
        }
    }

    /// <summary>Skips one value of any depth without recursion: MessagePackReader.Skip recurses once per level of
    /// nesting, so a few megabytes of nested one-element arrays would overflow the stack and end the process.</summary>
    private static void SkipValue(ref MessagePackReader r)
    {
        long pending = 1;
        while (pending > 0)
        {
            pending--;
            switch (r.NextMessagePackType)
            {
                // Each header's count is checked against the bytes left, so pending stays bounded by them.
                case MessagePackType.Array: pending += r.ReadArrayHeader(); break;
                case MessagePackType.Map: pending += 2L * r.ReadMapHeader(); break;
                default: r.Skip(); break;
            }
        }
    }

    private PythonEnvironment ReadEnvironment(ref MessagePackReader r)
    {
        var environment = new PythonEnvironment();
        int fields = ReadMapHeader(ref r, "environment");
        for (int i = 0; i < fields; i++)
        {
            environment = ReadKey(ref r) switch
            {
                WireKeys.Implementation => environment with { Implementation = Text(ref r) },
                WireKeys.Prefix => environment with { Prefix = Text(ref r) },
                WireKeys.BasePrefix => environment with { BasePrefix = Text(ref r) },
                WireKeys.Kind => environment with { Kind = WireNames.ParseEnvironmentKind(r.ReadString()) },
                WireKeys.Name => environment with { Name = Text(ref r) },
                WireKeys.Changes => environment with { Changes = ReadChanges(ref r) },
                _ => Skip(ref r, environment),
            };
        }
        return environment;
    }

    private EnvironmentChanges ReadChanges(ref MessagePackReader r)
    {
        var changes = new EnvironmentChanges();
        int fields = ReadMapHeader(ref r, "changes");
        for (int i = 0; i < fields; i++)
        {
            changes = ReadKey(ref r) switch
            {
                WireKeys.CondaAdded => changes with { CondaAdded = ReadConda(ref r) },
                WireKeys.CondaRemoved => changes with { CondaRemoved = ReadConda(ref r) },
                WireKeys.CondaChanged => changes with { CondaChanged = ReadList(ref r, 3, v => new PackageChange(v[0], v[1], v[2])) },
                WireKeys.Pip => changes with { PipInstalled = ReadList(ref r, 2, v => new PipPackage(v[0], v[1])) },
                WireKeys.UserSite => changes with { UserSite = Text(ref r) },
                WireKeys.PythonPath => changes with { PythonPath = ReadStringArray(ref r) },
                _ => Skip(ref r, changes),
            };
        }
        return changes;
    }

    private List<CondaPackage> ReadConda(ref MessagePackReader r) =>
        ReadList(ref r, 4, v => new CondaPackage(v[0], v[1], v[2], v[3]));

    private JobContext ReadJob(ref MessagePackReader r)
    {
        var job = new JobContext();
        int fields = ReadMapHeader(ref r, "job");
        for (int i = 0; i < fields; i++)
        {
            job = ReadKey(ref r) switch
            {
                WireKeys.JobId => job with { JobId = Text(ref r) },
                WireKeys.Account => job with { Account = Text(ref r) },
                WireKeys.Queue => job with { Queue = Text(ref r) },
                WireKeys.Nodes => job with { NodeCount = r.ReadInt32() },
                WireKeys.Rank => job with { Rank = r.ReadInt32() },
                WireKeys.Size => job with { Size = r.ReadInt32() },
                WireKeys.Script => job with { Script = Text(ref r) },
                WireKeys.Variables => job with { Variables = ReadVariables(ref r) },
                _ => Skip(ref r, job),
            };
        }
        return job;
    }

    private Dictionary<string, string> ReadVariables(ref MessagePackReader r)
    {
        int count = Bounded(ReadMapHeader(ref r, "vars"), SummaryBounds.MaxVariables, "job vars");
        _decoded.Add(DecodedBytes.Dictionary(count));
        var variables = new Dictionary<string, string>(Math.Min(count, 64), StringComparer.Ordinal);
        for (int i = 0; i < count; i++)
        {
            variables[Name(ref r)] = Text(ref r);
        }
        return variables;
    }

    /// <summary>A member's own variables: nil or a map of names to a string or nil (a variable it had not set).</summary>
    private IReadOnlyDictionary<string, string?> ReadMemberVariables(ref MessagePackReader r, int pid)
    {
        if (r.TryReadNil())
        {
            return MemberVariables.None;
        }
        int count = Bounded(ReadMapHeader(ref r, "member vars"), SummaryBounds.MaxVariables, $"member {pid}: vars");
        if (count == 0)
        {
            return MemberVariables.None;
        }
        _decoded.Add(DecodedBytes.Dictionary(count));
        var variables = new Dictionary<string, string?>(Math.Min(count, SummaryBounds.MaxVariables), StringComparer.Ordinal);
        for (int i = 0; i < count; i++)
        {
            var name = Name(ref r);
            variables[name] = r.TryReadNil() ? null : Text(ref r);
        }
        return variables;
    }

    private List<T> ReadList<T>(ref MessagePackReader r, int width, Func<string[], T> make)
    {
        int count = Bounded(r.ReadArrayHeader(), SummaryBounds.MaxPackageChanges, "a list of environment changes");
        _decoded.Add(DecodedBytes.List(count) + ((ChangeBytes + (16L * width)) * count));
        var items = new List<T>(Math.Min(count, 1024));
        for (int i = 0; i < count; i++)
        {
            items.Add(make(ReadStrings(ref r, width)));
        }
        return items;
    }

    private string[] ReadStrings(ref MessagePackReader r, int width)
    {
        int length = r.ReadArrayHeader();
        if (length < width)
        {
            throw new WireFormatException($"expected an array of {width} strings, found {length} items");
        }
        var values = new string[width];
        for (int i = 0; i < width; i++)
        {
            values[i] = Text(ref r);
        }
        SkipRest(ref r, length, width);
        return values;
    }

    private List<string> ReadStringArray(ref MessagePackReader r)
    {
        int count = Bounded(r.ReadArrayHeader(), SummaryBounds.MaxPackageChanges, "pypath");
        _decoded.Add(DecodedBytes.List(count));
        var values = new List<string>(Math.Min(count, 1024));
        for (int i = 0; i < count; i++)
        {
            values.Add(Text(ref r));
        }
        return values;
    }

    private string Text(ref MessagePackReader r) => String(ref r) ?? "";

    /// <summary>A string or nil, counted before it is made: at most two bytes a character for its UTF-8 bytes; taken
    /// from the pool when the reader has one and the bytes lie in one piece.</summary>
    private string? String(ref MessagePackReader r)
    {
        if (r.TryReadStringSpan(out var span))
        {
            if (span.IsEmpty)
            {
                return "";
            }
            _decoded.Add(DecodedBytes.String(span.Length));
            return _strings != null ? _strings.Get(span) : Encoding.UTF8.GetString(span);
        }
        if (r.ReadStringSequence() is not { } utf8)
        {
            return null;
        }
        if (utf8.IsEmpty)
        {
            return "";
        }
        _decoded.Add(DecodedBytes.String(utf8.Length));
        return Encoding.UTF8.GetString(utf8);
    }

    /// <summary>An origin, parsed from its bytes where they lie in one piece.</summary>
    private static Origin ReadOrigin(ref MessagePackReader r) =>
        r.TryReadStringSpan(out var utf8) ? WireNames.ParseOrigin(utf8) : WireNames.ParseOrigin(r.ReadString());

    /// <summary>A module kind, parsed from its bytes where they lie in one piece.</summary>
    private static ModuleKind ReadModuleKind(ref MessagePackReader r) =>
        r.TryReadStringSpan(out var utf8) ? WireNames.ParseModuleKind(utf8) : WireNames.ParseModuleKind(r.ReadString());

    /// <summary>A map key that is kept (a variable's name), counted as the string it is.</summary>
    private string Name(ref MessagePackReader r) =>
        r.NextMessagePackType == MessagePackType.String
            ? String(ref r)!
            : throw new WireFormatException($"map key must be a string, not {r.NextMessagePackType}");

    /// <summary>A count read at its header, refused past its bound before anything is made for it: the header is
    /// the sender's word, checked only against the bytes left, which allow millions of one-byte entries.</summary>
    private static int Bounded(int count, int max, string what) =>
        count <= max
            ? count
            : throw new WireFormatException($"{what} holds {count} entries; at most {max}") { OutOfBounds = true };

    private static T Skip<T>(ref MessagePackReader r, T unchanged)
    {
        SkipValue(ref r);
        return unchanged;
    }

    private static int ReadMapHeader(ref MessagePackReader r, string what)
    {
        if (r.NextMessagePackType != MessagePackType.Map)
        {
            throw new WireFormatException($"{what} must be a map, not {r.NextMessagePackType}");
        }
        return r.ReadMapHeader();
    }

    private static string ReadKey(ref MessagePackReader r) =>
        r.NextMessagePackType == MessagePackType.String
            ? r.ReadString()!
            : throw new WireFormatException($"map key must be a string, not {r.NextMessagePackType}");
}
