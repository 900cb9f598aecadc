using System.Runtime.CompilerServices;

namespace Polaris.Wire;

/// <summary>Folds process records that share a <see cref="SummaryKey"/> into one <see cref="ProcessSummary"/>.</summary>
/// <remarks>
/// Memory grows with the distinct modules and the members, not with the records: a record's module list is
/// folded into the table and let go. A summary stays within <see cref="SummaryBounds"/>: its owner asks
/// <see cref="Fits"/> before adding a record and starts another summary when it does not, and a record that alone
/// would take a summary past a bound has what does not fit left out, counted in <see cref="ProcessSummary.Clipped"/>.
/// </remarks>
public sealed partial class SummaryBuilder
{
    private readonly List<SummaryMember> _members = [];
    private readonly List<ModuleTally> _modules = [];
    // By name alone (the string hash the runtime keeps fastest); the same name from another file is a second tally.
    private readonly Dictionary<string, ModuleTally> _moduleIndex = new(StringComparer.Ordinal);
    // The tallies of the last record, in its order: the next record of the same program lists the same modules in
    // the same order, with the same string instances when they come from one pool, so most look-ups are two
    // reference comparisons instead of a hash.
    private List<ModuleTally?> _lastSequence = [];
    private List<ModuleTally?> _sequence = [];
    private IReadOnlyList<ModuleImport>? _lastModules;
    private readonly List<(SharedObject Object, int Processes)> _objects = [];
    private readonly Dictionary<string, int> _objectIndex = new(StringComparer.Ordinal);
    // The last record's shared objects and where each is counted: the daemon hands the records of one program the
    // same list, which is then counted without a look-up.
    private IReadOnlyList<SharedObject>? _lastObjects;
    private int[] _lastObjectSlots = [];
    private ProcessRecord? _first;
    // The variables Fits found the record to have otherwise than the first member, kept for Add of the same record:
    // the comparison runs once per record.
    private ProcessRecord? _compared;
    private IReadOnlyDictionary<string, string?> _comparedVariables = MemberVariables.None;
    private int _comparedLeftOut;
    private Clips _clipped;
    // An upper bound of the encoded summary's size, less its distributions' buckets: those are counted now and then
    // (_bucketBytes), with room for what the records added since may have grown them (_bucketSlack).
    private long _bytes;
    private long _bucketBytes;
    private long _bucketSlack;

    // Upper bounds of encoded sizes: a module entry's fixed part (kind, origin, the counts of processes and of start-up
    // processes, two distribution headers), a
    // member's, a shared object's, one bucket, one member index (a uint16: MaxMembers < 65,536).
    private const int ModuleBytes = 160;
    private const int MemberBytes = 128;
    private const int SharedObjectBytes = 32;
    private const int BucketBytes = 10;
    private const int IndexBytes = 3;
    // The header's keys, numbers and MessagePack headers; a variable's two string headers.
    private const int HeaderBytes = 512;
    private const int VariableBytes = 10;

    /// <summary>The key every record added must share.</summary>
    public SummaryKey Key { get; }

    public SummaryBuilder(SummaryKey key) => Key = key;

    /// <summary>Processes folded in so far.</summary>
    public int Processes => _members.Count;

    /// <summary>An upper bound of the summary's MessagePack size.</summary>
    public long EncodedBytesBound => _bytes + _bucketBytes + _bucketSlack;

    /// <summary>True when adding <paramref name="record"/> keeps the summary within every bound of
    /// <see cref="SummaryBounds"/> whatever it holds: its owner closes the summary first when not. An empty summary
    /// fits any record (what does not fit of it is then left out and counted).</summary>
    public bool Fits(ProcessRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (_members.Count == 0)
        {
            return true;
        }
        if (_members.Count >= SummaryBounds.MaxMembers
            || _modules.Count + (ReferenceEquals(record.Modules, _lastModules) ? 0 : record.Modules.Count) > SummaryBounds.MaxModulesPerSummary
            || _objects.Count + (ReferenceEquals(record.SharedObjects, _lastObjects) ? 0 : record.SharedObjects.Count) > SummaryBounds.MaxSharedObjectsPerSummary)
        {
            return false;
        }
        long adds = RecordBytesBound(record);
        if (EncodedBytesBound + adds > SummaryBounds.MaxSummaryBytes && _bucketSlack > 0)
        {
            CountBuckets();
        }
        return EncodedBytesBound + adds <= SummaryBounds.MaxSummaryBytes;
    }

