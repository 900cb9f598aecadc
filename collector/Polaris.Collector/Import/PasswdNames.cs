using System.Runtime.InteropServices;

namespace Polaris.Collector.Import;

/// <summary>The passwd database's name for a uid (<c>getpwuid_r</c>, so that NSS's LDAP or SSSD users resolve as
/// well as /etc/passwd's), remembered for the import: a tree of a thousand users' records asks a thousand times.</summary>
internal static class PasswdNames
{
    private const int ERange = 34;
    private const int MaxBuffer = 1 << 20;
    private const int MaxRemembered = 65_536;
    private static readonly Dictionary<uint, string?> Known = [];
    private static readonly Lock Guard = new();

    /// <summary>The name of <paramref name="uid"/>; null when the database has none (or cannot be asked).</summary>
    public static string? Of(uint uid)
    {
        lock (Guard)
        {
            if (Known.TryGetValue(uid, out var name))
            {
                return name;
            }
            name = Lookup(uid);
            if (Known.Count >= MaxRemembered)
            {
                Known.Clear();
            }
            Known[uid] = name;
            return name;
        }
    }

    private static string? Lookup(uint uid)
    {
        // struct passwd is 48 bytes on 64-bit Linux; its first field, pw_name, is all that is read.
        var entry = Marshal.AllocHGlobal(64);
        try
        {
            for (int size = 1024; size <= MaxBuffer; size *= 2)
            {
                var buffer = Marshal.AllocHGlobal(size);
                try
                {
                    int error = getpwuid_r(uid, entry, buffer, (nuint)size, out var result);
                    if (error == ERange)
                    {
                        continue;
                    }
                    if (error != 0 || result == IntPtr.Zero)
                    {
                        return null;
                    }
                    var name = Marshal.PtrToStringUTF8(Marshal.ReadIntPtr(entry));
                    return string.IsNullOrEmpty(name) ? null : ImportEntry.Printable(name);
                }
                finally
                {
                    Marshal.FreeHGlobal(buffer);
                }
            }
            return null;
        }
        finally
        {
            Marshal.FreeHGlobal(entry);
        }
    }

    // DllImport rather than LibraryImport: the generated stub is unsafe code, which this project does not allow.
    [DllImport("libc", EntryPoint = "getpwuid_r")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int getpwuid_r(uint uid, IntPtr entry, IntPtr buffer, nuint size, out IntPtr result);
}
