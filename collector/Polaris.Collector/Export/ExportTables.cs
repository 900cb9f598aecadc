namespace Polaris.Collector.Export;

/// <summary>The tables <c>export</c> writes and their columns: the schema docs/analysis.md documents ("Export"),
/// column by column in the same order. A column added here is added there.</summary>
public static class ExportTables
{
    /// <summary>The partition column every table is split by: the UTC day of the summary the row comes from (the day
    /// its first process started), as the roll-ups count it.</summary>
    public const string DayColumn = "day";

    /// <summary>One row per process of every stored summary. Names avoid SQL keywords (<c>user_name</c>, <c>end_time</c>),
    /// so that no query has to quote them.</summary>
    public static ExportTable<ProcessRow> Processes { get; } = new("processes",
    [
        new TextColumn<ProcessRow>("source", r => r.Source),
        new NumberColumn<ProcessRow>("summary_id", r => r.SummaryId),
        new TextColumn<ProcessRow>("host", r => r.Host),
        new NumberColumn<ProcessRow>("uid", r => r.Uid),
        new TextColumn<ProcessRow>("user_name", r => r.User),
        new TextColumn<ProcessRow>("job_id", r => r.JobId),
        new TextColumn<ProcessRow>("job_key", r => r.JobKey),
        new TextColumn<ProcessRow>("account", r => r.Account),
        new TextColumn<ProcessRow>("domain", r => r.Domain),
        new TextColumn<ProcessRow>("queue", r => r.Queue),
        new NumberColumn<ProcessRow>("job_nodes", r => r.JobNodes),
        new NumberColumn<ProcessRow>("rank", r => r.Rank),
        new NumberColumn<ProcessRow>("pid", r => r.Pid),
        new TimeColumn<ProcessRow>("start_time", r => r.Start),
        new TimeColumn<ProcessRow>("end_time", r => r.End),
        new TextColumn<ProcessRow>("env_kind", r => r.EnvironmentKind),
        new TextColumn<ProcessRow>("env_prefix", r => r.EnvironmentPrefix),
        new TextColumn<ProcessRow>("executable", r => r.Executable),
        new TextColumn<ProcessRow>("python_version", r => r.PythonVersion),
        new NumberColumn<ProcessRow>("import_ns", r => r.ImportNs),
        new NumberColumn<ProcessRow>("run_ns", r => r.RunNs),
        new TextColumn<ProcessRow>("exit_reason", r => r.ExitReason),
    ]);

    /// <summary>One row per module of every stored summary's module table.</summary>
    public static ExportTable<ModuleRow> Modules { get; } = new("modules",
    [
        new TextColumn<ModuleRow>("source", r => r.Source),
        new NumberColumn<ModuleRow>("summary_id", r => r.SummaryId),
        new TextColumn<ModuleRow>("job_key", r => r.JobKey),
        new NumberColumn<ModuleRow>("uid", r => r.Uid),
        new TextColumn<ModuleRow>("module", r => r.Module),
        new TextColumn<ModuleRow>("library", r => r.Library),
        new TextColumn<ModuleRow>("file", r => r.File),
        new TextColumn<ModuleRow>("origin", r => r.Origin),
        new TextColumn<ModuleRow>("kind", r => r.Kind),
        new TextColumn<ModuleRow>("version", r => r.Version),
        new NumberColumn<ModuleRow>("processes", r => r.Processes),
        new NumberColumn<ModuleRow>("startup_processes", r => r.StartupProcesses),
        new NumberColumn<ModuleRow>("self_count", r => r.SelfCount),
        new NumberColumn<ModuleRow>("self_sum_ns", r => r.SelfSumNs),
        new NumberColumn<ModuleRow>("self_min_ns", r => r.SelfMinNs),
        new NumberColumn<ModuleRow>("self_max_ns", r => r.SelfMaxNs),
        new NumberColumn<ModuleRow>("cum_count", r => r.CumulativeCount),
        new NumberColumn<ModuleRow>("cum_sum_ns", r => r.CumulativeSumNs),
        new NumberColumn<ModuleRow>("cum_min_ns", r => r.CumulativeMinNs),
        new NumberColumn<ModuleRow>("cum_max_ns", r => r.CumulativeMaxNs),
    ]);

    /// <summary>One row per day, source and library of the roll-ups (and one per day and source for all Python).</summary>
    public static ExportTable<RollupRow> Rollups { get; } = new("rollups",
    [
        new TextColumn<RollupRow>("source", r => r.Source),
        new TextColumn<RollupRow>("library", r => r.Library),
        new NumberColumn<RollupRow>("users", r => r.Users),
        new NumberColumn<RollupRow>("jobs", r => r.Jobs),
        new NumberColumn<RollupRow>("processes", r => r.Processes),
        new NumberColumn<RollupRow>("startup_processes", r => r.StartupProcesses),
        new NumberColumn<RollupRow>("import_count", r => r.ImportCount),
        new NumberColumn<RollupRow>("import_sum_ns", r => r.ImportSumNs),
    ]);
}
