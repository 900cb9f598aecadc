using Polaris.Wire;

namespace Polaris.Agent.Serve.Enrich;

/// <summary>The folders a process's <c>PYTHONPATH</c> added, without the hook's own folder.</summary>
public sealed class PythonPathEntries
{
    private readonly string _hookDirectory;

    /// <param name="hookDirectory">The folder <c>polaris-agent run</c> puts first on <c>PYTHONPATH</c>; empty when unknown.</param>
    public PythonPathEntries(string hookDirectory)
    {
        _hookDirectory = PathPrefix.Normalize(hookDirectory);
    }

    /// <summary>The non-empty entries of <paramref name="pythonPath"/> that are not a hook folder, in order.</summary>
    public IReadOnlyList<string> Of(string? pythonPath)
    {
        if (string.IsNullOrEmpty(pythonPath))
        {
            return [];
        }
        var entries = new List<string>();
        foreach (var entry in pythonPath.Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            // A path longer than any path (PATH_MAX) is no folder Python could import from; the collector refuses it.
            if (!IsHook(PathPrefix.Normalize(entry)) && System.Text.Encoding.UTF8.GetByteCount(entry) <= Polaris.Wire.SummaryBounds.MaxPathBytes)
            {
                entries.Add(entry);
            }
        }
        return entries;
    }

    // Besides the daemon's own hook folder, an agent binary copied without its hook/ folder writes the hook to
    // RUNTIME/polaris-agent/hook-HASH or TMP/polaris-agent-UID/hook-HASH (Run/HookFiles.cs): not the user's either.
    private bool IsHook(string entry)
    {
        if (_hookDirectory.Length > 0 && entry == _hookDirectory)
        {
            return true;
        }
        var name = PathPrefix.LastComponent(entry);
        var parent = PathPrefix.LastComponent(PathPrefix.Parent(entry).ToString());
        return name.StartsWith("hook-", StringComparison.Ordinal) &&
            (parent == "polaris-agent" || parent.StartsWith("polaris-agent-", StringComparison.Ordinal));
    }
}
