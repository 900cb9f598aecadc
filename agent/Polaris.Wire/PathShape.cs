namespace Polaris.Wire;

/// <summary>What a path's own components show of the place it lies in, with no disk: the layouts Python and conda give
/// their folders. Each answers for a normalised absolute folder (no trailing slash) with the length of the prefix it
/// found, or -1.</summary>
public static class PathShape
{
    private const string SitePackages = "/site-packages";
    private const string LibPython = "/lib/python";
    private const string Local = "/.local";

    /// <summary>The user site of a home right below <paramref name="homeRoot"/> (normalised) that holds
    /// <paramref name="folder"/>: <c>HOMEROOT/USER/.local/lib/pythonX.Y/site-packages</c>, Python's own rule
    /// (<c>site.getusersitepackages</c>) when <c>PYTHONUSERBASE</c> is not set.</summary>
    public static int UserSite(ReadOnlySpan<char> folder, string homeRoot)
    {
        ArgumentNullException.ThrowIfNull(homeRoot);
        if (!PathPrefix.Covers(homeRoot, folder) || folder.Length == homeRoot.Length)
        {
            return -1;
        }
        int home = ComponentEnd(folder, homeRoot.Length);
        if (home == homeRoot.Length + 1 || !folder[home..].StartsWith(Local, StringComparison.Ordinal))
        {
            return -1;
        }
        int site = SitePackagesAt(folder, home + Local.Length);
        return site < 0 ? -1 : home + Local.Length + site;
    }

    /// <summary>The prefix of a conda environment in the usual place, <c>.../envs/NAME</c>, when <paramref name="folder"/>
    /// lies in its <c>lib</c>: the first such pair of components, and none inside a <c>site-packages</c> or
    /// <c>dist-packages</c> (gym's <c>gym/envs/classic_control</c> is a package, not an environment).</summary>
    public static int CondaEnvironment(ReadOnlySpan<char> folder)
    {
        for (int start = 0; start < folder.Length;)
        {
            int end = ComponentEnd(folder, start);
            var name = folder[(start + 1)..end];
            if (name is "site-packages" or "dist-packages")
            {
                return -1;
            }
            if (name is "envs" && end < folder.Length)
            {
                int environment = ComponentEnd(folder, end);
                if (environment > end + 1 && environment < folder.Length && folder[(environment + 1)..ComponentEnd(folder, environment)] is "lib")
                {
                    return environment;
                }
            }
            start = end;
        }
        return -1;
    }

    /// <summary>The prefix above the first <c>lib/pythonX.Y/site-packages</c> that holds <paramref name="folder"/>: the
    /// layout of a venv, and of any other Python prefix.</summary>
    public static int SitePackagesPrefix(ReadOnlySpan<char> folder)
    {
        for (int at = folder.IndexOf(LibPython, StringComparison.Ordinal); at >= 0;)
        {
            if (SitePackagesAt(folder, at) >= 0)
            {
                return at;
            }
            int next = folder[(at + 1)..].IndexOf(LibPython, StringComparison.Ordinal);
            at = next < 0 ? -1 : at + 1 + next;
        }
        return -1;
    }

    /// <summary>The length of <c>/lib/pythonX.Y/site-packages</c> (X.Y digits, with free-threading's <c>t</c> or
    /// not) at <paramref name="at"/> in <paramref name="folder"/>, ending a component; -1 when it is not there.</summary>
    private static int SitePackagesAt(ReadOnlySpan<char> folder, int at)
    {
        var rest = folder[at..];
        if (!rest.StartsWith(LibPython, StringComparison.Ordinal))
        {
            return -1;
        }
        int i = LibPython.Length;
        int major = Digits(rest, i);
        if (major == 0 || i + major >= rest.Length || rest[i + major] != '.')
        {
            return -1;
        }
        i += major + 1;
        int minor = Digits(rest, i);
        if (minor == 0)
        {
            return -1;
        }
        i += minor;
        if (i < rest.Length && rest[i] == 't')
        {
            i++;
        }
        if (!rest[i..].StartsWith(SitePackages, StringComparison.Ordinal))
        {
            return -1;
        }
        i += SitePackages.Length;
        return i == rest.Length || rest[i] == '/' ? i : -1;
    }

    private static int Digits(ReadOnlySpan<char> text, int from)
    {
        int end = from;
        while (end < text.Length && char.IsAsciiDigit(text[end]))
        {
            end++;
        }
        return end - from;
    }

    /// <summary>Where the component that starts after the slash at <paramref name="slash"/> ends: the next slash, or the end.</summary>
    private static int ComponentEnd(ReadOnlySpan<char> path, int slash)
    {
        int next = path[(slash + 1)..].IndexOf('/');
        return next < 0 ? path.Length : slash + 1 + next;
    }
}
