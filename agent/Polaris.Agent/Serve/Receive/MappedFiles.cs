namespace Polaris.Agent.Serve.Receive;

/// <summary>Picks the shared objects out of <c>/proc/PID/maps</c> as the hook read it at exit.</summary>
/// <remarks>
/// A line is <c>address perms offset dev inode [path]</c>; none of the fields before the path holds a <c>/</c>, so
/// the path starts at the first <c>/</c> that follows a space (the kernel escapes a newline in it as <c>\012</c>).
/// Every mapped file whose path has <c>.so</c> in it counts (<c>libcudart.so.12</c>,
/// <c>_multiarray_umath.cpython-311-x86_64-linux-gnu.so</c>), in the order first seen. A library is mapped in four
/// or five consecutive segments, so a line whose path is the previous line's is skipped by one comparison of bytes;
/// the rare library mapped again further down is left to the record builder, which keeps each path once for the
/// whole record. Parsing here rather than in the hook spares the program a Python loop over every line.
/// </remarks>
internal static class MappedFiles
{
    public static IEnumerable<string> SharedObjects(ReadOnlySpan<byte> maps, Utf8StringPool strings)
    {
        var found = new List<string>();
        ReadOnlySpan<byte> previous = default;
        // From one path to the next: lines without one (anonymous memory, the stack) are passed over by the same
        // vectorised search for a slash.
        while (maps.IndexOf((byte)'/') is var slash and >= 0)
        {
            int newline = maps[slash..].IndexOf((byte)'\n');
            var path = newline < 0 ? maps[slash..] : maps.Slice(slash, newline);
            bool starts = slash > 0 && maps[slash - 1] == (byte)' ';
            maps = newline < 0 ? default : maps[(slash + newline + 1)..];
            if (!starts || path.SequenceEqual(previous))
            {
                continue;
            }
            previous = path;
            if (path.IndexOf(".so"u8) >= 0)
            {
                found.Add(strings.Get(path));
            }
        }
        return found;
    }
}
