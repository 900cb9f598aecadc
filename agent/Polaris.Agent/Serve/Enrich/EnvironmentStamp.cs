namespace Polaris.Agent.Serve.Enrich;

/// <summary>Modification times that change when an environment's packages do: installing or removing a conda
/// package adds or removes a file in <c>conda-meta/</c>, and a pip install adds a dist-info folder to site-packages.</summary>
/// <param name="CondaMeta">The environment's <c>conda-meta/</c>.</param>
/// <param name="SitePackages">Its site-packages folder.</param>
/// <param name="SourceCondaMeta">The <c>conda-meta/</c> of the interpreter's environment (a venv's base prefix).</param>
/// <param name="BaseCondaMeta">The first base environment's <c>conda-meta/</c>.</param>
public readonly record struct EnvironmentStamp(long CondaMeta, long SitePackages, long SourceCondaMeta, long BaseCondaMeta)
{
    /// <summary>A folder's modification time in ticks; a fixed value when it is missing, 0 when it cannot be asked.</summary>
    public static long Of(string folder)
    {
        if (folder.Length == 0)
        {
            return 0;
        }
        try
        {
            return Directory.GetLastWriteTimeUtc(folder).Ticks;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return 0;
        }
    }
}
