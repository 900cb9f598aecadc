using System.Globalization;

namespace Polaris.Collector.Import;

/// <summary>Who owns an entry of an import: the file's owner on disk, or what an archive's header says its owner was.
/// The tools' records are written by the users' own processes, so the owner is who wrote the record, whatever its
/// content claims.</summary>
/// <param name="Uid">The owner's uid.</param>
/// <param name="Name">The owner's name: the passwd name of a file's uid, an archive entry's <c>uname</c>; else
/// <c>uid N</c> (a space no passwd name holds, so that it never passes for one).</param>
public readonly record struct EntryOwner(uint Uid, string Name)
{
    /// <summary>The kernel's overflow uid: NFS shows an owner it cannot map (and a root-squashed root) as this.</summary>
    public const uint OverflowUid = 65534;

    /// <summary>Root: the owner of an entry read from memory, or of an archive entry whose header names none.</summary>
    public static EntryOwner Root { get; } = new(0, "root");

    /// <summary>True when the owner is a user whose name a record is counted under: not root (an admin's copy or
    /// archive) and not the overflow uid (an owner NFS could not tell). For those, the record's own user field is
    /// all there is (<see cref="ImportedProcess.UserFromRecord"/>).</summary>
    public bool IsUser => Uid is not 0 and not OverflowUid;

    /// <summary>The owner of a file on this machine: its uid and the passwd name for it, when there is one.</summary>
    public static EntryOwner OfFile(uint uid) => uid == 0 ? Root : new(uid, PasswdNames.Of(uid) ?? Unnamed(uid));

    /// <summary>The owner an archive entry's header gives: trusted, since an admin made the archive from the files
    /// (its uids are the collecting machine's, so its <c>uname</c> is taken rather than this machine's passwd).</summary>
    public static EntryOwner OfArchiveEntry(int uid, string? userName) => uid switch
    {
        0 => Root,
        < 0 => new(OverflowUid, Unnamed(OverflowUid)),
        _ => new((uint)uid, string.IsNullOrEmpty(userName) ? Unnamed((uint)uid) : ImportEntry.Printable(userName)),
    };

    private static string Unnamed(uint uid) => string.Create(CultureInfo.InvariantCulture, $"uid {uid}");
}
