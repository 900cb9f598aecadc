namespace Polaris.Agent.Serve.Receive;

/// <summary>One group of a frame: its modules, and for a timed group (<c>mt</c>) each one's import interval (held in
/// the reading thread's <see cref="IntervalArena"/>, so valid only while the record is read).</summary>
internal readonly record struct ModuleGroup(ModuleColumns Columns, ArraySegment<ImportInterval>? Times)
{
    /// <summary>How many of the group's first modules, as listed (kept or not), the process loaded at start-up: the
    /// frame's <c>pre</c> spent on its groups in order.</summary>
    /// <remarks>Not a positional member, so that the groups still deconstruct into their columns and times.</remarks>
    public int Startup { get; init; }
}
