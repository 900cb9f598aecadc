using System.Formats.Tar;
using System.IO.Compression;
using ZstdSharp;

namespace Polaris.Collector.Import;

/// <summary>Walks the files and folders an import names and hands out each record-bearing file as a stream: plain,
/// <c>.gz</c>, <c>.zst</c>, and the entries of <c>.tar</c>, <c>.tar.gz</c>/<c>.tgz</c> and
/// <c>.tar.zst</c>/<c>.tzst</c> archives, streamed entry by entry, never extracted or loaded whole.</summary>
/// <remarks>
/// <para>Inputs are hostile: a folder is walked in ordinal name order (so two imports of one tree read alike) without
/// following a symbolic link inside it (which could lead out of the tree, or round it); an archive's entries that are
/// not regular files (links, devices, FIFOs) are skipped; a file in a folder whose size reads 0 is skipped unopened,
/// since that is how a FIFO or device looks (and opening a FIFO waits for a writer); every entry is bounded once
/// decompressed (<see cref="ImportEntryTooLargeException"/>), and an entry known to be past the bound is skipped
/// unread. A file, folder or archive that cannot be read is counted in the tally with why, and the walk goes on.</para>
/// <para>A path named by the caller is taken as given, a symbolic link included: the person importing chose it.</para>
/// </remarks>
public sealed class ImportInputs
{
    /// <summary>The most bytes an entry may hold once decompressed: a day of PyModuleSnooper lines run together is
    /// well under it, and a compression bomb stops at it. Readers bound their records far lower.</summary>
    public const long DefaultMaxEntryBytes = 1L << 30;

    // zstd's own default limit (a 128 MiB window); archives made with `--long=31` ask more and are refused.
    private const int WindowLogMax = 27;

    private readonly ImportTally _tally;
    private readonly long _maxEntryBytes;

