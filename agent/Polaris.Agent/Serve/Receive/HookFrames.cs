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
/// two values (variable, value), every other key one; unknown keys are skipped. <c>pre</c>, in the hook's first
/// frame, says how many of the modules the frame lists after it (its groups in order) the process loaded at start-up.
/// A frame that does not parse is dropped and counted, and the rest of the record stands; a last frame cut short (the
/// process died while writing it) is ignored.
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
    /// <remarks>Total: whatever the bytes, the only exception is <see cref="FormatException"/>, and the work is about
    /// that of reading them once. Padding and garbage between frames cost one dropped frame per run, not one per four
    /// bytes; past <see cref="MaxFailedFrames"/> frames that fail to parse, the rest of the file is left unread.</remarks>
    /// <exception cref="FormatException">The bytes hold no frame that parses.</exception>
    internal static HookRecord Parse(ReadOnlySpan<byte> content, RecordFileName name, uint uid, string user, string host, ReaderCaches caches)
    {
        var builder = new HookRecordBuilder(name, uid, user, host);
        caches.Intervals.Reset();
        // Modules a record may still list: spent by every group parsed, even in a frame that then fails, so that
        // what a record costs stays bounded.
        int modulesLeft = Polaris.Wire.SummaryBounds.MaxModulesPerRecord;
        int frames = 0;
        int dropped = 0;
        int failed = 0;
        bool inBadRun = false;
        string? error = null;
        while (content.Length >= 4)
        {
            int length = BinaryPrimitives.ReadInt32LittleEndian(content);
            if (length < 0 || length > content.Length - 4)
            {
                break; // cut short by a kill mid-write
            }
            ReadOnlySpan<byte> frame;
            if (length == 0)
            {
                // Zeros (a file padded or holed): skipped in one vectorised search, not four bytes at a time.
                int zeros = content.IndexOfAnyExcept((byte)0);
                content = content[((zeros < 0 ? content.Length : zeros) & ~3)..];
                frame = default;
            }
            else
            {
                frame = content.Slice(4, length);
                content = content[(4 + length)..];
            }
            if (IsFrame(frame))
            {
                try
                {
                    ParseFrame(frame, caches, ref modulesLeft).ApplyTo(builder);
                    frames++;
                    inBadRun = false;
                    continue;
                }
                catch (FormatException e)
                {
                    error ??= e.Message;
                    failed++;
                }
            }
            else
            {
                error ??= "not a polaris hook frame";
            }
            // One run of frames that do not parse counts once: garbage costs one count, not millions.
            dropped += inBadRun ? 0 : 1;
            inBadRun = true;
            if (failed >= MaxFailedFrames)
            {
                break;
            }
        }
        if (frames == 0)
        {
            throw new FormatException(error ?? "no complete frame");
        }
        builder.DroppedFrames = dropped;
        return builder.Build();
    }

    /// <summary>Frames of one record that may fail to parse before the rest of the file is left unread: a failure costs
    /// an exception, and a file of short forged frames would otherwise cost hundreds of thousands.</summary>
    internal const int MaxFailedFrames = 64;

    /// <summary>True when the frame starts with a text part that starts with the magic: checked without an
    /// exception, so that garbage costs a comparison.</summary>
    private static bool IsFrame(ReadOnlySpan<byte> frame)
    {
        if (frame.Length < 4)
        {
            return false;
        }
        int textLength = BinaryPrimitives.ReadInt32LittleEndian(frame);
        if (textLength < 0 || textLength > frame.Length - 4)
        {
            return false;
        }
        var text = frame.Slice(4, textLength);
        return text.StartsWith(MagicBytes) && (text.Length == MagicBytes.Length || text[MagicBytes.Length] == 0);
    }

    private static ReadOnlySpan<byte> MagicBytes => "polaris3"u8;

    private static HookFrame ParseFrame(ReadOnlySpan<byte> frame, ReaderCaches caches, ref int modulesLeft)
    {
        int textLength = BinaryPrimitives.ReadInt32LittleEndian(frame);
        var fields = new FieldReader(frame.Slice(4, textLength), caches.Strings);
        var blobs = frame[(4 + textLength)..];
        fields.Skip(Magic); // the magic, checked by IsFrame
        var parsed = new HookFrame();
        // Modules still to be listed that the process loaded at start-up (pre): spent on the groups that follow.
        long startupLeft = 0;
        while (fields.Key() is { } key)
        {
            switch (key)
            {
                case "m":
                case "mt":
                    int count = fields.Count(key);
                    int keep = Math.Min(count, modulesLeft);
                    var times = key == "mt" ? ImportClock.Read(Take(ref blobs, fields.Count(key)), count, keep, caches.Intervals) : (ArraySegment<ImportInterval>?)null;
                    var columns = fields.Columns(count, keep, key, caches.Columns);
                    int startup = (int)Math.Min(startupLeft, count);
                    startupLeft -= startup;
                    modulesLeft -= keep;
                    if (keep > 0)
                    {
                        parsed.Modules.Add(new ModuleGroup(columns, times) { Startup = startup });
                    }
                    else
                    {
                        // Past the record's bound (or empty): nothing to keep, and no group to hold per group sent.
                        parsed.ModulesClipped += count;
                    }
                    break;
                case "maps":
                    parsed.SharedObjects.Add(caches.Maps.SharedObjects(Take(ref blobs, fields.Count(key)), out int left));
                    parsed.SharedObjectsClipped += left;
                    break;
                case "v":
                    var variable = fields.Text(key, Polaris.Wire.SummaryBounds.MaxTextBytes, ref parsed.TextsClipped);
                    var value = fields.Text(key, Polaris.Wire.SummaryBounds.MaxVariableBytes, ref parsed.TextsClipped);
                    if (Polaris.Wire.SummaryBounds.IsVariableName(variable))
                    {
                        parsed.AddVariable(variable, value);
                    }
                    else if (variable.Length > 0)
                    {
                        // No environment variable's name (only a forged file sends one): the collector would refuse
                        // the summary. An empty one is a name blanked above, counted there.
                        parsed.TextsClipped++;
                    }
                    break;
                case "pre":
                    // The hook's first frame: how many of the modules it lists next were loaded at start-up. A count
                    // below zero is none; one past the modules listed is cut to them (below).
                    long pre = fields.Number(key);
                    parsed.NumbersClipped += pre < 0 ? 1 : 0;
                    startupLeft = Math.Max(0, pre);
                    break;
                case "end": parsed.EndNs = fields.Number(key); break;
                case "ppid":
                    long parent = fields.Number(key);
                    parsed.NumbersClipped += parent is >= 0 and <= int.MaxValue ? 0 : 1;
                    parsed.ParentPid = parent is >= 0 and <= int.MaxValue ? (int)parent : 0;
                    break;
                case "exit": parsed.ExitReason = fields.Text(key, Polaris.Wire.SummaryBounds.MaxTextBytes, ref parsed.TextsClipped); break;
                case "py":
                case "impl":
                    parsed.Fields[key] = fields.Text(key, Polaris.Wire.SummaryBounds.MaxTextBytes, ref parsed.TextsClipped);
                    break;
                case "exe":
                case "prefix":
                case "base":
                case "cwd":
                case "script":
                case "usersite":
                    parsed.Fields[key] = fields.Text(key, Polaris.Wire.SummaryBounds.MaxPathBytes, ref parsed.TextsClipped);
                    break;
                default: fields.Skip(key); break; // an unknown key (or the start time, which the file name gives)
            }
        }
        // More start-up modules claimed than the frame listed after its pre (only a forged file claims them).
        parsed.NumbersClipped += startupLeft > 0 ? 1 : 0;
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

        /// <summary>Keys are short: a longer field is no key of ours, and is not decoded.</summary>
        private const int MaxKeyBytes = 16;

        /// <summary>The next key; an unknown one when the field is too long to be a key; null at the end.</summary>
        public string? Key() => !NextBytes(out var field) ? null : field.Length <= MaxKeyBytes ? strings.Get(field) : "?";

        /// <summary>The next field as text, blanked (and counted in <paramref name="clipped"/>) when it is longer
        /// than <paramref name="maxBytes"/>: it is never decoded then.</summary>
        public string Text(string key, int maxBytes, ref int clipped)
        {
            if (!NextBytes(out var field))
            {
                throw new FormatException($"'{key}' without a value");
            }
            if (!Utf8StringPool.FitsIn(field, maxBytes))
            {
                clipped++;
                return "";
            }
            return strings.Get(field);
        }

        /// <summary>Passes over the next field undecoded.</summary>
        public void Skip(string key)
        {
            if (!NextBytes(out _))
            {
                throw new FormatException($"'{key}' without a value");
            }
        }

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

        /// <summary>The modules of the next <paramref name="count"/> times three fields: a group's columns, of which
        /// the first <paramref name="keep"/> modules are kept.</summary>
        public ModuleColumns Columns(int count, int keep, string key, ModuleColumnCache cache)
        {
            if (count > 0 && !_done && cache.FindAtStart(_rest, count, keep, out int length) is { } known)
            {
                _done = length == _rest.Length;
                _rest = _done ? default : _rest[(length + 1)..];
                return known;
            }
            return cache.Get(Take(3L * count, key), count, keep);
        }

        /// <summary>The bytes of the next <paramref name="count"/> fields, undecoded (without the NUL after the last).</summary>
        private ReadOnlySpan<byte> Take(long count, string key)
        {
            if (count == 0)
            {
                return default;
            }
            // count fields need count - 1 separators: a count the bytes cannot hold fails here, before any work.
            if (_done || count - 1 > _rest.Length)
            {
                throw new FormatException($"'{key}' without its values");
            }
            var all = _rest;
            // The count-th NUL ends the fields: found by counting NULs a block at a time (vectorised), not field by field.
            int end = NthNul(all, (int)count);
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
