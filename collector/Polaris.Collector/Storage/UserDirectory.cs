using LiteDB;

namespace Polaris.Collector.Storage;

/// <summary>User names and the numbers the roll-ups count users by (collection <c>users</c>): XALT and PyModuleSnooper
/// name users, the agent gives the kernel's uid and the node's name for it (docs/analysis.md, "Users across sources").</summary>
/// <remarks>A name the agent has shown counts as its uid, whichever source names it later; a name only an import has
/// shown gets a number from <see cref="FirstImported"/> up, outside every uid. When the agent shows the uid of such a
/// name later, the entry keeps both, and reports count the two numbers as one user (<see cref="Aliases"/>). Used under
/// the store's write lock, inside its transaction; after a rollback, <see cref="Forget"/>.</remarks>
internal sealed class UserDirectory(ILiteCollection<BsonDocument> users)
{
    /// <summary>The first number of a name no agent has shown: past every 32-bit uid.</summary>
    public const long FirstImported = 1L << 32;

    // Names met lately and their numbers; started over when full: the collection holds them all.
    private const int CacheCapacity = 65_536;
    private readonly Dictionary<string, long> _numbers = new(StringComparer.Ordinal);
    private long _next = -1;

    /// <summary>The number an imported summary of <paramref name="name"/> counts under, giving the name one when new.</summary>
    public long NumberOf(string name)
    {
        if (_numbers.TryGetValue(name, out long number))
        {
            return number;
        }
        if (users.FindById(name) is { } entry)
        {
            number = entry["uid"].IsInt64 ? entry["uid"].AsInt64 : entry["n"].AsInt64;
        }
        else
        {
            if (_next < 0)
            {
                // LiteDB's Max throws on an empty collection; with the index on n it reads the last key.
                _next = users.Count() == 0 ? FirstImported : Math.Max(FirstImported, users.Max("n").AsInt64 + 1);
            }
            number = _next++;
            users.Insert(new BsonDocument { ["_id"] = name, ["n"] = number });
        }
        Remember(name, number);
        return number;
    }

    /// <summary>Notes that the agent saw <paramref name="name"/> as <paramref name="uid"/>: once per name and uid, a
    /// dictionary look-up after that.</summary>
    public void Learn(string name, uint uid)
    {
        if (name.Length == 0 || (_numbers.TryGetValue(name, out long known) && known == uid))
        {
            return;
        }
        var entry = users.FindById(name);
        if (entry == null)
        {
            users.Insert(new BsonDocument { ["_id"] = name, ["n"] = (long)uid, ["uid"] = (long)uid });
        }
        else if (!entry["uid"].IsInt64 || entry["uid"].AsInt64 != uid)
        {
            // An imported name whose uid the agent now shows, or a name that moved to another uid: the latest counts.
            entry["uid"] = (long)uid;
            users.Update(entry);
        }
        Remember(name, uid);
    }

    /// <summary>Numbers given to names before the agent showed their uid, each with that uid: one user, two numbers.</summary>
    public IReadOnlyDictionary<long, long> Aliases() =>
        users.Find(Query.GTE("n", FirstImported))
            .Where(e => e["uid"].IsInt64)
            .ToDictionary(e => e["n"].AsInt64, e => e["uid"].AsInt64);

    /// <summary>Drops what the cache learnt in a transaction that was rolled back.</summary>
    public void Forget()
    {
        _numbers.Clear();
        _next = -1;
    }

    private void Remember(string name, long number)
    {
        if (_numbers.Count >= CacheCapacity)
        {
            _numbers.Clear();
        }
        _numbers[name] = number;
    }
}
