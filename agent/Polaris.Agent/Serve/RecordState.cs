namespace Polaris.Agent.Serve;

/// <summary>What a <see cref="ReceivedRecord"/> tells of its process.</summary>
public enum RecordState
{
    /// <summary>The process has ended (or was killed): its record as it will stay. Every record of an ended process.</summary>
    Final,

    /// <summary>Read while the process ran (exit reason <c>running</c>): a later read or its final record replaces it.</summary>
    Running,

    /// <summary>The process was read while it ran, and its final record will not come (the file went, or was refused
    /// at its close): it ends as last read, <c>lost</c>. The record is a placeholder; only the drop file counts.</summary>
    Gone,
}
