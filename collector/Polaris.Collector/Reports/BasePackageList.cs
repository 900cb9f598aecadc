using System.Text;
using Polaris.Collector.Scheduler;

namespace Polaris.Collector.Reports;

/// <summary>The base environment's own packages and versions, from the file <c>baseEnvironmentPackages</c> (or
/// <c>report provisioning --base-packages FILE</c>) names: what the provisioning report says the base already has.</summary>
/// <remarks>
/// Takes what the tools print, mixed or alone: <c>conda list --export</c> (<c>name=version=build</c>),
/// <c>conda list</c> (columns: name, version, build, channel), <c>conda env export</c> YAML (its
/// <c>dependencies</c>, with the nested <c>pip</c> list; <c>channels</c> and the rest are not packages), and pip's
/// <c>name==version</c> (<c>pip freeze</c>, <c>pip list --format=freeze</c>). Names are compared as conda and pip
/// compare them (PEP 503): case, <c>-</c>, <c>_</c> and <c>.</c> alike. The file is a setting's, but read as hostile
/// input all the same: bounded in size, lines and packages, and a line it cannot read is counted, not fatal.
/// </remarks>
public sealed class BasePackageList
{
    /// <summary>The largest file read: a base environment of thousands of packages is a few hundred KiB.</summary>
    public const long MaxFileBytes = 8L * 1024 * 1024;

    /// <summary>The longest line read; a longer one is refused.</summary>
    public const int MaxLineBytes = 4096;

    /// <summary>Most packages kept; the lines past it are refused.</summary>
    public const int MaxPackages = 100_000;

    private readonly Dictionary<string, string> _versions = new(StringComparer.Ordinal);

    private BasePackageList()
    {
    }

    /// <summary>Packages read.</summary>
    public int Count => _versions.Count;

    /// <summary>Lines that held something other than a package, a comment or a YAML key: counted, and the report says so.</summary>
    public long LinesRefused { get; private set; }

    /// <summary>Reads the file <paramref name="path"/>.</summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be read.</exception>
    /// <exception cref="InvalidDataException">The file is larger than <see cref="MaxFileBytes"/>.</exception>
    public static BasePackageList Read(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        if (stream.Length > MaxFileBytes)
        {
            throw new InvalidDataException($"{stream.Length} bytes, more than the {MaxFileBytes} a package list may have");
        }
        return Parse(stream);
    }

    /// <summary>Reads a package list from <paramref name="stream"/>, at most <see cref="MaxFileBytes"/> of it.</summary>
    /// <exception cref="IOException">The stream failed.</exception>
    /// <exception cref="InvalidDataException">The stream holds more than <see cref="MaxFileBytes"/>.</exception>
    public static BasePackageList Parse(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var list = new BasePackageList();
        var lines = new BoundedLineReader(stream, MaxLineBytes);
        string? section = null;
        while (lines.Next(out var bytes, out bool tooLong, out _))
        {
            if (lines.Consumed > MaxFileBytes)
            {
                throw new InvalidDataException($"more than the {MaxFileBytes} bytes a package list may have");
            }
            if (tooLong)
            {
                list.LinesRefused++;
                continue;
            }
            if (BasePackageLine.Read(Encoding.UTF8.GetString(bytes), ref section) is not { } line)
            {
                continue;
            }
            if (line.Name.Length == 0 || list._versions.Count == MaxPackages)
            {
                list.LinesRefused++;
                continue;
            }
            list._versions.TryAdd(Normalize(line.Name), line.Version);
        }
        return list;
    }

    /// <summary>The base's version of the package that provides <paramref name="importName"/>: null when the base has
    /// none, <c>""</c> when it has one of no version given. Tried as the conda package of the import name
    /// (<see cref="CondaNames"/>: <c>yaml</c> as <c>pyyaml</c>), then as the name itself (pip's <c>torch</c>).</summary>
    public string? VersionOf(string importName)
    {
        ArgumentNullException.ThrowIfNull(importName);
        return _versions.TryGetValue(Normalize(CondaNames.Of(importName).Name), out var version)
            || _versions.TryGetValue(Normalize(importName), out version) ? version : null;
    }

    /// <summary>A package name as pip and conda compare them (PEP 503): lower case, each run of <c>-</c>, <c>_</c>
    /// and <c>.</c> one <c>-</c>.</summary>
    public static string Normalize(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var normal = new StringBuilder(name.Length);
        foreach (char c in name)
        {
            if (c is '-' or '_' or '.')
            {
                if (normal.Length == 0 || normal[^1] != '-')
                {
                    normal.Append('-');
                }
            }
            else
            {
                normal.Append(char.ToLowerInvariant(c));
            }
        }
        return normal.ToString();
    }
}
