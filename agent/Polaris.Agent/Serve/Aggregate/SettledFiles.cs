namespace Polaris.Agent.Serve.Aggregate;

/// <summary>Drop files of processes whose live summary went final while they still ran (it could not stay open, or a
/// restarted daemon could not take them back in time): what they do later is not counted again, and their files are
/// removed once their writers close them. Used by the aggregator's thread only.</summary>
internal sealed class SettledFiles
{
    private readonly Dictionary<string, string> _sidOf = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _files = new(StringComparer.Ordinal);

    public int Count => _sidOf.Count;

    public bool Contains(string dropFile) => _sidOf.ContainsKey(dropFile);

    public void Add(string sid, string dropFile)
    {
        if (_sidOf.TryAdd(dropFile, sid))
        {
            if (!_files.TryGetValue(sid, out var files))
            {
                _files[sid] = files = new HashSet<string>(StringComparer.Ordinal);
            }
            files.Add(dropFile);
        }
    }

    /// <summary>The settled files of a live summary.</summary>
    public IReadOnlyCollection<string> Of(string sid) => _files.TryGetValue(sid, out var files) ? files : [];

    /// <summary>Forgets a file whose writer closed it; true with the summary's id when it was the summary's last.</summary>
    public bool Remove(string dropFile, out string sid)
    {
        if (!_sidOf.Remove(dropFile, out sid!))
        {
            return false;
        }
        var files = _files[sid];
        files.Remove(dropFile);
        if (files.Count > 0)
        {
            return false;
        }
        _files.Remove(sid);
        return true;
    }
}
