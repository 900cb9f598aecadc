using System.Text;

namespace Polaris.Wire;

/// <summary>What a decoded summary must satisfy to be stored: its counts fit its members, and every text, list, time
/// and distribution lies within <see cref="SummaryBounds"/>.</summary>
/// <remarks>
/// A summary that breaks a rule is refused on its own (the reader goes on with the next), so one user's forged
/// record never takes the other summaries of a batch with it. The bounds are those the daemon clips to, so a
/// daemon's summary always passes; what fails was forged or damaged after the daemon.
/// </remarks>
internal static class SummaryRules
{
    /// <summary>Throws <see cref="WireFormatException"/> naming the first rule <paramref name="summary"/> breaks.</summary>
    public static void Check(ProcessSummary summary)
    {
        int processes = summary.Processes;
        if (processes is 0 or > SummaryBounds.MaxMembers)
        {
            throw new WireFormatException($"a summary needs 1 to {SummaryBounds.MaxMembers} members, not {processes}");
        }
        Text("host", summary.Host, SummaryBounds.MaxTextBytes);
        Text("user", summary.User, SummaryBounds.MaxTextBytes);
        Text("py", summary.PythonVersion, SummaryBounds.MaxTextBytes);
        Text("exe", summary.Executable, SummaryBounds.MaxPathBytes);
        // The kernel's "no user" (the 32-bit -1); a real file owner is never it.
        if (summary.Uid == uint.MaxValue)
        {
            throw new WireFormatException("uid 4294967295 (-1) is no user");
        }
        CheckLive(summary);
        CheckEnvironment(summary.Environment);
        CheckJob(summary.Job);
        foreach (var member in summary.Members)
        {
            CheckMember(member);
        }
        Count("mods", summary.Modules.Count, SummaryBounds.MaxModulesPerSummary);
        foreach (var module in summary.Modules)
        {
            CheckModule(module, processes);
        }
        Count("sos", summary.SharedObjects.Count, SummaryBounds.MaxSharedObjectsPerSummary);
        foreach (var so in summary.SharedObjects)
        {
            Text("shared object path", so.Path, SummaryBounds.MaxPathBytes);
            if (so.Processes < 1 || so.Processes > processes)
            {
                throw new WireFormatException($"a shared object's process count {so.Processes} does not fit the summary's {processes} members");
            }
        }
    }

    /// <summary>A live summary's id is a short key of safe characters and its versions count from 1.</summary>
    private static void CheckLive(ProcessSummary summary)
    {
        if (summary.SummaryId == null)
        {
            return;
        }
        if (!SummaryBounds.IsSummaryId(summary.SummaryId))
        {
            throw new WireFormatException($"sid is not 1 to {SummaryBounds.MaxSummaryIdLength} characters of [A-Za-z0-9._:-]");
        }
        if (summary.Version is < 1 or > SummaryBounds.MaxSummaryVersion)
        {
            throw new WireFormatException($"ver {summary.Version} of a live summary is outside [1, {SummaryBounds.MaxSummaryVersion}]");
        }
    }

    private static void CheckMember(SummaryMember m)
    {
        Text("member rid", m.RecordId, SummaryBounds.MaxPathBytes);
        Text("member exit", m.ExitReason, SummaryBounds.MaxTextBytes);
        Text("member cwd", m.WorkingDirectory, SummaryBounds.MaxPathBytes);
        // 0: not known (a record killed before its first clock reading); else a time a summary may carry.
        if (m.StartedAtMs != 0)
        {
            Time("member start", m.StartedAtMs);
        }
        if (m.EndedAtMs != 0)
        {
            Time("member end", m.EndedAtMs);
        }
        if (m.ImportNs is < 0 or > SummaryBounds.MaxRuntimeNs || m.RuntimeNs is < 0 or > SummaryBounds.MaxRuntimeNs)
        {
            throw new WireFormatException($"member {m.Pid}: importns {m.ImportNs} or runns {m.RuntimeNs} is outside [0, {SummaryBounds.MaxRuntimeNs}]");
        }
        Variables($"member {m.Pid}", m.Variables);
    }

    private static void CheckModule(ModuleUse m, int processes)
    {
        if (m.Name.Length == 0)
        {
            throw new WireFormatException("a module entry has no name");
        }
        Text("module name", m.Name, SummaryBounds.MaxNameBytes);
        Text("module file", m.File, SummaryBounds.MaxPathBytes);
        Text("module version", m.Version, SummaryBounds.MaxVersionBytes);
        if (m.Processes < 1 || m.Processes > processes || (m.Members.Count > 0 && m.Members.Count != m.Processes)
            || (m.Members.Count == 0 && m.Processes != processes) || !Ascending(m.Members, processes))
        {
            throw new WireFormatException($"module {m.Name}: its process count does not fit the summary's {processes} members");
        }
        if (m.StartupProcesses < 0 || m.StartupProcesses > m.Processes)
        {
            throw new WireFormatException($"module {m.Name}: {m.StartupProcesses} processes loaded it at start-up, of the {m.Processes} that loaded it");
        }
        CheckDistribution(m.Name, m.SelfNs, m.Processes);
        CheckDistribution(m.Name, m.CumulativeNs, m.Processes);
    }

    // The writer lists members in the order they were folded: each once, ascending, inside the summary.
    private static bool Ascending(IReadOnlyList<int> members, int processes)
    {
        int last = -1;
        for (int k = 0; k < members.Count; k++)
        {
            int i = members[k];
            if (i <= last || i >= processes)
            {
                return false;
            }
            last = i;
        }
        return true;
    }

