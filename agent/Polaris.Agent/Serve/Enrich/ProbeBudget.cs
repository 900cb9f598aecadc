using System.Diagnostics;

namespace Polaris.Agent.Serve.Enrich;

/// <summary>What one record may spend looking on disk for the environments its files lie in, and as whom it looks.</summary>
/// <remarks>
/// A record names its files, and each folder not seen before costs a walk up its ancestors, two <c>stat</c> calls a
/// folder, on the aggregator thread that every user's records pass through. A real record of ~600 modules lives in a
/// few hundred folders of a few environments, cached once seen: a few hundred probes the first time, none after. A
/// forged one of 16,384 files, each in its own chain of folders 2,000 deep, would cost tens of millions, and again
/// for the next record once the cache had started over. Past <see cref="MaxProbes"/> probes or <see cref="MaxTime"/>
/// (a <c>stat</c> of a deep path costs the kernel a look-up per component), the record's remaining files get the
/// configured rules' origin. One per record, for one thread at a time.
/// </remarks>
public sealed class ProbeBudget
{
    /// <summary>Probes (a folder looked at for an environment's marker, or a folder's status read to check the
    /// user's access) a record may make.</summary>
    public const int MaxProbes = 4096;

    /// <summary>Time a record's probes may take, counted from its first.</summary>
    public static readonly TimeSpan MaxTime = TimeSpan.FromMilliseconds(50);

    private readonly uint _uid;
    private UserAccess? _access;
    private int _left;
    private readonly long _time;
    private long _deadline;
    private string? _lastFolder;
    private bool _lastEnterable;

    /// <param name="uid">The record's user, as whom folders are looked at (0: no check).</param>
    /// <param name="probes">Probes the record may make.</param>
    /// <param name="time">Time they may take; <see cref="MaxTime"/> when null.</param>
    public ProbeBudget(uint uid, int probes = MaxProbes, TimeSpan? time = null)
    {
        _uid = uid;
        _left = probes;
        _time = (long)((time ?? MaxTime).TotalSeconds * Stopwatch.Frequency);
    }

    /// <summary>Whether the record is root's, who may see every folder.</summary>
    public bool IsEveryone => _uid == 0;

    /// <summary>Whether the budget ran out: the record's remaining files get no environment origin.</summary>
    public bool Exhausted { get; private set; }

    /// <summary>Whether the classifier has counted this record as limited.</summary>
    internal bool Counted { get; set; }

    /// <summary>Takes <paramref name="probes"/> from the budget; false, for good, once they are not there or the
    /// time is up.</summary>
    public bool TrySpend(int probes)
    {
        if (Exhausted)
        {
            return false;
        }
        long now = Stopwatch.GetTimestamp();
        if (_deadline == 0)
        {
            _deadline = now + _time;
        }
        if (probes > _left || now > _deadline)
        {
            Exhausted = true;
            return false;
        }
        _left -= probes;
        return true;
    }

    /// <summary>Whether the record's user may enter <paramref name="folder"/> and every folder above it; null when
    /// the budget ran out. Each folder's status read is a probe; the verdicts are remembered for the record.</summary>
    public bool? MayEnter(string folder)
    {
        if (IsEveryone)
        {
            return true;
        }
        // The same environment's prefix comes back for every folder in it: one comparison of references.
        if (ReferenceEquals(folder, _lastFolder))
        {
            return _lastEnterable;
        }
        // At most one status a component, taken before and given back after, so a deep path cannot overshoot.
        int most = folder.AsSpan().Count('/') + 1;
        if (!TrySpend(most))
        {
            return null;
        }
        _access ??= UserAccess.Of(_uid);
        long before = _access.StatusesRead;
        bool may = _access.MayEnter(folder);
        _left += most - (int)Math.Min(most, _access.StatusesRead - before);
        _lastFolder = folder;
        _lastEnterable = may;
        return may;
    }
}
