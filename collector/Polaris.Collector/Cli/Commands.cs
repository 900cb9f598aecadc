namespace Polaris.Collector.Cli;

/// <summary>The commands of <c>polaris-collector</c>, in the order <c>--help</c> lists them.</summary>
public static class Commands
{
    /// <summary>What runs when no command is named (<c>polaris-collector</c>, <c>polaris-collector --urls URL</c>).</summary>
    public static ICollectorCommand Default { get; } = new ServeCommand();

    /// <summary>Every command; adding one is one line here.</summary>
    public static IReadOnlyList<ICollectorCommand> All { get; } =
    [
        Default,
        new ImportPbsCommand(),
        new ImportToolCommand(Polaris.Wire.RecordSource.Xalt),
        new ImportToolCommand(Polaris.Wire.RecordSource.PyModuleSnooper),
        new MergeRollupsCommand(),
        new ReportCommand(),
        new ExportCommand(),
    ];

    /// <summary>The command named <paramref name="name"/>, or null.</summary>
    public static ICollectorCommand? Find(string name) => All.FirstOrDefault(c => c.Name == name);
}
