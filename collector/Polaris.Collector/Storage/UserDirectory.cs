using LiteDB;

namespace Polaris.Collector.Storage;

/// <summary>User names and the numbers the roll-ups count users by (collection <c>users</c>): XALT and PyModuleSnooper
/// name users, the agent gives the kernel's uid and the node's name for it (docs/analysis.md, "Users across sources").</summary>
/// <remarks>
/// A name the agent has shown counts as its uid, whichever source names it later; a name only an import has shown gets
/// a number from <see cref="FirstImported"/> up, outside every uid. When the agent shows the uid of such a name later,
/// the entry keeps both, and reports count the two numbers as one user (<see cref="Aliases"/>).
/// <para>The first binding of a name and a uid wins, both ways: a later batch that shows the name with another uid, or
/// the uid with another name, is counted (<c>conflict</c>) and changes nothing. A node's agent is trusted with its own
/// summaries' uids, not with the directory: latest-wins let one compromised node make every imported name count as one
/// user, or as another's. The cost falls on a uid reused for a new person: that person's imported records count as a
/// user of their own, apart from their agent's, until the old binding goes (not seen for <c>rollupRetentionDays</c>).
/// Splitting one person in two undercounts a merge; merging two people would be wrong in every report.</para>
/// <para>At most <c>maxUserNames</c> entries (past it a new name is counted, <c>full</c>; an imported one counts under
/// <see cref="Unlisted"/>); an entry not seen for <c>rollupRetentionDays</c> goes, as no roll-up holds its number by
/// then. Numbers are never given twice (<c>meta</c> keeps the next). Used under the store's write lock, inside its
/// transaction (after a rollback, <see cref="Forget"/>), except <see cref="Aliases"/>.</para>
/// </remarks>
internal sealed class UserDirectory
{
    /// <summary>The first number of a name no agent has shown: past every 32-bit uid.</summary>
    public const long FirstImported = 1L << 32;

    /// <summary>The number imported names count under once the directory is full: one user for all of them.</summary>
    public const long Unlisted = long.MaxValue;

    private const string NextId = "usersnext";

    // Names met lately, their numbers and the day last noted; started over when full: the collection holds them all.
    private const int CacheCapacity = 65_536;
    private readonly ILiteCollection<BsonDocument> _users;
    private readonly ILiteCollection<BsonDocument> _meta;
    private readonly int _max;
    private readonly Action<string> _refused;
    private readonly Dictionary<string, (long Number, int Seen)> _numbers = new(StringComparer.Ordinal);
    private readonly Lock _aliasLock = new();
    private IReadOnlyDictionary<long, long>? _aliases;
    private long _aliasVersion;
    private bool _aliasesChanged;
    private long _next = -1;
    private int _count = -1;

    /// <param name="users">The collection.</param>
    /// <param name="meta">Where the next number is kept.</param>
    /// <param name="max">Entries at most.</param>
    /// <param name="refused">Told the reason (<c>conflict</c>, <c>full</c>) of each binding refused.</param>
    public UserDirectory(ILiteCollection<BsonDocument> users, ILiteCollection<BsonDocument> meta, int max, Action<string> refused)
    {
        _users = users;
        _meta = meta;
        _max = max;
        _refused = refused;
        users.EnsureIndex("n");
        users.EnsureIndex("uid");
        users.EnsureIndex("seen");
    }

    /// <summary>The collection, for the prune: entries whose <c>seen</c> day (yyyyMMdd) is past retention go.</summary>
    public ILiteCollection<BsonDocument> Collection => _users;

    /// <summary>The number an imported summary of <paramref name="name"/>, counted on <paramref name="day"/>, counts
    /// under, giving the name one when new.</summary>
    public long NumberOf(string name, int day)
    {
        if (_numbers.TryGetValue(name, out var known) && known.Seen >= day)
        {
            return known.Number;
        }
        long number;
        if (_users.FindById(name) is { } entry)
        {
            number = entry["uid"].IsInt64 ? entry["uid"].AsInt64 : entry["n"].AsInt64;
            day = Seen(entry, day);
        }
        else if (Full())
        {
            return Unlisted;
        }
        else
        {
            number = NextNumber();
            Insert(new BsonDocument { ["_id"] = name, ["n"] = number, ["seen"] = day });
        }
        Remember(name, number, day);
        return number;
    }