    /// <summary>What adding the record may add to the encoded summary, at most.</summary>
    private long RecordBytesBound(ProcessRecord record)
    {
        long bytes = MemberBytesOf(record, VariablesOf(record, out _)) + ((long)record.Modules.Count * (IndexBytes + (2 * BucketBytes)));
        if (!ReferenceEquals(record.Modules, _lastModules))
        {
            foreach (var module in record.Modules)
            {
                bytes += ModuleBytes + TextBytes(module.Name) + TextBytes(module.File) + TextBytes(module.Version);
            }
        }
        if (!ReferenceEquals(record.SharedObjects, _lastObjects))
        {
            foreach (var so in record.SharedObjects)
            {
                bytes += SharedObjectBytes + TextBytes(so.Path);
            }
        }
        return bytes;
    }

    /// <summary>What the record's member row takes in the encoded summary, at most: its variables that differ from
    /// the first member's included.</summary>
    private static long MemberBytesOf(ProcessRecord record, IReadOnlyDictionary<string, string?> variables) =>
        MemberBytes + TextBytes(record.RecordId) + TextBytes(record.ExitReason) + TextBytes(record.WorkingDirectory)
        + MemberVariables.EncodedBytesBound(variables);

    /// <summary>What the summary's header, made from its first record, takes encoded at most: the environment with its
    /// changes (<see cref="EnvironmentClip.MaxChangesBytes"/> at most, as the daemon clips them), the job with its
    /// variables, the interpreter and the identity.</summary>
    private static long HeaderBytesOf(ProcessRecord record)
    {
        var environment = record.Environment;
        var job = record.Job;
        long bytes = HeaderBytes + EnvironmentClip.EncodedBytesBound(environment.Changes)
            + TextBytes(environment.Implementation) + TextBytes(environment.Prefix) + TextBytes(environment.BasePrefix) + TextBytes(environment.Name)
            + TextBytes(job.JobId) + TextBytes(job.Account) + TextBytes(job.Queue) + TextBytes(job.Script)
            + TextBytes(record.Host) + TextBytes(record.User) + TextBytes(record.Executable) + TextBytes(record.PythonVersion);
        foreach (var (name, value) in job.Variables)
        {
            bytes += VariableBytes + TextBytes(name) + TextBytes(value);
        }
        return bytes;
    }

    /// <summary>The record's variables that differ from the first member's; none for the first.</summary>
    private IReadOnlyDictionary<string, string?> VariablesOf(ProcessRecord record, out int leftOut)
    {
        if (_first == null)
        {
            leftOut = 0;
            return MemberVariables.None;
        }
        if (!ReferenceEquals(record, _compared))
        {
            _comparedVariables = MemberVariables.Between(_first.Job.Variables, record.Job.Variables, out _comparedLeftOut);
            _compared = record;
        }
        leftOut = _comparedLeftOut;
        return _comparedVariables;
    }

    // UTF-8 takes at most three bytes for each UTF-16 unit: a bound without encoding anything.
    private static long TextBytes(string text) => 3L * text.Length;

    private void CountBuckets()
    {
        long buckets = 0;
        foreach (var tally in _modules)
        {
            buckets += tally.Buckets;
        }
        _bucketBytes = buckets * BucketBytes;
        _bucketSlack = 0;
    }

    /// <summary>What was left out of the records folded in, and of the summary, so far.</summary>
    public Clips Clipped => _clipped;

