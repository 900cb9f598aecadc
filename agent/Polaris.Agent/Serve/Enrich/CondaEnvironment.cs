using Polaris.Wire;

namespace Polaris.Agent.Serve.Enrich;

/// <summary>A conda environment as its <c>conda-meta/</c> folder describes it: installed packages and history.</summary>
public sealed class CondaEnvironment
{
    /// <summary>Package records read at most; a real environment has a few hundred to a few thousand.</summary>
    public const int MaxRecords = 50_000;

    /// <summary>Largest package record read; the biggest real ones (with <c>paths_data</c>) are a few MiB.</summary>
    public const int MaxRecordBytes = 16 * 1024 * 1024;

    private CondaEnvironment(string prefix, IReadOnlyDictionary<string, CondaPackage> packages, IReadOnlySet<string> distInfos, CondaHistory history)
    {
        Prefix = prefix;
        Packages = packages;
        OwnedDistInfos = distInfos;
        History = history;
    }

    /// <summary>The environment's prefix.</summary>
    public string Prefix { get; }

    /// <summary>Installed packages by name.</summary>
    public IReadOnlyDictionary<string, CondaPackage> Packages { get; }

    /// <summary>Names of the <c>.dist-info</c> folders conda packages installed; any other dist-info came from pip or the like.</summary>
    public IReadOnlySet<string> OwnedDistInfos { get; }

    /// <summary>The transactions that built the environment.</summary>
    public CondaHistory History { get; }

    /// <summary>Reads <c>PREFIX/conda-meta</c>; null when the folder is missing or unreadable. Records that cannot be
    /// read or parsed are skipped: the environment is what can be read of it.</summary>
    public static CondaEnvironment? Read(string prefix) => Read(prefix, EnvironmentReader.Unbounded());

    /// <summary>Reads <c>PREFIX/conda-meta</c> through <paramref name="reader"/>; null when the folder is missing, the
    /// reader's user may not list it, or the reader's budget ran out.</summary>
    public static CondaEnvironment? Read(string prefix, EnvironmentReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var meta = prefix + "/conda-meta";
        var packages = new Dictionary<string, CondaPackage>(StringComparer.Ordinal);
        var distInfos = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            int seen = 0;
            foreach (var file in reader.List(meta, "*.json"))
            {
                if (++seen > MaxRecords)
                {
                    break;
                }
                var bytes = reader.Read(file, MaxRecordBytes);
                if (bytes != null && CondaPackageRecord.Parse(bytes) is { } record)
                {
                    packages[record.Package.Name] = record.Package;
                    distInfos.UnionWith(record.DistInfos);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Missing or unreadable: a half-read package list would show as packages removed.
            return null;
        }
        var history = CondaHistory.Read(prefix, reader);
        return reader.Exhausted ? null : new CondaEnvironment(prefix, packages, distInfos, history);
    }
}
