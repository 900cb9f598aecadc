using System.Text.Json;
using Polaris.Wire;

namespace Polaris.Agent.Serve.Enrich;

/// <summary>What one <c>conda-meta/NAME-VERSION-BUILD.json</c> says: the package, and the pip metadata folders
/// (<c>*.dist-info</c>) among its files, which tell conda-installed Python packages from pip-installed ones.</summary>
/// <param name="Package">Name, version, build and channel.</param>
/// <param name="DistInfos">Names of the <c>.dist-info</c> folders the package installs.</param>
public sealed record CondaPackageRecord(CondaPackage Package, IReadOnlyList<string> DistInfos)
{
    /// <summary>Reads one record with a streaming reader (the files list of a large package runs to megabytes, and
    /// reflection-based deserialisation is not available under native AOT); null when it is not a JSON object
    /// with at least a name and a version.</summary>
    public static CondaPackageRecord? Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            return Read(new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip }));
        }
        catch (JsonException)
        {
            return null;
        }
        catch (InvalidOperationException)
        {
            // A value of an unexpected type (a number where text belongs).
            return null;
        }
    }

    private static CondaPackageRecord? Read(Utf8JsonReader reader)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }
        string name = "", version = "", build = "", channel = "", schannel = "";
        var distInfos = new List<string>();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var property = reader.GetString();
            reader.Read();
            switch (property)
            {
                case "name": name = Text(ref reader); break;
                case "version": version = Text(ref reader); break;
                case "build": build = Text(ref reader); break;
                case "channel": channel = Text(ref reader); break;
                case "schannel": schannel = Text(ref reader); break;
                case "files": ReadDistInfos(ref reader, distInfos); break;
                default: reader.Skip(); break;
            }
        }
        if (name.Length == 0 || version.Length == 0)
        {
            return null;
        }
        return new CondaPackageRecord(new CondaPackage(name, version, build, CondaChannel.Name(channel.Length > 0 ? channel : schannel)), distInfos);
    }

    private static string Text(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetString() ?? "";
        }
        reader.Skip();
        return "";
    }

    private static void ReadDistInfos(ref Utf8JsonReader reader, List<string> distInfos)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return;
        }
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                reader.Skip();
                continue;
            }
            // Only paths inside a dist-info are of interest, so look at the bytes before making a string.
            if (reader.ValueSpan.IndexOf(".dist-info/"u8) < 0 && !reader.ValueIsEscaped)
            {
                continue;
            }
            var file = reader.GetString() ?? "";
            int end = file.IndexOf(".dist-info/", StringComparison.Ordinal);
            if (end < 0)
            {
                continue;
            }
            int start = file.LastIndexOf('/', end) + 1;
            var folder = file[start..(end + ".dist-info".Length)];
            if (distInfos.Count == 0 || distInfos[^1] != folder)
            {
                distInfos.Add(folder);
            }
        }
    }
}