    /// <summary>A walk that counts what it skips in <paramref name="tally"/>.</summary>
    public ImportInputs(ImportTally tally, long maxEntryBytes = DefaultMaxEntryBytes)
    {
        ArgumentNullException.ThrowIfNull(tally);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxEntryBytes);
        _tally = tally;
        _maxEntryBytes = maxEntryBytes;
    }

    /// <summary>The entries of <paramref name="paths"/>, files and folders, in the order given, each folder in
    /// ordinal order of its names.</summary>
    /// <remarks>Each entry is valid until the next is asked for. Nothing of what the inputs hold makes this throw.</remarks>
    public IEnumerable<ImportEntry> Walk(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                foreach (var file in Files(path))
                {
                    foreach (var entry in Entries(file))
                    {
                        yield return entry;
                    }
                }
            }
            else if (File.Exists(path))
            {
                foreach (var entry in Entries(new FileInfo(path)))
                {
                    yield return entry;
                }
            }
            else
            {
                _tally.Skip("path not found", ImportEntry.Printable(path));
            }
        }
    }

    // Depth first, each folder's names in ordinal order; a stack, not recursion, since a tree can be deep.
    private IEnumerable<FileInfo> Files(string root)
    {
        var pending = new Stack<FileSystemInfo>();
        pending.Push(new DirectoryInfo(root));
        while (pending.TryPop(out var next))
        {
            if (next is FileInfo file)
            {
                yield return file;
                continue;
            }
            var children = Children((DirectoryInfo)next);
            for (int i = children.Count - 1; i >= 0; i--)
            {
                pending.Push(children[i]);
            }
        }
    }

    private List<FileSystemInfo> Children(DirectoryInfo folder)
    {
        var kept = new List<FileSystemInfo>();
        try
        {
            foreach (var child in folder.EnumerateFileSystemInfos())
            {
                if (child.LinkTarget != null)
                {
                    _tally.Skip("symbolic link in a folder (not followed)", ImportEntry.Printable(child.FullName));
                }
                else if (child is DirectoryInfo || child is FileInfo { Length: > 0 })
                {
                    kept.Add(child);
                }
                else
                {
                    _tally.Skip("empty file or not a regular file", ImportEntry.Printable(child.FullName));
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _tally.Skip("folder unreadable", ImportEntry.Printable(folder.FullName));
        }
        kept.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return kept;
    }

    private IEnumerable<ImportEntry> Entries(FileInfo file)
    {
        var kind = KindOf(file.Name);
        string name = file.FullName;
        if (kind == InputKind.Plain && file.Length > _maxEntryBytes)
        {
            _tally.Skip($"file larger than {_maxEntryBytes} bytes", ImportEntry.Printable(name));
            yield break;
        }
        var stream = Open(file);
        if (stream == null)
        {
            yield break;
        }
        using (stream)
        {
            if (kind is InputKind.Tar or InputKind.TarGzip or InputKind.TarZstd)
            {
                using var archive = kind == InputKind.Tar ? stream : Decompress(stream, kind);
                foreach (var entry in TarEntries(archive, name))
                {
                    yield return entry;
                }
                yield break;
            }
            using var content = kind == InputKind.Plain ? stream : Decompress(stream, kind);
            _tally.Entry();
            yield return new ImportEntry(name, new BoundedEntryStream(content, _maxEntryBytes), kind == InputKind.Plain ? file.Length : null,
                decompressed: kind != InputKind.Plain);
        }
    }

    private FileStream? Open(FileInfo file)
    {
        try
        {
            return new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete,
                bufferSize: 64 * 1024, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _tally.Skip(e is UnauthorizedAccessException ? "file unreadable: permission denied" : "file unreadable",
                ImportEntry.Printable(file.FullName));
            return null;
        }
    }

    private IEnumerable<ImportEntry> TarEntries(Stream archive, string archiveName)
    {
        using var reader = new TarReader(archive, leaveOpen: true);
        long read = 0;
        while (NextEntry(reader, archiveName, read) is { } entry)
        {
            read++;
            string name = archiveName + ":" + entry.Name;
            if (entry.EntryType is TarEntryType.Directory or TarEntryType.GlobalExtendedAttributes)
            {
                continue;
            }
            if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile))
            {
                _tally.Skip($"archive entry that is not a regular file ({entry.EntryType})", ImportEntry.Printable(name));
                continue;
            }
            if (entry.Length > _maxEntryBytes)
            {
                _tally.Skip($"archive entry larger than {_maxEntryBytes} bytes", ImportEntry.Printable(name));
                continue;
            }
            if (entry.DataStream == null || entry.Length == 0)
            {
                _tally.Skip("empty file or not a regular file", ImportEntry.Printable(name));
                continue;
            }
            var kind = KindOf(entry.Name);
            if (kind is InputKind.Tar or InputKind.TarGzip or InputKind.TarZstd)
            {
                _tally.Skip("archive inside an archive (not read)", ImportEntry.Printable(name));
                continue;
            }
            using var content = kind == InputKind.Plain ? entry.DataStream : Decompress(entry.DataStream, kind);
            _tally.Entry();
            yield return new ImportEntry(name, new BoundedEntryStream(content, _maxEntryBytes), kind == InputKind.Plain ? entry.Length : null,
                decompressed: kind != InputKind.Plain);
        }
    }

    // A damaged archive cannot be read past the damage: its entries' places are in their headers.
    private TarEntry? NextEntry(TarReader reader, string archiveName, long read)
    {
        try
        {
            return reader.GetNextEntry(copyData: false);
        }
        catch (Exception e) when (ImportEntry.IsReadFailure(e) || e is FormatException or ArgumentException or OverflowException)
        {
            _tally.Skip("archive damaged (the rest of it not read)", ImportEntry.Printable($"{archiveName} after {read} entries"));
            return null;
        }
    }

    private static Stream Decompress(Stream stream, InputKind kind)
    {
        if (kind is InputKind.Gzip or InputKind.TarGzip)
        {
            return new GZipStream(stream, CompressionMode.Decompress, leaveOpen: true);
        }
        var zstd = new DecompressionStream(stream, leaveOpen: true);
        // The decoder keeps a buffer the size of the frame's window, which the frame's header claims (up to 2 GiB).
        zstd.SetParameter(ZstdSharp.Unsafe.ZSTD_dParameter.ZSTD_d_windowLogMax, WindowLogMax);
        return zstd;
    }

    internal static InputKind KindOf(string name)
    {
        static bool Ends(string name, string suffix) => name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase);
        return name switch
        {
            _ when Ends(name, ".tar.gz") || Ends(name, ".tgz") => InputKind.TarGzip,
            _ when Ends(name, ".tar.zst") || Ends(name, ".tzst") => InputKind.TarZstd,
            _ when Ends(name, ".tar") => InputKind.Tar,
            _ when Ends(name, ".gz") => InputKind.Gzip,
            _ when Ends(name, ".zst") => InputKind.Zstd,
            _ => InputKind.Plain,
        };
    }
}
