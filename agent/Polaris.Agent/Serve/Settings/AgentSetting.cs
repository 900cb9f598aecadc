namespace Polaris.Agent.Serve.Settings;

/// <summary>One key of <c>agent.json</c>: its name, its default and meaning as <c>serve --help</c> prints them, and how a
/// value is read into <see cref="AgentOptions"/>; the collector's <c>CollectorSetting</c> has the same shape.</summary>
/// <param name="Name">The key as the file spells it (camelCase).</param>
/// <param name="Default">The default, as help shows it.</param>
/// <param name="Meaning">What the setting decides, in a line.</param>
/// <param name="Apply">Reads a value into the options; a wrong type throws <see cref="Cli.UsageException"/>.</param>
public sealed record AgentSetting(string Name, string Default, string Meaning, Func<AgentOptions, SettingValue, AgentOptions> Apply);
