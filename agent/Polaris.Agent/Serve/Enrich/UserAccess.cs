using System.Collections.Concurrent;
using Polaris.Agent.Native;

namespace Polaris.Agent.Serve.Enrich;

/// <summary>What one user may read, told from the mode bits, owner and group of each file and of every folder on the
/// way to it: the daemon reads anything (CAP_DAC_READ_SEARCH), and must show a user only what the user could read.</summary>
/// <remarks>
/// Chosen over reading on a thread that takes the user's file-system identity (<c>setfsuid</c>): that needs
/// CAP_SETUID, which the daemon does not have and should not get, and a thread of .NET's that changes identity could
/// carry it into other work. The check is the kernel's rule for a process without capabilities: the owner's bits
/// for the owner, the group's for a member of the file's group (primary or supplementary, from NSS), the others'
/// otherwise. It knows no ACLs: a file an ACL opens to the user and the mode bits do not is treated as unreadable
/// (the safe side). A folder's verdict is remembered while this object lives (one environment analysis).
/// </remarks>
public sealed class UserAccess
{
    private const int MaxUsers = 4096;
    private static readonly ConcurrentDictionary<uint, uint[]> GroupsByUid = new();
    private readonly uint _uid;
    private readonly HashSet<uint> _groups;
    private readonly Dictionary<string, bool> _folders = new(StringComparer.Ordinal);
    private long _statusesRead;

    private UserAccess(uint uid, IEnumerable<uint> groups)
    {
        _uid = uid;
        _groups = [.. groups];
    }

    /// <summary>No check: for what the facility configured (the base environments) and for root's records.</summary>
    public static UserAccess Anyone { get; } = new(0, []);

    /// <summary>Whether this is <see cref="Anyone"/>'s, whose reads may be shared by every user.</summary>
    public bool IsEveryone => _uid == 0;

    /// <summary>The user whose rights apply (0 for <see cref="Anyone"/>).</summary>
    public uint Uid => _uid;

    /// <summary>The access of <paramref name="uid"/>, with its groups from NSS (cached: they can come from LDAP).</summary>
    public static UserAccess Of(uint uid)
    {
        if (uid == 0)
        {
            return Anyone;
        }
        if (!GroupsByUid.TryGetValue(uid, out var groups))
        {
            groups = PasswdEntry.Lookup(uid)?.Groups() ?? [];
            if (GroupsByUid.Count >= MaxUsers)
            {
                GroupsByUid.Clear();
            }
            GroupsByUid[uid] = groups;
        }
        return new UserAccess(uid, groups);
    }

    /// <summary>Folder statuses <see cref="MayEnter"/> has read from the disk, for a caller that bounds them.</summary>
    public long StatusesRead => _statusesRead;

    /// <summary>Whether the user may read a file of this status.</summary>
    public bool MayRead(FileStatus status) => Allows(status, 4);

    /// <summary>Whether the user may open files in <paramref name="folder"/> (search permission on it and on every
    /// folder above it).</summary>
    public bool MayEnter(string folder)
    {
        if (IsEveryone)
        {
            return true;
        }
        if (_folders.TryGetValue(folder, out var known))
        {
            return known;
        }
        var parent = Path.GetDirectoryName(folder);
        bool may = parent == null || parent == folder || MayEnter(parent);
        if (may)
        {
            _statusesRead++;
            may = FileStatus.Following(folder) is { IsDirectory: true } status && Allows(status, 1);
        }
        _folders[folder] = may;
        return may;
    }

    /// <summary>Whether the user may list <paramref name="folder"/> (enter it and read it).</summary>
    public bool MayList(string folder) =>
        IsEveryone || (MayEnter(folder) && FileStatus.Following(folder) is { } status && Allows(status, 4));

    /// <summary>The kernel's rule: the owner's bits, else the group's, else the others'.</summary>
    private bool Allows(FileStatus status, uint bit)
    {
        if (IsEveryone)
        {
            return true;
        }
        uint mode = status.Mode;
        return status.Uid == _uid ? (mode & (bit << 6)) != 0
            : _groups.Contains(status.Gid) ? (mode & (bit << 3)) != 0
            : (mode & bit) != 0;
    }
}
