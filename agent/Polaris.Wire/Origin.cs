namespace Polaris.Wire;

/// <summary>The class of place a file was loaded from; the daemon decides it from configurable path rules
/// (<see cref="OriginRules"/>, which the collector shares) and what it finds on disk.</summary>
public enum Origin
{
    /// <summary>Not classified (no file, or a record from before classification).</summary>
    Unknown,

    /// <summary>Under the user's home directory or a configured home root such as <c>/home</c>.</summary>
    Home,

    /// <summary>The user site-packages (<c>~/.local/lib/pythonX.Y/site-packages</c>, or under <c>PYTHONUSERBASE</c>).</summary>
    UserSite,

    /// <summary>A configured shared project file system, such as <c>/lus/eagle/projects</c>.</summary>
    Project,

    /// <summary>One of the configured base conda environments.</summary>
    BaseEnv,

    /// <summary>Any other conda environment: a prefix with <c>conda-meta/</c>, or where no disk can tell, one at
    /// <c>.../envs/NAME</c>.</summary>
    CustomEnv,

    /// <summary>A virtual environment: a prefix with <c>pyvenv.cfg</c>, or where no disk can tell, a project's
    /// <c>PREFIX/lib/pythonX.Y/site-packages</c>.</summary>
    Venv,

    /// <summary>The operating system's files: <c>/usr</c>, <c>/lib</c> and the like.</summary>
    System,

    /// <summary>The working directory or the script's directory.</summary>
    Cwd,

    /// <summary>None of the above.</summary>
    Other,
}
