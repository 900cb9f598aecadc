namespace Polaris.Collector.Import;

/// <summary>The tool that wrote an imported record.</summary>
public enum ImportSource
{
    /// <summary>XALT's <c>run</c> and <c>pkg</c> records (source name <c>xalt</c>).</summary>
    Xalt,

    /// <summary>ALCF's PyModuleSnooper, one JSON line per process (source name <c>pymodulesnooper</c>).</summary>
    PyModuleSnooper,
}
