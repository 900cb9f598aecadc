using Polaris.Collector.Export;
using Polaris.Collector.Tests.Import;
using Polaris.Testing;

namespace Polaris.Collector.Tests.Export;

/// <summary>The real <c>polaris-collector export</c> on a store of the agent's summaries and the imported XALT and
/// PyModuleSnooper fixtures, its files read back by DuckDB: the documented schema, each source's processes, jobs and
/// users as truth.json counts them, every package's processes through the modules and the roll-ups, CSV alike, a
/// second export the same, the days chosen, and the exit statuses.</summary>
public class ExportCommandTests(ExportedStoreFixture store) : IClassFixture<ExportedStoreFixture>
{
    private static readonly string[] Tables = ["processes", "modules", "rollups"];

    private static IEnumerable<(string Name, string Type)> Documented<TRow>(ExportTable<TRow> table) =>
        table.Columns.Select(c => (c.Name, c.SqlType)).Append(("day", "DATE"));

    private static Dictionary<string, string> Files(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(folder, f), f => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f))));

    [Fact]
    public void Parquet_files_read_back_in_duckdb_with_the_documented_schema_and_truth_json_s_counts()
    {
        Assert.True(store.ParquetRun.ExitCode == 0, store.ParquetRun.StderrText);
        using var db = new DuckDb();
        string processes = DuckDb.Parquet(store.Parquet, "processes"), modules = DuckDb.Parquet(store.Parquet, "modules"), rollups = DuckDb.Parquet(store.Parquet, "rollups");

        Assert.Equal(Documented(ExportTables.Processes), db.Schema(processes));
        Assert.Equal(Documented(ExportTables.Modules), db.Schema(modules));
        Assert.Equal(Documented(ExportTables.Rollups), db.Schema(rollups));

        var xalt = ImportFixtures.Truth.GetProperty("xalt");
        var pms = ImportFixtures.Truth.GetProperty("pms");
        Assert.Equal(new Dictionary<string, long>
        {
            ["agent"] = ExportStore.AgentProcesses,
            ["xalt"] = xalt.GetProperty("processes").GetInt64(),
            ["pymodulesnooper"] = pms.GetProperty("processes").GetInt64(),
        }, db.Counts($"SELECT source, count(*) FROM {processes} GROUP BY source"));
        Assert.Equal(new Dictionary<string, long> { ["agent"] = 2, ["xalt"] = xalt.GetProperty("jobs").GetInt64(), ["pymodulesnooper"] = pms.GetProperty("jobs").GetInt64() },
            db.Counts($"SELECT source, count(DISTINCT job_key) FROM {processes} GROUP BY source"));
        Assert.Equal(new Dictionary<string, long> { ["agent"] = 2, ["xalt"] = xalt.GetProperty("users").GetInt64(), ["pymodulesnooper"] = pms.GetProperty("users").GetInt64() },
            db.Counts($"SELECT source, count(DISTINCT user_name) FROM {processes} GROUP BY source"));
        // The user numbers agree with the names: an imported name has one number, the agent's its uid.
        Assert.Equal(0, db.Count($"SELECT count(*) FROM (SELECT user_name FROM {processes} GROUP BY user_name HAVING count(DISTINCT uid) > 1)"));
        // The day of a row is the UTC day its summary's first process started (one process a summary when imported).
        Assert.Equal(0, db.Count($"SELECT count(*) FROM {processes} WHERE source <> 'agent' AND CAST(timezone('UTC', start_time) AS DATE) <> day"));
        Assert.Equal(0, db.Count($"SELECT count(*) FROM {processes} WHERE start_time IS NULL OR end_time < start_time OR host IS NULL"));
        // The agent's fixture names no interpreter; an empty string is exported as a null.
        Assert.Equal(ExportStore.AgentProcesses, db.Count($"SELECT count(*) FROM {processes} WHERE executable IS NULL"));
        Assert.Equal(ExportStore.AgentProcesses, db.Count($"SELECT count(*) FROM {processes} WHERE source = 'agent' AND rank IS NOT NULL AND pid IS NOT NULL AND import_ns IS NOT NULL"));
        Assert.Equal(
            [[new DateOnly(2026, 11, 20), 8L], [new DateOnly(2026, 11, 21), 2L]],
            db.Rows($"SELECT day, count(*) FROM {processes} WHERE source = 'agent' GROUP BY day ORDER BY day").Select(r => new object?[] { (DateOnly)r[0]!, r[1] }));

        Assert.Equal(0, db.Count($"SELECT count(*) FROM {processes} WHERE source <> 'agent' AND (import_ns IS NOT NULL OR run_ns IS NOT NULL)"));

        Assert.Equal(ExportStore.AgentModuleRows, db.Count($"SELECT count(*) FROM {modules} WHERE source = 'agent'"));
        // The agent's times are there (the fixture's first module of each summary took 1 ms per process); imported
        // records have none.
        Assert.Equal(0, db.Count($"SELECT count(*) FROM {modules} WHERE source = 'agent' AND (self_count <> processes OR self_min_ns IS NULL)"));
        Assert.Equal(0, db.Count($"SELECT count(*) FROM {modules} WHERE source <> 'agent' AND (self_count <> 0 OR self_min_ns IS NOT NULL)"));
        Assert.Equal(0, db.Count($"SELECT count(*) FROM {modules} m ANTI JOIN {processes} p USING (source, summary_id)"));
        foreach (var (tool, source) in new[] { ("xalt", "xalt"), ("pms", "pymodulesnooper") })
        {
            var truth = ImportFixtures.Truth.GetProperty(tool).GetProperty("packages");
            // One process a summary when imported: the summaries that hold one of a package's modules are its processes.
            var byModules = db.Counts($"SELECT library, count(DISTINCT summary_id) FROM {modules} WHERE source = '{source}' AND library IS NOT NULL GROUP BY library");
            var byRollups = db.Counts($"SELECT library, CAST(sum(processes) AS BIGINT) FROM {rollups} WHERE source = '{source}' AND library IS NOT NULL GROUP BY library");
            foreach (var package in truth.EnumerateObject().Where(p => p.Name != "_sysconfigdata__x86_64-linux-gnu"))
            {
                long processesOf = package.Value.GetProperty("processes").GetInt64();
                Assert.True(byModules.GetValueOrDefault(package.Name) == processesOf, $"{source} {package.Name}: {byModules.GetValueOrDefault(package.Name)} in modules, truth.json {processesOf}");
                Assert.True(byRollups.GetValueOrDefault(package.Name) == processesOf, $"{source} {package.Name}: {byRollups.GetValueOrDefault(package.Name)} in rollups, truth.json {processesOf}");
            }
            Assert.Equal(byModules.Keys.Order(StringComparer.Ordinal), byRollups.Keys.Order(StringComparer.Ordinal));
        }
        // All Python (library null) counts every process of its day and source.
        Assert.Equal(db.Counts($"SELECT source || ' ' || day, count(*) FROM {processes} GROUP BY ALL"),
            db.Counts($"SELECT source || ' ' || day, processes FROM {rollups} WHERE library IS NULL"));

        var printed = store.ParquetRun.StdoutText;
        Assert.Contains($"processes: {ExportStore.AgentProcesses + 43} rows in ", printed, StringComparison.Ordinal);
        Assert.Contains($"modules: {db.Count($"SELECT count(*) FROM {modules}")} rows in ", printed, StringComparison.Ordinal);
        Assert.Contains($"{Directory.GetFiles(store.Parquet, "*.parquet", SearchOption.AllDirectories).Length} files for ", printed, StringComparison.Ordinal);
    }

    [Fact]
    public void Csv_files_give_duckdb_the_same_rows_and_types()
    {
        var csv = store.Folder("csv");
        var run = ExportStore.Run("export", "--format", "csv", "--out", csv, "--data", store.Data);

        Assert.True(run.ExitCode == 0, run.StderrText);
        Assert.Empty(Directory.GetFiles(csv, "*.parquet", SearchOption.AllDirectories));
        using var db = new DuckDb();
        foreach (var table in Tables)
        {
            Assert.Equal(db.Counts($"SELECT source || ' ' || day, count(*) FROM {DuckDb.Parquet(store.Parquet, table)} GROUP BY ALL"),
                db.Counts($"SELECT source || ' ' || day, count(*) FROM {DuckDb.Csv(csv, table)} GROUP BY ALL"));
        }
        var types = db.Schema(DuckDb.Csv(csv, "processes")).ToDictionary(c => c.Name, c => c.Type);
        Assert.Equal("TIMESTAMP WITH TIME ZONE", types["start_time"]);
        Assert.Equal("BIGINT", types["import_ns"]);
        // Every value survives the text: the same rows, column by column, as the Parquet files hold.
        const string Columns = "source, summary_id, host, uid, user_name, job_id, job_key, account, domain, queue, job_nodes, rank, pid, start_time, end_time, env_kind, env_prefix, executable, python_version, import_ns, run_ns, exit_reason, day";
        Assert.Equal(0, db.Count($"SELECT count(*) FROM (SELECT {Columns} FROM {DuckDb.Parquet(store.Parquet, "processes")} EXCEPT SELECT {Columns} FROM {DuckDb.Csv(csv, "processes")})"));
    }

    [Fact]
    public void Exporting_again_writes_the_same_files_and_replaces_a_damaged_one()
    {
        var out1 = store.Folder("again");
        var first = ExportStore.Run("export", "--format", "parquet", "--out", out1, "--data", store.Data);
        var before = Files(out1);
        var damaged = before.Keys.First(k => k.StartsWith("processes", StringComparison.Ordinal));
        File.WriteAllText(Path.Combine(out1, damaged), "not parquet");
        var second = ExportStore.Run("export", "--format", "parquet", "--out", out1, "--data", store.Data);

        Assert.True(first.ExitCode == 0 && second.ExitCode == 0, first.StderrText + second.StderrText);
        Assert.Equal(before, Files(out1));
        Assert.Equal(first.StdoutText, second.StdoutText);
        Assert.DoesNotContain(before.Keys, k => Path.GetFileName(k).StartsWith('.'));
    }

    [Fact]
    public void Since_and_until_export_those_days_only()
    {
        using var db = new DuckDb();
        var days = db.Rows($"SELECT DISTINCT day FROM {DuckDb.Parquet(store.Parquet, "processes")} ORDER BY day").Select(r => (DateOnly)r[0]!).ToArray();
        Assert.True(days.Length >= 3, string.Join(", ", days));
        var (since, until) = (days[1], days[^2]);
        var chosen = store.Folder("chosen");

        var run = ExportStore.Run("export", "--format", "parquet", "--out", chosen, "--data", store.Data, "--since", $"{since:yyyy-MM-dd}", $"--until={until:yyyy-MM-dd}");

        Assert.True(run.ExitCode == 0, run.StderrText);
        foreach (var table in Tables)
        {
            var written = Directory.GetDirectories(Path.Combine(chosen, table)).Select(d => DateOnly.ParseExact(Path.GetFileName(d)["day=".Length..], "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
            Assert.All(written, d => Assert.InRange(d, since, until));
            Assert.Equal(db.Counts($"SELECT source, count(*) FROM {DuckDb.Parquet(store.Parquet, table)} WHERE day BETWEEN '{since:yyyy-MM-dd}' AND '{until:yyyy-MM-dd}' GROUP BY source"),
                db.Counts($"SELECT source, count(*) FROM {DuckDb.Parquet(chosen, table)} GROUP BY source"));
        }
    }

    [Theory]
    [InlineData("--format xlsx --out OUT", "--format")]
    [InlineData("--out OUT", "--format")]
    [InlineData("--format parquet", "--out")]
    [InlineData("--format csv --out OUT --since 2026-13-01", "--since")]
    [InlineData("--format csv --out OUT --since 2026-11-02 --until 2026-11-01", "after")]
    [InlineData("--format csv --out OUT --frmat csv", "--frmat")]
    public void A_wrong_command_line_exits_2_and_writes_nothing(string args, string named)
    {
        var output = store.Folder("wrong-" + Guid.NewGuid().ToString("N"));
        var result = ExportStore.Run(["export", .. args.Replace("OUT", output, StringComparison.Ordinal).Split(' '), "--data", store.Data]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(named, result.StderrText, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void A_store_a_running_collector_holds_exits_1_and_says_so()
    {
        using var dir = new TempDirectory();
        using var collector = CollectorProcess.Start(dir.Combine("data"));

        var result = ExportStore.Run("export", "--format", "parquet", "--out", dir.Combine("out"), "--data", dir.Combine("data"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("a running collector holds the store", result.StderrText, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.Combine("out")));
    }
}
