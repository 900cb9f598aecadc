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
        w.Write(WireKeys.Records);
        w.WriteArrayHeader(batch.Records.Count);
        foreach (var record in batch.Records)
        {
            WriteRecord(ref w, record);
        }
    }

    private static void WriteRecord(ref MessagePackWriter w, ProcessRecord r)
    {
        w.WriteMapHeader(19);
        w.Write(WireKeys.RecordId); w.Write(r.RecordId);
        w.Write(WireKeys.Host); w.Write(r.Host);
        w.Write(WireKeys.Uid); w.Write(r.Uid);
        w.Write(WireKeys.User); w.Write(r.User);
        w.Write(WireKeys.Pid); w.Write(r.Pid);
        w.Write(WireKeys.ParentPid); w.Write(r.ParentPid);
        w.Write(WireKeys.Python); w.Write(r.PythonVersion);
        w.Write(WireKeys.Executable); w.Write(r.Executable);
        w.Write(WireKeys.Cwd); w.Write(r.WorkingDirectory);
        w.Write(WireKeys.Started); w.Write(r.StartedAtMs);
        w.Write(WireKeys.Ended); w.Write(r.EndedAtMs);
        w.Write(WireKeys.ImportNs); w.Write(r.ImportNs);
        w.Write(WireKeys.RuntimeNs); w.Write(r.RuntimeNs);
        w.Write(WireKeys.Exit); w.Write(r.ExitReason);
        w.Write(WireKeys.Partial); w.Write(r.Partial);
        w.Write(WireKeys.Modules);
        w.WriteArrayHeader(r.Modules.Count);
        foreach (var m in r.Modules)
        {
            w.WriteArrayHeader(7);
            w.Write(m.Name);
            w.Write(m.File);
            w.Write(m.Kind.Name());
            w.Write(m.CumulativeNs);
            w.Write(m.SelfNs);
            w.Write(m.Version);
            w.Write(m.Origin.Name());
        }
        w.Write(WireKeys.SharedObjects);
        w.WriteArrayHeader(r.SharedObjects.Count);
        foreach (var so in r.SharedObjects)
        {
            w.WriteArrayHeader(2);
            w.Write(so.Path);
            w.Write(so.Origin.Name());
        }
        w.Write(WireKeys.Environment); WriteEnvironment(ref w, r.Environment);
        w.Write(WireKeys.Job); WriteJob(ref w, r.Job);
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
