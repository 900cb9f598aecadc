using System.Text.Json;

namespace Polaris.Collector.Import;

/// <summary>Reads fields of a tool's JSON record that may be missing or of the wrong type: a field of the wrong type
/// reads as missing, so one bad field never costs more than what it holds.</summary>
internal static class JsonFields
{
    /// <summary>Records are a few levels deep; a record nested far deeper is not one.</summary>
    public static readonly JsonDocumentOptions Options = new() { MaxDepth = 16 };

    public static JsonElement? Object(JsonElement parent, string name) =>
        Field(parent, name, JsonValueKind.Object);

    public static JsonElement? Array(JsonElement parent, string name) =>
        Field(parent, name, JsonValueKind.Array);

    public static string? Text(JsonElement parent, string name) =>
        Field(parent, name, JsonValueKind.String) is { } value ? Text(value) : null;

    /// <summary>A string's value; null for anything else, and for a string of lone surrogates (<c>"\ud800"</c>), which
    /// no process's name or path can be.</summary>
    public static string? Text(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            return null;
        }
        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    public static double? Number(JsonElement parent, string name) =>
        Field(parent, name, JsonValueKind.Number) is { } value && value.TryGetDouble(out var number) && double.IsFinite(number)
            ? number
            : null;

    public static long? Integer(JsonElement parent, string name) =>
        Field(parent, name, JsonValueKind.Number) is { } value && value.TryGetInt64(out var number) ? number : null;

    private static JsonElement? Field(JsonElement parent, string name, JsonValueKind kind) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value) && value.ValueKind == kind
            ? value
            : null;
}
