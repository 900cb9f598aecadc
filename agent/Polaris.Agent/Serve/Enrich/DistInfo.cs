using System.Text;
using Polaris.Wire;

namespace Polaris.Agent.Serve.Enrich;

/// <summary>One installed Python distribution's metadata folder, <c>NAME-VERSION.dist-info</c> (PEP 376, PEP 627).</summary>
public static class DistInfo
{
    // The headers come first; the long description after them can run to megabytes and is not needed.
    private const int MaxMetadataBytes = 64 * 1024;

    /// <summary>Name and version from <c>METADATA</c>'s <c>Name:</c> and <c>Version:</c> headers, falling back to
    /// the folder's name when a header is missing.</summary>
    public static PipPackage Read(string folder) => Read(folder, EnvironmentReader.Unbounded());

    /// <summary><see cref="Read(string)"/> through <paramref name="reader"/>.</summary>
    public static PipPackage Read(string folder, EnvironmentReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var fromName = FromFolderName(PathPrefix.LastComponent(folder));
        string name = "", version = "";
        var bytes = reader.Read(folder + "/METADATA", MaxMetadataBytes);
        if (bytes != null)
        {
            foreach (var line in Encoding.UTF8.GetString(bytes).AsSpan().EnumerateLines())
            {
                if (line.IsEmpty)
                {
                    break;
                }
                if (name.Length == 0 && line.StartsWith("Name:", StringComparison.OrdinalIgnoreCase))
                {
                    name = line[5..].Trim().ToString();
                }
                else if (version.Length == 0 && line.StartsWith("Version:", StringComparison.OrdinalIgnoreCase))
                {
                    version = line[8..].Trim().ToString();
                }
            }
        }
        return new PipPackage(name.Length > 0 ? name : fromName.Name, version.Length > 0 ? version : fromName.Version);
    }

    /// <summary>The first line of the folder's <c>INSTALLER</c> (<c>pip</c>, <c>uv</c>, <c>conda</c>, ...); empty when absent.</summary>
    public static string Installer(string folder) => Installer(folder, EnvironmentReader.Unbounded());

    /// <summary><see cref="Installer(string)"/> through <paramref name="reader"/>.</summary>
    public static string Installer(string folder, EnvironmentReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var bytes = reader.Read(folder + "/INSTALLER", 256);
        if (bytes == null)
        {
            return "";
        }
        var text = Encoding.UTF8.GetString(bytes).AsSpan();
        int end = text.IndexOfAny('\r', '\n');
        return (end < 0 ? text : text[..end]).Trim().ToString();
    }

    /// <summary>Name and version from <c>NAME-VERSION.dist-info</c>; wheels escape dashes in both, so the first dash splits them.</summary>
    public static PipPackage FromFolderName(string folderName)
    {
        var stem = folderName.EndsWith(".dist-info", StringComparison.Ordinal) ? folderName[..^".dist-info".Length] : folderName;
        int dash = stem.IndexOf('-', StringComparison.Ordinal);
        return dash < 0 ? new PipPackage(stem, "") : new PipPackage(stem[..dash], stem[(dash + 1)..]);
    }
}
