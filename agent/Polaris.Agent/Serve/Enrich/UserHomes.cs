using System.Collections.Concurrent;
using Polaris.Agent.Native;
using Polaris.Wire;

namespace Polaris.Agent.Serve.Enrich;

/// <summary>Home directories by uid, from the passwd database and cached: NSS look-ups can reach LDAP.</summary>
public sealed class UserHomes
{
    // A node sees few users; the bound only keeps a uid-spraying sender from growing the cache.
    private const int MaxEntries = 4096;
    private readonly ConcurrentDictionary<uint, string> _homes = new();
    private readonly Func<uint, string?> _lookup;

    /// <param name="lookup">Finds a uid's home; null or empty when unknown. Defaults to the passwd database.</param>
    public UserHomes(Func<uint, string?>? lookup = null)
    {
        _lookup = lookup ?? (uid => PasswdEntry.Lookup(uid)?.Home);
    }

    /// <summary>The normalised home of <paramref name="uid"/>; empty when unknown.</summary>
    public string Of(uint uid)
    {
        if (_homes.TryGetValue(uid, out var home))
        {
            return home;
        }
        home = PathPrefix.Normalize(_lookup(uid) ?? "");
        if (_homes.Count >= MaxEntries)
        {
            _homes.Clear();
        }
        _homes[uid] = home;
        return home;
    }
}
