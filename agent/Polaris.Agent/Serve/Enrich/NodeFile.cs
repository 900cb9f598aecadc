using System.Collections.Concurrent;
using System.Text;

namespace Polaris.Agent.Serve.Enrich;

/// <summary>Counts the nodes of a PBS job from its <c>PBS_NODEFILE</c>, which lists one host per rank slot, so a
/// host appears as many times as it has slots.</summary>
/// <remarks>A job's node file does not change while it runs, and all its ranks name the same one: each file is read
/// once. The path comes from the user's environment, so the daemon (root) reads it only when it is a regular file
/// the sender could read (<see cref="UserAccess"/>), and at most <see cref="MaxBytes"/> of it.</remarks>
public sealed class NodeFile
{
    /// <summary>Most bytes read: 1 MiB is about 20,000 host names of Polaris's length.</summary>
    public const int MaxBytes = 1024 * 1024;

    private const int MaxEntries = 1024;
    private readonly ConcurrentDictionary<(uint Uid, string Path), int> _counts = new();

    /// <summary>Distinct host names in the file at <paramref name="path"/> as <paramref name="uid"/> may read it; 0 when
    /// the file is missing, unreadable, not a regular file, or lists nobody.</summary>
    public int CountNodes(string path, uint uid) => TryCountNodes(path, uid, mayRead: true) ?? 0;

    /// <summary>Like <see cref="CountNodes"/>; with <paramref name="mayRead"/> false, null when the file was not read yet.</summary>
    public int? TryCountNodes(string path, uint uid, bool mayRead)
    {
        if (_counts.TryGetValue((uid, path), out var count))
        {
            return count;
        }
        if (!mayRead)
        {
            return null;
        }
        // Read as the user could: the file's own bits and every folder on the way (a world-readable file in a
        // folder of root's, mode 0700, is not theirs to see).
        count = Count(new EnvironmentReader(UserAccess.Of(uid)).Read(path, MaxBytes));
        if (_counts.Count >= MaxEntries)
        {
            _counts.Clear();
        }
        _counts[(uid, path)] = count;
        return count;
    }

    /// <summary>Distinct non-blank lines, trimmed, compared without case (host names are case-insensitive).</summary>
    public static int Count(byte[]? bytes)
    {
        if (bytes == null)
        {
            return 0;
        }
        var hosts = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in Encoding.UTF8.GetString(bytes).AsSpan().EnumerateLines())
        {
            var host = line.Trim();
            if (!host.IsEmpty)
            {
                hosts.Add(host.ToString());
            }
        }
        return hosts.Count;
    }
}
