using Polaris.Collector.Storage;

namespace Polaris.Collector.Export;

/// <summary>Writes the store's summaries and roll-ups as the tables of <see cref="ExportTables"/>, one partition per
/// table and UTC day, day by day: at most one day's summary ids and one row group per table are in memory, whatever
/// the number of days.</summary>
/// <remarks>
/// A day the store holds nothing of for a table (summaries are kept <c>retentionDays</c>, roll-ups
/// <c>rollupRetentionDays</c>) leaves that table's partition in the output as it is: an export folder kept over years
/// holds the processes of days the store has pruned since, and exporting again does not empty them.
/// </remarks>
public sealed class StoreExport(CollectorStore store, string output, ExportFormat format)
{
    /// <summary>The tables' names, in the order they are written and reported.</summary>
    public static IReadOnlyList<string> TableNames { get; } = [ExportTables.Processes.Name, ExportTables.Modules.Name, ExportTables.Rollups.Name];

    /// <summary>Exports the UTC days <paramref name="since"/> to <paramref name="until"/>, both included.</summary>
    public async Task<ExportTally> RunAsync(DateOnly since, DateOnly until)
    {
        ArgumentNullException.ThrowIfNull(store);
        var tally = new ExportTally();
        for (var day = since; day <= until; day = day.AddDays(1))
        {
            long before = tally.Files;
            await SummariesAsync(day, tally).ConfigureAwait(false);
            await WriteAsync(ExportTables.Rollups, day, store.RollupRowsOn(day), tally).ConfigureAwait(false);
            if (tally.Files > before)
            {
                tally.AddDay();
            }
        }
        return tally;
    }

    /// <summary>One pass over the day's summaries feeds both tables that come from them.</summary>
    private async Task SummariesAsync(DateOnly day, ExportTally tally)
    {
        PartitionWriter<ProcessRow>? processes = null;
        PartitionWriter<ModuleRow>? modules = null;
        try
        {
            foreach (var summary in store.SummariesOn(day))
            {
                processes ??= PartitionWriter<ProcessRow>.Open(format, ExportTables.Processes, output, day);
                modules ??= PartitionWriter<ModuleRow>.Open(format, ExportTables.Modules, output, day);
                foreach (var row in summary.Processes)
                {
                    await processes.AddAsync(row).ConfigureAwait(false);
                }
                foreach (var row in summary.Modules)
                {
                    await modules.AddAsync(row).ConfigureAwait(false);
                }
            }
            if (processes != null && modules != null)
            {
                await CommitAsync(processes, tally).ConfigureAwait(false);
                await CommitAsync(modules, tally).ConfigureAwait(false);
            }
        }
        finally
        {
            if (processes != null)
            {
                await processes.DisposeAsync().ConfigureAwait(false);
            }
            if (modules != null)
            {
                await modules.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task WriteAsync<TRow>(ExportTable<TRow> table, DateOnly day, IEnumerable<TRow> rows, ExportTally tally)
    {
        PartitionWriter<TRow>? writer = null;
        try
        {
            foreach (var row in rows)
            {
                writer ??= PartitionWriter<TRow>.Open(format, table, output, day);
                await writer.AddAsync(row).ConfigureAwait(false);
            }
            if (writer != null)
            {
                await CommitAsync(writer, tally).ConfigureAwait(false);
            }
        }
        finally
        {
            if (writer != null)
            {
                await writer.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static async Task CommitAsync<TRow>(PartitionWriter<TRow> writer, ExportTally tally)
    {
        await writer.CommitAsync().ConfigureAwait(false);
        tally.Add(writer.Table.Name, writer.Rows);
    }
}
