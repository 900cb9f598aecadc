using System.Collections;

namespace Polaris.Collector.Aggregation;

/// <summary>The members of one summary that imported a library: a union of module entries' member lists.</summary>
/// <remarks>One bit per member (a summary has at most <see cref="Polaris.Wire.SummaryBounds.MaxMembers"/>), so a
/// member listed twice, or by many entries, is still one process.</remarks>
internal sealed class MemberSet
{
    private readonly BitArray _bits;
    private bool _all;

    public MemberSet(int processes) => _bits = new BitArray(processes);

    /// <summary>Members in the set.</summary>
    public int Count
    {
        get
        {
            if (_all)
            {
                return _bits.Length;
            }
            int count = 0;
            for (int i = 0; i < _bits.Length; i++)
            {
                count += _bits[i] ? 1 : 0;
            }
            return count;
        }
    }

    /// <summary>Adds the members of one module entry; an empty list means every member imported it.</summary>
    public void Add(IReadOnlyList<int> members)
    {
        if (members.Count == 0)
        {
            _all = true;
            return;
        }
        foreach (int i in members)
        {
            // The reader refused indices outside the summary; a store test may hand in anything.
            if ((uint)i < (uint)_bits.Length)
            {
                _bits[i] = true;
            }
        }
    }
}
