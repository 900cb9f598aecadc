using Polaris.Wire;

namespace Polaris.Agent.Serve.Receive;

/// <summary>Picks the shared objects out of <c>/proc/PID/maps</c> as the hook read it at exit.</summary>
/// <remarks>
/// A line is <c>address perms offset dev inode [path]</c>; none of the fields before the path holds a <c>/</c>, so
/// the path starts at the first <c>/</c> that follows a space (the kernel escapes a newline in it as <c>\012</c>), which
/// is column 73 unless the fields before it are unusually wide.
/// Every mapped file whose path has <c>.so</c> in it counts (<c>libcudart.so.12</c>,
/// <c>_multiarray_umath.cpython-311-x86_64-linux-gnu.so</c>), once, in the order first seen. A library is mapped in
/// four or five consecutive segments, so a line whose path is the previous line's is skipped by one comparison of
/// bytes. Parsing here rather than in the hook spares the program a Python loop over every line.
/// <para>The ranks of a job and the runs of a program map the same libraries in the same order at other addresses.
/// So the paths of the last maps read are kept as bytes, and while the next maps name the same paths in the same
/// order they are only compared with them; when all match, the record shares the last list of shared objects (which
/// is never changed once handed out), with no string looked up, no set built and nothing allocated. Not thread-safe:
/// one per reading thread.</para>
/// </remarks>
internal sealed class MappedFiles(Utf8StringPool strings)
{
    // Where the kernel starts a path on a 64-bit machine: its fields padded to 25 + 6 × 8 − 1 characters.
    private const int PathColumn = 73;
    private byte[][] _lastPaths = [];
    private SharedObject[] _last = [];
    private readonly List<byte[]> _paths = [];
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

    /// <summary>The shared objects the maps name, at most <see cref="SummaryBounds.MaxSharedObjectsPerRecord"/>;
    /// <paramref name="clipped"/> counts those left out (past that bound, or with a path past
    /// <see cref="SummaryBounds.MaxPathBytes"/>).</summary>
    public IReadOnlyList<SharedObject> SharedObjects(ReadOnlySpan<byte> maps, out int clipped)
    {
        clipped = 0;
        int matched = 0;
        bool guessing = true;
        _paths.Clear(); // the paths after those that matched the last maps'
        ReadOnlySpan<byte> previous = default;
        while (!maps.IsEmpty)
        {
            int newline = maps.IndexOf((byte)'\n');
            var line = newline < 0 ? maps : maps[..newline];
            maps = newline < 0 ? default : maps[(newline + 1)..];
            // The kernel pads the fields before a path to one column and never starts the path before it (wider fields
            // get one space), so a slash there after a space starts the path; elsewhere the line is searched.
            int slash = line.Length > PathColumn && line[PathColumn] == (byte)'/' && line[PathColumn - 1] == (byte)' '
                ? PathColumn : line.IndexOf((byte)'/');
            if (slash < 0)
            {
                continue;
            }
            var path = line[slash..];
            bool starts = slash > 0 && line[slash - 1] == (byte)' ';
            if (!starts || path.SequenceEqual(previous))
            {
                continue;
            }
            previous = path;
            if (path.IndexOf(".so"u8) < 0)
            {
                continue;
            }
            // No real path is longer (PATH_MAX), and past the bound a record lists no more: kept neither as bytes
            // nor as strings. (Counted per line: a forged maps may repeat a path.)
            if (!Utf8StringPool.FitsIn(path, SummaryBounds.MaxPathBytes) || matched + _paths.Count >= SummaryBounds.MaxSharedObjectsPerRecord)
            {
                clipped++;
                continue;
            }
            if (guessing)
            {
                if (matched < _lastPaths.Length && path.SequenceEqual(_lastPaths[matched]))
                {
                    matched++;
                    continue;
                }
                guessing = false;
            }
            _paths.Add(path.ToArray());
        }
        if (guessing && matched == _lastPaths.Length && clipped == 0)
        {
            return _last;
        }
        Remember(matched);
        return _last;
    }

    /// <summary>Keeps the paths of these maps, the first <paramref name="matched"/> of the last maps' and then those
    /// gathered after them, with the shared objects they name.</summary>
    private void Remember(int matched)
    {
        _lastPaths = [.. _lastPaths.AsSpan(0, matched), .. _paths];
        var found = new List<SharedObject>(_lastPaths.Length);
        // A library mapped again further down the maps is kept once.
        foreach (var bytes in _lastPaths)
        {
            var path = strings.Get(bytes);
            if (_seen.Add(path))
            {
                found.Add(new SharedObject(path));
            }
        }
        _seen.Clear();
        _last = [.. found];
    }
}
