using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace Polaris.Collector.Storage;

/// <summary>Adds a text to an XXH128 hash with its length before it, so that ("ab", "c") and ("a", "bc") hash apart.</summary>
internal static class HashedText
{
    public static void Append(XxHash128 hash, string value)
    {
        Span<byte> length = stackalloc byte[4];
        BitConverter.TryWriteBytes(length, value.Length);
        hash.Append(length);
        hash.Append(MemoryMarshal.AsBytes(value.AsSpan()));
    }
}
