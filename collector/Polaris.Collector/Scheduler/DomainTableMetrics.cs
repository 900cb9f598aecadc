using Prometheus;

namespace Polaris.Collector.Scheduler;

/// <summary>How the project-to-domain table is doing, in /metrics: an admin who edits it sees whether the collector
/// took the new file, and how many of its lines it could not use.</summary>
public static class DomainTableMetrics
{
    public static void Register(CollectorRegistry registry, DomainTableFile domains)
    {
        ArgumentNullException.ThrowIfNull(domains);
        var f = Prometheus.Metrics.WithCustomRegistry(registry);
        f.ExemplarBehavior = Prometheus.ExemplarBehavior.NoExemplars();
        var reloads = f.CreateGauge("polaris_collector_domain_table_reloads", "Times the domain table (domainFile) was read and taken, the first load included.");
        var failed = f.CreateGauge("polaris_collector_domain_table_failed_reloads", "Times a changed domain table was refused or unreadable; the last good table stays in use.");
        var junk = f.CreateGauge("polaris_collector_domain_table_junk_lines", "Lines of the domain table as last read that were not a project,domain row (logged with their line numbers at start).");
        var projects = f.CreateGauge("polaris_collector_domain_table_projects", "Projects the domain table in use lists.");
        registry.AddBeforeCollectCallback(() =>
        {
            projects.Set(domains.Table.Count);
            reloads.Set(domains.Reloads);
            failed.Set(domains.FailedReloads);
            junk.Set(domains.JunkLines);
        });
    }
}
