namespace Polaris.Agent.Serve.Receive;

/// <summary>One group of a frame: its modules, and for a timed group (<c>mt</c>) each one's import interval (held in
/// the reading thread's <see cref="IntervalArena"/>, so valid only while the record is read).</summary>
internal readonly record struct ModuleGroup(ModuleColumns Columns, ArraySegment<ImportInterval>? Times);
