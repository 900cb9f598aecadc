using System.Buffers.Binary;
using System.Text;

namespace Polaris.Agent.Serve.Receive;

/// <summary>Parses a record file: frames the hook appended, each a little-endian length and NUL-separated UTF-8 fields.</summary>
/// <remarks>
/// Every frame starts with <c>polaris2</c>, then keys and values. <c>m</c> takes three values (name, file,
/// version), <c>v</c> two (variable, value), every other key one; unknown keys are skipped. <c>t</c> holds the
/// frame's import times as a Python list literal, three numbers per <c>m</c> in order: start and end (readings of
/// the process's monotonic clock in ns; both 0 for modules loaded before the hook) and the thread's id. Only their
/// differences, order and grouping matter. A last frame cut short (the process died while writing it) is ignored.
/// docs/hook.md lists the keys.
/// </remarks>
public static class HookFrames
{
    /// <summary>First field of every frame of this version.</summary>
    public const string Magic = "polaris2";

    /// <summary>Our own module when the hook is installed as a .pth file: not the program's import.</summary>
    private const string HookModule = "_polaris_hook";

    /// <summary>Builds the record; identity comes from the caller (file owner), never from the content.</summary>
    /// <exception cref="FormatException">The bytes are not a record file.</exception>
    public static HookRecord Parse(ReadOnlySpan<byte> content, RecordFileName name, uint uid, string user, string host)
    {
        var builder = new HookRecordBuilder(name, uid, user, host);
        int frames = 0;
        while (content.Length >= 4)
        {
            int length = BinaryPrimitives.ReadInt32LittleEndian(content);
            if (length < 0 || length > content.Length - 4)
            {
                break; // cut short by a kill mid-write
            }
            ParseFrame(content.Slice(4, length), builder);
            content = content[(4 + length)..];
            frames++;
        }
        if (frames == 0)
        {
            throw new FormatException("no complete frame");
        }
        return builder.Build();
    }

    private static void ParseFrame(ReadOnlySpan<byte> frame, HookRecordBuilder builder)
    {
        var fields = new FieldReader(frame);
        if (fields.Next() != Magic)
        {
            throw new FormatException("not a polaris hook frame");
        }
        var modules = new List<(string Name, string File, string Version)>();
        long[] times = [];
        while (fields.Next() is { } key)
        {
            switch (key)
            {
                case "m":
                    var module = fields.Required(key);
                    var file = fields.Required(key);
                    var version = fields.Required(key);
                    if (module.Length == 0)
                    {
                        throw new FormatException("module without a name");
                    }
                    modules.Add((module, file, version));
                    break;
                case "t":
                    times = ImportTimes.Parse(fields.Required(key));
                    break;
                case "v":
                    builder.AddVariable(fields.Required(key), fields.Required(key));
                    break;
                case "s":
                    builder.AddSharedObject(fields.Required(key));
                    break;
                case "end": builder.EndNs = fields.Number(key); break;
                case "ppid": builder.ParentPid = (int)fields.Number(key); break;
                case "exit": builder.ExitReason = fields.Required(key); break;
                default: builder.Set(key, fields.Required(key)); break;
            }
        }
        if (times.Length != 0 && times.Length != 3 * modules.Count)
        {
            throw new FormatException($"{times.Length} import times for {modules.Count} modules");
        }
        for (int i = 0; i < modules.Count; i++)
        {
            var (name, file, version) = modules[i];
            if (name != HookModule)
            {
                bool timed = times.Length > 0;
                builder.AddModule(name, file, timed ? times[3 * i] : 0, timed ? times[3 * i + 1] : 0, timed ? times[3 * i + 2] : 0, version);
            }
        }
    }

    private ref struct FieldReader(ReadOnlySpan<byte> rest)
    {
        private ReadOnlySpan<byte> _rest = rest;
        private bool _done = rest.IsEmpty;

        public string? Next()
        {
            if (_done)
            {
                return null;
            }
            int end = _rest.IndexOf((byte)0);
            var field = end < 0 ? _rest : _rest[..end];
            _done = end < 0;
            _rest = end < 0 ? default : _rest[(end + 1)..];
            return Encoding.UTF8.GetString(field);
        }

        public string Required(string key) => Next() ?? throw new FormatException($"'{key}' without a value");

        public long Number(string key)
        {
            var text = Required(key);
            return text.Length == 0 ? 0
                : long.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n
                : throw new FormatException($"'{key}' is not a number");
        }
    }
}
