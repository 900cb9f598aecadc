namespace Polaris.Wire;

/// <summary>The wire spelling of the enums: lower-case words with dashes, as docs/wire-format.md lists them.</summary>
public static class WireNames
{
    private static readonly string[] Origins = ["", "home", "user-site", "project", "base-env", "custom-env", "venv", "system", "cwd", "other"];
    private static readonly string[] ModuleKinds = ["", "source", "bytecode", "extension", "builtin", "frozen", "namespace"];
    private static readonly string[] EnvironmentKinds = ["", "base", "base-clone", "conda", "venv-on-base", "venv", "system", "other"];
    private static readonly string[] Sources = ["agent", "xalt", "pymodulesnooper"];

    private static readonly byte[][] OriginBytes = Utf8(Origins);
    private static readonly byte[][] ModuleKindBytes = Utf8(ModuleKinds);
    private static readonly byte[][] SourceBytes = Utf8(Sources);

    public static string Name(this Origin value) => Origins[(int)value];

    public static string Name(this ModuleKind value) => ModuleKinds[(int)value];

    public static string Name(this EnvironmentKind value) => EnvironmentKinds[(int)value];

    public static string Name(this RecordSource value) => Sources[(int)value];

    /// <summary>A source from its spelling; null when it names none. Unlike the other enums an unknown spelling is no
    /// default: read as the agent's, a summary from a producer this reader does not know would pass for the agent's.</summary>
    public static RecordSource? ParseSource(string? text) => Array.IndexOf(Sources, text) is var i and >= 0 ? (RecordSource)i : null;

    /// <summary>A source from its UTF-8 spelling, as the decoder meets it; null when it names none.</summary>
    public static RecordSource? ParseSource(ReadOnlySpan<byte> utf8)
    {
        for (int i = 0; i < SourceBytes.Length; i++)
        {
            if (utf8.SequenceEqual(SourceBytes[i]))
            {
                return (RecordSource)i;
            }
        }
        return null;
    }

    public static Origin ParseOrigin(string? text) => (Origin)Index(Origins, text);

    public static ModuleKind ParseModuleKind(string? text) => (ModuleKind)Index(ModuleKinds, text);

    public static EnvironmentKind ParseEnvironmentKind(string? text) => (EnvironmentKind)Index(EnvironmentKinds, text);

    /// <summary>An origin from its UTF-8 spelling, as the decoder meets it (no string made).</summary>
    public static Origin ParseOrigin(ReadOnlySpan<byte> utf8) => (Origin)Index(OriginBytes, utf8);

    /// <summary>A module kind from its UTF-8 spelling, as the decoder meets it (no string made).</summary>
    public static ModuleKind ParseModuleKind(ReadOnlySpan<byte> utf8) => (ModuleKind)Index(ModuleKindBytes, utf8);

    // Unknown spellings read as Unknown (index 0): a newer writer may know more classes than this reader.
    private static int Index(string[] names, string? text) => Math.Max(0, Array.IndexOf(names, text ?? ""));

    private static int Index(byte[][] names, ReadOnlySpan<byte> utf8)
    {
        for (int i = 1; i < names.Length; i++)
        {
            if (utf8.SequenceEqual(names[i]))
            {
                return i;
            }
        }
        return 0;
    }

    private static byte[][] Utf8(string[] names) => [.. names.Select(System.Text.Encoding.UTF8.GetBytes)];
}
