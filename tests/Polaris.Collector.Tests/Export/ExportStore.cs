using Polaris.Collector.Tests.Import;
using Polaris.Testing;
using Polaris.Wire;

namespace Polaris.Collector.Tests.Export;

/// <summary>A data folder with real records of every source: the agent's summaries ingested through the store, then
/// the XALT and PyModuleSnooper fixtures imported by the real <c>polaris-collector</c>.</summary>
internal static class ExportStore
{
    /// <summary>The agent's summaries: one job on two nodes on 20 November, one job on 21 November.</summary>
    public static ProcessSummary[] AgentSummaries { get; } =
    [
        SummaryFixtures.Job("x1000c0s0b0n0", "4001.polaris-pbs-01", 2001, ranks: 4, new DateTime(2026, 11, 20, 10, 0, 0, DateTimeKind.Utc), ["numpy", "numpy.linalg", "mpi4py"], nodes: 2),
        SummaryFixtures.Job("x1000c0s0b0n1", "4001.polaris-pbs-01", 2001, ranks: 4, new DateTime(2026, 11, 20, 10, 0, 1, DateTimeKind.Utc), ["numpy", "numpy.linalg", "mpi4py"], nodes: 2),
        SummaryFixtures.Job("x1000c0s1b0n0", "4002.polaris-pbs-01", 2002, ranks: 2, new DateTime(2026, 11, 21, 23, 59, 0, DateTimeKind.Utc), ["torch", "os"]),
    ];

    public static int AgentProcesses => AgentSummaries.Sum(s => s.Processes);

    public static int AgentModuleRows => AgentSummaries.Sum(s => s.Modules.Count);

    public static CommandResult Run(params string[] args) => CommandLineTests.Run(Environment.CurrentDirectory, null, args);

    /// <summary>Fills <paramref name="data"/>; <paramref name="scratch"/> takes the unpacked PyModuleSnooper tree.</summary>
    public static void Fill(string data, string scratch)
    {
        using (var opened = new TestStore(data))
        {
            int batch = 0;
            foreach (var summary in AgentSummaries)
            {
                opened.Store.Ingest(SummaryFixtures.BatchOf($"agent-{batch++}", summary.Host, summary), DateTime.UtcNow);
            }
        }
        ImportFixtures.Unpack(ImportFixtures.PmsArchive, scratch);
        var xalt = Run("import-xalt", "--data", data, ImportFixtures.XaltArchive);
        Assert.True(xalt.ExitCode == 0, xalt.StderrText);
        var pms = Run("import-pymodulesnooper", "--data", data, "--time-zone", "UTC", scratch);
        Assert.True(pms.ExitCode == 0, pms.StderrText);
    }
}
