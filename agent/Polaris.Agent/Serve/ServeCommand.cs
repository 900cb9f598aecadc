using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Polaris.Agent.Run;
using Polaris.Agent.Serve.Aggregate;
using Polaris.Agent.Serve.Enrich;
using Polaris.Agent.Serve.Receive;
using Polaris.Agent.Serve.Ship;
using Polaris.Agent.Serve.Status;
using Polaris.Agent.Serve.Spool;

namespace Polaris.Agent.Serve;

/// <summary><c>polaris-agent serve</c>: wires the daemon's stages (receive, batch and spool, ship) into a host.</summary>
public static class ServeCommand
{
    public static async Task<int> ExecuteAsync(IReadOnlyList<string> args)
    {
        var options = AgentOptions.Load(args);
        // Before anything binds or opens: a second daemon on the same drop folder or spool must leave the first alone.
        using var claim = DaemonLock.Take(options);
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = "polaris-agent" });
        builder.Logging.AddSimpleConsole(console => console.SingleLine = true);
        builder.Services.AddSystemd();

        var records = Channel.CreateBounded<ReceivedRecord>(new BoundedChannelOptions(options.QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<AgentCounters>();
        builder.Services.AddSingleton<UserDirectory>();
        builder.Services.AddSingleton(new RecordEnricher(EnrichOptions.From(options, HookFiles.Directory())));
        builder.Services.AddSingleton<BatchSpool>();
        builder.Services.AddSingleton<SpoolSignal>();
        var collector = new CollectorClient(options);
        collector.Token.Load();
        builder.Services.AddSingleton(collector);
        builder.Services.AddSingleton(records.Reader);
        builder.Services.AddSingleton(records.Writer);
        builder.Services.AddSingleton<StatusServer>();
        // The host stops services in reverse order: receive stops first, then the aggregator spools what is left;
        // status answers to the end, and the textfile gets the final counts.
        builder.Services.AddHostedService<TextfileWriter>();
        builder.Services.AddHostedService(s => s.GetRequiredService<StatusServer>());
        builder.Services.AddHostedService<BatchShipper>();
        builder.Services.AddHostedService<RecordAggregator>();
        builder.Services.AddHostedService<DropWatcher>();

        using var host = builder.Build();
        // Taken before RunAsync, which disposes the host's services when it returns.
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Polaris.Agent");
        var counters = host.Services.GetRequiredService<AgentCounters>();
        // Open the spool before anything runs: a spool we cannot write must stop start-up with its reason.
        host.Services.GetRequiredService<BatchSpool>().Open().Report(counters, logger);
        LogMessages.Started(logger, AgentInfo.Version, options.Spool, string.Join(", ", options.Collectors));
        await host.RunAsync().ConfigureAwait(false);
        LogMessages.Stopped(logger, counters);
        return 0;
    }
}
