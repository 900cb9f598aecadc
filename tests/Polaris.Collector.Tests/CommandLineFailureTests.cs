using System.Net;
using System.Net.Sockets;
using Polaris.Testing;

namespace Polaris.Collector.Tests;

/// <summary>Every bad setting and every start-up failure of the real collector: one line on stderr naming the setting
/// or the cause, exit 2 for a setting and 1 for a start-up failure, never a stack trace.</summary>
public sealed class CommandLineFailureTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>The command failed with <paramref name="exitCode"/> and said so in one line holding <paramref name="message"/>.</summary>
    internal static void AssertOneLine(CommandResult result, int exitCode, string message)
    {
        var output = result.StdoutText + result.StderrText;
        Assert.True(result.ExitCode == exitCode, $"exit {result.ExitCode}, not {exitCode}:\n{output}");
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", result.StderrText.Split(": ")[0], StringComparison.Ordinal);
        var line = result.StderrText.TrimEnd('\n');
        Assert.False(line.Contains('\n', StringComparison.Ordinal), $"more than one line on stderr:\n{result.StderrText}");
        Assert.StartsWith("polaris-collector: ", line, StringComparison.Ordinal);
        Assert.Contains(message, line, StringComparison.Ordinal);
    }

    private CommandResult Serve(IReadOnlyDictionary<string, string?>? environment, params string[] args) =>
        CommandLineTests.Run(_dir.Path, environment, ["serve", "--urls", "http://127.0.0.1:0", .. args]);

    private string File(string name, string text)
    {
        var path = _dir.Combine(name);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Invalid_json_names_the_file_and_the_line()
    {
        var config = File("collector.json", "{\n  \"data\": \"/srv\"\n  \"urls\": 1\n}\n");

        AssertOneLine(Serve(null, "--config", config), 2, $"config file {config}, line 3: ");
    }

    [Fact]
    public void A_missing_config_file_is_named_whether_the_option_or_the_variable_names_it()
    {
        var missing = _dir.Combine("missing.json");

        AssertOneLine(Serve(null, "--config", missing), 2, $"config file {missing}: ");
        AssertOneLine(Serve(new Dictionary<string, string?> { ["POLARIS_COLLECTOR_CONFIG"] = missing }), 2, $"config file {missing}: ");
    }

    [Fact]
    public void An_unknown_key_is_refused()
    {
        var config = File("collector.json", """{ "Datta": "/srv/polaris" }""");

        AssertOneLine(Serve(null, "--config", config), 2, "setting 'Datta' is not a known setting; did you mean 'data'?");
    }

    [Fact]
    public void An_unknown_variable_is_refused()
    {
        AssertOneLine(Serve(new Dictionary<string, string?> { ["POLARIS_COLLECTOR_DATTA"] = _dir.Combine("data") }), 2,
            "environment variable POLARIS_COLLECTOR_DATTA is not a setting; did you mean POLARIS_COLLECTOR_DATA (setting 'data')?");
    }

    [Fact]
    public void A_value_out_of_range_is_refused_naming_the_setting()
    {
        AssertOneLine(Serve(new Dictionary<string, string?> { ["POLARIS_COLLECTOR_RETENTION_DAYS"] = "0" }), 2,
            "setting 'retentionDays' must be between 1 and 36500, not 0");
    }

    [Fact]
    public void A_token_file_that_is_missing_or_holds_no_token_is_refused_naming_the_setting()
    {
        var empty = File("tokens", "# none yet\n\n");

        AssertOneLine(Serve(null, "--data", _dir.Combine("data"), "--token-file", _dir.Combine("none")), 2, "setting 'tokenFile' names a file that does not exist");
        AssertOneLine(Serve(null, "--data", _dir.Combine("data"), "--admin-token-file", empty), 2, $"setting 'adminTokenFile': {empty} holds no token");
    }

    [Fact]
    public void A_certificate_file_that_holds_no_certificate_is_refused_naming_the_setting()
    {
        var certificate = File("server.pem", "not a certificate\n");

        AssertOneLine(Serve(new Dictionary<string, string?> { ["POLARIS_COLLECTOR_TLS_CERTIFICATE"] = certificate }, "--data", _dir.Combine("data")), 2,
            $"setting 'tlsCertificate': cannot load {certificate}");
    }

    [Fact]
    public void A_data_folder_that_cannot_be_created_stops_start_up_naming_the_setting()
    {
        var file = File("a-file", "");

        AssertOneLine(Serve(null, "--data", Path.Combine(file, "data")), 1, $"setting 'data': cannot create the folder {file}/data");
    }

    [Fact]
    public void A_data_folder_the_collector_s_user_cannot_write_stops_start_up_naming_the_setting()
    {
        // The tests run as root, whom no mode stops: the collector runs as nobody, in a folder root keeps.
        var data = Directory.CreateDirectory(_dir.Combine("data")).FullName;
        System.IO.File.SetUnixFileMode(_dir.Path, (UnixFileMode)0b111_101_101);
        System.IO.File.SetUnixFileMode(data, (UnixFileMode)0b111_101_101);

        var result = CommandResult.Run("setpriv", ["--reuid", "65534", "--regid", "65534", "--clear-groups",
            "dotnet", CollectorProcess.Dll, "serve", "--urls", "http://127.0.0.1:0", "--data", data], workingDirectory: _dir.Path);

        AssertOneLine(result, 1, $"setting 'data': cannot write in the folder {data}");
    }

    [Fact]
    public void A_store_LiteDB_cannot_open_stops_start_up_naming_it()
    {
        var data = _dir.Combine("data");
        Directory.CreateDirectory(Path.Combine(data, "polaris.db"));

        AssertOneLine(Serve(null, "--data", data), 1, $"cannot open the store {data}/polaris.db: ");
    }

    [Fact]
    public void A_damaged_store_stops_start_up_naming_it()
    {
        var data = Directory.CreateDirectory(_dir.Combine("data")).FullName;
        System.IO.File.WriteAllBytes(Path.Combine(data, "polaris.db"), Enumerable.Repeat((byte)0x5a, 64 * 1024).ToArray());

        AssertOneLine(Serve(null, "--data", data), 1, $"cannot open the store {data}/polaris.db: ");
    }

    [Fact]
    public void A_port_in_use_stops_start_up_naming_the_setting_and_the_address()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var url = $"http://127.0.0.1:{((IPEndPoint)taken.LocalEndpoint).Port}";

        var result = Serve(null, "--data", _dir.Combine("data"), "--urls", url);

        AssertOneLine(result, 1, $"setting 'urls': Failed to bind to address {url}: address already in use");
    }
}
