namespace Polaris.Collector.Export;

/// <summary>What one stored summary gives the export: a row per process and a row per module.</summary>
public sealed record ExportedSummary(IReadOnlyList<ProcessRow> Processes, IReadOnlyList<ModuleRow> Modules);
