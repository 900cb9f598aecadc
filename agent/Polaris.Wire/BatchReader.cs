using MessagePack;

namespace Polaris.Wire;

/// <summary>Reads a batch written by <see cref="BatchWriter"/>; unknown keys are skipped so newer writers stay readable.</summary>
internal static class BatchReader
{
    public static Batch Read(ref MessagePackReader r)
    {
        int? version = null;
        string? key = null, node = null, agent = null;
        long created = 0;
        List<ProcessRecord>? records = null;
        int fields = ReadMapHeader(ref r, "batch");
        for (int i = 0; i < fields; i++)
        {
            switch (ReadKey(ref r))
            {
                case WireKeys.Version: version = r.ReadInt32(); break;
                case WireKeys.Key: key = r.ReadString(); break;
                case WireKeys.Node: node = r.ReadString(); break;
                case WireKeys.Agent: agent = r.ReadString(); break;
                case WireKeys.Created: created = r.ReadInt64(); break;
                case WireKeys.Records: records = ReadRecords(ref r); break;
                default: r.Skip(); break;
            }
        }
        if (version != WireFormat.Version)
        {
            throw new WireFormatException($"batch version {version?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "missing"} is not {WireFormat.Version}");
        }
        if (string.IsNullOrEmpty(key))
        {
            throw new WireFormatException("batch has no key");
        }
        return new Batch
        {
            Key = key,
            Node = node ?? "",
            AgentVersion = agent ?? "",
            CreatedAtMs = created,
            Records = records ?? [],
        };
    }

    private static List<ProcessRecord> ReadRecords(ref MessagePackReader r)
    {
        int count = r.ReadArrayHeader();
        // Never pre-size from a count the sender chose: ReadArrayHeader already checked it against the bytes left.
        var records = new List<ProcessRecord>(Math.Min(count, 1024));
        for (int i = 0; i < count; i++)
        {
            records.Add(ReadRecord(ref r));
        }
        return records;
    }

    private static ProcessRecord ReadRecord(ref MessagePackReader r)
    {
        string host = "", user = "", python = "", exe = "";
        uint uid = 0;
        int pid = 0;
        long started = 0, ended = 0;
        List<ModuleImport> modules = [];
        int fields = ReadMapHeader(ref r, "record");
        for (int i = 0; i < fields; i++)
        {
            switch (ReadKey(ref r))
            {
                case WireKeys.Host: host = r.ReadString() ?? ""; break;
                case WireKeys.Uid: uid = r.ReadUInt32(); break;
                case WireKeys.User: user = r.ReadString() ?? ""; break;
                case WireKeys.Pid: pid = r.ReadInt32(); break;
                case WireKeys.Python: python = r.ReadString() ?? ""; break;
                case WireKeys.Executable: exe = r.ReadString() ?? ""; break;
                case WireKeys.Started: started = r.ReadInt64(); break;
                case WireKeys.Ended: ended = r.ReadInt64(); break;
                case WireKeys.Modules: modules = ReadModules(ref r); break;
                default: r.Skip(); break;
            }
        }
        return new ProcessRecord
        {
            Host = host, Uid = uid, User = user, Pid = pid,
            PythonVersion = python, Executable = exe,
            StartedAtMs = started, EndedAtMs = ended, Modules = modules,
        };
    }

    private static List<ModuleImport> ReadModules(ref MessagePackReader r)
    {
        int count = r.ReadArrayHeader();
        var modules = new List<ModuleImport>(Math.Min(count, 4096));
        for (int i = 0; i < count; i++)
        {
            if (r.ReadArrayHeader() != 2)
            {
                throw new WireFormatException("a module entry must be [name, file]");
            }
            var name = r.ReadString();
            if (string.IsNullOrEmpty(name))
            {
                throw new WireFormatException("a module entry has no name");
            }
            modules.Add(new ModuleImport(name, r.ReadString() ?? ""));
        }
        return modules;
    }

    private static int ReadMapHeader(ref MessagePackReader r, string what)
    {
        if (r.NextMessagePackType != MessagePackType.Map)
        {
            throw new WireFormatException($"{what} must be a map, not {r.NextMessagePackType}");
        }
        return r.ReadMapHeader();
    }

    private static string ReadKey(ref MessagePackReader r) =>
        r.NextMessagePackType == MessagePackType.String
            ? r.ReadString()!
            : throw new WireFormatException($"map key must be a string, not {r.NextMessagePackType}");
}
