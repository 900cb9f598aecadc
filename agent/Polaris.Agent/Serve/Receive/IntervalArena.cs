namespace Polaris.Agent.Serve.Receive;

/// <summary>Room for the import intervals of the record being read, reused from one record to the next.</summary>
/// <remarks>
/// A record's intervals live only until its import order and self times are worked out, which happens before the
/// next record is read on the same thread: so the daemon reads them into one array instead of allocating tens of
/// kilobytes per record for the garbage collector to clear. A record larger than the room gets a larger array; the
/// segments already handed out keep the old one.
/// </remarks>
internal sealed class IntervalArena
{
    private ImportInterval[] _items = new ImportInterval[1024];
    private int _used;

    /// <summary>Starts a record: the room handed out before is taken back.</summary>
    public void Reset() => _used = 0;

    /// <summary>Room for <paramref name="count"/> intervals, valid until the next <see cref="Reset"/>.</summary>
    public ArraySegment<ImportInterval> Take(int count)
    {
        if (_items.Length - _used < count)
        {
            // The parser takes at most MaxModulesPerRecord for a record, so the array stays within twice that.
            _items = new ImportInterval[Math.Max(count, Math.Min(2 * _items.Length, Polaris.Wire.SummaryBounds.MaxModulesPerRecord))];
            _used = 0;
        }
        var taken = new ArraySegment<ImportInterval>(_items, _used, count);
        _used += count;
        return taken;
    }
}
