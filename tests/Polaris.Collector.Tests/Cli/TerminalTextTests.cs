using Polaris.Collector.Cli;
using Polaris.Collector.Import;
using Polaris.Collector.Rollups;

namespace Polaris.Collector.Tests.Cli;

/// <summary>Text from records printed on a terminal: escapes, C1 controls and bidi overrides are shown as <c>?</c>,
/// in the report table, merge-rollups' table, the import tally and the command line's error line.</summary>
public class TerminalTextTests
{
    private const string Hostile = "a\u001b[31mb\u009bc\u007fd\u202Ee\u2067f\tg\nh";

    [Fact]
    public void Controls_del_c1_and_bidi_become_question_marks_and_the_rest_stays()
    {
        Assert.Equal("a?[31mb?c?d?e?f?g?h", TerminalText.Safe(Hostile));
        Assert.Equal("numpy é 数 \U0001F600", TerminalText.Safe("numpy é 数 \U0001F600"));
        Assert.Equal("lone ?", TerminalText.Safe("lone \uD800"));
    }

    [Fact]
    public void Merge_rollups_table_prints_a_hostile_library_safely()
    {
        var day = DateOnly.FromDateTime(DateTime.UtcNow);
        var facility = new FacilityRollups(day, day);
        facility.Add(new RollupRecord { Day = day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), Library = Hostile, Users = [1], Jobs = ["1"], Processes = 1 });
        using var output = new StringWriter();

        FacilityReport.WriteTable(output, facility, 1);

        Assert.Contains("a?[31mb?c?d?e?f?g?h", output.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', output.ToString());
    }

    [Fact]
    public void The_import_tally_prints_places_safely()
    {
        var tally = new ImportTally();
        tally.Skip("not a .json file", "archive.tar:run\u202Egpj.json");
        using var output = new StringWriter();

        tally.WriteTo(output);

        Assert.Contains("    archive.tar:run?gpj.json", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refusal_quoted_in_the_error_line_sends_no_escape()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        int status = await CommandLine.RunAsync(["report", "libraries", "--since", "x\u001b]0;owned\u0007"], output, error);

        Assert.Equal(2, status);
        Assert.DoesNotContain('\u001b', error.ToString());
        Assert.Contains("x?]0;owned?", error.ToString(), StringComparison.Ordinal);
    }
}
