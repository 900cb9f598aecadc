using System.Text.Json;
using Polaris.Testing;

namespace Polaris.Collector.Tests;

/// <summary>monitoring/: the alert rules, their promtool tests and the Grafana dashboard, as monitoring/check.sh checks them.</summary>
public class MonitoringFilesTests
{
    private static readonly string Monitoring = Path.Combine(RepoPaths.Root, "monitoring");

    private static readonly string Dashboard = Path.Combine(Monitoring, "polaris-dashboard.json");

    private static CommandResult Run(string script, params string[] arguments) =>
        CommandResult.Run("bash", [Path.Combine(Monitoring, script), .. arguments], workingDirectory: RepoPaths.Root);

    /// <summary>A copy of the dashboard with one text replaced, which must be in it, so that no test passes vacuously.</summary>
    private static string BrokenDashboard(TempDirectory dir, string text, string replacement)
    {
        var model = File.ReadAllText(Dashboard);
        Assert.Contains(text, model, StringComparison.Ordinal);
        var copy = dir.Combine("polaris-dashboard.json");
        File.WriteAllText(copy, model.Replace(text, replacement, StringComparison.Ordinal));
        return copy;
    }

    [Fact]
    public void The_rules_their_tests_and_the_dashboard_pass_the_check()
    {
        var result = Run("check.sh");

        Assert.True(result.ExitCode == 0, result.StdoutText + result.StderrText);
        Assert.Contains("SUCCESS: 6 rules found", result.StdoutText, StringComparison.Ordinal);
        Assert.Contains(": 0 problems", result.StdoutText, StringComparison.Ordinal);
    }

    [Fact]
    public void A_dashboard_query_on_a_metric_the_design_does_not_list_fails_the_check()
    {
        using var dir = new TempDirectory();

        var result = Run("check.sh", BrokenDashboard(dir, "(polaris_collector_store_log_bytes)", "(polaris_collector_store_log_bytez)"));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("metric polaris_collector_store_log_bytez is not in docs/collector.md's table", result.StderrText, StringComparison.Ordinal);
    }

    [Fact]
    public void A_dashboard_query_grouping_by_a_label_its_metrics_lack_fails_the_check()
    {
        using var dir = new TempDirectory();

        var result = Run("check.sh", BrokenDashboard(dir, "sum by (reason)", "sum by (reasons)"));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("label reasons is on none of the metrics", result.StderrText, StringComparison.Ordinal);
    }

    [Fact]
    public void Dashboard_queries_prints_every_target_and_variable_query_with_no_variable_left()
    {
        using var model = JsonDocument.Parse(File.ReadAllText(Dashboard));
        var targets = model.RootElement.GetProperty("panels").EnumerateArray()
            .Sum(panel => panel.TryGetProperty("targets", out var t) ? t.GetArrayLength() : 0);
        var variables = model.RootElement.GetProperty("templating").GetProperty("list").EnumerateArray()
            .Count(variable => variable.GetProperty("type").GetString() == "query");

        var result = Run("dashboard-queries.sh");

        Assert.True(result.ExitCode == 0, result.StderrText);
        var lines = result.StdoutText.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(targets + variables, lines.Length);
        Assert.All(lines, line => Assert.DoesNotContain("$", line, StringComparison.Ordinal));
        Assert.Contains("topk(20, sum by (library) (increase(polaris_library_processes_total{domain=~\".*\", environment_kind=~\".*\"}[1h])))", lines);
    }
}
