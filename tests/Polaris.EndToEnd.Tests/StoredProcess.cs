using System.Text.Json;

namespace Polaris.EndToEnd.Tests;

/// <summary>Reads the fields the tests check from a stored process record (<c>GET /v1/processes</c>).</summary>
internal static class StoredProcess
{
    public static string[] Libraries(this JsonElement process) =>
        process.GetProperty("libraries").EnumerateArray().Select(l => l.GetString()!).ToArray();

    public static string[] ModuleNames(this JsonElement process) =>
        process.GetProperty("modules").EnumerateArray().Select(m => m.GetProperty("n").GetString()!).ToArray();

    public static JsonElement Module(this JsonElement process, string name) =>
        process.GetProperty("modules").EnumerateArray().Single(m => m.GetProperty("n").GetString() == name);

    public static long Nanoseconds(this JsonElement module, string field) =>
        module.GetProperty(field) is { ValueKind: JsonValueKind.Object } wrapped ? long.Parse(wrapped.GetProperty("$numberLong").GetString()!, System.Globalization.CultureInfo.InvariantCulture) : module.GetProperty(field).GetInt64();

    public static string Text(this JsonElement process, string field) => process.GetProperty(field).GetString()!;

    public static int Number(this JsonElement process, string field) => process.GetProperty(field).GetInt32();

    public static string Variable(this JsonElement process, string name) =>
        process.GetProperty("job").GetProperty("vars").TryGetProperty(name, out var value) ? value.GetString()! : "";
}
