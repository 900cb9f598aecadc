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
        var record = new ProcessRecord { Host = "", Uid = 0, User = "", Pid = 0 };
        int fields = ReadMapHeader(ref r, "record");
        for (int i = 0; i < fields; i++)
        {
            record = ReadKey(ref r) switch
            {
                WireKeys.RecordId => record with { RecordId = Text(ref r) },
                WireKeys.Host => record with { Host = Text(ref r) },
                WireKeys.Uid => record with { Uid = r.ReadUInt32() },
                WireKeys.User => record with { User = Text(ref r) },
                WireKeys.Pid => record with { Pid = r.ReadInt32() },
                WireKeys.ParentPid => record with { ParentPid = r.ReadInt32() },
                WireKeys.Python => record with { PythonVersion = Text(ref r) },
                WireKeys.Executable => record with { Executable = Text(ref r) },
                WireKeys.Cwd => record with { WorkingDirectory = Text(ref r) },
                WireKeys.Started => record with { StartedAtMs = r.ReadInt64() },
                WireKeys.Ended => record with { EndedAtMs = r.ReadInt64() },
                WireKeys.ImportNs => record with { ImportNs = r.ReadInt64() },
                WireKeys.RuntimeNs => record with { RuntimeNs = r.ReadInt64() },
                WireKeys.Exit => record with { ExitReason = Text(ref r) },
                WireKeys.Partial => record with { Partial = r.ReadBoolean() },
                WireKeys.Modules => record with { Modules = ReadModules(ref r) },
                WireKeys.SharedObjects => record with { SharedObjects = ReadSharedObjects(ref r) },
                WireKeys.Environment => record with { Environment = ReadEnvironment(ref r) },
                WireKeys.Job => record with { Job = ReadJob(ref r) },
                _ => Skip(ref r, record),
            };
        }
        return record;
    }

    private static List<ModuleImport> ReadModules(ref MessagePackReader r)
    {
        int count = r.ReadArrayHeader();
        var modules = new List<ModuleImport>(Math.Min(count, 4096));
        for (int i = 0; i < count; i++)
        {
            // [name, file] from the first writers; [name, file, kind, cumulative, self, version, origin] now.
            int length = r.ReadArrayHeader();
            if (length < 2)
            {
                throw new WireFormatException("a module entry needs at least [name, file]");
            }
            var name = r.ReadString();
            if (string.IsNullOrEmpty(name))
            {
                throw new WireFormatException("a module entry has no name");
            }
            var module = new ModuleImport(name, Text(ref r));
            if (length >= 7)
            {
                module = module with
                {
                    Kind = WireNames.ParseModuleKind(r.ReadString()),
                    CumulativeNs = r.ReadInt64(),
                    SelfNs = r.ReadInt64(),
                    Version = Text(ref r),
                    Origin = WireNames.ParseOrigin(r.ReadString()),
                };
                length -= 5;
            }
            for (int extra = 2; extra < length; extra++)
            {
                r.Skip();
            }
            modules.Add(module);
        }
        return modules;
    }

    private static List<SharedObject> ReadSharedObjects(ref MessagePackReader r)
    {
        int count = r.ReadArrayHeader();
        var objects = new List<SharedObject>(Math.Min(count, 4096));
        for (int i = 0; i < count; i++)
        {
            var values = ReadStrings(ref r, 2);
            objects.Add(new SharedObject(values[0]) { Origin = WireNames.ParseOrigin(values[1]) });
        }
        return objects;
    }

    private static PythonEnvironment ReadEnvironment(ref MessagePackReader r)
    {
        var environment = new PythonEnvironment();
        int fields = ReadMapHeader(ref r, "environment");
        for (int i = 0; i < fields; i++)
        {
            environment = ReadKey(ref r) switch
            {
                WireKeys.Implementation => environment with { Implementation = Text(ref r) },
                WireKeys.Prefix => environment with { Prefix = Text(ref r) },
                WireKeys.BasePrefix => environment with { BasePrefix = Text(ref r) },
                WireKeys.Kind => environment with { Kind = WireNames.ParseEnvironmentKind(r.ReadString()) },
                WireKeys.Name => environment with { Name = Text(ref r) },
                WireKeys.Changes => environment with { Changes = ReadChanges(ref r) },
                _ => Skip(ref r, environment),
            };
        }
        return environment;
    }

    private static EnvironmentChanges ReadChanges(ref MessagePackReader r)
    {
        var changes = new EnvironmentChanges();
        int fields = ReadMapHeader(ref r, "changes");
        for (int i = 0; i < fields; i++)
        {
            changes = ReadKey(ref r) switch
            {
                WireKeys.CondaAdded => changes with { CondaAdded = ReadConda(ref r) },
                WireKeys.CondaRemoved => changes with { CondaRemoved = ReadConda(ref r) },
                WireKeys.CondaChanged => changes with { CondaChanged = ReadList(ref r, 3, v => new PackageChange(v[0], v[1], v[2])) },
                WireKeys.Pip => changes with { PipInstalled = ReadList(ref r, 2, v => new PipPackage(v[0], v[1])) },
                WireKeys.UserSite => changes with { UserSite = Text(ref r) },
                WireKeys.PythonPath => changes with { PythonPath = ReadStringArray(ref r) },
                _ => Skip(ref r, changes),
            };
        }
        return changes;
    }

    private static List<CondaPackage> ReadConda(ref MessagePackReader r) =>
        ReadList(ref r, 4, v => new CondaPackage(v[0], v[1], v[2], v[3]));

    private static JobContext ReadJob(ref MessagePackReader r)
    {
        var job = new JobContext();
        int fields = ReadMapHeader(ref r, "job");
        for (int i = 0; i < fields; i++)
        {
            job = ReadKey(ref r) switch
            {
                WireKeys.JobId => job with { JobId = Text(ref r) },
                WireKeys.Account => job with { Account = Text(ref r) },
                WireKeys.Queue => job with { Queue = Text(ref r) },
                WireKeys.Nodes => job with { NodeCount = r.ReadInt32() },
                WireKeys.Rank => job with { Rank = r.ReadInt32() },
                WireKeys.Size => job with { Size = r.ReadInt32() },
                WireKeys.Script => job with { Script = Text(ref r) },
                WireKeys.Variables => job with { Variables = ReadVariables(ref r) },
                _ => Skip(ref r, job),
            };
        }
        return job;
    }

    private static Dictionary<string, string> ReadVariables(ref MessagePackReader r)
    {
        int count = ReadMapHeader(ref r, "vars");
        var variables = new Dictionary<string, string>(Math.Min(count, 64), StringComparer.Ordinal);
        for (int i = 0; i < count; i++)
        {
            variables[ReadKey(ref r)] = Text(ref r);
        }
        return variables;
    }

    private static List<T> ReadList<T>(ref MessagePackReader r, int width, Func<string[], T> make)
    {
        int count = r.ReadArrayHeader();
        var items = new List<T>(Math.Min(count, 1024));
        for (int i = 0; i < count; i++)
        {
            items.Add(make(ReadStrings(ref r, width)));
        }
        return items;
    }

    private static string[] ReadStrings(ref MessagePackReader r, int width)
    {
        int length = r.ReadArrayHeader();
        if (length < width)
        {
            throw new WireFormatException($"expected an array of {width} strings, found {length} items");
        }
        var values = new string[width];
        for (int i = 0; i < width; i++)
        {
            values[i] = Text(ref r);
        }
        for (int i = width; i < length; i++)
        {
            r.Skip();
        }
        return values;
    }

    private static List<string> ReadStringArray(ref MessagePackReader r)
    {
        int count = r.ReadArrayHeader();
        var values = new List<string>(Math.Min(count, 1024));
        for (int i = 0; i < count; i++)
        {
            values.Add(Text(ref r));
        }
        return values;
    }

    private static string Text(ref MessagePackReader r) => r.ReadString() ?? "";

    private static T Skip<T>(ref MessagePackReader r, T unchanged)
    {
        r.Skip();
        return unchanged;
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
