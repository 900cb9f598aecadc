using System.Text;
using Polaris.Collector.Scheduler;

namespace Polaris.Collector.Tests.Scheduler;

public class PbsAccountingReaderTests
{
    private static DateTimeOffset Unix(long seconds) => DateTimeOffset.FromUnixTimeSeconds(seconds);

    [Fact]
    public void The_fixture_gives_its_start_and_end_records_in_log_order()
    {
        var (records, summary) = PbsLogs.ReadFile(PbsLogs.Fixture);

        Assert.Equal(
            [
                ("1234501", PbsRecordType.Start), ("1234502", PbsRecordType.Start), ("1234502", PbsRecordType.End),
                ("1234600[3]", PbsRecordType.Start), ("1234600[3]", PbsRecordType.End), ("1234777", PbsRecordType.Start),
                ("1234501", PbsRecordType.End),
            ],
            records.Select(r => (r.JobKey, r.Type)));
        Assert.Equal(13, summary.Lines);
        Assert.Equal(3, summary.EndRecords);
        Assert.Equal(4, summary.StartRecords);
        Assert.Equal(new Dictionary<char, long> { ['A'] = 1, ['D'] = 1, ['L'] = 1, ['Q'] = 3 }, summary.SkippedByType);
        Assert.Equal(0, summary.MalformedLines);
        Assert.Empty(summary.FirstErrors);
        Assert.Equal(new FileInfo(PbsLogs.Fixture).Length, summary.BytesRead);
    }

    [Fact]
    public void An_end_record_carries_what_the_collector_reads_and_a_walltime_past_a_day()
    {
        var (records, _) = PbsLogs.ReadFile(PbsLogs.Fixture);

        var end = records[^1];
        Assert.Equal(new PbsJobRecord("1234501", "1234501.polaris-pbs-01", PbsRecordType.End, new DateTimeOffset(2025, 4, 15, 12, 10, 3, TimeSpan.Zero))
        {
            User = "alice", Group = "users", Account = "ClimateAI", Project = "climate_sim", Queue = "prod", NodeCount = 2,
            Walltime = new TimeSpan(26, 9, 58), Start = Unix(1744624805), End = Unix(1744719003), ExitStatus = 0,
        }, end);
        Assert.Equal(TimeSpan.Zero, end.EventTime.Offset);
    }

    [Fact]
    public void Negative_exit_statuses_array_subjobs_and_ids_without_the_server_are_read()
    {
        var (records, _) = PbsLogs.ReadFile(PbsLogs.Fixture);

        var failed = records.Single(r => r is { JobKey: "1234502", Type: PbsRecordType.End });
        Assert.Equal(-1, failed.ExitStatus);
        Assert.Equal(TimeSpan.FromSeconds(1), failed.Walltime);
        var subjob = records.Single(r => r is { JobKey: "1234600[3]", Type: PbsRecordType.End });
        Assert.Equal("1234600[3].polaris-pbs-01", subjob.JobId);
        Assert.Equal((271, 4), (subjob.ExitStatus, subjob.NodeCount));
        var running = records.Single(r => r.JobKey == "1234777");
        Assert.Equal("1234777", running.JobId);
        Assert.Equal((512, "prod", Unix(1744635910)), (running.NodeCount, running.Queue, running.Start));
        Assert.Null(running.End);
        Assert.Null(running.ExitStatus);
        Assert.Null(running.Walltime);
    }

    [Fact]
    public void Quoted_values_keep_their_spaces_and_semicolons_and_lose_their_quotes()
    {
        var line = PbsLogs.EndLine(attributes: "jobname=\"a; b=c \" account=\"Climate AI\" Resource_List.select=\"2:ncpus=64\" queue=\"prod\"");

        var (records, summary) = PbsLogs.Read(line + "\n");

        var record = Assert.Single(records);
        Assert.Equal(("Climate AI", "prod"), (record.Account, record.Queue));
        Assert.Equal(0, summary.MalformedLines);
    }

    [Fact]
    public void A_very_long_exec_host_within_the_bound_is_read()
    {
        var hosts = string.Join('+', Enumerable.Range(0, 24_000).Select(i => $"x{3000 + (i % 1000)}c0s{i % 32}b0n0/0*64"));
        Assert.InRange(hosts.Length, 400_000, PbsAccountingReader.MaxLineBytes - 1000);

        var (records, _) = PbsLogs.Read(PbsLogs.EndLine(attributes: $"exec_host={hosts} Resource_List.nodect=24000") + "\n");

        Assert.Equal(24_000, Assert.Single(records).NodeCount);
    }

