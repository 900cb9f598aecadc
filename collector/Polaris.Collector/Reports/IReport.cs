using Polaris.Collector.Access;

namespace Polaris.Collector.Reports;

/// <summary>One of the study's questions, answered from the store (docs/analysis.md, "Reports"). A new report is a
/// class in this folder and one line in <see cref="ReportCatalog.All"/>.</summary>
public interface IReport
{
    /// <summary>The name the API, the command line and the dashboard use: <c>libraries</c>.</summary>
    string Name { get; }

    /// <summary>The question it answers, one line (the command's help lists them).</summary>
    string Description { get; }

    /// <summary>The token it takes: counts a read token, anything naming users or jobs an admin token.</summary>
    ReadLevel Level { get; }

    /// <summary>The answer for <paramref name="query"/>.</summary>
    ReportTable Run(ReportData data, ReportQuery query);
}
