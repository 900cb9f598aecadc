namespace Polaris.Wire;

/// <summary>Path prefixes compared on whole components: <c>/home/ab</c> covers <c>/home/ab/x</c> but not <c>/home/abc/x</c>.</summary>
/// <remarks>Paths are compared as the hook reported them, without resolving <c>..</c> or symlinks: that would cost a
/// system call per path, and Python already reports absolute, normalised module paths.</remarks>
public static class PathPrefix
{
    /// <summary>The path without trailing slashes; <c>/</c> becomes the empty string, the prefix of every absolute path.</summary>
    public static string Normalize(string path) => path.TrimEnd('/');

    /// <summary>True when <paramref name="prefix"/> (normalised) is <paramref name="path"/> or one of its ancestors.</summary>
    public static bool Covers(string prefix, ReadOnlySpan<char> path) =>
        path.StartsWith(prefix, StringComparison.Ordinal) && (path.Length == prefix.Length || path[prefix.Length] == '/');

    /// <summary>The folder holding <paramref name="path"/>, without its trailing slash; empty for a top-level entry or a bare name.</summary>
    public static ReadOnlySpan<char> Parent(ReadOnlySpan<char> path)
    {
        int slash = path.LastIndexOf('/');
        return slash <= 0 ? [] : path[..slash];
    }

    /// <summary>The last component of a normalised path.</summary>
    public static string LastComponent(string path) => path[(path.LastIndexOf('/') + 1)..];
}
