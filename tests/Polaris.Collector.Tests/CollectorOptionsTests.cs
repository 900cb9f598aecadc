using System.Globalization;
using System.Reflection;
using Polaris.Collector.Cli;
using Polaris.Collector.Settings;
using Polaris.Testing;

namespace Polaris.Collector.Tests;

/// <summary>How <c>serve</c> reads its settings: collector.json laid out as the agent's agent.json, the
/// <c>POLARIS_COLLECTOR_*</c> variables, the command line, and the rules each value must keep.</summary>
public sealed class CollectorOptionsTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string ConfigFile(string json)
    {
        var path = _dir.Combine($"collector-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }

    // Always with a config file, so that an /etc/polaris-collector/collector.json on the test machine changes nothing.
    private static readonly Dictionary<string, string> NoVariables = [];

    private CollectorOptions Load(string json = "{}", Dictionary<string, string>? environment = null, params string[] args) =>
        CollectorOptions.Load(["--config", ConfigFile(json), .. args], environment ?? []);

    private UsageException Refused(string json = "{}", Dictionary<string, string>? environment = null, params string[] args) =>
        Assert.Throws<UsageException>(() => Load(json, environment, args));

    [Fact]
    public void The_memory_budget_defaults_to_512_MiB_and_the_decompressed_limit_to_the_shared_batch_bound()
    {
        var options = Load();

        Assert.Equal(512L * 1024 * 1024, options.MaxBytesInFlight);
        Assert.Equal(Polaris.Wire.SummaryBounds.MaxBatchBytes, options.MaxDecompressedBytes);
        Assert.True(options.LargestRequestBytes <= options.MaxBytesInFlight);
    }

    [Fact]
    public void Set_on_the_command_line_wins_over_the_variable_and_the_file()
    {
        var options = Load("""{"retentionDays": 30}""", new Dictionary<string, string> { ["POLARIS_COLLECTOR_RETENTION_DAYS"] = "60" },
            "--set", "retentionDays=120", "--set", "libraryAllowlist=numpy,scipy");

        Assert.Equal(120, options.RetentionDays);
        Assert.Equal(["numpy", "scipy"], options.LibraryAllowlist);
    }

    [Theory]
    [InlineData("retentionDay=1", "option --set retentionDay is not a known setting")]
    [InlineData("retentionDays", "option --set takes KEY=VALUE, not 'retentionDays'")]
    public void A_wrong_set_is_refused_naming_the_key(string assignment, string message)
    {
        Assert.StartsWith(message, Refused("{}", null, "--set", assignment).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_defaults_are_those_the_design_gives()
    {
        var options = Load();

        Assert.Equal("http://127.0.0.1:8470", options.Urls);
        Assert.Equal(1000, options.MaxLibraryLabels);
        Assert.Equal(90, options.RetentionDays);
        Assert.Equal(3650, options.RollupRetentionDays);
        Assert.Equal(60, options.CheckpointSeconds);
        Assert.Equal(268_435_456, options.MaxLogBytes);
        Assert.Equal("", options.DomainFile);
        Assert.Empty(options.LibraryAllowlist);
        Assert.Equal(2, options.LibraryLabelMinUsers);
        Assert.Equal(20_000, options.MaxNodeLabels);
        Assert.Equal(900, options.HomeJobQuietSeconds);
        Assert.Equal(1000, options.FoldMilliseconds);
        Assert.Equal("", options.TlsCertificate);
    }

    [Fact]
    public void Every_numeric_default_help_shows_is_the_default()
    {
        var defaults = new CollectorOptions();
        foreach (var setting in CollectorSettings.All.Where(s => char.IsAsciiDigit(s.Default[0])))
        {
            var number = setting.Default.Split(' ')[0].TrimEnd(',');
            var applied = setting.Apply(defaults, SettingValue.FromText("the default", number));

            // As text: the budget set to its default is still a budget set, which the record's equality sees.
            Assert.True(applied.ToString() == defaults.ToString(), $"{setting.Name}: help says {setting.Default}");
        }
    }

    [Fact]
    public void Every_setting_is_the_property_of_its_name_and_the_variable_of_its_name_in_capitals()
    {
        foreach (var setting in CollectorSettings.All)
        {
            var property = char.ToUpperInvariant(setting.Name[0]) + setting.Name[1..];
            Assert.NotNull(typeof(CollectorOptions).GetProperty(property, BindingFlags.Public | BindingFlags.Instance));
        }
        Assert.Equal("POLARIS_COLLECTOR_MAX_BATCH_BYTES", CollectorSettings.VariableOf("maxBatchBytes"));
        Assert.Equal("POLARIS_COLLECTOR_DATA", CollectorSettings.VariableOf("data"));
        Assert.Equal("POLARIS_COLLECTOR_LIBRARY_ALLOWLIST", CollectorSettings.VariableOf("libraryAllowlist"));
    }

    [Fact]
    public void Every_setting_is_in_the_operator_s_guide()
    {
        var guide = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "operations.md"));

        Assert.All(CollectorSettings.All, setting => Assert.Contains($"| `{setting.Name}` | ", guide, StringComparison.Ordinal));
        Assert.DoesNotContain("POLARIS_COLLECTOR_Collector__", guide, StringComparison.Ordinal);
    }

    [Fact]
    public void A_flat_file_like_the_agent_s_is_read()
    {
        var options = Load("""
            { "data": "/srv/polaris", "maxBatchBytes": 2048, "maxBytesInFlight": 1073741824, "retentionDays": 30,
              "libraryAllowlist": ["numpy", "torch"], "urls": ["http://127.0.0.1:1", "http://127.0.0.1:2"] }
            """);

        Assert.Equal("/srv/polaris", options.Data);
        Assert.Equal(2048, options.MaxBatchBytes);
        Assert.Equal(1L << 30, options.MaxBytesInFlight);
        Assert.Equal(30, options.RetentionDays);
        Assert.Equal(["numpy", "torch"], options.LibraryAllowlist);
        Assert.Equal("http://127.0.0.1:1;http://127.0.0.1:2", options.Urls);
    }

    [Fact]
    public void Variables_name_the_settings_in_capitals_and_split_lists_at_commas()
    {
        var options = Load(environment: new()
        {
            ["POLARIS_COLLECTOR_MAX_BATCH_BYTES"] = "4096",
            ["POLARIS_COLLECTOR_LIBRARY_ALLOWLIST"] = "numpy, scipy",
            ["POLARIS_COLLECTOR_FOLD_MILLISECONDS"] = "250",
        });

        Assert.Equal(4096, options.MaxBatchBytes);
        Assert.Equal(["numpy", "scipy"], options.LibraryAllowlist);
        Assert.Equal(250, options.FoldMilliseconds);
    }

    [Fact]
    public void The_command_line_wins_over_variables_which_win_over_the_file_which_wins_over_the_defaults()
    {
        const string File = """{ "data": "/from/file", "maxBatchBytes": 2048, "retentionDays": 10 }""";
        var environment = new Dictionary<string, string> { ["POLARIS_COLLECTOR_DATA"] = "/from/variable", ["POLARIS_COLLECTOR_MAX_BATCH_BYTES"] = "4096" };

        var fileOnly = Load(File);
        var withVariables = Load(File, environment);
        var withCommandLine = Load(File, environment, "--data", "/from/command-line");

        Assert.Equal(("/from/file", 2048, 10, 3650), (fileOnly.Data, fileOnly.MaxBatchBytes, fileOnly.RetentionDays, fileOnly.RollupRetentionDays));
        Assert.Equal(("/from/variable", 4096, 10), (withVariables.Data, withVariables.MaxBatchBytes, withVariables.RetentionDays));
        Assert.Equal(("/from/command-line", 4096), (withCommandLine.Data, withCommandLine.MaxBatchBytes));
    }

    [Fact]
    public void The_config_file_is_the_option_s_else_the_variable_s()
    {
        var byVariable = ConfigFile("""{ "data": "/by/variable" }""");
        var environment = new Dictionary<string, string> { ["POLARIS_COLLECTOR_CONFIG"] = byVariable };

        Assert.Equal("/by/variable", CollectorOptions.Load([], environment).Data);
        Assert.Equal("/by/option", CollectorOptions.Load(["--config", ConfigFile("""{ "data": "/by/option" }""")], environment).Data);
    }

    [Fact]
    public void An_unknown_key_is_refused_naming_it_and_the_setting_it_was_probably_meant_to_be()
    {
        var e = Refused("""{ "Datta": "/srv/polaris" }""");

        Assert.Contains("'Datta' is not a known setting", e.Message, StringComparison.Ordinal);
        Assert.Contains("'data'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_old_Collector_section_is_refused_rather_than_ignored()
    {
        var e = Refused("""{ "Collector": { "Data": "/srv/polaris" } }""");

        Assert.Contains("'Collector' is not a known setting", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("POLARIS_COLLECTOR_DATTA", "POLARIS_COLLECTOR_DATA (setting 'data')")]
    [InlineData("POLARIS_COLLECTOR_Collector__MaxBatchBytes", "POLARIS_COLLECTOR_MAX_BATCH_BYTES (setting 'maxBatchBytes')")]
    [InlineData("POLARIS_COLLECTOR_Kestrel__Certificates__Default__Path", "(setting '")]
    public void A_variable_that_is_no_setting_is_refused_naming_the_nearest(string variable, string meant)
    {
        var e = Refused(environment: new() { [variable] = "1" });

        Assert.Contains($"environment variable {variable} is not a setting", e.Message, StringComparison.Ordinal);
        Assert.Contains(meant, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_json_is_refused_naming_the_file_and_the_line()
    {
        var path = ConfigFile("{\n  \"data\": \"/srv\",\n  oops\n}\n");

        var e = Assert.Throws<UsageException>(() => CollectorOptions.Load(["--config", path], NoVariables));

        Assert.StartsWith($"config file {path}, line 3: ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_config_file_that_does_not_exist_is_refused_naming_it()
    {
        var e = Assert.Throws<UsageException>(() => CollectorOptions.Load(["--config", _dir.Combine("none.json")], NoVariables));

        Assert.Contains(_dir.Combine("none.json"), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_budget_smaller_than_one_largest_request_is_refused_naming_the_setting()
    {
        // A batch that can never fit would be answered 503 for ever, and the agent would retry it for ever.
        var e = Refused(environment: new() { ["POLARIS_COLLECTOR_MAX_BYTES_IN_FLIGHT"] = (64 * 1024 * 1024).ToString(CultureInfo.InvariantCulture) });

        Assert.Contains("setting 'maxBytesInFlight'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_default_budget_grows_to_fit_one_largest_request_when_only_the_batch_limits_are_raised()
    {
        var options = Load("""{ "maxBatchBytes": 134217728, "maxDecompressedBytes": 134217728 }""");

        Assert.Equal(options.LargestRequestBytes, options.MaxBytesInFlight);
    }

    [Theory]
    [InlineData("retentionDays", "0")]
    [InlineData("retentionDays", "36501")]
    [InlineData("rollupRetentionDays", "89")]
    [InlineData("checkpointSeconds", "0")]
    [InlineData("checkpointSeconds", "86401")]
    [InlineData("maxLogBytes", "1048575")]
    [InlineData("libraryLabelMinUsers", "0")]
    [InlineData("reportMinimumUsers", "0")]
    [InlineData("reportMinimumUsers", "1001")]
    [InlineData("maxLibraryLabels", "0")]
    [InlineData("maxNodeLabels", "0")]
    [InlineData("homeJobQuietSeconds", "9")]
    [InlineData("homeJobQuietSeconds", "604801")]
    [InlineData("foldMilliseconds", "9")]
    [InlineData("foldMilliseconds", "600001")]
    [InlineData("maxBatchBytes", "1023")]
    [InlineData("maxDecompressedBytes", "2000000000")]
    public void A_value_out_of_range_is_refused_naming_the_setting_and_the_value(string setting, string value)
    {
        var e = Refused($$"""{ "{{setting}}": {{value}} }""");

        Assert.StartsWith($"setting '{setting}' must be between", e.Message, StringComparison.Ordinal);
        Assert.EndsWith($"not {value}", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "retentionDays": "90" }""", "setting 'retentionDays' must be a whole number")]
    [InlineData("""{ "libraryAllowlist": "numpy" }""", "setting 'libraryAllowlist' must be an array of strings")]
    [InlineData("""{ "libraryAllowlist": ["two words"] }""", "setting 'libraryAllowlist' holds 'two words'")]
    [InlineData("""{ "urls": "ftp://127.0.0.1:1" }""", "'ftp://127.0.0.1:1' is not an http or https URL")]
    [InlineData("""{ "urls": "https://127.0.0.1:1" }""", "setting 'tlsCertificate' must name the certificate")]
    [InlineData("""{ "data": " " }""", "setting 'data' must name a folder")]
    [InlineData("""[ "data" ]""", "must hold one JSON object")]
    public void A_value_of_the_wrong_kind_is_refused_naming_the_setting(string json, string message)
    {
        Assert.Contains(message, Refused(json).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rollups_are_kept_at_least_as_long_as_summaries()
    {
        var e = Refused("""{ "retentionDays": 400, "rollupRetentionDays": 365 }""");

        Assert.Equal("setting 'rollupRetentionDays' must be between retentionDays (400) and 36500, not 365", e.Message);
    }

    [Theory]
    [InlineData("tokenFile")]
    [InlineData("readTokenFile")]
    [InlineData("adminTokenFile")]
    [InlineData("domainFile")]
    [InlineData("tlsCertificate")]
    public void A_file_that_does_not_exist_is_refused_naming_the_setting(string setting)
    {
        var e = Refused($$"""{ "{{setting}}": "/nonexistent/file" }""");

        Assert.Equal($"setting '{setting}' names a file that does not exist: /nonexistent/file", e.Message);
    }

    [Fact]
    public void A_key_without_a_certificate_is_refused()
    {
        var key = ConfigFile("");

        Assert.Equal("setting 'tlsKey' needs tlsCertificate", Refused(environment: new() { ["POLARIS_COLLECTOR_TLS_KEY"] = key }).Message);
    }

    [Fact]
    public void Help_among_serve_s_options_is_a_help_request_and_an_operand_is_refused()
    {
        Assert.Throws<HelpRequest>(() => CollectorOptions.Load(["--data", "/d", "--help"], NoVariables));
        Assert.Contains("serve takes no operands: 'extra'", Assert.Throws<UsageException>(() => CollectorOptions.Load(["extra"], NoVariables)).Message, StringComparison.Ordinal);
    }
}
