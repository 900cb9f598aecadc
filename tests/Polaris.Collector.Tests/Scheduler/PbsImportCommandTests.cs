using Polaris.Testing;

namespace Polaris.Collector.Tests.Scheduler;

/// <summary>The real <c>polaris-collector import-pbs</c>: on a data folder no collector holds, and through a running
/// collector's <c>POST /v1/pbs</c>.</summary>
public sealed class PbsImportCommandTests : IDisposable
{
    private static readonly Dictionary<string, string?> Utc = new() { ["POLARIS_COLLECTOR_PBS_TIME_ZONE"] = "UTC" };
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private CommandResult Import(params string[] args) => CommandLineTests.Run(_dir.Path, Utc, ["import-pbs", .. args]);

    [Fact]
    public void The_command_before_or_after_the_summaries_gives_the_same_jobs_and_reports_them()
    {
        var before = _dir.Combine("before");
        var after = _dir.Combine("after");

        var first = Import("--data", before, PbsLogs.Fixture);
        using (var opened = new TestStore(before))
        {
            PbsFixtureJobs.Ingest(opened.Store);
            opened.Store.Fold();
        }
        using (var opened = new TestStore(after))
        {
            PbsFixtureJobs.Ingest(opened.Store);
            opened.Store.Fold();
        }
        var second = Import("--data", after, PbsLogs.Fixture);

        Assert.Equal(PbsFixtureJobs.Documents(before, "jobs"), PbsFixtureJobs.Documents(after, "jobs"));
        Assert.Equal((0, 0), (first.ExitCode, second.ExitCode));
        Assert.Equal(
            $"{PbsLogs.Fixture}: 13 lines, 7 records taken (3 E, 4 S), 6 lines of other types skipped\n"
            + "  jobs updated: 0; jobs not seen yet (kept for their summaries): 4; records already known: 0\n"
            + "  malformed lines: 0\n",
            first.StdoutText);
        Assert.Contains("  jobs updated: 3; jobs not seen yet (kept for their summaries): 1; records already known: 0\n", second.StdoutText, StringComparison.Ordinal);
        Assert.Empty(first.StderrText + second.StderrText);
    }

    [Fact]
    public void Importing_twice_changes_no_job()
    {
        var data = _dir.Combine("data");
        using (var opened = new TestStore(data))
        {
            PbsFixtureJobs.Ingest(opened.Store);
            opened.Store.Fold();
        }
        Assert.Equal(0, Import("--data", data, PbsLogs.Fixture).ExitCode);
        var jobs = PbsFixtureJobs.Documents(data, "jobs");

        var again = Import("--data", data, PbsLogs.Fixture);

        Assert.Equal(0, again.ExitCode);
        Assert.Contains("  jobs updated: 0; jobs not seen yet (kept for their summaries): 0; records already known: 7\n", again.StdoutText, StringComparison.Ordinal);
        Assert.Equal(jobs, PbsFixtureJobs.Documents(data, "jobs"));
    }

