using System.Collections.Concurrent;

namespace Polaris.Agent.Serve.Enrich;

/// <summary>A cache of what users' environments hold, with a share for each user bounded in entries and in the bytes
/// its values keep in memory, and a bound on all shares together; what the facility configured (the base
/// environments, root's) is kept apart.</summary>
/// <remarks>
/// One cache bounded by its entry count let one user do two things: fill it with analyses of environments made to be
/// large (1,024 of up to tens of MB each), and, by filling it, clear every other user's entries, whose environments
/// were then read again against their own analysis time. Here a user who fills their share clears only their share,
/// and the bytes all shares hold stay within <see cref="MaxBytes"/> (past it every share starts over, which takes
/// several users at their bounds). A value larger than a share is handed back but not kept. Thread-safe.
/// </remarks>
/// <typeparam name="TValue">What is cached.</typeparam>
public sealed class UserShareCache<TValue>
{
    /// <summary>Entries one user's share holds at most.</summary>
    public const int EntriesPerUser = 64;

    /// <summary>Bytes the values of one user's share keep in memory at most.</summary>
    public const long BytesPerUser = 8L * 1024 * 1024;

    /// <summary>Bytes all users' shares keep at most.</summary>
    public const long MaxBytes = 48L * 1024 * 1024;

    private const int MaxUsers = 4096;

    private readonly Func<TValue, long> _bytesOf;
    private readonly BoundedCache<TValue> _shared;
    private readonly ConcurrentDictionary<uint, Share> _users = new();
    private readonly Lock _setting = new();
    private long _bytes;

    /// <param name="bytesOf">What a value keeps in memory, estimated.</param>
    /// <param name="sharedCapacity">Entries kept of what the facility configured.</param>
    public UserShareCache(Func<TValue, long> bytesOf, int sharedCapacity = 1024)
    {
        _bytesOf = bytesOf;
        _shared = new BoundedCache<TValue>(sharedCapacity);
    }

    /// <summary>Bytes all users' shares keep now.</summary>
    public long Bytes
    {
        get
        {
            lock (_setting)
            {
                return _bytes;
            }
        }
    }

    /// <summary>The value cached under <paramref name="key"/> in <paramref name="uid"/>'s share.</summary>
    /// <param name="uid">The user whose share holds it; null for what the facility configured.</param>
    /// <param name="key">What the value is of.</param>
    /// <param name="value">The value, when cached.</param>
    public bool TryGet(uint? uid, string key, out TValue value)
    {
        if (uid is not { } user)
        {
            return _shared.TryGet(key, out value);
        }
        if (_users.TryGetValue(user, out var share))
        {
            lock (share)
            {
                if (share.Entries.TryGetValue(key, out var entry))
                {
                    value = entry.Value;
                    return true;
                }
            }
        }
        value = default!;
        return false;
    }

    /// <summary>Keeps <paramref name="value"/> under <paramref name="key"/> in <paramref name="uid"/>'s share.</summary>
    /// <param name="uid">The user whose share keeps it; null for what the facility configured.</param>
    /// <param name="key">What the value is of.</param>
    /// <param name="value">The value.</param>
    public void Set(uint? uid, string key, TValue value)
    {
        if (uid is not { } user)
        {
            _shared.Set(key, value);
            return;
        }
        long bytes = _bytesOf(value);
        if (bytes > BytesPerUser)
        {
            return;
        }
        // Setting is rare (once per analysis): one lock keeps the shares and their total in step.
        lock (_setting)
        {
            if (_users.Count >= MaxUsers && !_users.ContainsKey(user))
            {
                ClearAll();
            }
            var share = _users.GetOrAdd(user, _ => new Share());
            lock (share)
            {
                if (share.Entries.Remove(key, out var old))
                {
                    share.Bytes -= old.Bytes;
                    _bytes -= old.Bytes;
                }
                if (share.Entries.Count >= EntriesPerUser || share.Bytes + bytes > BytesPerUser)
                {
                    _bytes -= share.Bytes; // the user's own share starts over, no one else's
                    share.Entries.Clear();
                    share.Bytes = 0;
                }
                share.Entries[key] = (value, bytes);
                share.Bytes += bytes;
                _bytes += bytes;
            }
            if (_bytes > MaxBytes)
            {
                ClearAll();
            }
        }
    }

    // Under _setting.
    private void ClearAll()
    {
        _users.Clear();
        _bytes = 0;
    }

    private sealed class Share
    {
        public Dictionary<string, (TValue Value, long Bytes)> Entries { get; } = new(StringComparer.Ordinal);

        public long Bytes { get; set; }
    }
}