    /// <summary>Notes that the agent saw <paramref name="name"/> as <paramref name="uid"/> in a summary of
    /// <paramref name="day"/>: once per name, uid and day, a dictionary look-up after that.</summary>
    public void Learn(string name, uint uid, int day)
    {
        if (name.Length == 0 || (_numbers.TryGetValue(name, out var known) && known.Number == uid && known.Seen >= day))
        {
            return;
        }
        var entry = _users.FindById(name);
        if (entry == null)
        {
            if (Full())
            {
                return;
            }
            if (Bound(uid))
            {
                _refused("conflict"); // a uid another name has: a reused uid, or a node that lies
                return;
            }
            Insert(new BsonDocument { ["_id"] = name, ["n"] = (long)uid, ["uid"] = (long)uid, ["seen"] = day });
            Remember(name, uid, day);
            return;
        }
        if (entry["uid"].IsInt64 ? entry["uid"].AsInt64 != uid : Bound(uid))
        {
            _refused("conflict");
            return;
        }
        if (!entry["uid"].IsInt64)
        {
            // An imported name whose uid the agent shows first: one user, two numbers, from now on.
            entry["uid"] = (long)uid;
            _users.Update(entry);
            _aliasesChanged = true;
        }
        Remember(name, uid, Seen(entry, day));
    }

    /// <summary>Numbers given to names before the agent showed their uid, each with that uid: one user, two numbers.
    /// Read from the committed entries once per change and kept, so reports do not read the directory each time; safe
    /// on any thread, outside the store's write lock.</summary>
    public IReadOnlyDictionary<long, long> Aliases()
    {
        long version;
        lock (_aliasLock)
        {
            if (_aliases != null)
            {
                return _aliases;
            }
            version = _aliasVersion;
        }
        var aliases = _users.Find(Query.GTE("n", FirstImported))
            .Where(e => e["uid"].IsInt64)
            .ToDictionary(e => e["n"].AsInt64, e => e["uid"].AsInt64);
        lock (_aliasLock)
        {
            // A commit that changed the aliases while they were read: this read may miss it, and is not kept.
            if (version == _aliasVersion)
            {
                _aliases = aliases;
            }
        }
        return aliases;
    }

    /// <summary>After the transaction committed: the aliases it changed are read again when next asked for.</summary>
    public void Committed()
    {
        if (_aliasesChanged)
        {
            _aliasesChanged = false;
            InvalidateAliases();
        }
    }

    /// <summary>A prune deletes <paramref name="name"/>, in its transaction (<see cref="Committed"/> after).</summary>
    public void Pruned(string name)
    {
        _numbers.Remove(name);
        _count = -1;
        _aliasesChanged = true;
    }

    /// <summary>Drops what the cache learnt in a transaction that was rolled back.</summary>
    public void Forget()
    {
        _numbers.Clear();
        _next = -1;
        _count = -1;
        _aliasesChanged = false;
        InvalidateAliases();
    }

    private void InvalidateAliases()
    {
        lock (_aliasLock)
        {
            _aliasVersion++;
            _aliases = null;
        }
    }

    /// <summary>True, and counted, when no entry can be added.</summary>
    private bool Full()
    {
        if (_count < 0)
        {
            _count = _users.Count();
        }
        if (_count < _max)
        {
            return false;
        }
        _refused("full");
        return true;
    }

    /// <summary>True when a name has <paramref name="uid"/>.</summary>
    private bool Bound(uint uid) => _users.FindOne(Query.EQ("uid", (long)uid)) != null;

    private void Insert(BsonDocument entry)
    {
        _users.Insert(entry);
        _count++;
    }

    /// <summary>Notes the entry seen on <paramref name="day"/>, a write only when that is later than noted.</summary>
    /// <returns>The last day it was seen.</returns>
    private int Seen(BsonDocument entry, int day)
    {
        if (entry["seen"].IsInt32 && entry["seen"].AsInt32 >= day)
        {
            return entry["seen"].AsInt32;
        }
        entry["seen"] = day;
        _users.Update(entry);
        return day;
    }

    private long NextNumber()
    {
        if (_next < 0)
        {
            // LiteDB's Max throws on an empty collection; with the index on n it reads the last key. The kept next
            // number covers names pruned since.
            long stored = _meta.FindById(NextId)?["next"].AsInt64 ?? 0;
            long max = _users.Count() == 0 ? 0 : _users.Max("n").AsInt64 + 1;
            _next = Math.Max(FirstImported, Math.Max(stored, max));
        }
        long number = _next++;
        _meta.Upsert(new BsonDocument { ["_id"] = NextId, ["next"] = _next });
        return number;
    }

    private void Remember(string name, long number, int day)
    {
        if (_numbers.Count >= CacheCapacity)
        {
            _numbers.Clear();
        }
        _numbers[name] = (number, day);
    }
}
