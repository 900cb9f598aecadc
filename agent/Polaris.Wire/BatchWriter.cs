using MessagePack;

namespace Polaris.Wire;

/// <summary>Writes a batch as MessagePack maps with the short keys of docs/wire-format.md.</summary>
internal static class BatchWriter
{
    public static void Write(ref MessagePackWriter w, Batch batch)
    {
        w.WriteMapHeader(6);
        w.Write(WireKeys.Version); w.Write(WireFormat.Version);
        w.Write(WireKeys.Key); w.Write(batch.Key);
        w.Write(WireKeys.Node); w.Write(batch.Node);
        w.Write(WireKeys.Agent); w.Write(batch.AgentVersion);
        w.Write(WireKeys.Created); w.Write(batch.CreatedAtMs);
        w.Write(WireKeys.Summaries);
        w.WriteArrayHeader(batch.Summaries.Count);
        foreach (var summary in batch.Summaries)
        {
            WriteSummary(ref w, summary);
        }
    }

    private static void WriteSummary(ref MessagePackWriter w, ProcessSummary s)
    {
        // The clip key only when something was left out: most summaries never meet a bound. The live keys only for a
        // summary shipped while its processes ran: any other is written byte for byte as before them.
        // The source only for an imported one: an agent's summary is written as before sources existed.
        bool live = s.SummaryId != null;
        bool imported = s.Source != RecordSource.Agent;
        w.WriteMapHeader((s.Clipped.IsEmpty ? 10 : 11) + (live ? 3 : 0) + (imported ? 1 : 0));
        w.Write(WireKeys.Host); w.Write(s.Host);
        w.Write(WireKeys.Uid); w.Write(s.Uid);
        w.Write(WireKeys.User); w.Write(s.User);
        w.Write(WireKeys.Python); w.Write(s.PythonVersion);
        w.Write(WireKeys.Executable); w.Write(s.Executable);
        w.Write(WireKeys.Environment); WriteEnvironment(ref w, s.Environment);
        w.Write(WireKeys.Job); WriteJob(ref w, s.Job);
        w.Write(WireKeys.Members);
        w.WriteArrayHeader(s.Members.Count);
        foreach (var m in s.Members)
        {
            // The thirteenth, the member's own variables, only when it has any: most members have none, and a reader
            // that knows twelve elements skips it.
            w.WriteArrayHeader(m.Variables.Count == 0 ? 12 : 13);
            w.Write(m.RecordId);
            w.Write(m.Pid);
            w.Write(m.ParentPid);
            w.Write(m.Rank);
            w.Write(m.StartedAtMs);
            w.Write(m.EndedAtMs);
            w.Write(m.ImportNs);
            w.Write(m.RuntimeNs);
            w.Write(m.ExitReason);
            w.Write(m.Partial);
            w.Write(m.WorkingDirectory);
            w.Write(m.PidVerified);
            if (m.Variables.Count > 0)
            {
                WriteMemberVariables(ref w, m.Variables);
            }
        }
        w.Write(WireKeys.Modules);
        w.WriteArrayHeader(s.Modules.Count);
        foreach (var m in s.Modules)
        {
            // The tenth, the processes that loaded it at start-up, only when there are any: a reader that knows nine
            // elements skips it, and one that knows ten reads an entry of nine as none.
            w.WriteArrayHeader(m.StartupProcesses == 0 ? 9 : 10);
            w.Write(m.Name);
            w.Write(m.File);
            w.Write(m.Kind.Name());
            w.Write(m.Version);
            w.Write(m.Origin.Name());
            w.Write(m.Processes);
            WriteDistribution(ref w, m.SelfNs);
            WriteDistribution(ref w, m.CumulativeNs);
            w.WriteArrayHeader(m.Members.Count);
            foreach (var member in m.Members)
            {
                w.Write(member);
            }
            if (m.StartupProcesses != 0)
            {
                w.Write(m.StartupProcesses);
            }
        }
        w.Write(WireKeys.SharedObjects);
        w.WriteArrayHeader(s.SharedObjects.Count);
        foreach (var so in s.SharedObjects)
        {
            w.WriteArrayHeader(3);
            w.Write(so.Path);
            w.Write(so.Origin.Name());
            w.Write(so.Processes);
        }
        if (!s.Clipped.IsEmpty)
        {
            w.Write(WireKeys.Clipped); WriteClips(ref w, s.Clipped);
        }
        if (live)
        {
            w.Write(WireKeys.SummaryId); w.Write(s.SummaryId);
            w.Write(WireKeys.SummaryVersion); w.Write(s.Version);
            w.Write(WireKeys.Final); w.Write(s.Final);
        }
        if (imported)
        {
            w.Write(WireKeys.Source); w.Write(s.Source.Name());
        }
    }

