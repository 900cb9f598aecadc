using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Polaris.Testing;

/// <summary>Makes hostile record files from real ones: the mutations an attacker (or a disk) would make, aimed at the
/// places a parser trusts, found by reading the frame structure of docs/hook.md.</summary>
/// <remarks>Deterministic for a seed, so that a failure names the one file to look at again.</remarks>
public sealed class RecordMutator
{
    /// <summary>Counts and lengths that have broken parsers: zero, minus one, the extremes, and 1431655766, whose
    /// triple wraps a 32-bit int to 2.</summary>
    private static readonly int[] InterestingInts =
        [0, -1, 1, 2, 3, int.MaxValue, int.MinValue, 1431655766, 715827883, 65535, 16385, 1_000_000, -2];

    private static readonly string[] InterestingNumbers =
    [
        "0", "-1", "1", "2147483647", "2147483648", "1431655766", "4294967295", "9223372036854775807",
        "-9223372036854775808", "99999999999999999999", "", "1e3", "16385", "0x10", " 1", "+1", "-0",
    ];

    private readonly List<Sample> _samples;
    private readonly Random _random;

    /// <param name="records">Real record files (the hook's bytes).</param>
    /// <param name="seed">The seed of every choice.</param>
    public RecordMutator(IEnumerable<byte[]> records, int seed)
    {
        _samples = records.Select(Sample.Of).ToList();
        _random = new Random(seed);
    }

    /// <summary>The real record files kept under tests/Polaris.Testing/Records (written by the hook: a program with
    /// threads, a fork and numpy; its forked child; a process killed by SIGKILL; a venv's process whose .pth files
    /// imported packages at start-up, with the hook installed as one of them).</summary>
    public static IReadOnlyList<byte[]> RealRecords() =>
        Directory.GetFiles(Path.Combine(RepoPaths.Root, "tests", "Polaris.Testing", "Records"), "*.rec").Order(StringComparer.Ordinal)
            .Select(File.ReadAllBytes).ToArray();

    /// <summary>A mutated record and what was done to it.</summary>
    public (byte[] Bytes, string What) Next()
    {
        var sample = _samples[_random.Next(_samples.Count)];
        var bytes = new List<byte>(sample.Bytes);
        var what = new StringBuilder();
        int mutations = 1 + (_random.Next(4) == 0 ? _random.Next(4) : 0);
        for (int m = 0; m < mutations; m++)
        {
            // Mutations after the first may land on shifted offsets: still hostile bytes, which is all that matters.
            what.Append(Mutate(sample, bytes)).Append("; ");
        }
        return ([.. bytes], what.ToString());
    }

    private string Mutate(Sample sample, List<byte> bytes)
    {
        if (bytes.Count == 0)
        {
            bytes.AddRange(sample.Bytes);
        }
        int at = _random.Next(bytes.Count);
        switch (_random.Next(14))
        {
            case 0:
                int bit = _random.Next(8);
                bytes[at] ^= (byte)(1 << bit);
                return $"bit {bit} of byte {at} flipped";
            case 1:
                bytes[at] = 0;
                return $"byte {at} set to 0";
            case 2:
                bytes[at] = 0xff;
                return $"byte {at} set to 0xff";
            case 3:
            case 4:
            {
                // A binary length or count: a frame's, a text part's, a marshal sequence's or digit count.
                int field = sample.BinaryFields[_random.Next(sample.BinaryFields.Count)];
                int value = InterestingInts[_random.Next(InterestingInts.Length)];
                if (field + 4 > bytes.Count)
                {
                    return "no binary field left";
                }
                var four = new byte[4];
                BinaryPrimitives.WriteInt32LittleEndian(four, value);
                for (int i = 0; i < 4; i++)
                {
                    bytes[field + i] = four[i];
                }
                return $"int32 at {field} set to {value}";
            }
            case 5:
            case 6:
            {
                // A count or number in the text (a group's module count, a times or maps length, end, ppid): the
                // text part and the frame grow or shrink with it, so both lengths are fixed up: a well-framed lie.
                var (frame, text, start, length) = sample.TextNumbers[_random.Next(sample.TextNumbers.Count)];
                var value = InterestingNumbers[_random.Next(InterestingNumbers.Length)];
                if (start + length > bytes.Count)
                {
                    return "no text number left";
                }
                var replacement = Encoding.ASCII.GetBytes(value);
                bytes.RemoveRange(start, length);
                bytes.InsertRange(start, replacement);
                int delta = replacement.Length - length;
                AddToInt32(bytes, frame, delta);
                AddToInt32(bytes, text, delta);
                return $"number at {start} set to '{value}'";
            }
            case 7:
                int keep = _random.Next(bytes.Count);
                bytes.RemoveRange(keep, bytes.Count - keep);
                return $"cut to {keep} bytes";
            case 8:
            {
                // A frame of another record (or this one) spliced in at a frame boundary.
                var other = _samples[_random.Next(_samples.Count)];
                var (offset, length) = other.Frames[_random.Next(other.Frames.Count)];
                int where = sample.Frames[_random.Next(sample.Frames.Count)].Offset;
                where = Math.Min(where, bytes.Count);
                bytes.InsertRange(where, other.Bytes.AsSpan(offset, length).ToArray());
                return $"frame of {length} bytes spliced in at {where}";
            }
            case 9:
            {
                var (offset, length) = sample.Frames[_random.Next(sample.Frames.Count)];
                if (offset + length > bytes.Count)
                {
                    return "no frame left";
                }
                int times = 1 + _random.Next(3);
                var frame = bytes.GetRange(offset, length);
                for (int i = 0; i < times; i++)
                {
                    bytes.InsertRange(offset, frame);
                }
                return $"frame at {offset} repeated {times} times";
            }
            case 10:
                bytes.Insert(at, 0);
                return $"NUL inserted at {at}";
            case 11:
            {
                int nul = bytes.IndexOf(0, at);
                nul = nul < 0 ? at : nul;
                bytes.RemoveAt(nul);
                return $"byte {nul} removed";
            }
            case 12:
            {
                // Padding: zeros where a frame would start, as a file extended by truncate(2) has.
                int zeros = 4 * _random.Next(1, 16 * 1024);
                int where = _random.Next(2) == 0 ? bytes.Count : sample.Frames[_random.Next(sample.Frames.Count)].Offset;
                bytes.InsertRange(Math.Min(where, bytes.Count), new byte[zeros]);
                return $"{zeros} zeros inserted at {where}";
            }
            default:
            {
                var garbage = new byte[1 + _random.Next(64)];
                _random.NextBytes(garbage);
                bytes.InsertRange(at, garbage);
                return $"{garbage.Length} random bytes inserted at {at}";
            }
        }
    }

