namespace Polaris.Agent.Serve.Receive;

/// <summary>What one frame of a record file holds, gathered before any of it is added to the record, so that a frame
/// that fails to parse leaves no trace.</summary>
internal sealed class HookFrame
{
    // Keyed, the last value winning as it would in the record: a frame that repeats a key a million times holds one.
    public Dictionary<string, string> Fields { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> Variables { get; } = new(StringComparer.Ordinal);

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

    /// <summary>Modules of groups that came after the record's bound of modules, so that none of them was kept.</summary>
    public int ModulesClipped;

    /// <summary>Adds a variable; past <see cref="Polaris.Wire.SummaryBounds.MaxVariables"/> names, further ones are left out
    /// and counted, so that a frame of a million names holds no more.</summary>
    public void AddVariable(string name, string value)
    {
        if (Variables.Count >= Polaris.Wire.SummaryBounds.MaxVariables && !Variables.ContainsKey(name))
        {
            TextsClipped++;
            return;
        }
        Variables[name] = value;
    }

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
        builder.Clipped += new Polaris.Wire.Clips(ModulesClipped, SharedObjectsClipped, TextsClipped, NumbersClipped);
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
