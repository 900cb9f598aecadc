namespace Polaris.Agent.Serve.Enrich;

/// <summary>Channel names as people say them: <c>conda-forge</c>, not <c>https://conda.anaconda.org/conda-forge/linux-64</c>.</summary>
public static class CondaChannel
{
    /// <summary>The channel's name: a URL loses its scheme, host, token (<c>t/TOKEN/</c>) and platform subdir; a
    /// name with a subdir (<c>conda-forge/linux-64</c>) loses the subdir. Anything else is returned as it is.</summary>
    public static string Name(string channel)
    {
        var text = channel.AsSpan().Trim();
        int scheme = text.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            text = text[(scheme + 3)..];
            int slash = text.IndexOf('/');
            text = slash < 0 ? [] : text[(slash + 1)..];
            if (text.StartsWith("t/", StringComparison.Ordinal))
            {
                int token = text[2..].IndexOf('/');
                text = token < 0 ? [] : text[(token + 3)..];
            }
        }
        text = text.TrimEnd('/');
        int last = text.LastIndexOf('/');
        if (last >= 0 && IsSubdir(text[(last + 1)..]))
        {
            text = text[..last];
        }
        return text.ToString();
    }

    /// <summary>True for a platform subdir: <c>noarch</c>, <c>linux-64</c>, <c>osx-arm64</c>, <c>win-64</c> and the like.</summary>
    public static bool IsSubdir(ReadOnlySpan<char> part) =>
        part.SequenceEqual("noarch") ||
        part.StartsWith("linux-", StringComparison.Ordinal) || part.StartsWith("osx-", StringComparison.Ordinal) ||
        part.StartsWith("win-", StringComparison.Ordinal) || part.StartsWith("zos-", StringComparison.Ordinal) ||
        part.StartsWith("emscripten-", StringComparison.Ordinal) || part.StartsWith("wasi-", StringComparison.Ordinal);
}
