namespace Polaris.Agent.Serve.Receive;

/// <summary>What one frame of a record file holds, gathered before any of it is added to the record, so that a frame
/// that fails to parse leaves no trace.</summary>
internal sealed class HookFrame
{
    public List<(string Key, string Value)> Fields { get; } = [];

    public List<(string Name, string Value)> Variables { get; } = [];

    public List<ModuleGroup> Modules { get; } = [];

    public List<IReadOnlyList<Polaris.Wire.SharedObject>> SharedObjects { get; } = [];

    public long? EndNs { get; set; }

    public int? ParentPid { get; set; }

    public string? ExitReason { get; set; }

    // Fields, not properties: the parser counts into them by reference.
    /// <summary>Texts blanked: past their bound.</summary>
    public int TextsClipped;

    /// <summary>Numbers brought within their bounds.</summary>
    public int NumbersClipped;

    /// <summary>Shared objects of the maps left out: a path past its bound, or past the objects a record may hold.</summary>
    public int SharedObjectsClipped;

    public void ApplyTo(HookRecordBuilder builder)
    {
        foreach (var (key, value) in Fields)
        {
            builder.Set(key, value);
        }
        foreach (var (name, value) in Variables)
        {
            builder.AddVariable(name, value);
        }
        foreach (var group in Modules)
        {
            builder.AddModules(group);
        }
        foreach (var objects in SharedObjects)
        {
            builder.AddSharedObjects(objects);
        }
        builder.Clipped += new Polaris.Wire.Clips(0, SharedObjectsClipped, TextsClipped, NumbersClipped);
        if (EndNs is { } endNs)
        {
            builder.EndNs = endNs;
        }
        if (ParentPid is { } parentPid)
        {
            builder.ParentPid = parentPid;
        }
        if (ExitReason is { } exitReason)
        {
            builder.ExitReason = exitReason;
        }
    }
}
