using Polaris.Wire;

namespace Polaris.Agent.Serve.Enrich;

/// <summary>The places that belong to one process: its user's home and user site-packages, its working directory
/// and its script's folder. They differ per record, so they are matched per path, not cached with the folder.</summary>
/// <remarks>It also remembers the last folder classified for the record: modules arrive in import order, so runs of
/// them share a folder (<c>numpy.core.*</c>), and a run costs one span comparison per module instead of a hash of the
/// path. That makes an instance for one record on one thread at a time.</remarks>
public sealed class ProcessPlaces
{
    private readonly OriginRule[] _rules;
    private string _lastPath = "";
    private int _lastFolderLength = -1;
    private Origin _lastOrigin;

    private ProcessPlaces(OriginRule[] rules)
    {
        _rules = rules;
    }

    /// <summary>The rules, in no particular order.</summary>
    public IReadOnlyList<OriginRule> Rules => _rules;

    /// <summary>The places of <paramref name="record"/>, whose user's home is <paramref name="home"/> (empty when unknown).</summary>
    public static ProcessPlaces Of(ProcessRecord record, string home)
    {
        var rules = new List<OriginRule>(6);
        Add(rules, home, Origin.Home);
        Add(rules, record.Environment.Changes.UserSite, Origin.UserSite);
        var python = PythonVersion.MajorMinor(record.PythonVersion);
        if (python.Length > 0)
        {
            // Python's own rule for the user site (site.getusersitepackages): PYTHONUSERBASE, else ~/.local.
            var sitePackages = $"/lib/python{python}/site-packages";
            if (record.Job.Variables.TryGetValue("PYTHONUSERBASE", out var userBase) && userBase.Length > 0)
            {
                Add(rules, PathPrefix.Normalize(userBase) + sitePackages, Origin.UserSite);
            }
            if (home.Length > 0)
            {
                Add(rules, home + "/.local" + sitePackages, Origin.UserSite);
            }
        }
        Add(rules, record.WorkingDirectory, Origin.Cwd);
        Add(rules, PathPrefix.Parent(record.Job.Script).ToString(), Origin.Cwd);
        return new ProcessPlaces([.. rules]);
    }

    /// <summary><paramref name="match"/>, or a place of this process that covers <paramref name="path"/> better.</summary>
    public PrefixMatch Improve(ReadOnlySpan<char> path, PrefixMatch match)
    {
        foreach (var rule in _rules)
        {
            if (PathPrefix.Covers(rule.Prefix, path))
            {
                match = match.Or(rule.Origin, rule.Prefix.Length);
            }
        }
        return match;
    }

    /// <summary>The origin remembered for <paramref name="folder"/> when it is the folder classified last.</summary>
    public bool TryRecall(ReadOnlySpan<char> folder, out Origin origin)
    {
        origin = _lastOrigin;
        return folder.Length == _lastFolderLength && folder.SequenceEqual(_lastPath.AsSpan(0, _lastFolderLength));
    }

    /// <summary>Remembers the origin of the folder of <paramref name="path"/>, which is <paramref name="folderLength"/> long.</summary>
    public void Remember(string path, int folderLength, Origin origin)
    {
        _lastPath = path;
        _lastFolderLength = folderLength;
        _lastOrigin = origin;
    }

    private static void Add(List<OriginRule> rules, string folder, Origin origin)
    {
        var prefix = PathPrefix.Normalize(folder);
        // "/" as a working directory or home would claim every file: it says nothing about where a file came from.
        if (prefix.Length > 0 && prefix[0] == '/')
        {
            rules.Add(new OriginRule(prefix, origin));
        }
    }
}
