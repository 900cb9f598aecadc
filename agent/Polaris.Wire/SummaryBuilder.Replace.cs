namespace Polaris.Wire;

/// <summary>A member read again: the live summaries of processes that run long.</summary>
public sealed partial class SummaryBuilder
{
    /// <summary>Replaces the row of <paramref name="member"/> with what <paramref name="record"/>, a later read of its
    /// process (or its final record), says now, and counts for it the modules and shared objects it has that the
    /// summary had not counted for it yet.</summary>
    /// <remarks>
    /// A record file only grows, so a later read lists what the earlier one did and more: the summary then equals the
    /// one that would have folded the last read alone, whatever reads came before (the times of a module are those of
    /// the read that first listed it: an import's time never changes once written). Nothing is taken back: a module a
    /// forged file drops between two reads stays counted, as the collector keeps what it was sent. The summary's
    /// header stays its first member's first record's. A row that would take the summary past
    /// <see cref="SummaryBounds.MaxSummaryBytes"/> keeps its earlier variables (counted in <see cref="Clipped"/>).
    /// </remarks>
    /// <param name="member">The member's index, as <see cref="Processes"/> was when it was added.</param>
    /// <param name="record">The member's record as read now.</param>
    /// <param name="folded">What the summary counted of the member so far (<see cref="FoldedMember.Of"/> of the record
    /// added or replaced last).</param>
    /// <param name="originOf">Where a file lies, asked for a module or shared object the summary has not met yet.</param>
    /// <returns>What the summary left out of the record beyond what it left out of the earlier reads.</returns>
    public Clips Replace(int member, ProcessRecord record, FoldedMember folded, Func<string, Origin>? originOf = null)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentOutOfRangeException.ThrowIfNegative(member);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(member, _members.Count);
        var before = _clipped;
        var old = _members[member];
        int variablesLeftOut = 0;
        var variables = member == 0 ? MemberVariables.None : MemberVariables.Between(_first!.Job.Variables, record.Job.Variables, out variablesLeftOut);
        long grows = MemberBytesOf(record, variables) - RowBytes(old);
        if (EncodedBytesBound + grows > SummaryBounds.MaxSummaryBytes)
        {
            variablesLeftOut += variables.Count;
            variables = old.Variables;
            grows = MemberBytesOf(record, variables) - RowBytes(old);
        }
        _bytes += grows;
        _members[member] = MemberRow(record, variables);
        var grown = Grown(folded.Clipped, record.Clipped);
        _clipped += grown + new Clips(0, 0, variablesLeftOut, 0);
        var modules = record.Modules;
        for (int i = 0; i < modules.Count; i++)
        {
            if (TallyOf(modules[i], originOf) is { } tally && tally.AddLate(member, modules[i], record.TimeOf(i)))
            {
                _bucketSlack += 2L * BucketBytes;
            }
        }
        if (!ReferenceEquals(record.SharedObjects, folded.SharedObjects) && record.SharedObjects.Count > 0)
        {
            CountSharedObjects(NotCounted(record.SharedObjects, folded.SharedObjects), originOf);
        }
        return new Clips(
            _clipped.Modules - before.Modules - grown.Modules, _clipped.SharedObjects - before.SharedObjects - grown.SharedObjects, variablesLeftOut, 0);
    }

    /// <summary>Marks <paramref name="member"/>, read while it ran, as ended without a record the daemon could read
    /// (its file went, or was refused at its close): <c>lost</c>, with what it had when last read.</summary>
    public void Lose(int member)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(member);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(member, _members.Count);
        _members[member] = _members[member] with { ExitReason = ExitReasons.Lost, Partial = true };
    }

    /// <summary>What a member's row takes encoded at most, as <see cref="MemberBytesOf"/> counted it.</summary>
    private static long RowBytes(SummaryMember row) =>
        MemberBytes + TextBytes(row.RecordId) + TextBytes(row.ExitReason) + TextBytes(row.WorkingDirectory)
        + MemberVariables.EncodedBytesBound(row.Variables);

    // A later read's clips include the earlier read's: only what grew is new (a forged file may show fewer).
    private static Clips Grown(Clips was, Clips now) => new(
        Math.Max(0, now.Modules - was.Modules), Math.Max(0, now.SharedObjects - was.SharedObjects),
        Math.Max(0, now.Texts - was.Texts), Math.Max(0, now.Numbers - was.Numbers));

    /// <summary>The objects of <paramref name="now"/> not in <paramref name="counted"/>: all of them when none were
    /// counted, as for a member whose exit frame (which alone lists them) comes with this read.</summary>
    private static IReadOnlyList<SharedObject> NotCounted(IReadOnlyList<SharedObject> now, IReadOnlyList<SharedObject> counted)
    {
        if (counted.Count == 0)
        {
            return now;
        }
        var paths = new HashSet<string>(counted.Select(o => o.Path), StringComparer.Ordinal);
        return now.Where(o => !paths.Contains(o.Path)).ToArray();
    }

    private sealed partial class ModuleTally
    {
        /// <summary>Counts the module for <paramref name="member"/>, an earlier member read again, unless it is counted
        /// for it already; false then. Its index goes into the member list in order, which the reader requires.</summary>
        public bool AddLate(int member, ModuleImport module, ImportTime time)
        {
            if (_members == null ? member < _count : _members.BinarySearch(member) >= 0)
            {
                return false;
            }
            if (_members != null || member != _count)
            {
                if (_members == null)
                {
                    _members = [.. Enumerable.Range(0, _count)];
                    owner._bytes += (long)IndexBytes * _count;
                }
                _members.Insert(~_members.BinarySearch(member), member);
                owner._bytes += IndexBytes;
            }
            _count++;
            _startup += time.Startup ? 1 : 0;
            _last = Math.Max(_last, member);
            if (time.IsTimed)
            {
                _self.Add(time.SelfNs);
                _cumulative.Add(time.CumulativeNs);
            }
            if (_version.Length == 0)
            {
                _version = module.Version;
            }
            return true;
        }
    }
}
