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
        w.WriteMapHeader(9);
        w.Write(WireKeys.Host); w.Write(r.Host);
        w.Write(WireKeys.Uid); w.Write(r.Uid);
        w.Write(WireKeys.User); w.Write(r.User);
        w.Write(WireKeys.Pid); w.Write(r.Pid);
        w.Write(WireKeys.Python); w.Write(r.PythonVersion);
        w.Write(WireKeys.Executable); w.Write(r.Executable);
        w.Write(WireKeys.Started); w.Write(r.StartedAtMs);
        w.Write(WireKeys.Ended); w.Write(r.EndedAtMs);
        w.Write(WireKeys.Modules);
        w.WriteArrayHeader(r.Modules.Count);
        foreach (var module in r.Modules)
        {
            w.WriteArrayHeader(2);
            w.Write(module.Name);
            w.Write(module.File);
        }
    }
}