    private static void AddToInt32(List<byte> bytes, int at, int delta)
    {
        if (at + 4 > bytes.Count)
        {
            return;
        }
        var four = bytes.GetRange(at, 4).ToArray();
        BinaryPrimitives.WriteInt32LittleEndian(four, BinaryPrimitives.ReadInt32LittleEndian(four) + delta);
        for (int i = 0; i < 4; i++)
        {
            bytes[at + i] = four[i];
        }
    }

    /// <summary>A real record and the places in it worth aiming at.</summary>
    private sealed record Sample(
        byte[] Bytes,
        List<(int Offset, int Length)> Frames,
        List<int> BinaryFields,
        List<(int Frame, int Text, int Start, int Length)> TextNumbers)
    {
        private static readonly HashSet<string> NumberKeys = ["m", "mt", "maps", "end", "ppid", "start", "pre"];

        public static Sample Of(byte[] bytes)
        {
            var sample = new Sample(bytes, [], [], []);
            int at = 0;
            while (at + 8 <= bytes.Length)
            {
                int length = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(at));
                if (length < 4 || at + 4 + length > bytes.Length)
                {
                    break;
                }
                sample.Frames.Add((at, 4 + length));
                sample.BinaryFields.Add(at);
                sample.BinaryFields.Add(at + 4);
                int textLength = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(at + 4));
                sample.ReadText(at, at + 8, textLength, at + 8 + textLength);
                at += 4 + length;
            }
            return sample;
        }

        /// <summary>Notes the numbers of a frame's text, and the marshal lengths of its times.</summary>
        private void ReadText(int frame, int text, int textLength, int blobs)
        {
            var fields = new List<(int Start, int Length)>();
            int start = text;
            for (int i = text; i <= text + textLength; i++)
            {
                if (i == text + textLength || Bytes[i] == 0)
                {
                    fields.Add((start, i - start));
                    start = i + 1;
                }
            }
            string Field(int k) => Encoding.UTF8.GetString(Bytes, fields[k].Start, fields[k].Length);
            int blob = blobs;
            for (int k = 1; k < fields.Count; k++)
            {
                var key = Field(k);
                if (!NumberKeys.Contains(key) || k + 1 >= fields.Count)
                {
                    continue;
                }
                TextNumbers.Add((frame, frame + 4, fields[k + 1].Start, fields[k + 1].Length));
                if (key == "mt" && k + 2 < fields.Count)
                {
                    TextNumbers.Add((frame, frame + 4, fields[k + 2].Start, fields[k + 2].Length));
                    int count = int.Parse(Field(k + 1), CultureInfo.InvariantCulture);
                    // (starts, ends, threads): the tuple's length, then each list's, past count floats of 9 bytes.
                    BinaryFields.Add(blob + 1);
                    BinaryFields.Add(blob + 6);
                    BinaryFields.Add(blob + 11 + (9 * count));
                    BinaryFields.Add(blob + 16 + (18 * count));
                    if (blob + 21 + (18 * count) < Bytes.Length && (Bytes[blob + 20 + (18 * count)] & 0x7f) == 'l')
                    {
                        BinaryFields.Add(blob + 21 + (18 * count));
                    }
                    blob += int.Parse(Field(k + 2), CultureInfo.InvariantCulture);
                }
                else if (key == "maps")
                {
                    blob += int.Parse(Field(k + 1), CultureInfo.InvariantCulture);
                }
            }
        }
    }
}
