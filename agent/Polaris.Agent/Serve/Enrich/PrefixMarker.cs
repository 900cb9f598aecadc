namespace Polaris.Agent.Serve.Enrich;

/// <summary>What makes a folder the prefix of a Python environment.</summary>
public enum PrefixMarker
{
    /// <summary>No environment prefix found.</summary>
    None,

    /// <summary>A conda environment: the folder has <c>conda-meta/</c>.</summary>
    CondaMeta,

    /// <summary>A virtual environment: the folder has <c>pyvenv.cfg</c>.</summary>
    PyvenvCfg,
}