    [Fact]
    public void Malformed_lines_are_reported_with_their_numbers_and_the_import_exits_0()
    {
        var lines = File.ReadAllLines(PbsLogs.Fixture).ToList();
        lines.Insert(3, "garbage without fields");
        lines.Insert(5, "13/45/2025 10:00:05;S;1234599.polaris-pbs-01;user=x");
        var log = _dir.Combine("damaged.log");
        File.WriteAllLines(log, lines);

        var result = Import("--data", _dir.Combine("data"), log);

        Assert.Equal(0, result.ExitCode);
        Assert.Empty(result.StderrText);
        Assert.Contains($"{log}: 15 lines, 7 records taken (3 E, 4 S), 6 lines of other types skipped\n", result.StdoutText, StringComparison.Ordinal);
        Assert.Contains(
            "  malformed lines: 2\n"
            + "    line 4: the line has fewer than four ';'-separated fields (date;type;id;message)\n"
            + "    line 6: the date is not MM/DD/YYYY HH:MM:SS of a real time from 2000 to 2100\n",
            result.StdoutText, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_cannot_be_read_exits_1_in_one_line_after_the_others_are_imported()
    {
        var missing = _dir.Combine("missing.log");

        var result = Import("--data", _dir.Combine("data"), missing, PbsLogs.Fixture);

        CommandLineFailureTests.AssertOneLine(result, 1, $"cannot import {missing}: ");
        Assert.Contains("7 records taken", result.StdoutText, StringComparison.Ordinal);
    }

    [Fact]
    public void On_a_data_folder_a_collector_holds_the_command_says_so_in_one_line_and_the_collector_takes_the_log()
    {
        var data = _dir.Combine("data");
        File.WriteAllText(_dir.Combine("admins"), "admin-token-1\n");
        using var collector = CollectorProcess.Start(data, "--admin-token-file", _dir.Combine("admins"));

        var direct = Import("--data", data, PbsLogs.Fixture);
        var through = Import("--collector", collector.Url.ToString(), "--token-file", _dir.Combine("admins"), PbsLogs.Fixture);

        CommandLineFailureTests.AssertOneLine(direct, 1, $"a running collector (or another import) holds the store in {data}");
        Assert.Contains("import-pbs --collector URL", direct.StderrText, StringComparison.Ordinal);
        Assert.Empty(direct.StdoutText);
        Assert.Equal(0, through.ExitCode);
        Assert.Contains("7 records taken (3 E, 4 S)", through.StdoutText, StringComparison.Ordinal);
        Assert.Contains("jobs not seen yet (kept for their summaries): 4", through.StdoutText, StringComparison.Ordinal);
    }

    [Fact]
    public void A_second_collector_on_the_same_data_folder_is_refused_in_one_line()
    {
        var data = _dir.Combine("data");
        using var collector = CollectorProcess.Start(data);

        var second = CommandLineTests.Run(_dir.Path, null, "serve", "--urls", "http://127.0.0.1:0", "--data", data);

        CommandLineFailureTests.AssertOneLine(second, 1, $"cannot open the store {Path.Combine(data, "polaris.db")}: another process holds the store");
    }

    [Fact]
    public void Through_the_collector_the_import_takes_an_admin_token()
    {
        File.WriteAllText(_dir.Combine("admins"), "admin-token-1\n");
        File.WriteAllText(_dir.Combine("readers"), "read-token-1\n");
        using var collector = CollectorProcess.Start(_dir.Combine("data"), "--admin-token-file", _dir.Combine("admins"), "--read-token-file", _dir.Combine("readers"));
        var url = collector.Url.ToString();

        var none = Import("--collector", url, PbsLogs.Fixture);
        var reader = Import("--collector", url, "--token-file", _dir.Combine("readers"), PbsLogs.Fixture);
        var admin = Import("--collector", url, "--token-file", _dir.Combine("admins"), PbsLogs.Fixture);

        CommandLineFailureTests.AssertOneLine(none, 1, "answered 401");
        CommandLineFailureTests.AssertOneLine(reader, 1, "answered 401");
        Assert.Equal(0, admin.ExitCode);
        Assert.Contains("7 records taken", admin.StdoutText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("import-pbs --help")]
    [InlineData("import-pbs -h")]
    [InlineData("help import-pbs")]
    public void Help_prints_the_usage_and_creates_nothing(string args)
    {
        var result = CommandLineTests.Run(_dir.Path, new Dictionary<string, string?> { ["POLARIS_COLLECTOR_DATA"] = _dir.Combine("data") }, args.Split(' '));

        Assert.Equal(0, result.ExitCode);
        Assert.Empty(result.StderrText);
        Assert.Empty(Directory.GetFileSystemEntries(_dir.Path));
        Assert.StartsWith("usage: polaris-collector import-pbs [--data DIR] [--config FILE] [--collector URL [--token-file FILE]] FILE...\n", result.StdoutText, StringComparison.Ordinal);
        Assert.Contains("pbsTimeZone", result.StdoutText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "import-pbs needs the accounting logs to import: FILE...")]
    [InlineData("--token-file t log", "--token-file is the admin token of --collector URL, which is missing")]
    [InlineData("--collector ftp://c log", "option --collector: 'ftp://c' is not an http or https URL")]
    [InlineData("--collector http://c --data d log", "leave out --data and --config")]
    [InlineData("--bogus log", "unknown option --bogus (see 'polaris-collector import-pbs --help')")]
    public void A_wrong_command_line_is_one_line_and_exit_2(string args, string message)
    {
        var result = Import(args.Split(' ', StringSplitOptions.RemoveEmptyEntries));

        CommandLineFailureTests.AssertOneLine(result, 2, message);
    }

    [Fact]
    public void An_unknown_time_zone_is_refused_naming_the_setting()
    {
        var result = CommandLineTests.Run(_dir.Path, new Dictionary<string, string?> { ["POLARIS_COLLECTOR_PBS_TIME_ZONE"] = "Mars/Olympus" },
            "import-pbs", "--data", _dir.Combine("data"), PbsLogs.Fixture);

        CommandLineFailureTests.AssertOneLine(result, 2, "setting 'pbsTimeZone' names no time zone this machine knows: 'Mars/Olympus'");
    }
}
