using System.Globalization;
using System.Text.RegularExpressions;
using Polaris.Testing;

namespace Polaris.EndToEnd.Tests;

/// <summary>systemd/polaris-agent.service and .socket as systemd itself reads them.</summary>
public partial class AgentUnitTests
{
    private static (string Service, string Socket) UnitsWithBuiltBinary(TempDirectory dir)
    {
        // verify checks that ExecStart exists, so point it at the agent this run published.
        var service = dir.Combine("polaris-agent.service");
        File.WriteAllText(service, File.ReadAllText(Path.Combine(RepoPaths.Root, "systemd", "polaris-agent.service"))
            .Replace("/usr/bin/polaris-agent", AgentBinary.FilePath, StringComparison.Ordinal));
        var socket = dir.Combine("polaris-agent.socket");
        File.Copy(Path.Combine(RepoPaths.Root, "systemd", "polaris-agent.socket"), socket);
        return (service, socket);
    }

    [Fact]
    public void The_service_and_its_socket_pass_systemd_analyze_verify()
    {
        using var dir = new TempDirectory();
        var (service, socket) = UnitsWithBuiltBinary(dir);

        var result = CommandResult.Run("systemd-analyze", ["verify", service, socket]);

        Assert.True(result.ExitCode == 0 && result.Stderr.Length == 0, result.StderrText);
    }

    [Fact]
    public void The_service_is_hardened_to_an_exposure_of_at_most_2()
    {
        using var dir = new TempDirectory();

        var result = CommandResult.Run("systemd-analyze", ["security", "--offline=true", UnitsWithBuiltBinary(dir).Service]);

        var exposure = ExposureLine().Match(result.StdoutText);
        Assert.True(exposure.Success, result.StdoutText + result.StderrText);
        Assert.InRange(double.Parse(exposure.Groups[1].Value, CultureInfo.InvariantCulture), 0, 2.0);
    }

    [Fact]
    public void The_socket_unit_listens_where_status_asks_by_default()
    {
        var socket = File.ReadAllText(Path.Combine(RepoPaths.Root, "systemd", "polaris-agent.socket"));
        var help = CommandResult.Run(AgentBinary.FilePath, ["status", "--json"], new Dictionary<string, string?> { ["POLARIS_AGENT_STATUS_SOCKET"] = null });

        Assert.Contains("ListenStream=/run/polaris-agent/status.sock\n", socket, StringComparison.Ordinal);
        // With no daemon on this machine, status names the socket it asked: the unit's.
        Assert.Contains("/run/polaris-agent/status.sock", help.StderrText, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"Overall exposure level for \S+: (\d+\.\d+)")]
    private static partial Regex ExposureLine();
}
