namespace Polaris.Wire;

/// <summary>What sort of Python environment a process ran in, relative to the facility's base conda environment.</summary>
public enum EnvironmentKind
{
    /// <summary>Not known.</summary>
    Unknown,

    /// <summary>A configured base conda environment, as it is.</summary>
    BaseEnv,

    /// <summary>A conda environment whose packages started as a clone of a base environment.</summary>
    BaseClone,

    /// <summary>Any other conda environment.</summary>
    CondaEnv,

    /// <summary>A venv whose interpreter is a base environment's.</summary>
    VenvOnBase,

    /// <summary>A venv on any other interpreter.</summary>
    Venv,

    /// <summary>The operating system's Python.</summary>
    SystemPython,

    /// <summary>Another interpreter installation (not conda, not a venv, not the system's).</summary>
    Other,
}
