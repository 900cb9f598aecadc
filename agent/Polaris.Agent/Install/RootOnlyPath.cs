using Polaris.Agent.Native;

namespace Polaris.Agent.Install;

/// <summary>Whether only root can change what a path leads to: every folder on the way, every symlink and where it
/// leads, and the end. Root checks an environment this way, then writes into it and runs its Python by name; that is
/// safe only when no one else can swap any step in between.</summary>
internal static class RootOnlyPath
{
    private const uint SharedWrite = 0x12; // group and other write bits of st_mode

    private const uint Sticky = 0x200; // S_ISVTX: only a file's owner may rename or remove it

    private const int MaxSymlinks = 40; // as the kernel, which then fails with ELOOP

    /// <summary>Why another user could change what <paramref name="path"/> (absolute) leads to, or null.</summary>
    /// <remarks>A folder on the way may be sticky and writable by all (<c>/tmp</c>): others cannot rename what root
    /// owns in it. What the path leads to may not: others could add their own files beside root's (a symlink named as
    /// root's next temporary file). A symlink is followed as the kernel follows it; it counts as its owner's, who may
    /// replace it in a sticky folder. The walk stops where the path does not exist: who may write the folder above,
    /// checked already, is who could make it.</remarks>
    public static string? Problem(string path)
    {
        var pending = new Stack<string>(Names(path).Reverse());
        var at = "/";
        int links = 0;
        if (Check(at, FileStatus.Of(at), pending.Count == 0) is { } rootProblem)
        {
            return rootProblem;
        }
        while (pending.TryPop(out var name))
        {
            if (name == "..")
            {
                // After a symlink, at is where the kernel stands: its parent is the physical one, as the kernel's is.
                at = Path.GetDirectoryName(at) ?? "/";
                continue;
            }
            var next = Path.Combine(at, name);
            if (FileStatus.Of(next) is not { } status)
            {
                return null;
            }
            if (status.IsSymlink)
            {
                if (status.Uid != 0)
                {
                    return $"{next} is owned by uid {status.Uid}";
                }
                if (++links > MaxSymlinks || new FileInfo(next).LinkTarget is not { } target)
                {
                    return $"{path} leads through too many symlinks";
                }
                foreach (var part in Names(target).Reverse())
                {
                    pending.Push(part);
                }
                at = Path.IsPathRooted(target) ? "/" : at;
                continue;
            }
            if (Check(next, status, final: pending.Count == 0) is { } problem)
            {
                return problem;
            }
            at = next;
        }
        return null;
    }

    private static string? Check(string path, FileStatus? status, bool final)
    {
        if (status is not { } s)
        {
            return null;
        }
        bool shared = (s.Mode & SharedWrite) != 0 && (final || (s.Mode & Sticky) == 0);
        return s.Uid != 0 || shared ? $"{path} is owned by uid {s.Uid}{(shared ? " and writable by others" : "")}" : null;
    }

    private static IEnumerable<string> Names(string path) => path.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(n => n != ".");
}
