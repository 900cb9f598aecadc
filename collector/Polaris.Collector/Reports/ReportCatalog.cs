namespace Polaris.Collector.Reports;

/// <summary>Every report, by name, for the API, the command line and the dashboard.</summary>
public static class ReportCatalog
{
    public static readonly IReadOnlyList<IReport> All =
    [
        new LibrariesReport(),
        new DomainsReport(),
        new EnvironmentsReport(),
        new TrendsReport(),
        new CoverageReport(),
        new CoverageJobsReport(),
        new OriginsReport(),
        new ImportCostReport(),
        new ImportCostJobsReport(),
        new HomeJobsReport(),
        new SubmodulesReport(),
        new SharedObjectsReport(),
        new ProvisioningReport(),
    ];

    /// <summary>The report named <paramref name="name"/>, or null.</summary>
    public static IReport? Find(string name) => All.FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.Ordinal));
}