    private static void WriteMemberVariables(ref MessagePackWriter w, IReadOnlyDictionary<string, string?> variables)
    {
        w.WriteMapHeader(variables.Count);
        foreach (var (name, value) in variables.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            w.Write(name);
            if (value == null)
            {
                w.WriteNil(); // set in the summary's job, not in this member
            }
            else
            {
                w.Write(value);
            }
        }
    }

    private static void WriteClips(ref MessagePackWriter w, Clips c)
    {
        (string Key, long Count)[] counts =
            [(WireKeys.ClippedModules, c.Modules), (WireKeys.ClippedSharedObjects, c.SharedObjects), (WireKeys.ClippedTexts, c.Texts), (WireKeys.ClippedNumbers, c.Numbers)];
        w.WriteMapHeader(counts.Count(k => k.Count != 0));
        foreach (var (key, count) in counts)
        {
            if (count != 0)
            {
                w.Write(key); w.Write(count);
            }
        }
    }

    private static void WriteDistribution(ref MessagePackWriter w, TimeDistribution d)
    {
        w.WriteArrayHeader(5);
        w.Write(d.Count);
        w.Write(d.Sum);
        w.Write(d.Min);
        w.Write(d.Max);
        w.WriteArrayHeader(d.Buckets.Count * 2);
        foreach (var (bucket, count) in d.BucketSpan())
        {
            w.Write(bucket);
            w.Write(count);
        }
    }

    private static void WriteEnvironment(ref MessagePackWriter w, PythonEnvironment e)
    {
        w.WriteMapHeader(6);
        w.Write(WireKeys.Implementation); w.Write(e.Implementation);
        w.Write(WireKeys.Prefix); w.Write(e.Prefix);
        w.Write(WireKeys.BasePrefix); w.Write(e.BasePrefix);
        w.Write(WireKeys.Kind); w.Write(e.Kind.Name());
        w.Write(WireKeys.Name); w.Write(e.Name);
        w.Write(WireKeys.Changes);
        var c = e.Changes;
        w.WriteMapHeader(6);
        w.Write(WireKeys.CondaAdded); WriteConda(ref w, c.CondaAdded);
        w.Write(WireKeys.CondaRemoved); WriteConda(ref w, c.CondaRemoved);
        w.Write(WireKeys.CondaChanged);
        w.WriteArrayHeader(c.CondaChanged.Count);
        foreach (var p in c.CondaChanged)
        {
            WriteStrings(ref w, p.Name, p.BaseVersion, p.Version);
        }
        w.Write(WireKeys.Pip);
        w.WriteArrayHeader(c.PipInstalled.Count);
        foreach (var p in c.PipInstalled)
        {
            WriteStrings(ref w, p.Name, p.Version);
        }
        w.Write(WireKeys.UserSite); w.Write(c.UserSite);
        w.Write(WireKeys.PythonPath);
        w.WriteArrayHeader(c.PythonPath.Count);
        foreach (var entry in c.PythonPath)
        {
            w.Write(entry);
        }
    }

    private static void WriteConda(ref MessagePackWriter w, IReadOnlyList<CondaPackage> packages)
    {
        w.WriteArrayHeader(packages.Count);
        foreach (var p in packages)
        {
            WriteStrings(ref w, p.Name, p.Version, p.Build, p.Channel);
        }
    }

    private static void WriteStrings(ref MessagePackWriter w, params ReadOnlySpan<string> values)
    {
        w.WriteArrayHeader(values.Length);
        foreach (var value in values)
        {
            w.Write(value);
        }
    }

    private static void WriteJob(ref MessagePackWriter w, JobContext j)
    {
        w.WriteMapHeader(8);
        w.Write(WireKeys.JobId); w.Write(j.JobId);
        w.Write(WireKeys.Account); w.Write(j.Account);
        w.Write(WireKeys.Queue); w.Write(j.Queue);
        w.Write(WireKeys.Nodes); w.Write(j.NodeCount);
        w.Write(WireKeys.Rank); w.Write(j.Rank);
        w.Write(WireKeys.Size); w.Write(j.Size);
        w.Write(WireKeys.Script); w.Write(j.Script);
        w.Write(WireKeys.Variables);
        w.WriteMapHeader(j.Variables.Count);
        foreach (var (name, value) in j.Variables.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            w.Write(name);
            w.Write(value);
        }
    }
}
