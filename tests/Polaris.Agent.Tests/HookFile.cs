using System.Buffers.Binary;
using System.Text;

namespace Polaris.Agent.Tests;

/// <summary>Writes record files the way the hook does (docs/hook.md), so that the parser can be tested on frames
/// built field by field.</summary>
internal static class HookFile
{
    /// <summary>A frame: the text fields after <c>polaris3</c>, then the binary values in the order of their keys.</summary>
    public static byte[] Frame(string[] fields, params byte[][] blobs) => Frame("polaris3", fields, blobs);

    public static byte[] Frame(string magic, string[] fields, params byte[][] blobs)
    {
        var text = Encoding.UTF8.GetBytes(string.Join('\0', [magic, .. fields]));
        var payload = new byte[4 + text.Length + blobs.Sum(b => b.Length)];
        BinaryPrimitives.WriteInt32LittleEndian(payload, text.Length);
        text.CopyTo(payload, 4);
        int at = 4 + text.Length;
        foreach (var blob in blobs)
        {
            blob.CopyTo(payload, at);
            at += blob.Length;
        }
        var frame = new byte[4 + payload.Length];
        BinaryPrimitives.WriteInt32LittleEndian(frame, payload.Length);
        payload.CopyTo(frame, 4);
        return frame;
    }

    public static byte[] File(params byte[][] frames) => frames.SelectMany(f => f).ToArray();

    /// <summary>The fields of a group of modules: key, count, [times length], names, files, versions.</summary>
    public static string[] Group(string key, (string Name, string File, string Version)[] modules, byte[]? times = null) =>
    [
        key, modules.Length.ToString(System.Globalization.CultureInfo.InvariantCulture),
        .. times is null ? Array.Empty<string>() : [times.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)],
        .. modules.Select(m => m.Name), .. modules.Select(m => m.File), .. modules.Select(m => m.Version),
    ];

    /// <summary>marshal.dumps((starts, ends, threads), 2) as CPython writes it: lists of floats and integers.</summary>
    public static byte[] Times(double[] starts, double[] ends, long[] threads)
    {
        var bytes = new List<byte> { (byte)'(' };
        Int32(bytes, 3);
        foreach (var column in new[] { starts, ends })
        {
            bytes.Add((byte)'[');
            Int32(bytes, column.Length);
            foreach (var value in column)
            {
                bytes.Add((byte)'g');
                bytes.AddRange(BitConverter.GetBytes(value));
            }
        }
        bytes.Add((byte)'[');
        Int32(bytes, threads.Length);
        foreach (var thread in threads)
        {
            Integer(bytes, thread);
        }
        return [.. bytes];
    }

    /// <summary>Lines as /proc/PID/maps has them.</summary>
    public static byte[] Maps(params string[] lines) => Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n");

    private static void Int32(List<byte> bytes, int value) => bytes.AddRange(BitConverter.GetBytes(value));

    private static void Integer(List<byte> bytes, long value)
    {
        if (value is >= int.MinValue and <= int.MaxValue)
        {
            bytes.Add((byte)'i');
            Int32(bytes, (int)value);
            return;
        }
        var digits = new List<ushort>();
        for (ulong rest = (ulong)Math.Abs(value); rest != 0; rest >>= 15)
        {
            digits.Add((ushort)(rest & 0x7fff));
        }
        bytes.Add((byte)'l');
        Int32(bytes, value < 0 ? -digits.Count : digits.Count);
        foreach (var digit in digits)
        {
            bytes.AddRange(BitConverter.GetBytes(digit));
        }
    }
}
