using System.Text;
using Polaris.Collector.Scheduler;

namespace Polaris.Collector.Tests.Scheduler;

/// <summary>Damaged lines are counted with their numbers and cost only themselves.</summary>
public class PbsMalformedLineTests
{
    public static TheoryData<string, string> Damaged => new()
    {
        { "04/31/2025 10:02:12;E;77.s;", "the date is not MM/DD/YYYY HH:MM:SS of a real time from 2000 to 2100" },
        { "4/14/2025 10:02:12;E;77.s;", "the date is not MM/DD/YYYY HH:MM:SS of a real time from 2000 to 2100" },
        { "04/14/1999 10:02:12;E;77.s;", "the date is not MM/DD/YYYY HH:MM:SS of a real time from 2000 to 2100" },
        { "04/14/2101 10:02:12;E;77.s;", "the date is not MM/DD/YYYY HH:MM:SS of a real time from 2000 to 2100" },
        { "04/14/2025 24:00:00;Q;77.s;", "the date is not MM/DD/YYYY HH:MM:SS of a real time from 2000 to 2100" },
        { "04/14/2025 10:02:12;E;77.s", "the line has fewer than four ';'-separated fields (date;type;id;message)" },
        { "", "the line has fewer than four ';'-separated fields (date;type;id;message)" },
        { "04/14/2025 10:02:12;EE;77.s;", "the record type is not one letter" },
        { "04/14/2025 10:02:12;;77.s;", "the record type is not one letter" },
        { "04/14/2025 10:02:12;E;;user=bob", "the job id is empty, longer than 128 bytes or holds a control character" },
        { "04/14/2025 10:02:12;E;" + new string('9', 129) + ";", "the job id is empty, longer than 128 bytes or holds a control character" },
        { PbsLogs.EndLine(attributes: "Resource_List.nodect=0"), "Resource_List.nodect is not a whole number from 1 to 1000000" },
        { PbsLogs.EndLine(attributes: "Resource_List.nodect=1000001"), "Resource_List.nodect is not a whole number from 1 to 1000000" },
        { PbsLogs.EndLine(attributes: "Resource_List.nodect=-3"), "Resource_List.nodect is not a whole number from 1 to 1000000" },
        { PbsLogs.EndLine(attributes: "Resource_List.nodect=99999999999999999999"), "Resource_List.nodect is not a whole number from 1 to 1000000" },
        { PbsLogs.EndLine(attributes: "resources_used.walltime=-01:00:00"), "resources_used.walltime is not H:MM:SS up to ten years" },
        { PbsLogs.EndLine(attributes: "resources_used.walltime=87673:00:00"), "resources_used.walltime is not H:MM:SS up to ten years" },
        { PbsLogs.EndLine(attributes: "resources_used.walltime=10:60:00"), "resources_used.walltime is not H:MM:SS up to ten years" },
        { PbsLogs.EndLine(attributes: "resources_used.walltime=10:5:00"), "resources_used.walltime is not H:MM:SS up to ten years" },
        { PbsLogs.EndLine(attributes: "resources_used.walltime=3600"), "resources_used.walltime is not H:MM:SS up to ten years" },
        { PbsLogs.EndLine(attributes: "start=946684799"), "start is not a Unix time from 2000 to 2100" },
        { PbsLogs.EndLine(attributes: "end=4133980800"), "end is not a Unix time from 2000 to 2100" },
        { PbsLogs.EndLine(attributes: "end=1744624932.5"), "end is not a Unix time from 2000 to 2100" },
        { PbsLogs.EndLine(attributes: "Exit_status=2147483648"), "Exit_status is not a 32-bit integer" },
        { PbsLogs.EndLine(attributes: "Exit_status="), "Exit_status is not a 32-bit integer" },
        { PbsLogs.EndLine(attributes: "user=" + new string('u', 257)), "user is longer than 256 bytes or holds a control character" },
        { PbsLogs.EndLine(attributes: "account=a\u0001b"), "account is longer than 256 bytes or holds a control character" },
        { PbsLogs.EndLine(attributes: "jobname=\"never closed"), "a quoted value does not end before the line does" },
    };

