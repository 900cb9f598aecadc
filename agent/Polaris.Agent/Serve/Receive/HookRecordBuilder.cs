using System.Globalization;
using Polaris.Wire;

namespace Polaris.Agent.Serve.Receive;

/// <summary>Gathers the frames of one record file into a <see cref="ProcessRecord"/>.</summary>
internal sealed class HookRecordBuilder(RecordFileName name, uint uid, string user, string host)
{
    private readonly Dictionary<string, string> _fields = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _variables = new(StringComparer.Ordinal);
    // The groups in the order the hook listed them, kept as parsed (nothing is copied until the record is built);
    // a module listed twice (only a forged file does) is folded by the summary.
    private readonly List<ModuleGroup> _groups = [];
    private IReadOnlyList<SharedObject> _sharedObjects = [];
    // Made when a second list of shared objects comes (only a forged file sends more than one): merged into once,
    // so that a million maps cost a million look-ups, not a set built per maps.
    private List<SharedObject>? _mergedObjects;
    private HashSet<string>? _objectPaths;

    public long EndNs { get; set; }

    public int ParentPid { get; set; }

    public string ExitReason { get; set; } = "";

    /// <summary>Frames that did not parse and were left out.</summary>
    public int DroppedFrames { get; set; }

    /// <summary>What the parser left out or cut so far; the modules' own clips are added when the record is built.</summary>
    public Clips Clipped { get; set; }

    public void Set(string key, string value) => _fields[key] = value;

    /// <summary>Adds a variable; past <see cref="SummaryBounds.MaxVariables"/> names, further ones are left out and counted.</summary>
    public void AddVariable(string name, string value)
    {
        if (_variables.Count >= SummaryBounds.MaxVariables && !_variables.ContainsKey(name))
        {
            Clipped += new Clips(0, 0, 1, 0);
            return;
        }
        _variables[name] = value;
    }

    /// <summary>Adds a group's modules, with their import times when the hook took them.</summary>
    public void AddModules(ModuleGroup group) => _groups.Add(group);

    /// <summary>Adds the shared objects of a frame's maps; the hook sends one, and a second is merged path by path,
    /// up to <see cref="SummaryBounds.MaxSharedObjectsPerRecord"/>.</summary>
    public void AddSharedObjects(IReadOnlyList<SharedObject> objects)
    {
        if (_mergedObjects == null && (_sharedObjects.Count == 0 || ReferenceEquals(objects, _sharedObjects)))
        {
            _sharedObjects = objects.Count > 0 ? objects : _sharedObjects;
            return;
        }
        if (_mergedObjects == null)
        {
            // The first list may be the parser's shared one, which is never changed: merged into a copy.
            _mergedObjects = [.. _sharedObjects];
            _objectPaths = new HashSet<string>(_sharedObjects.Select(o => o.Path), StringComparer.Ordinal);
            _sharedObjects = _mergedObjects;
        }
        int clipped = 0;
        foreach (var so in objects)
        {
            if (_objectPaths!.Contains(so.Path))
            {
                continue;
            }
            if (_mergedObjects.Count >= SummaryBounds.MaxSharedObjectsPerRecord)
            {
                clipped++;
                continue;
            }
            _objectPaths.Add(so.Path);
            _mergedObjects.Add(so);
        }
        Clipped += new Clips(0, clipped, 0, 0);
    }

    public HookRecord Build()
    {
        bool complete = ExitReason.Length > 0;
        long started = name.StartedUnixNs;
        var timing = ImportTiming.Of(_groups);
        var clipped = Clipped + timing.Clipped;
        foreach (var (columns, _) in _groups)
        {
            clipped += new Clips(columns.Clipped, 0, columns.Blanked, 0);
        }
        // Every number from the file is brought within its bound here, once, before anything adds it up: the start
        // comes from the file name, which the writer chose; the end from its text.
        long startedMs = Bounded(started / 1_000_000, SummaryBounds.MinTimeMs, SummaryBounds.MaxTimeMs, ref clipped);
        long endedMs = EndNs == 0 ? startedMs : Bounded(EndNs / 1_000_000, startedMs, SummaryBounds.MaxTimeMs, ref clipped);
        long runtimeNs = EndNs > started ? Bounded(EndNs - started, 0, SummaryBounds.MaxRuntimeNs, ref clipped) : 0;
        long importNs = Bounded(timing.ImportNs, 0, SummaryBounds.MaxRuntimeNs, ref clipped);
        var record = new ProcessRecord
        {
            RecordId = $"{host}:{name.Pid.ToString(CultureInfo.InvariantCulture)}.{started.ToString(CultureInfo.InvariantCulture)}",
            Host = host,
            Uid = uid,
            User = user,
            Pid = name.Pid,
            ParentPid = ParentPid,
            PythonVersion = Field("py"),
            Executable = Field("exe"),
            WorkingDirectory = Field("cwd"),
            StartedAtMs = startedMs,
            EndedAtMs = endedMs,
            ImportNs = importNs,
            RuntimeNs = runtimeNs,
            Clipped = clipped,
            // "running" is the daemon's word for a record read while its process ran: an exit frame saying it is forged.
            ExitReason = complete && ExitReason != ExitReasons.Running ? ExitReason : ExitReasons.Lost,
            Partial = !complete || DroppedFrames > 0,
            Modules = timing.Modules,
            Times = timing.Times,
            SharedObjects = _sharedObjects,
            Environment = new PythonEnvironment
            {
                Implementation = Field("impl"),
                Prefix = Field("prefix"),
                BasePrefix = Field("base"),
                Changes = new EnvironmentChanges { UserSite = Field("usersite") },
            },
            Job = new JobContext { Script = Field("script"), Variables = _variables },
        };
        return new HookRecord(record, complete, DroppedFrames);
    }

    private static long Bounded(long value, long min, long max, ref Clips clipped)
    {
        if (value >= min && value <= max)
        {
            return value;
        }
        clipped += new Clips(0, 0, 0, 1);
        return Math.Clamp(value, min, max);
    }

    private string Field(string key) => _fields.GetValueOrDefault(key, "");
}
