using System.Runtime.InteropServices;
using System.Text;

namespace Polaris.Agent.Native;

/// <summary>The names in a folder as the kernel has them, including names that are not UTF-8.</summary>
/// <remarks>
/// .NET turns the bytes of a name that is not UTF-8 into U+FFFD, and the name it gives can then be neither opened
/// nor removed: in the drop folder such a file stayed for good. Here such a name comes as a NUL followed by its
/// bytes in hex (no file name holds a NUL), which <see cref="RegularFile.RemoveIn"/> turns back into the bytes.
/// </remarks>
public static unsafe class FolderEntries
{
    private const int NameOffset = 19; // d_name in glibc's struct dirent on 64-bit Linux
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Calls <paramref name="each"/> with every name in <paramref name="path"/> (without "." and "..") as it
    /// is read, so that a folder of 50,000 files is never a list of 50,000 names; <paramref name="each"/> may remove
    /// the entry it is given.</summary>
    /// <exception cref="IOException">The folder cannot be read.</exception>
    public static void Each(string path, Action<string> each)
    {
        ArgumentNullException.ThrowIfNull(each);
        byte* name = NativeStrings.Utf8(path);
        nint folder;
        try
        {
            folder = Libc.opendir(name);
        }
        finally
        {
            NativeMemory.Free(name);
        }
        if (folder == 0)
        {
            throw new IOException($"cannot list {path} (errno {Marshal.GetLastPInvokeError()})");
        }
        try
        {
            for (byte* entry; (entry = Libc.readdir(folder)) != null;)
            {
                var bytes = MemoryMarshal.CreateReadOnlySpanFromNullTerminated(entry + NameOffset);
                if (bytes is [(byte)'.'] or [(byte)'.', (byte)'.'])
                {
                    continue;
                }
                each(Name(bytes));
            }
        }
        finally
        {
            Libc.closedir(folder);
        }
    }

    /// <summary>A name's bytes as a string: UTF-8, or the raw form when they are not UTF-8.</summary>
    public static string Name(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return Strict.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return "\0" + Convert.ToHexString(bytes);
        }
    }

    /// <summary>Whether <paramref name="name"/> is the raw form of a name that is not UTF-8.</summary>
    public static bool IsRaw(ReadOnlySpan<char> name) => name.Length > 0 && name[0] == '\0';

    /// <summary>The NUL-terminated bytes the kernel knows <paramref name="name"/> by: a raw name's own bytes, any other
    /// name's UTF-8 (in <paramref name="room"/> when it fits).</summary>
    public static Span<byte> Bytes(ReadOnlySpan<char> name, Span<byte> room) => IsRaw(name) ? RawBytes(name) : NativeStrings.Utf8(name, room);

    /// <summary>The NUL-terminated bytes of a raw name.</summary>
    private static byte[] RawBytes(ReadOnlySpan<char> name)
    {
        var bytes = Convert.FromHexString(name[1..]);
        Array.Resize(ref bytes, bytes.Length + 1);
        return bytes;
    }
}
