using System.Runtime.InteropServices;
using System.Text;

namespace Polaris.Agent.Native;

/// <summary>NUL-terminated UTF-8 string arrays in native memory, as exec wants them.</summary>
internal sealed unsafe class NativeStrings : IDisposable
{
    private readonly byte** _array;
    private readonly int _count;

    public NativeStrings(IReadOnlyList<string> values)
    {
        _count = values.Count;
        _array = (byte**)NativeMemory.AllocZeroed((nuint)(_count + 1), (nuint)sizeof(byte*));
        for (int i = 0; i < _count; i++)
        {
            _array[i] = Utf8(values[i]);
        }
    }

    /// <summary>The array, ending with a null pointer.</summary>
    public byte** Pointer => _array;

    /// <summary>Copies one string into native memory; the caller frees it with <see cref="NativeMemory.Free"/>.</summary>
    public static byte* Utf8(string value)
    {
        int length = Encoding.UTF8.GetByteCount(value);
        var bytes = (byte*)NativeMemory.Alloc((nuint)length + 1);
        Encoding.UTF8.GetBytes(value, new Span<byte>(bytes, length));
        bytes[length] = 0;
        return bytes;
    }

    /// <summary>The string as NUL-terminated UTF-8 in <paramref name="room"/> when it fits (the caller's stack, so a
    /// call per file allocates nothing), otherwise in a new array.</summary>
    public static Span<byte> Utf8(ReadOnlySpan<char> value, Span<byte> room)
    {
        int length = Encoding.UTF8.GetByteCount(value);
        var bytes = length < room.Length ? room[..(length + 1)] : new byte[length + 1];
        Encoding.UTF8.GetBytes(value, bytes);
        bytes[length] = 0;
        return bytes;
    }

    public static string? FromUtf8(byte* value) => value == null ? null : Marshal.PtrToStringUTF8((nint)value);

    public void Dispose()
    {
        for (int i = 0; i < _count; i++)
        {
            NativeMemory.Free(_array[i]);
        }
        NativeMemory.Free(_array);
    }
}
