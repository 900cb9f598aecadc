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

    public long EndNs { get; set; }

    public int ParentPid { get; set; }

    public string ExitReason { get; set; } = "";

    /// <summary>Frames that did not parse and were left out.</summary>
    public int DroppedFrames { get; set; }

    public void Set(string key, string value) => _fields[key] = value;

    public void AddVariable(string name, string value) => _variables[name] = value;

    /// <summary>Adds a group's modules, with their import times when the hook took them.</summary>
    public void AddModules(ModuleGroup group) => _groups.Add(group);

    /// <summary>Adds the shared objects of a frame's maps; the hook sends one, and a second is merged path by path.</summary>
    public void AddSharedObjects(IReadOnlyList<SharedObject> objects)
    {
        if (_sharedObjects.Count == 0)
        {
            _sharedObjects = objects;
            return;
        }
        var paths = _sharedObjects.Select(o => o.Path).ToHashSet(StringComparer.Ordinal);
        _sharedObjects = [.. _sharedObjects, .. objects.Where(o => paths.Add(o.Path))];
    }

    public HookRecord Build()
    {
        bool complete = ExitReason.Length > 0;
        long started = name.StartedUnixNs;
        var timing = ImportTiming.Of(_groups);
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
            StartedAtMs = started / 1_000_000,
            EndedAtMs = EndNs / 1_000_000,
            ImportNs = timing.ImportNs,
            RuntimeNs = EndNs > started ? EndNs - started : 0,
            ExitReason = complete ? ExitReason : ExitReasons.Lost,
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

    private string Field(string key) => _fields.GetValueOrDefault(key, "");
}
