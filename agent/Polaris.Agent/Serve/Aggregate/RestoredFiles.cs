namespace Polaris.Agent.Serve.Aggregate;

/// <summary>Drop files of the members of live summaries a previous run left open (<see cref="Spool.LiveJournal"/>):
/// their records join the same <c>sid</c> again, at its next version, so that the collector counts their processes
/// once. Used by the aggregator's thread only.</summary>
internal sealed class RestoredFiles
{
    private readonly Dictionary<string, (string Sid, uint Version)> _byFile = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _bySid = new(StringComparer.Ordinal);

    public int Count => _byFile.Count;

    public void Add(string sid, uint version, string dropFile)
    {
        if (_byFile.TryAdd(dropFile, (sid, version)))
        {
            if (!_bySid.TryGetValue(sid, out var files))
            {
                _bySid[sid] = files = new HashSet<string>(StringComparer.Ordinal);
            }
            files.Add(dropFile);
        }
    }

    /// <summary>Takes a file's live summary (its id and the version spooled last) when it was a member of one; with
    /// <paramref name="last"/> true when no other member of it is left to come.</summary>
    public bool TryTake(string dropFile, out string sid, out uint version, out bool last)
    {
        last = false;
        if (!_byFile.Remove(dropFile, out var restored))
        {
            (sid, version) = ("", 0);
            return false;
        }
        (sid, version) = restored;
        var files = _bySid[sid];
        files.Remove(dropFile);
        if (files.Count == 0)
        {
            _bySid.Remove(sid);
            last = true;
        }
        return true;
    }

    /// <summary>Takes every file of <paramref name="sid"/> not come yet: its last version goes without them.</summary>
    public IReadOnlyCollection<string> TakeAll(string sid)
    {
        if (!_bySid.Remove(sid, out var files))
        {
            return [];
        }
        foreach (var file in files)
        {
            _byFile.Remove(file);
        }
        return files;
    }
}
