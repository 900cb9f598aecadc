namespace Polaris.Wire;

/// <summary>The wire spelling of the enums: lower-case words with dashes, as docs/wire-format.md lists them.</summary>
public static class WireNames
{
    private static readonly string[] Origins = ["", "home", "user-site", "project", "base-env", "custom-env", "venv", "system", "cwd", "other"];
    private static readonly string[] ModuleKinds = ["", "source", "bytecode", "extension", "builtin", "frozen", "namespace"];
    private static readonly string[] EnvironmentKinds = ["", "base", "base-clone", "conda", "venv-on-base", "venv", "system", "other"];

    public static string Name(this Origin value) => Origins[(int)value];

    public static string Name(this ModuleKind value) => ModuleKinds[(int)value];

    public static string Name(this EnvironmentKind value) => EnvironmentKinds[(int)value];

    public static Origin ParseOrigin(string? text) => (Origin)Index(Origins, text);

    public static ModuleKind ParseModuleKind(string? text) => (ModuleKind)Index(ModuleKinds, text);

    public static EnvironmentKind ParseEnvironmentKind(string? text) => (EnvironmentKind)Index(EnvironmentKinds, text);

    // Unknown spellings read as Unknown (index 0): a newer writer may know more classes than this reader.
    private static int Index(string[] names, string? text) => Math.Max(0, Array.IndexOf(names, text ?? ""));
}
