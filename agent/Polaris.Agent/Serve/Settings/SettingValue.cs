using System.Globalization;
using System.Text.Json;
using Polaris.Agent.Cli;

namespace Polaris.Agent.Serve.Settings;

/// <summary>One setting's value as the config file (JSON) or an environment variable (text) gives it, read as the
/// type the setting needs; a value of the wrong type throws a <see cref="UsageException"/> naming where it came from.</summary>
public readonly struct SettingValue
{
    private readonly JsonElement _json;
    private readonly string? _text;

    /// <summary>Where the value came from, for messages: <c>config file F: setting 'x'</c>, <c>environment variable X</c>.</summary>
    public string Where { get; }

    private SettingValue(string where, JsonElement json, string? text)
    {
        Where = where;
        _json = json;
        _text = text;
    }

    public static SettingValue FromJson(string where, JsonElement json) => new(where, json, null);

    public static SettingValue FromText(string where, string text) => new(where, default, text);

    public string Text() =>
        _text ?? (_json.ValueKind == JsonValueKind.String ? _json.GetString()! : throw Bad("must be a string"));

    public int Number() =>
        _text != null
            ? int.TryParse(_text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed) ? parsed : throw Bad($"must be a whole number, not '{_text}'")
            : _json.ValueKind == JsonValueKind.Number && _json.TryGetInt32(out var n) ? n : throw Bad($"must be a whole number, not {_json.GetRawText()}");

    public long Bytes() =>
        _text != null
            ? long.TryParse(_text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed) ? parsed : throw Bad($"must be a whole number of bytes, not '{_text}'")
            : _json.ValueKind == JsonValueKind.Number && _json.TryGetInt64(out var n) ? n : throw Bad($"must be a whole number of bytes, not {_json.GetRawText()}");

    /// <summary>A list: a JSON array of strings (or one string, when <paramref name="oneWillDo"/>), or text split at
    /// <paramref name="separator"/>.</summary>
    public string[] List(char separator, bool oneWillDo = false)
    {
        if (_text != null)
        {
            return _text.Split(separator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }
        if (oneWillDo && _json.ValueKind == JsonValueKind.String)
        {
            return [_json.GetString()!];
        }
        if (_json.ValueKind != JsonValueKind.Array || _json.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
        {
            throw Bad(oneWillDo ? "must be a string or an array of strings" : "must be an array of strings");
        }
        return _json.EnumerateArray().Select(e => e.GetString()!).ToArray();
    }

    /// <summary>A list of absolute paths (text: separated by <c>:</c>, like <c>PATH</c>).</summary>
    public string[] AbsolutePaths()
    {
        var paths = List(':');
        return paths.FirstOrDefault(p => !IsAbsolutePath(p)) is { } bad ? throw Bad($"must hold absolute paths, not '{bad}'") : paths;
    }

    /// <summary>http or https URLs (text: separated by <c>,</c>), in the order to try them.</summary>
    public Uri[] Urls()
    {
        var urls = List(',', oneWillDo: true);
        return urls.Length == 0 ? throw Bad("must name at least one URL") : urls.Select(ParseUrl).ToArray();
    }

    public static bool IsAbsolutePath(string path) => path.StartsWith('/') && !path.Contains('\0', StringComparison.Ordinal);

    private Uri ParseUrl(string text) =>
        Uri.TryCreate(text.EndsWith('/') ? text : text + "/", UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw Bad($"'{text}' is not an http or https URL");

    private UsageException Bad(string rule) => new($"{Where} {rule}");
}