    /// <summary>Folds in one record.</summary>
    /// <param name="record">The record.</param>
    /// <param name="originOf">Where a file lies, asked only for a module or shared object the summary has not met yet;
    /// when null, the record's own origins are taken.</param>
    /// <returns>What the summary left out of the record: modules and shared objects past its bounds, and variables
    /// of its own past theirs (<see cref="MemberVariables.Between"/>).</returns>
    /// <exception cref="ArgumentException">The record belongs to another summary.</exception>
    public Clips Add(ProcessRecord record, Func<string, Origin>? originOf = null)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (SummaryKey.Of(record) != Key)
        {
            throw new ArgumentException("the record belongs to another summary", nameof(record));
        }
        var variables = VariablesOf(record, out int variablesLeftOut);
        _compared = null;
        if (_first == null)
        {
            _first = record;
            _bytes += HeaderBytesOf(record);
        }
        var before = _clipped;
        _clipped += record.Clipped + new Clips(0, 0, variablesLeftOut, 0);
        _bytes += MemberBytesOf(record, variables);
        // Each module's two distributions may each gain a bucket.
        _bucketSlack += 2L * BucketBytes * record.Modules.Count;
        int member = _members.Count;
        _members.Add(MemberRow(record, variables));
        // The same module list as the last record's (the daemon shares it between the records of a program) is folded
        // straight into the last record's tallies; any other list is matched module by module.
        if (ReferenceEquals(record.Modules, _lastModules) && record.Modules is ModuleImport[] list
            && record.Times is ImportTime[] times && times.Length >= list.Length)
        {
            var tallies = _lastSequence;
            for (int i = 0; i < list.Length; i++)
            {
                tallies[i]!.Add(member, list[i], times[i]);
            }
        }
        else
        {
            FoldModules(record, member, originOf);
        }
        CountSharedObjects(record.SharedObjects, originOf);
        return new Clips(_clipped.Modules - before.Modules - record.Clipped.Modules, _clipped.SharedObjects - before.SharedObjects - record.Clipped.SharedObjects, variablesLeftOut, 0);
    }

    private static SummaryMember MemberRow(ProcessRecord record, IReadOnlyDictionary<string, string?> variables) => new(record.RecordId, record.Pid)
    {
        PidVerified = record.PidVerified,
        ParentPid = record.ParentPid,
        Rank = record.Job.Rank,
        StartedAtMs = record.StartedAtMs,
        EndedAtMs = record.EndedAtMs,
        ImportNs = record.ImportNs,
        RuntimeNs = record.RuntimeNs,
        ExitReason = record.ExitReason,
        Partial = record.Partial,
        WorkingDirectory = record.WorkingDirectory,
        Variables = variables,
    };

    private void FoldModules(ProcessRecord record, int member, Func<string, Origin>? originOf)
    {
        _sequence.Clear();
        bool leftOut = false;
        var modules = record.Modules;
        for (int i = 0; i < modules.Count; i++)
        {
            var module = modules[i];
            if (i < _lastSequence.Count && _lastSequence[i] is { } guess
                && ReferenceEquals(guess.Name, module.Name) && ReferenceEquals(guess.File, module.File))
            {
                guess.Add(member, module, record.TimeOf(i));
                _sequence.Add(guess);
                continue;
            }
            var tally = TallyOf(module, originOf);
            tally?.Add(member, module, record.TimeOf(i));
            leftOut |= tally is null;
            _sequence.Add(tally);
        }
        (_lastSequence, _sequence) = (_sequence, _lastSequence);
        // A list with a module left out is never folded by the shortcut, which has no place for a missing tally.
        _lastModules = leftOut ? null : modules;
    }

    private void CountSharedObjects(IReadOnlyList<SharedObject> objects, Func<string, Origin>? originOf)
    {
        if (!ReferenceEquals(objects, _lastObjects))
        {
            var slots = new int[objects.Count];
            for (int k = 0; k < slots.Length; k++)
            {
                var so = objects[k];
                if (_objectIndex.TryGetValue(so.Path, out slots[k]))
                {
                    continue;
                }
                long bytes = SharedObjectBytes + TextBytes(so.Path);
                if (_objects.Count >= SummaryBounds.MaxSharedObjectsPerSummary || EncodedBytesBound + bytes > SummaryBounds.MaxSummaryBytes)
                {
                    slots[k] = -1; // left out: past the summary's bounds
                    _clipped += new Clips(0, 1, 0, 0);
                    continue;
                }
                _bytes += bytes;
                slots[k] = _objects.Count;
                _objectIndex.Add(so.Path, _objects.Count);
                _objects.Add((originOf == null ? so : so with { Origin = originOf(so.Path) }, 0));
            }
            // A list with an object left out is looked at again next time: it may fit a later summary's room.
            _lastObjects = Array.IndexOf(slots, -1) < 0 ? objects : null;
            _lastObjectSlots = slots;
        }
        foreach (int i in _lastObjectSlots)
        {
            if (i >= 0)
            {
                _objects[i] = (_objects[i].Object, _objects[i].Processes + 1);
            }
        }
    }

    /// <summary>The tally of a module (its name and file), made on first meeting it; null when a new one would take the
    /// summary past its bounds (the module is left out and counted).</summary>
    private ModuleTally? TallyOf(ModuleImport module, Func<string, Origin>? originOf)
    {
        _moduleIndex.TryGetValue(module.Name, out var first);
        for (var known = first; known != null; known = known.NextWithSameName)
        {
            if (known.File == module.File)
            {
                return known;
            }
        }
        long bytes = ModuleBytes + TextBytes(module.Name) + TextBytes(module.File) + TextBytes(module.Version);
        if (_modules.Count >= SummaryBounds.MaxModulesPerSummary || EncodedBytesBound + bytes > SummaryBounds.MaxSummaryBytes)
        {
            _clipped += new Clips(1, 0, 0, 0);
            return null;
        }
        _bytes += bytes;
        var tally = new ModuleTally(this, originOf == null ? module : module with { Origin = originOf(module.File) });
        if (first != null)
        {
            tally.NextWithSameName = first.NextWithSameName;
            first.NextWithSameName = tally;
        }
        else
        {
            _moduleIndex.Add(module.Name, tally);
        }
        _modules.Add(tally);
        return tally;
    }

    /// <summary>The summary of what was added.</summary>
    public ProcessSummary Build()
    {
        var first = _first ?? throw new InvalidOperationException("a summary needs at least one record");
        int processes = _members.Count;
        return new ProcessSummary
        {
            Host = first.Host,
            Uid = first.Uid,
            User = first.User,
            PythonVersion = first.PythonVersion,
            Executable = first.Executable,
            Environment = first.Environment,
            Job = first.Job,
            Members = [.. _members],
            Modules = _modules.Select(t => t.Build(processes)).ToArray(),
            SharedObjects = _objects.Select(o => new SharedObjectUse(o.Object.Path, o.Object.Origin, o.Processes)).ToArray(),
            Clipped = _clipped,
        };
    }

    /// <summary>The summaries of <paramref name="records"/>, one per key, in first-arrival order.</summary>
    public static IReadOnlyList<ProcessSummary> Summarize(IEnumerable<ProcessRecord> records)
    {
        var builders = new Dictionary<SummaryKey, SummaryBuilder>();
        var order = new List<SummaryBuilder>();
        foreach (var record in records)
        {
            var key = SummaryKey.Of(record);
            if (!builders.TryGetValue(key, out var builder))
            {
                builder = new SummaryBuilder(key);
                builders.Add(key, builder);
                order.Add(builder);
            }
            builder.Add(record);
        }
        return order.Select(b => b.Build()).ToArray();
    }

    private sealed partial class ModuleTally(SummaryBuilder owner, ModuleImport first)
    {
        // Members are listed only once one is missing: a module every rank imports (the common case) costs a count.
        private List<int>? _members;
        private int _count;
        private int _startup;
        private int _last = -1;
        private readonly TimeDistribution _self = new();
        private readonly TimeDistribution _cumulative = new();
        private string _version = first.Version;

        public string Name => first.Name;

        public string File => first.File;

        public ModuleTally? NextWithSameName { get; set; }

        // Inlined into the fold's loops, with the two distributions' Add: it runs for every module of every record.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Add(int member, ModuleImport module, ImportTime time)
        {
            // A process lists a module once; a record that repeats one is counted once.
            if (member == _last)
            {
                return;
            }
            if (_members != null || member != _count)
            {
                List(member);
            }
            _count++;
            _startup += time.Startup ? 1 : 0;
            _last = member;
            if (time.IsTimed)
            {
                _self.Add(time.SelfNs);
                _cumulative.Add(time.CumulativeNs);
            }
            if (_version.Length == 0)
            {
                _version = module.Version;
            }
        }

        /// <summary>Lists the member, listing those before it first if none was listed yet; apart from
        /// <see cref="Add"/> and not inlined, so that the common case (every member imports the module) stays small.</summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        private void List(int member)
        {
            if (_members == null)
            {
                _members = [.. Enumerable.Range(0, _count)];
                owner._bytes += (long)IndexBytes * _count;
            }
            // Listed members are the one part of a module entry that grows with each record.
            _members.Add(member);
            owner._bytes += IndexBytes;
        }

        /// <summary>Buckets of both distributions.</summary>
        public int Buckets => _self.Buckets.Count + _cumulative.Buckets.Count;

        public ModuleUse Build(int processes) => new(first.Name, first.File)
        {
            Kind = first.Kind,
            Version = _version,
            Origin = first.Origin,
            Processes = _count,
            StartupProcesses = _startup,
            Members = _count == processes ? [] : _members ?? [.. Enumerable.Range(0, _count)],
            SelfNs = _self,
            CumulativeNs = _cumulative,
        };
    }
}
