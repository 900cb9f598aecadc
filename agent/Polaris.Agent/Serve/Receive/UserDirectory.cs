using System.Collections.Concurrent;
using Polaris.Agent.Native;

namespace Polaris.Agent.Serve.Receive;

/// <summary>Resolves kernel-reported uids to passwd entries, caching them: NSS look-ups can reach LDAP.</summary>
public sealed class UserDirectory
{
    // A node sees few users; the bound only keeps a uid-spraying sender from growing the cache.
    private const int MaxEntries = 4096;
    private readonly ConcurrentDictionary<uint, PasswdEntry?> _cache = new();

    /// <summary>The passwd entry of <paramref name="uid"/>, or null when NSS does not know it.</summary>
    public PasswdEntry? Find(uint uid)
    {
        if (_cache.TryGetValue(uid, out var entry))
        {
            return entry;
        }
        entry = PasswdEntry.Lookup(uid);
        if (_cache.Count >= MaxEntries)
        {
            _cache.Clear();
        }
        _cache[uid] = entry;
        return entry;
    }
}
