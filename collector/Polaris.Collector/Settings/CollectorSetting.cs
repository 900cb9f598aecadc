namespace Polaris.Collector.Settings;

/// <summary>One key of <c>collector.json</c>: its name, its default and meaning as <c>serve --help</c> prints them, and
/// how a value is read into <see cref="CollectorOptions"/>.</summary>
/// <param name="Name">The key as the file spells it (camelCase); the property of <see cref="CollectorOptions"/> is
/// the same name in PascalCase.</param>
/// <param name="Default">The default, as help shows it.</param>
/// <param name="Meaning">What the setting decides, in a line.</param>
/// <param name="Apply">Reads a value into the options; a wrong type throws <see cref="Cli.UsageException"/>.</param>
public sealed record CollectorSetting(string Name, string Default, string Meaning, Func<CollectorOptions, SettingValue, CollectorOptions> Apply);
