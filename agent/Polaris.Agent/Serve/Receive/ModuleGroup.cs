namespace Polaris.Agent.Serve.Receive;

/// <summary>One group of a frame: its modules, and for a timed group (<c>mt</c>) each one's import interval.</summary>
internal readonly record struct ModuleGroup(ModuleColumns Columns, ImportInterval[]? Times);
