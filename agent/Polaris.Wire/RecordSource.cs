namespace Polaris.Wire;

/// <summary>Who produced a summary's records: this project's agent, or a tool whose records a collector imported
/// (docs/analysis.md, "One model for three sources").</summary>
public enum RecordSource
{
    /// <summary>The agent's hook and daemon: every summary an agent ships.</summary>
    Agent,

    /// <summary>XALT's run and package records, imported.</summary>
    Xalt,

    /// <summary>ALCF's PyModuleSnooper records, imported.</summary>
    PyModuleSnooper,
}
