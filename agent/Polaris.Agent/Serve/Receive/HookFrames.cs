using System.Buffers.Binary;

namespace Polaris.Agent.Serve.Receive;

/// <summary>Parses a record file: the frames the hook appended. docs/hook.md describes the format.</summary>
/// <remarks>
/// A frame is a little-endian length, then the length of its text part, the text part, and its binary values. The
/// text is NUL-separated UTF-8 fields: <c>polaris3</c>, then keys and their values. <c>m</c> is a group of modules
/// loaded without our timing (before the hook, or outside any import): a count N, then N names, N files and N
/// versions. <c>mt</c> is a group of timed imports: a count N, the byte length of its times, then the same three
/// columns; its times are a marshal tuple of start readings, end readings (seconds of the process's monotonic clock)
/// and thread ids (one when all imports ran on one thread). <c>maps</c> gives the byte length of
/// <c>/proc/self/maps</c> as read at exit. Binary values follow the text in the order of their keys. <c>v</c> takes
/// two values (variable, value), every other key one; unknown keys are skipped. A frame that does not parse is
/// dropped and counted, and the rest of the record stands; a last frame cut short (the process died while writing
/// it) is ignored.
/// </remarks>
public static class HookFrames
{
    /// <summary>First field of every frame of this version.</summary>
    public const string Magic = "polaris3";

    /// <summary>Builds the record; identity comes from the caller (file owner), never from the content.</summary>
    /// <exception cref="FormatException">The bytes hold no frame that parses.</exception>
    public static HookRecord Parse(ReadOnlySpan<byte> content, RecordFileName name, uint uid, string user, string host) =>
        Parse(content, name, uid, user, host, new ReaderCaches());

    /// <summary>Builds the record, with what <paramref name="caches"/> kept from the records read before.</summary>
    /// <exception cref="FormatException">The bytes hold no frame that parses.</exception>
    internal static HookRecord Parse(ReadOnlySpan<byte> content, RecordFileName name, uint uid, string user, string host, ReaderCaches caches)
    {
        var builder = new HookRecordBuilder(name, uid, user, host);
        caches.Intervals.Reset();
        int frames = 0;
        int dropped = 0;
        string? error = null;
        while (content.Length >= 4)
        {
            int length = BinaryPrimitives.ReadInt32LittleEndian(content);
            if (length < 0 || length > content.Length - 4)
            {
                break; // cut short by a kill mid-write
            }
            try
            {
                ParseFrame(content.Slice(4, length), caches).ApplyTo(builder);
                frames++;
            }
            catch (FormatException e)
            {
                dropped++;
                error ??= e.Message;
            }
            content = content[(4 + length)..];
        }
        if (frames == 0)
        {
            throw new FormatException(error ?? "no complete frame");
        }
        builder.DroppedFrames = dropped;
        return builder.Build();
    }

    private static HookFrame ParseFrame(ReadOnlySpan<byte> frame, ReaderCaches caches)
    {
        if (frame.Length < 4 || BinaryPrimitives.ReadInt32LittleEndian(frame) is var textLength && (textLength < 0 || textLength > frame.Length - 4))
        {
            throw new FormatException("not a polaris hook frame");
        }
        var fields = new FieldReader(frame.Slice(4, textLength), caches.Strings);
        var blobs = frame[(4 + textLength)..];
        if (fields.Next() != Magic)
        {
            throw new FormatException("not a polaris hook frame");
        }
        var parsed = new HookFrame();
        while (fields.Next() is { } key)
        {
            switch (key)
            {
                case "m":
                case "mt":
                    int count = fields.Count(key);
                    var times = key == "mt" ? ImportClock.Read(Take(ref blobs, fields.Count(key)), count, caches.Intervals) : (ArraySegment<ImportInterval>?)null;
                    parsed.Modules.Add(new ModuleGroup(fields.Columns(count, key, caches.Columns), times));
                    break;
                case "maps":
                    parsed.SharedObjects.Add(caches.Maps.SharedObjects(Take(ref blobs, fields.Count(key))));
                    break;
                case "v":
                    parsed.Variables.Add((fields.Required(key), fields.Required(key)));
                    break;
                case "end": parsed.EndNs = fields.Number(key); break;
                case "ppid": parsed.ParentPid = (int)fields.Number(key); break;
                case "exit": parsed.ExitReason = fields.Required(key); break;
                default: parsed.Fields.Add((key, fields.Required(key))); break;
            }
        }
        return parsed;
    }

