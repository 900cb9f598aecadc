using System.Runtime.InteropServices;

namespace Polaris.Collector.Tests.Import;

/// <summary>What the walker's tests do to files that .NET cannot: give them to another uid, make FIFOs.</summary>
/// <remarks>Giving a file away takes root, as the importer's tests of owners are run (they fail, saying so, when not).</remarks>
internal static class FileOwners
{
    /// <summary>Gives <paramref name="path"/> (and, for a folder, everything in it) to <paramref name="uid"/>.</summary>
    public static void Give(string path, uint uid)
    {
        foreach (var file in Directory.Exists(path) ? Directory.EnumerateFileSystemEntries(path, "*", SearchOption.AllDirectories).Prepend(path) : [path])
        {
            if (lchown(file, uid, uid) != 0)
            {
                throw new InvalidOperationException($"chown {uid} {file}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())} (these tests run as root)");
            }
        }
    }

    /// <summary>Makes a FIFO at <paramref name="path"/>: opening it to read waits for a writer, which never comes.</summary>
    public static void Fifo(string path)
    {
        if (mkfifo(path, 0x1b6) != 0)
        {
            throw new InvalidOperationException($"mkfifo {path}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int lchown([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint owner, uint group);

    [DllImport("libc", SetLastError = true)]
    private static extern int mkfifo([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint mode);
}
