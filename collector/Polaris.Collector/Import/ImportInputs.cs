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
/// not regular files (links, devices, FIFOs) are skipped; a file in a folder that is not a regular file or is empty is
/// skipped unopened; every entry is bounded once decompressed (<see cref="ImportEntryTooLargeException"/>), and an
/// entry known to be past the bound is skipped unread. A file, folder or archive that cannot be read is counted in the
/// tally with why, and the walk goes on.</para>
/// <para>The folders' owners can change them while the walk runs: a file or folder is opened without following a link
/// and without waiting for a FIFO (<see cref="NativeFiles"/>), and read only when what was opened is the regular file
/// or folder examined (same device and inode); anything put in its place is counted and skipped.</para>
/// <para>Each entry carries its owner (<see cref="ImportEntry.Owner"/>): a file's owner on disk; for an archive's
/// entries, the owners its headers give when root owns the archive (an admin collected the files into it), else the
/// archive's owner, whatever its headers claim.</para>
/// <para>A path named by the caller is taken as given, a symbolic link included: the person importing chose it.</para>
/// </remarks>
public sealed class ImportInputs
{
    /// <summary>The most bytes an entry may hold once decompressed: a day of PyModuleSnooper lines run together is
    /// well under it, and a compression bomb stops at it. Readers bound their records far lower.</summary>
    public const long DefaultMaxEntryBytes = 1L << 30;

    // zstd's own default limit (a 128 MiB window); archives made with `--long=31` ask more and are refused.
    private const int WindowLogMax = 27;