    [Fact]
    public void Dates_are_converted_from_the_servers_time_zone()
    {
        var chicago = TimeZoneInfo.FindSystemTimeZoneById("America/Chicago");

        var (records, summary) = PbsLogs.Read(
            "04/14/2025 10:00:05;S;1.s;start=1744642805\n" +
            "03/09/2025 02:30:00;S;2.s;\n" +
            "11/02/2025 01:30:00;S;3.s;\n", chicago);

        Assert.Equal(new DateTimeOffset(2025, 4, 14, 15, 0, 5, TimeSpan.Zero), records[0].EventTime);
        // 02:30 does not exist on the day clocks spring forward; 01:30 happens twice when they fall back (standard time taken).
        Assert.Equal(new PbsParseError(2, "the date is not MM/DD/YYYY HH:MM:SS of a real time from 2000 to 2100"), Assert.Single(summary.FirstErrors));
        Assert.Equal(new DateTimeOffset(2025, 11, 2, 7, 30, 0, TimeSpan.Zero), records[1].EventTime);
    }

    [Fact]
    public void Lines_ending_in_crlf_are_read()
    {
        var (records, summary) = PbsLogs.Read(PbsLogs.EndLine() + "\r\n" + PbsLogs.EndLine("78.s") + "\r\n");

        Assert.Equal(["77", "78"], records.Select(r => r.JobKey));
        Assert.Equal(0, summary.MalformedLines);
    }

    [Fact]
    public void A_last_line_without_a_newline_is_read_unless_asked_to_leave_it()
    {
        var log = Encoding.UTF8.GetBytes(PbsLogs.EndLine() + "\n" + PbsLogs.EndLine("78.s"));

        Assert.Equal(2, PbsLogs.Read(log).Records.Length);
        var (records, summary) = PbsLogs.Read(log, leavePartialLastLine: true);
        Assert.Equal("77", Assert.Single(records).JobKey);
        Assert.Equal(1, summary.Lines);
        Assert.Equal(PbsLogs.EndLine().Length + 1, summary.BytesRead);
    }

    [Fact]
    public void A_log_pbs_is_still_writing_is_resumed_where_the_last_whole_line_ended()
    {
        var whole = PbsLogs.EndLine("78.s", "Exit_status=127") + "\n";
        var cut = whole.IndexOf("=127", StringComparison.Ordinal) + 2;
        using var folder = new Polaris.Testing.TempDirectory();
        var path = folder.Combine("20250414");
        File.WriteAllText(path, PbsLogs.EndLine() + "\n" + whole[..cut]);

        var first = PbsAccountingReader.ReadFile(path, TimeZoneInfo.Utc, _ => { }, leavePartialLastLine: true);
        File.AppendAllText(path, whole[cut..]);
        var records = new List<PbsJobRecord>();
        using (var log = File.OpenRead(path))
        {
            log.Position = first.BytesRead;
            var reader = new PbsAccountingReader(log, TimeZoneInfo.Utc, leavePartialLastLine: true);
            records.AddRange(reader.ReadRecords());
        }

        Assert.Equal(1, first.Lines);
        Assert.Equal(127, Assert.Single(records).ExitStatus);
    }

    [Fact]
    public void An_empty_log_has_no_lines()
    {
        var (records, summary) = PbsLogs.Read("");

        Assert.Empty(records);
        Assert.Equal((0, 0, 0L), (summary.Lines, summary.MalformedLines, summary.BytesRead));
    }

    [Fact]
    public void A_reader_reads_its_stream_once()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(PbsLogs.EndLine()));
        var reader = new PbsAccountingReader(stream, TimeZoneInfo.Utc);

        _ = reader.ReadRecords().ToArray();

        Assert.Throws<InvalidOperationException>(() => reader.ReadRecords());
    }

    [Fact]
    public void Reading_the_same_log_twice_gives_the_same_records()
    {
        var first = PbsLogs.ReadFile(PbsLogs.Fixture);
        var second = PbsLogs.ReadFile(PbsLogs.Fixture);

        Assert.Equal(first.Records, second.Records);
        Assert.Equal(
            (first.Summary.Lines, first.Summary.RecordsTaken, first.Summary.Skipped, first.Summary.BytesRead),
            (second.Summary.Lines, second.Summary.RecordsTaken, second.Summary.Skipped, second.Summary.BytesRead));
    }

    [Fact]
    public void An_end_record_supersedes_a_start_record_and_a_later_record_an_earlier_one_of_its_type()
    {
        var (records, _) = PbsLogs.ReadFile(PbsLogs.Fixture);
        var start = records.First(r => r is { JobKey: "1234501", Type: PbsRecordType.Start });
        var end = records.First(r => r is { JobKey: "1234501", Type: PbsRecordType.End });

        Assert.True(end.Supersedes(start));
        Assert.False(start.Supersedes(end));
        Assert.False(end.Supersedes(end with { }));
        Assert.True((start with { EventTime = start.EventTime.AddHours(1) }).Supersedes(start));
        Assert.False(start.Supersedes(end with { EventTime = start.EventTime.AddDays(-1) }));
    }
}