    /// <summary>A process times a module once, no import lasts longer than <see cref="SummaryBounds.MaxImportNs"/>,
    /// and the sum lies between count times the extremes (checked: an overflowed sum is what a forged clock makes).</summary>
    private static void CheckDistribution(string module, TimeDistribution d, int processes)
    {
        bool fits = d.Count >= 0 && d.Count <= processes && d.Min >= 0 && d.Min <= d.Max && d.Max <= SummaryBounds.MaxImportNs;
        if (fits && d.Count == 0)
        {
            fits = d.Sum == 0 && d.Max == 0;
        }
        else if (fits)
        {
            // Count <= MaxMembers and Max <= MaxImportNs: the products stay far inside a long.
            fits = d.Sum >= d.Count * d.Min && d.Sum <= d.Count * d.Max;
        }
        if (!fits)
        {
            throw new WireFormatException(
                $"module {module}: a distribution [count {d.Count}, sum {d.Sum}, min {d.Min}, max {d.Max}] is not one of at most {processes} imports of at most {SummaryBounds.MaxImportNs} ns");
        }
    }

    private static void CheckEnvironment(PythonEnvironment e)
    {
        Text("env impl", e.Implementation, SummaryBounds.MaxTextBytes);
        Text("env prefix", e.Prefix, SummaryBounds.MaxPathBytes);
        Text("env base", e.BasePrefix, SummaryBounds.MaxPathBytes);
        Text("env name", e.Name, SummaryBounds.MaxPathBytes);
        var c = e.Changes;
        Count("env added", c.CondaAdded.Count, SummaryBounds.MaxPackageChanges);
        Count("env removed", c.CondaRemoved.Count, SummaryBounds.MaxPackageChanges);
        Count("env changed", c.CondaChanged.Count, SummaryBounds.MaxPackageChanges);
        Count("env pip", c.PipInstalled.Count, SummaryBounds.MaxPackageChanges);
        Count("env pypath", c.PythonPath.Count, SummaryBounds.MaxPackageChanges);
        foreach (var p in c.CondaAdded.Concat(c.CondaRemoved))
        {
            Package(p.Name, p.Version);
            Text("conda build", p.Build, SummaryBounds.MaxTextBytes);
            Text("conda channel", p.Channel, SummaryBounds.MaxPathBytes);
        }
        foreach (var p in c.CondaChanged)
        {
            Package(p.Name, p.Version);
            // "1.26.4 py311h64a7726_0": a version with its build.
            Text("conda base version", p.BaseVersion, SummaryBounds.MaxTextBytes);
        }
        foreach (var p in c.PipInstalled)
        {
            Package(p.Name, p.Version);
        }
        Text("env usersite", c.UserSite, SummaryBounds.MaxPathBytes);
        foreach (var path in c.PythonPath)
        {
            Text("env pypath", path, SummaryBounds.MaxPathBytes);
        }
    }

    private static void Package(string name, string version)
    {
        Text("package name", name, SummaryBounds.MaxNameBytes);
        Text("package version", version, SummaryBounds.MaxTextBytes);
    }

    private static void CheckJob(JobContext j)
    {
        Text("job id", j.JobId, SummaryBounds.MaxTextBytes);
        Text("job account", j.Account, SummaryBounds.MaxTextBytes);
        Text("job queue", j.Queue, SummaryBounds.MaxTextBytes);
        Text("job script", j.Script, SummaryBounds.MaxPathBytes);
        Variables("job", j.Variables);
    }

    /// <summary>The job's or a member's variables: at most <see cref="SummaryBounds.MaxVariables"/>, each named as an
    /// environment variable is (names become field names of the stored document), each value (null: unset) within
    /// <see cref="SummaryBounds.MaxVariableBytes"/>.</summary>
    private static void Variables<TValue>(string whose, IReadOnlyDictionary<string, TValue> variables)
        where TValue : class?
    {
        Count(whose + " vars", variables.Count, SummaryBounds.MaxVariables);
        foreach (var (name, value) in variables)
        {
            if (!SummaryBounds.IsVariableName(name))
            {
                throw new WireFormatException($"{whose}: a variable's name is not [A-Za-z_][A-Za-z0-9_]*");
            }
            if (value is string text)
            {
                Text($"{whose} variable {name}", text, SummaryBounds.MaxVariableBytes);
            }
        }
    }

    /// <summary>A Unix time in ms within [<see cref="SummaryBounds.MinTimeMs"/>, <see cref="SummaryBounds.MaxTimeMs"/>].</summary>
    public static void Time(string what, long unixMs)
    {
        if (unixMs is < SummaryBounds.MinTimeMs or > SummaryBounds.MaxTimeMs)
        {
            throw new WireFormatException($"{what} {unixMs} is outside [{SummaryBounds.MinTimeMs}, {SummaryBounds.MaxTimeMs}] (Unix ms)");
        }
    }

    /// <summary>A text of at most <paramref name="maxBytes"/> UTF-8 bytes.</summary>
    public static void Text(string what, string text, int maxBytes)
    {
        // UTF-8 takes at most 3 bytes per UTF-16 unit: count the bytes only when it could matter.
        if ((long)text.Length * 3 > maxBytes && Encoding.UTF8.GetByteCount(text) > maxBytes)
        {
            throw new WireFormatException($"{what} is longer than {maxBytes} bytes");
        }
    }

    private static void Count(string what, int count, int max)
    {
        if (count > max)
        {
            throw new WireFormatException($"{what} holds {count} entries; at most {max}");
        }
    }
}