    [Theory]
    [MemberData(nameof(Damaged))]
    public void A_damaged_line_is_reported_with_its_number_and_its_neighbours_are_read(string damaged, string reason)
    {
        var log = string.Join('\n', PbsLogs.EndLine("1.s"), PbsLogs.EndLine("2.s"), damaged, PbsLogs.EndLine("4.s")) + "\n";

        var (records, summary) = PbsLogs.Read(log);

        Assert.Equal(["1", "2", "4"], records.Select(r => r.JobKey));
        Assert.Equal(new PbsParseError(3, reason), Assert.Single(summary.FirstErrors));
        Assert.Equal((4, 1), (summary.Lines, summary.MalformedLines));
    }

    [Fact]
    public void A_line_of_invalid_utf8_is_reported()
    {
        var log = Encoding.UTF8.GetBytes(PbsLogs.EndLine("1.s") + "\n").Concat(Encoding.UTF8.GetBytes("04/14/2025 10:02:12;E;2.s;user=b"))
            .Concat(new byte[] { 0xC3, 0x28, (byte)'\n' }).Concat(Encoding.UTF8.GetBytes(PbsLogs.EndLine("3.s"))).ToArray();

        var (records, summary) = PbsLogs.Read(log);

        Assert.Equal(["1", "3"], records.Select(r => r.JobKey));
        Assert.Equal(new PbsParseError(2, "the line is not valid UTF-8"), Assert.Single(summary.FirstErrors));
    }

    [Fact]
    public void Values_at_their_bounds_are_taken()
    {
        var (records, summary) = PbsLogs.Read(
            PbsLogs.EndLine(attributes: "Resource_List.nodect=1000000 resources_used.walltime=87672:00:00 Exit_status=-2147483648 start=0 " +
                "user=" + new string('u', 256)) + "\n" +
            PbsLogs.EndLine(attributes: "end=946684800 start=4133980799 resources_used.walltime=0:00:00 account= Resource_List.nodect=1"));

        Assert.Equal(0, summary.MalformedLines);
        Assert.Equal((1_000_000, TimeSpan.FromHours(87672), int.MinValue, (DateTimeOffset?)null), (records[0].NodeCount, records[0].Walltime, records[0].ExitStatus, records[0].Start));
        Assert.Equal(256, records[0].User!.Length);
        Assert.Equal(((DateTimeOffset?)new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2100, 12, 31, 23, 59, 59, TimeSpan.Zero), TimeSpan.Zero, (string?)null),
            (records[1].End, records[1].Start, records[1].Walltime, records[1].Account));
    }

    [Fact]
    public void Only_the_first_thousand_malformed_lines_are_described_and_all_are_counted()
    {
        var log = new StringBuilder();
        for (int i = 0; i < 1500; i++)
        {
            log.Append("garbage line ").Append(i).Append('\n');
        }
        log.Append(PbsLogs.EndLine());

        var (records, summary) = PbsLogs.Read(log.ToString());

        Assert.Single(records);
        Assert.Equal(1500, summary.MalformedLines);
        Assert.Equal(PbsAccountingReader.MaxErrorsKept, summary.FirstErrors.Count);
        Assert.Equal(Enumerable.Range(1, 1000).Select(i => (long)i), summary.FirstErrors.Select(e => e.Line));
    }

    [Fact]
    public void Lines_of_other_types_are_skipped_and_counted_by_type_and_a_bad_date_on_one_is_malformed()
    {
        var (records, summary) = PbsLogs.Read(
            "04/14/2025 10:41:13;D;1.s;requestor=bob@login\n04/14/2025 10:41:13;R;1.s;\n04/14/2025 10:41:13;k;1.s;\n" +
            "04/14/2025 10:41:13;D;2.s;requestor=x\n13/14/2025 10:41:13;D;3.s;requestor=x\n");

        Assert.Empty(records);
        Assert.Equal(new Dictionary<char, long> { ['D'] = 2, ['R'] = 1, ['k'] = 1 }, summary.SkippedByType);
        Assert.Equal(5, Assert.Single(summary.FirstErrors).Line);
    }
}
