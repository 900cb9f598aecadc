using System.Text;
using Polaris.Collector.Scheduler;

namespace Polaris.Collector.Tests.Scheduler;

public class DomainTableTests
{
    private static DomainTable Parse(string csv) => DomainTable.Parse(Encoding.UTF8.GetBytes(csv));

    [Fact]
    public void A_table_with_header_comments_blank_lines_and_quotes_is_read()
    {
        var table = Parse(
            "\uFEFFProject , Domain\r\n" +
            "# Projects of the 2025 allocation cycle\n" +
            "\n" +
            "   ClimateAI ,  Earth Science  \n" +
            "\"Fusion, DD\",\"Fusion & Plasma\"\n" +
            "  # indented comment, with, commas\n" +
            "\"qchem \"\"Q\"\"\",Chemistry\n" +
            "QChem2,Chemistry\r\n" +
            "\t\n");

        Assert.Equal(4, table.Count);
        Assert.Equal(0, table.JunkLines);
        Assert.Equal("Earth Science", table.Lookup("ClimateAI"));
        Assert.Equal("Earth Science", table.Lookup("climateai"));
        Assert.Equal("Fusion & Plasma", table.Lookup("FUSION, dd"));
        Assert.Equal("Chemistry", table.Lookup("QCHEM \"q\""));
        Assert.Equal("Chemistry", table.Lookup("qchem2"));
        Assert.Equal(["Chemistry", "Earth Science", "Fusion & Plasma"], table.Domains);
    }

    [Fact]
    public void Unlisted_and_missing_projects_are_unknown_and_processes_outside_jobs_are_none()
    {
        var table = Parse("ClimateAI,Earth Science\n");

        Assert.Equal(DomainTable.Unknown, table.Lookup("Fusion_DD"));
        Assert.Equal(DomainTable.Unknown, table.Lookup(null));
        Assert.Equal(DomainTable.Unknown, table.Lookup(""));
        Assert.Equal(DomainTable.Unknown, table.Lookup(new string('c', 100_000)));
        Assert.Equal("Earth Science", table.DomainOf("climateai", inJob: true));
        Assert.Equal(DomainTable.Unknown, table.DomainOf(null, inJob: true));
        Assert.Equal(DomainTable.None, table.DomainOf("ClimateAI", inJob: false));
        Assert.Equal(DomainTable.Unknown, DomainTable.Empty.Lookup("ClimateAI"));
    }

    public static TheoryData<string, string> Junk => new()
    {
        { "ClimateAI", "one field where two are needed (project,domain)" },
        { "ClimateAI,Earth,Science", "more than two fields (project,domain)" },
        { "ClimateAI,Earth Science,", "more than two fields (project,domain)" },
        { " ,Earth Science", "the project is empty" },
        { "\"\",Earth Science", "the project is empty" },
        { "ClimateAI,  ", "the domain is empty" },
        { "ClimateAI,Earth<script>", "the domain is not 1 to 64 of A-Z a-z 0-9 space _ . / & + -" },
        { "ClimateAI,Écologie", "the domain is not 1 to 64 of A-Z a-z 0-9 space _ . / & + -" },
        { "ClimateAI,\"Earth\tScience\"", "the domain is not 1 to 64 of A-Z a-z 0-9 space _ . / & + -" },
        { "ClimateAI," + new string('d', 65), "the domain is not 1 to 64 of A-Z a-z 0-9 space _ . / & + -" },
        { "ClimateAI,None", "the domain 'none' is kept for processes outside any job" },
        { new string('p', 129) + ",Earth Science", "the project is longer than 128 bytes" },
        { new string('é', 65) + ",Earth Science", "the project is longer than 128 bytes" },
        { "\"Climate\u0001AI\",Earth Science", "the project holds a control character" },
        { "\"ClimateAI,Earth Science", "a quoted field does not end before the line does" },
        { "\"Climate\"AI,Earth Science", "text after a quoted field's closing quote" },
        { "Fusion_DD,Fusion", "a project listed before (the first row holds)" },
        { "FUSION_dd,Fusion", "a project listed before (the first row holds)" },
        { "ClimateAI," + new string(' ', 5000) + "x", "longer than 4096 bytes" },
    };

    [Theory]
    [MemberData(nameof(Junk))]
    public void A_junk_line_is_reported_with_its_number_and_the_rest_stands(string junk, string reason)
    {
        var table = Parse($"project,domain\nFusion_DD,Fusion Energy\n# comment\n{junk}\nqchem,Chemistry\n");

        Assert.Equal(new DomainTableJunk(4, reason), Assert.Single(table.Junk));
        Assert.Equal(1, table.JunkLines);
        Assert.Equal(2, table.Count);
        Assert.Equal("Fusion Energy", table.Lookup("fusion_dd"));
        Assert.Equal("Chemistry", table.Lookup("qchem"));
    }

    [Fact]
    public void Lines_of_invalid_utf8_are_junk()
    {
        var csv = Encoding.UTF8.GetBytes("a,A\n").Concat(new byte[] { (byte)'b', 0xFF, (byte)',', (byte)'B', (byte)'\n' }).Concat(Encoding.UTF8.GetBytes("c,C")).ToArray();

        var table = DomainTable.Parse(csv);

        Assert.Equal(new DomainTableJunk(2, "not valid UTF-8"), Assert.Single(table.Junk));
        Assert.Equal(2, table.Count);
    }

    [Fact]
    public void Rows_past_the_limit_are_junk()
    {
        var csv = new StringBuilder("project,domain\n");
        for (int i = 0; i < DomainTable.MaxRows + 5; i++)
        {
            csv.Append("p").Append(i).Append(",D").Append(i % 40).Append('\n');
        }

        var table = Parse(csv.ToString());

        Assert.Equal(DomainTable.MaxRows, table.Count);
        Assert.Equal(5, table.JunkLines);
        Assert.Equal(new DomainTableJunk(DomainTable.MaxRows + 2, "past the limit of 100000 rows"), table.Junk[0]);
        Assert.Equal(40, table.Domains.Count);
        Assert.Equal(DomainTable.Unknown, table.Lookup("p100000"));
    }

    [Fact]
    public void Only_the_first_thousand_junk_lines_are_described()
    {
        var table = Parse(string.Concat(Enumerable.Repeat("junk\n", 2500)) + "a,A");

        Assert.Equal((2500, DomainTable.MaxJunkKept, 1), (table.JunkLines, table.Junk.Count, table.Count));
        Assert.Equal(1000, table.Junk[^1].Line);
    }

    [Fact]
    public void A_file_past_sixteen_mebibytes_is_refused_whole()
    {
        var csv = new byte[DomainTable.MaxFileBytes + 1];
        Array.Fill(csv, (byte)'#');

        Assert.Throws<InvalidDataException>(() => DomainTable.Parse(csv));
        Assert.Equal(0, DomainTable.Parse(csv.AsSpan(1)).Count);
    }
}