    /// <summary>What a file or folder that is no longer the one the walk examined is skipped as.</summary>
    internal const string Changed = "file changed during the walk (a link, FIFO or other file put in its place; not read)";
    private const string Vanished = "file vanished during the walk";

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
            int error = NativeFiles.Status(path, follow: true, out var status);
            if (error != 0)
            {
                _tally.Skip(error is NativeFiles.ENoEnt or NativeFiles.ENotDir ? "path not found" : "path unreadable", ImportEntry.Printable(path));
                continue;
            }
            // Absolute, as the tally names places: an import's report outlives its working directory.
            var named = new WalkedFile(Path.GetFullPath(path), status, Named: true);
            foreach (var file in status.IsDirectory ? Files(named) : [named])
            {
                foreach (var entry in Entries(file))
                {
                    yield return entry;
                }
            }
        }
    }

    // Depth first, each folder's names in ordinal order; a stack, not recursion, since a tree can be deep.
    private IEnumerable<WalkedFile> Files(WalkedFile root)
    {
        var pending = new Stack<WalkedFile>();
        pending.Push(root);
        while (pending.TryPop(out var next))
        {
            if (!next.Status.IsDirectory)
            {
                yield return next;
                continue;
            }
            var children = Children(next);
            for (int i = children.Count - 1; i >= 0; i--)
            {
                pending.Push(children[i]);
            }
        }
    }

    // The folder is opened (without following a link, unless named) and must be the folder examined; its entries are
    // examined through the open folder, so that a folder swapped for a link after it was opened leads nowhere else.
    private List<WalkedFile> Children(WalkedFile folder)
    {
        var kept = new List<WalkedFile>();
        string where = ImportEntry.Printable(folder.Path);
        int error = NativeFiles.OpenFolder(folder.Path, follow: folder.Named, out var handle);
        if (error != 0)
        {
            _tally.Skip(error switch
            {
                NativeFiles.ELoop or NativeFiles.ENotDir => Changed,
                NativeFiles.ENoEnt => Vanished,
                _ => "folder unreadable",
            }, where);
            return kept;
        }
        using (handle)
        {
            if (NativeFiles.StatusOf(handle!, out var opened) != 0 || !opened.IsDirectory || !opened.IsSameFile(folder.Status))
            {
                _tally.Skip(Changed, where);
                return kept;
            }
            IEnumerable<string> names;
            try
            {
                names = Directory.EnumerateFileSystemEntries(folder.Path).Select(Path.GetFileName).ToList()!;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _tally.Skip("folder unreadable", where);
                return kept;
            }
            foreach (var name in names)
            {
                var path = Path.Combine(folder.Path, name);
                error = NativeFiles.Status(handle!, name, out var status);
                if (error != 0)
                {
                    _tally.Skip(error == NativeFiles.ENoEnt ? Vanished : "file unreadable", ImportEntry.Printable(path));
                }
                else if (status.IsSymbolicLink)
                {
                    _tally.Skip("symbolic link in a folder (not followed)", ImportEntry.Printable(path));
                }
                else if (status.IsDirectory || (status.IsRegularFile && status.Size > 0))
                {
                    kept.Add(new WalkedFile(path, status, Named: false));
                }
                else
                {
                    _tally.Skip("empty file or not a regular file", ImportEntry.Printable(path));
                }
            }
        }
        kept.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return kept;
    }

    private IEnumerable<ImportEntry> Entries(WalkedFile file)
    {
        var kind = KindOf(file.Name);
        string name = file.Path;
        if (kind == InputKind.Plain && file.Status.Size > _maxEntryBytes)
        {
            _tally.Skip($"file larger than {_maxEntryBytes} bytes", ImportEntry.Printable(name));
            yield break;
        }
        var stream = Open(file, out var opened);
        if (stream == null)
        {
            yield break;
        }
        var owner = EntryOwner.OfFile(opened.Uid);
        using (stream)
        {
            if (kind is InputKind.Tar or InputKind.TarGzip or InputKind.TarZstd)
            {
                using var archive = kind == InputKind.Tar ? stream : Decompress(stream, kind);
                foreach (var entry in TarEntries(archive, name, owner))
                {
                    yield return entry;
                }
                yield break;
            }
            using var content = kind == InputKind.Plain ? stream : Decompress(stream, kind);
            _tally.Entry();
            yield return new ImportEntry(name, new BoundedEntryStream(content, _maxEntryBytes), kind == InputKind.Plain ? opened.Size : null,
                decompressed: kind != InputKind.Plain, owner);
        }
    }

    // Opened without following a link (unless named) and without waiting for a FIFO's writer, then examined through
    // the handle: only the regular file the walk examined is read, whatever was put in its place since.
    private FileStream? Open(WalkedFile file, out FileStatus opened)
    {
        opened = default;
        string where = ImportEntry.Printable(file.Path);
        int error = NativeFiles.OpenFile(file.Path, follow: file.Named, out var handle);
        if (error != 0)
        {
            _tally.Skip(error switch
            {
                NativeFiles.ELoop => Changed,
                NativeFiles.ENoEnt => Vanished,
                NativeFiles.EAccess => "file unreadable: permission denied",
                _ => "file unreadable",
            }, where);
            return null;
        }
        if (NativeFiles.StatusOf(handle!, out opened) != 0 || !opened.IsRegularFile)
        {
            handle!.Dispose();
            _tally.Skip(file.Named ? "not a regular file or folder" : Changed, where);
            return null;
        }
        if (!opened.IsSameFile(file.Status))
        {
            handle!.Dispose();
            _tally.Skip(Changed, where);
            return null;
        }
        try
        {
            return new FileStream(handle!, FileAccess.Read, bufferSize: 64 * 1024);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            handle!.Dispose();
            _tally.Skip("file unreadable", where);
            return null;
        }
    }

    // An archive an admin made (owned by root) keeps its files' owners in its headers; one a user owns is all theirs,
    // whatever its headers claim.
    private IEnumerable<ImportEntry> TarEntries(Stream archive, string archiveName, EntryOwner archiveOwner)
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
            var owner = archiveOwner.Uid == 0 ? EntryOwner.OfArchiveEntry(entry.Uid, (entry as PosixTarEntry)?.UserName) : archiveOwner;
            using var content = kind == InputKind.Plain ? entry.DataStream : Decompress(entry.DataStream, kind);
            _tally.Entry();
            yield return new ImportEntry(name, new BoundedEntryStream(content, _maxEntryBytes), kind == InputKind.Plain ? entry.Length : null,
                decompressed: kind != InputKind.Plain, owner);
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
