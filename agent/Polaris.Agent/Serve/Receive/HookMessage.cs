using System.Globalization;
using System.Text;
using Polaris.Wire;

namespace Polaris.Agent.Serve.Receive;

/// <summary>Parses what the hook sends: NUL-separated UTF-8 fields (docs/hook.md).</summary>
/// <remarks>
/// Layout: <c>polaris1</c>, then pairs <c>key value</c>; the key <c>m</c> takes two values, module name and file.
/// Unknown keys take one value and are skipped, so an older daemon reads a newer hook.
/// </remarks>
public static class HookMessage
{
    /// <summary>First field of every message of this version.</summary>
    public const string Magic = "polaris1";

    /// <summary>Parses one message; identity fields come from <paramref name="sender"/>, never from the message.</summary>
    /// <exception cref="FormatException">The bytes are not a hook message.</exception>
    public static ProcessRecord Parse(ReadOnlySpan<byte> message, PeerCredentials sender, string host, string user)
    {
        var fields = new FieldReader(message);
        if (fields.Next() != Magic)
        {
            throw new FormatException("not a polaris hook message");
        }
        string python = "", exe = "";
        long started = 0, ended = 0;
        var modules = new List<ModuleImport>();
        while (fields.Next() is { } key)
        {
            switch (key)
            {
                case "m":
                    var name = fields.Required(key);
                    var file = fields.Required(key);
                    if (name.Length == 0)
                    {
                        throw new FormatException("module without a name");
                    }
                    modules.Add(new ModuleImport(name, file));
                    break;
                case "py": python = fields.Required(key); break;
                case "exe": exe = fields.Required(key); break;
                case "start": started = Nanoseconds(fields.Required(key)) / 1_000_000; break;
                case "end": ended = Nanoseconds(fields.Required(key)) / 1_000_000; break;
                default: fields.Required(key); break;
            }
        }
        return new ProcessRecord
        {
            Host = host,
            Uid = sender.Uid,
            User = user,
            Pid = sender.Pid,
            PythonVersion = python,
            Executable = exe,
            StartedAtMs = started,
            EndedAtMs = ended,
            Modules = modules,
        };
    }

    private static long Nanoseconds(string text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ns) ? ns : throw new FormatException("bad time");

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
    }
}
