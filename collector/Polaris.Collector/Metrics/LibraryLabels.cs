namespace Polaris.Collector.Metrics;

/// <summary>The <c>library</c> label's budget, up to <c>maxLibraryLabels</c>: the allowlist; libraries used by at least
/// <c>libraryLabelMinUsers</c> distinct users; and, until they reach <see cref="PerUserShare"/>, the libraries a single user
/// brings. The rest fold into <see cref="Other"/>.</summary>
/// <remarks>
/// Admitting the first names that come would let one user who writes records naming a million made-up packages use up
/// the budget for good; one user's own libraries get at most <see cref="PerUserShare"/> labels, and a name used by
/// several users gets one whatever its users brought before. Once admitted a name keeps its label (its series must go
/// on), and the set is stored so that a restart keeps it.
/// </remarks>
public sealed class LibraryLabels
{
    /// <summary>The label value that libraries without a label of their own fold into.</summary>
    public const string Other = "other";

    private readonly HashSet<string> _allowlist;
    /// <summary>Labels one user's own libraries may take (used by no one else yet).</summary>
    public const int PerUserShare = 200;

    private readonly Dictionary<string, long> _admitted = new(StringComparer.Ordinal);
    private readonly Dictionary<long, int> _shares = [];
    private readonly int _max;
    private readonly int _minUsers;

    public LibraryLabels(IEnumerable<string> allowlist, int max, int minUsers)
    {
        _allowlist = new HashSet<string>(allowlist, StringComparer.Ordinal);
        _max = max;
        _minUsers = minUsers;
    }

    /// <summary>Labels given so far.</summary>
    public int Count => _admitted.Count;

    /// <summary>True when names were admitted since <see cref="TakeAdmitted"/> was last called.</summary>
    public bool Changed { get; private set; }

    /// <summary>The label for <paramref name="library"/>, used by <paramref name="distinctUsers"/> users lately and now
    /// by <paramref name="uid"/>, admitting it when it qualifies and the budget allows.</summary>
    public string Of(string library, int distinctUsers, uint uid)
    {
        if (_admitted.ContainsKey(library))
        {
            return library;
        }
        if (library == Other || _admitted.Count >= _max)
        {
            return Other;
        }
        if (distinctUsers >= _minUsers || _allowlist.Contains(library))
        {
            _admitted.Add(library, -1);
        }
        else if (_shares.GetValueOrDefault(uid) < PerUserShare)
        {
            _admitted.Add(library, uid);
            _shares[uid] = _shares.GetValueOrDefault(uid) + 1;
        }
        else
        {
            return Other;
        }
        Changed = true;
        return library;
    }

    /// <summary>True when <paramref name="library"/> has a label of its own.</summary>
    public bool Has(string library) => _admitted.ContainsKey(library);

    /// <summary>The admitted names, each with the uid whose share it took (-1: none), to store; clears <see cref="Changed"/>.</summary>
    public IReadOnlyDictionary<string, long> TakeAdmitted()
    {
        Changed = false;
        return _admitted;
    }

    /// <summary>Admits a name stored before a restart.</summary>
    public void Restore(string name, long uid)
    {
        if (_admitted.TryAdd(name, uid) && uid >= 0)
        {
            _shares[uid] = _shares.GetValueOrDefault(uid) + 1;
        }
    }
}
