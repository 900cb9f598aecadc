namespace Polaris.Agent.Serve.Receive;

/// <summary>Record files not taken in yet because their user already has as much waiting for enrichment as
/// <see cref="EnrichQueue"/> holds: only their names are kept, per user in arrival order, and they are taken in as the
/// user's records leave the queue.</summary>
/// <remarks>A put-off file costs a name, not a read: while the user's share stays full, looking again is one check
/// per user every <see cref="RecheckMs"/>, and the daemon wakes on its own only while some file is put off. Used by
/// the receive thread only.</remarks>
internal sealed class PutOffFiles
{
    /// <summary>How often, while files are put off, the receive thread looks whether their users have room again.</summary>
    public const int RecheckMs = 100;

    private readonly Dictionary<uint, Queue<string>> _byUser = [];
    // The names put off now; a name taken in some other way (an event, a rescan) leaves its queue entry behind, skipped.
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    public int Count => _names.Count;

    /// <summary>Puts off <paramref name="name"/>, of <paramref name="owner"/>, behind that user's other put-off files.</summary>
    public void Add(uint owner, string name)
    {
        if (!_names.Add(name))
        {
            return;
        }
        if (!_byUser.TryGetValue(owner, out var queue))
        {
            _byUser[owner] = queue = new Queue<string>();
        }
        queue.Enqueue(name);
    }

    public bool Contains(string name) => _names.Contains(name);

    /// <summary>Forgets <paramref name="name"/>: it is being taken in.</summary>
    public void Remove(string name) => _names.Remove(name);

    /// <summary>Milliseconds until the next look (-1: nothing is put off).</summary>
    public int TimeoutMs => _names.Count > 0 ? RecheckMs : -1;

    /// <summary>Hands each user's put-off files to <paramref name="take"/>, oldest first, while
    /// <paramref name="hasRoom"/> says the user has room and until one is put off again (it goes to the back): a
    /// full share costs one read per user and look, not a read of every file.</summary>
    /// <param name="hasRoom">Whether the user may have another record waiting.</param>
    /// <param name="take">Takes a file in; false when it was put off again.</param>
    public void TakeWithRoom(Func<uint, bool> hasRoom, Func<string, bool> take)
    {
        foreach (var (owner, queue) in _byUser.ToList())
        {
            for (int left = queue.Count; left > 0 && hasRoom(owner) && queue.TryDequeue(out var name); left--)
            {
                if (_names.Contains(name) && !take(name))
                {
                    break;
                }
            }
            if (queue.Count == 0)
            {
                _byUser.Remove(owner);
            }
        }
    }
}
