using System.Text.RegularExpressions;
using Polaris.Collector.Reports;
using Polaris.Testing;

namespace Polaris.Collector.Tests.Reports;

/// <summary><c>report NAME --format csv|table</c> over a store whose library names were written to run a spreadsheet
/// formula or to drive the terminal that prints them.</summary>
public class ReportWriterInjectionTests
{
    private const string Formula = "=HYPERLINK(\"http://x\",\"y\")";
    private const string Escape = "esc\u001b]0;owned\u0007\u001b[2J";
    private const string Bidi = "bidi\u202Eexe.gnp";

    private static readonly Regex Unsafe = new("[\u0000-\u0009\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]");

    [Fact]
    public void Csv_keeps_formulas_as_text_and_the_table_sends_no_control_characters()
    {
        using var dir = new TempDirectory();
        using (var opened = new TestStore(dir.Path))
        {
            var day = DateTime.UtcNow.Date.AddHours(12);
            var summary = SummaryFixtures.Job("n1", "1", 4001, 1, day, ["numpy", Formula, "-2+3", Escape, Bidi]);
            opened.Store.Ingest(SummaryFixtures.BatchOf("w1", "n1", summary), DateTime.UtcNow);
            opened.Store.Fold();
        }

        var csv = CommandLineTests.Run(dir.Path, null, "report", "libraries", "--format", "csv", "--data", dir.Path);
        var table = CommandLineTests.Run(dir.Path, null, "report", "libraries", "--format", "table", "--data", dir.Path);

        Assert.True(csv.ExitCode == 0, csv.StderrText);
        var lines = csv.StdoutText.Split("\r\n");
        Assert.Contains("\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",1,1,1,1", lines);
        Assert.Contains("\"'-2+3\",1,1,1,1", lines);
        Assert.Contains("numpy,1,1,1,1", lines);
        Assert.Equal(0, table.ExitCode);
        Assert.DoesNotMatch(Unsafe, table.StdoutText.Replace("\n", "", StringComparison.Ordinal));
        Assert.Contains("esc?]0;owned??[2J", table.StdoutText, StringComparison.Ordinal);
        Assert.Contains("bidi?exe ", table.StdoutText, StringComparison.Ordinal);
    }

    [Fact]
    public void Numbers_stay_numbers_in_csv_negative_ones_included_while_text_that_looks_like_one_is_quoted()
    {
        var table = new ReportTable("t", ["name", "count", "share"]);
        table.Add("-1", -5L, -0.5);
        table.Add("+tab", 7L, 0.25);
        table.Add("@SUM(A1)", 0L, 0.0);
        using var csv = new StringWriter();

        ReportWriter.WriteCsv(csv, table);

        Assert.Equal("name,count,share\r\n\"'-1\",-5,-0.5\r\n\"'+tab\",7,0.25\r\n\"'@SUM(A1)\",0,0\r\n", csv.ToString());
    }
}
