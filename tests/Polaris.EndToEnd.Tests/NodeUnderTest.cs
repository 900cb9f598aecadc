using System.Text.Json.Nodes;
using Polaris.Testing;

namespace Polaris.EndToEnd.Tests;

/// <summary>One compute node and its service node: a real collector and a real AOT daemon, in a folder of their own.</summary>
public sealed class NodeUnderTest : IDisposable
{
    private readonly TempDirectory _dir = new("polaris-e2e");

    public NodeUnderTest()
        : this(_ => [])
    {
    }

    /// <param name="settings">The daemon's agent.json settings, made from the node's folder (so that path roots can lie in it).</param>
    public NodeUnderTest(Func<string, JsonObject> settings)
    {
        Collector = CollectorProcess.Start(_dir.Combine("collector"));
        Daemon = AgentDaemon.Start(_dir.Path, Collector.Url, settings(_dir.Path));
    }

    public CollectorProcess Collector { get; }

    public AgentDaemon Daemon { get; }

    public string Folder => _dir.Path;

    public void Dispose()
    {
        Daemon.Dispose();
        Collector.Dispose();
        _dir.Dispose();
    }
}
