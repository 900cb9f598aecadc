namespace Polaris.Agent.Serve.Receive;

/// <summary>Picks the shared objects out of <c>/proc/PID/maps</c> as the hook read it at exit.</summary>
/// <remarks>
/// A line is <c>address perms offset dev inode [path]</c>; the path starts after the fifth field and its padding,
/// and the kernel escapes a newline in it as <c>\012</c>. Every mapped file whose path has <c>.so</c> in it counts
/// (<c>libcudart.so.12</c>, <c>_multiarray_umath.cpython-311-x86_64-linux-gnu.so</c>), once, in the order first seen.
/// Parsing here rather than in the hook spares the program a Python loop over every line.
/// </remarks>
internal static class MappedFiles
{
    public static IEnumerable<string> SharedObjects(ReadOnlySpan<byte> maps, Utf8StringPool strings)
    {
        var found = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? previous = null;
        foreach (var range in maps.Split((byte)'\n'))
        {
            var line = maps[range];
            // A library is mapped in four or five consecutive segments: only its first line needs a look-up.
            if (line.IndexOf(".so"u8) < 0 || PathOf(line, previous, strings) is not { } path || ReferenceEquals(path, previous))
            {
                continue;
            }
            previous = path;
            if (seen.Add(path))
            {
                found.Add(path);
            }
        }
        return found;
    }

    private static string? PathOf(ReadOnlySpan<byte> line, string? previous, Utf8StringPool strings)
    {
        for (int field = 0; field < 5; field++)
        {
            line = line.TrimStart((byte)' ');
            int end = line.IndexOf((byte)' ');
            if (end < 0)
            {
                return null;
            }
            line = line[end..];
        }
        line = line.TrimStart((byte)' ');
        if (line.Length == 0 || line[0] != (byte)'/' || line.IndexOf(".so"u8) < 0)
        {
            return null;
        }
        return previous != null && previous.Length == line.Length && System.Text.Ascii.Equals(line, previous) ? previous : strings.Get(line);
    }
}
