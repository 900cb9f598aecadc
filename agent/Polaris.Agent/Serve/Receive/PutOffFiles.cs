namespace Polaris.Agent.Serve.Receive;

/// <summary>Record files not taken in yet because their user already has as much waiting for enrichment as
/// <see cref="EnrichQueue"/> holds: only their names and charges are kept, per user in arrival order, and they are
/// taken in, oldest first, as the user's records leave the queue.</summary>
/// <remarks>A put-off file costs a name, not a read: it is read again only once its charge fits, and while none
/// does, looking again is one check per user every <see cref="RecheckMs"/> (the daemon wakes on its own only while
/// some file is put off). A user's later files go behind their put-off ones, so a user's records keep their order.
/// Used by the receive thread only.</remarks>
internal sealed class PutOffFiles
{
    /// <summary>How often, while files are put off, the receive thread looks whether their users have room again.</summary>
    public const int RecheckMs = 100;

    private readonly Dictionary<uint, Queue<(string Name, long Charge)>> _byUser = [];
    // The names put off now; a name taken in some other way (an event, a rescan) leaves its queue entry behind, skipped.
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    // The names in some user's queue, current or left behind: a name is never queued twice.
    private readonly HashSet<string> _queued = new(StringComparer.Ordinal);

    public int Count => _names.Count;

    /// <summary>Whether <paramref name="owner"/> has files put off: a new one of theirs goes behind them.</summary>
    public bool Has(uint owner) => _byUser.ContainsKey(owner);

    /// <summary>Puts off <paramref name="name"/>, of <paramref name="owner"/>, charged <paramref name="charge"/>
    /// (<see cref="EnrichQueue.Charge"/>), behind that user's other put-off files.</summary>
    public void Add(uint owner, string name, long charge)
    {
        if (!_names.Add(name) || !_queued.Add(name))
        {
            return; // already queued: it keeps its place
        }
        if (!_byUser.TryGetValue(owner, out var queue))
        {
            _byUser[owner] = queue = new Queue<(string, long)>();
        }
        queue.Enqueue((name, charge));
    }

    public bool Contains(string name) => _names.Contains(name);

    /// <summary>Forgets <paramref name="name"/>: it is being taken in.</summary>
    public void Remove(string name) => _names.Remove(name);

    /// <summary>Milliseconds until the next look (-1: nothing is put off).</summary>
    public int TimeoutMs => _names.Count > 0 ? RecheckMs : -1;

    /// <summary>Hands each user's put-off files to <paramref name="take"/>, oldest first, while the oldest one's
    /// charge fits (<paramref name="fits"/>); a file taken but put off again ends that user's turn.</summary>
    /// <param name="fits">Whether a record of the user with that charge would be queued now.</param>
    /// <param name="take">Takes a file in; false when it was put off again.</param>
    public void TakeWithRoom(Func<uint, long, bool> fits, Func<string, bool> take)
    {
        foreach (var (owner, queue) in _byUser.ToList())
        {
            while (queue.TryPeek(out var next))
            {
                if (!_names.Contains(next.Name))
                {
                    Dequeue(queue); // taken in some other way meanwhile
                    continue;
                }
                if (!fits(owner, next.Charge))
                {
                    break;
                }
                Dequeue(queue);
                _names.Remove(next.Name);
                if (!take(next.Name))
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

    private void Dequeue(Queue<(string Name, long Charge)> queue) => _queued.Remove(queue.Dequeue().Name);
}
