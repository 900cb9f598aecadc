using Polaris.Testing;

namespace Polaris.EndToEnd.Tests;

/// <summary>systemd/polaris-agent.socket against the agent's defaults; systemd-analyze checks the units as the RPMs
/// install them (<see cref="RpmInstallTests"/>).</summary>
public class AgentUnitTests
{
    [Fact]
    public void The_socket_unit_listens_where_status_asks_by_default()
    {
        var socket = File.ReadAllText(Path.Combine(RepoPaths.Root, "systemd", "polaris-agent.socket"));
        var help = CommandResult.Run(AgentBinary.FilePath, ["status", "--json"], new Dictionary<string, string?> { ["POLARIS_AGENT_STATUS_SOCKET"] = null });

        Assert.Contains("ListenStream=/run/polaris-agent/status.sock\n", socket, StringComparison.Ordinal);
        // With no daemon on this machine, status names the socket it asked: the unit's.
        Assert.Contains("/run/polaris-agent/status.sock", help.StderrText, StringComparison.Ordinal);
    }
}