    private static ReadOnlySpan<byte> Take(ref ReadOnlySpan<byte> blobs, int length)
    {
        if (length > blobs.Length)
        {
            throw new FormatException("a binary value runs past its frame");
        }
        var taken = blobs[..length];
        blobs = blobs[length..];
        return taken;
    }

    private ref struct FieldReader(ReadOnlySpan<byte> rest, Utf8StringPool strings)
    {
        private ReadOnlySpan<byte> _rest = rest;
        private bool _done = rest.IsEmpty;

        public string? Next() => NextBytes(out var field) ? strings.Get(field) : null;

        /// <summary>The next field's bytes, undecoded; false when there is none.</summary>
        private bool NextBytes(out ReadOnlySpan<byte> field)
        {
            if (_done)
            {
                field = default;
                return false;
            }
            int end = _rest.IndexOf((byte)0);
            field = end < 0 ? _rest : _rest[..end];
            _done = end < 0;
            _rest = end < 0 ? default : _rest[(end + 1)..];
            return true;
        }

        public string Required(string key) => Next() ?? throw new FormatException($"'{key}' without a value");

        /// <summary>The modules of the next <paramref name="count"/> times three fields: a group's columns.</summary>
        public ModuleColumns Columns(int count, string key, ModuleColumnCache cache)
        {
            if (count > 0 && !_done && cache.FindAtStart(_rest, count, out int length) is { } known)
            {
                _done = length == _rest.Length;
                _rest = _done ? default : _rest[(length + 1)..];
                return known;
            }
            return cache.Get(Take(3 * count, key), count);
        }

        /// <summary>The bytes of the next <paramref name="count"/> fields, undecoded (without the NUL after the last).</summary>
        private ReadOnlySpan<byte> Take(int count, string key)
        {
            if (count == 0)
            {
                return default;
            }
            if (_done)
            {
                throw new FormatException($"'{key}' without its values");
            }
            var all = _rest;
            // The count-th NUL ends the fields: found by counting NULs a block at a time (vectorised), not field by field.
            int end = NthNul(all, count);
            if (end < 0)
            {
                if (all.Count((byte)0) != count - 1)
                {
                    throw new FormatException($"'{key}' is cut short");
                }
                _rest = default;
                _done = true;
                return all;
            }
            _rest = all[(end + 1)..];
            return all[..end];
        }

        /// <summary>Where the <paramref name="n"/>-th NUL is, or -1.</summary>
        private static int NthNul(ReadOnlySpan<byte> text, int n)
        {
            const int Block = 512;
            int at = 0;
            while (text.Length - at > Block)
            {
                int nuls = text.Slice(at, Block).Count((byte)0);
                if (nuls >= n)
                {
                    break;
                }
                n -= nuls;
                at += Block;
            }
            while (true)
            {
                int next = text[at..].IndexOf((byte)0);
                if (next < 0)
                {
                    return -1;
                }
                at += next;
                if (--n == 0)
                {
                    return at;
                }
                at++;
            }
        }

        public int Count(string key)
        {
            long n = Number(key);
            return n is >= 0 and <= int.MaxValue ? (int)n : throw new FormatException($"'{key}' has a bad count");
        }

        /// <remarks>Parsed from the bytes: numbers such as the end time differ in every record, and as strings they
        /// would fill the pool.</remarks>
        public long Number(string key)
        {
            if (!NextBytes(out var text))
            {
                throw new FormatException($"'{key}' without a value");
            }
            return text.Length == 0 ? 0
                : long.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n
                : throw new FormatException($"'{key}' is not a number");
        }
    }
}
