using System.Globalization;
using System.Text.Json;
using Polaris.Collector.Cli;

namespace Polaris.Collector.Settings;

/// <summary>One setting's value as the config file (JSON) or an environment variable (text) gives it, read as the
/// type the setting needs; a value of the wrong type throws a <see cref="UsageException"/> naming where it came from.</summary>
/// <remarks>A copy of the agent's <c>Polaris.Agent.Serve.Settings.SettingValue</c>: the two programs' files follow
/// the same rules. The collector does not reference the agent, whose native-AOT build must not depend on ASP.NET.</remarks>
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

    /// <summary>The addresses to listen on: http or https URLs (text: separated by <c>,</c> as the agent's lists are,
    /// or by <c>;</c> as ASP.NET's <c>--urls</c> takes them), returned as written, for Kestrel.</summary>
    public string[] ListenUrls()
    {
        var urls = List(',', oneWillDo: true).SelectMany(u => u.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray();
        if (urls.Length == 0)
        {
            throw Bad("must name at least one URL");
        }
        return urls.FirstOrDefault(u => !IsListenUrl(u)) is { } bad ? throw Bad($"'{bad}' is not an http or https URL") : urls;
    }

    /// <summary>Whether Kestrel can listen on <paramref name="text"/>: an absolute http or https URL, whose host may be
    /// Kestrel's <c>*</c> or <c>+</c> (every address), which <see cref="Uri"/> alone would refuse.</summary>
    public static bool IsListenUrl(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var host = text.Replace("://*", "://any", StringComparison.Ordinal).Replace("://+", "://any", StringComparison.Ordinal);
        return Uri.TryCreate(host, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";
    }

    private UsageException Bad(string rule) => new($"{Where} {rule}");
}
