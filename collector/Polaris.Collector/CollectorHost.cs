using System.Net.Sockets;
using System.Runtime.CompilerServices;
using LiteDB;
using Microsoft.Extensions.Configuration.CommandLine;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Polaris.Collector.Access;
using Polaris.Collector.Aggregation;
using Polaris.Collector.Cli;
using Polaris.Collector.Ingest;
using Polaris.Collector.Metrics;
using Polaris.Collector.Rollups;
using Polaris.Collector.Settings;
using Polaris.Collector.Scheduler;
using Polaris.Collector.Storage;
using Polaris.Wire;
using Prometheus;

namespace Polaris.Collector;

/// <summary>The collector's web host, built from its options: its services and endpoints, and the start-up checks
/// that turn a certificate or token file it cannot use, a data folder it cannot write, a store it cannot open or a
/// port in use into one message (<see cref="UsageException"/>, <see cref="StartupException"/>).</summary>
public sealed class CollectorHost : IAsyncDisposable
{
    private const string HostCategory = "Microsoft.Extensions.Hosting.Internal.Host";

    private readonly WebApplication _app;
    // The generic host logs a failed start with the whole stack trace before it throws; this holds true until the
    // start is over, so that a port in use is the one line RunAsync says, not forty.
    private readonly StrongBox<bool> _starting;
    private readonly TlsCertificateFile? _tls;

    private CollectorHost(WebApplication app, StrongBox<bool> starting, TlsCertificateFile? tls)
    {
        _app = app;
        _starting = starting;
        _tls = tls;
    }

    /// <summary>Builds the host and opens the store; nothing listens yet.</summary>
    /// <exception cref="UsageException">A token or certificate file cannot be used.</exception>
    /// <exception cref="StartupException">The data folder cannot be created or written, or the store cannot be opened.</exception>
    public static CollectorHost Build(CollectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        CheckDataFolder(options.Data);
        AgentTokens tokens;
        ReadGuard guard;
        try
        {
            tokens = new AgentTokens(options);
            guard = new ReadGuard(options);
        }
        catch (InvalidDataException e)
        {
            throw new UsageException(e.Message);
        }
        var tls = TlsCertificateFile.Load(options);
        try
        {
            return Build(options, tokens, guard, tls);
        }
        catch
        {
            tls?.Dispose();
            throw;
        }
    }

    private static CollectorHost Build(CollectorOptions options, AgentTokens tokens, ReadGuard guard, TlsCertificateFile? tls)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = [],
            ContentRootPath = Directory.GetCurrentDirectory(),
            ApplicationName = CommandLine.ProgramName,
        });
        // The settings are CollectorOptions' alone: ASP.NET's own sources (appsettings.json in the working folder, every
        // environment variable, Kestrel__ keys) would change the collector behind the admin's back.
        foreach (var source in builder.Configuration.Sources
            .Where(s => s is FileConfigurationSource or EnvironmentVariablesConfigurationSource or CommandLineConfigurationSource).ToArray())
        {
            builder.Configuration.Sources.Remove(source);
        }
        var starting = new StrongBox<bool>(true);
        builder.Logging.AddFilter(HostCategory, level => level >= LogLevel.Information && (!starting.Value || level < LogLevel.Error));
        builder.Host.UseSystemd();
        // Requests are counted in /metrics; a log line per request would drown the journal.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.WebHost.UseUrls(options.Urls);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = options.MaxBatchBytes;
            if (tls != null)
            {
                kestrel.ConfigureHttpsDefaults(https =>
                {
                    https.ServerCertificate = tls.Certificate;
                    https.ServerCertificateChain = tls.Chain;
                });
            }
        });
        builder.Services.AddSingleton(options);
        var domains = options.DomainFile.Length > 0 ? new DomainTableFile(options.DomainFile) : null;
        builder.Services.AddSingleton<CollectorMetrics>();
        builder.Services.AddSingleton(services => new CollectorStore(
            options.Data, services.GetRequiredService<CollectorMetrics>(), domains == null ? null : domains.Lookup, options.RetentionDays,
            rollupRetentionDays: options.RollupRetentionDays, maxUserNames: options.MaxUserNames));
        builder.Services.AddSingleton<LogPressure>();
        builder.Services.AddSingleton(services => new GroupCommit(
            services.GetRequiredService<CollectorStore>(), options.MaxLogBytes, services.GetRequiredService<LogPressure>()));
        builder.Services.AddHostedService<StoreMaintenance>();
        builder.Services.AddSingleton(new IngestBudget(options.MaxBytesInFlight));
        // The strings every node of a job repeats (module names, files, paths), decoded once for all posts.
        builder.Services.AddSingleton(new StringPool());
        builder.Services.AddSingleton(tokens);
        // Reports ask the guard whether a request is the admin's (a read token's reports are bounded), and share the slots.
        builder.Services.AddSingleton(guard);
        builder.Services.AddSingleton(_ => new Reports.ReportSlots());

        var app = builder.Build();
        if (domains != null)
        {
            DomainTableMetrics.Register(app.Services.GetRequiredService<CollectorMetrics>().Registry, domains);
        }
        try
        {
            Open(app, options);
        }
        catch
        {
            ((IDisposable)app).Dispose();
            throw;
        }
        app.Use(guard.InvokeAsync);
        BatchEndpoint.Map(app);
        PbsEndpoint.Map(app);
        app.MapGet("/v1/libraries", (CollectorStore s) => Results.Ok(LibraryReport.From(s.Totals())))
            .WithMetadata(new ReadLevelMetadata(ReadLevel.Aggregates));
        app.MapGet("/v1/summaries", SummaryList.WriteAsync)
            .WithMetadata(new ReadLevelMetadata(ReadLevel.UserData));
        RollupEndpoint.Map(app);
        Reports.ReportEndpoint.Map(app);
        Dashboard.DashboardEndpoint.Map(app);
        app.MapGet("/healthz", () => Results.Text("ok\n"));
        app.MapMetrics("/metrics", app.Services.GetRequiredService<CollectorMetrics>().Registry)
            .WithMetadata(new ReadLevelMetadata(ReadLevel.Aggregates));
        return new CollectorHost(app, starting, tls);
    }

    // Opens the store and restores the counters from it, so that a store LiteDB cannot open stops start-up here.
    private static void Open(WebApplication app, CollectorOptions options)
    {
        CollectorStore store;
        try
        {
            store = app.Services.GetRequiredService<CollectorStore>();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Whatever LiteDB throws: a file it may not open (UnauthorizedAccessException), a damaged one (LiteException,
            // or ArgumentOutOfRangeException from a header of garbage). The type says which.
            var what = e is LiteException or IOException or UnauthorizedAccessException ? e.Message : $"{e.GetType().Name}: {e.Message}";
            throw new StartupException($"cannot open the store {Path.Combine(Path.GetFullPath(options.Data), CollectorStore.FileName)}: {what}", e);
        }
        store.Recover(DateTime.UtcNow, TimeSpan.FromSeconds(options.HomeJobQuietSeconds));
        LogMessages.Started(app.Logger, CollectorInfo.Version, Path.GetFullPath(options.Data), store.Totals().Processes);
    }

    /// <summary>Listens, and serves until the process is told to stop.</summary>
    /// <exception cref="StartupException">An address of <see cref="CollectorOptions.Urls"/> cannot be listened on.</exception>
    public async Task RunAsync()
    {
        try
        {
            await _app.StartAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            // Kestrel says "Failed to bind to address http://127.0.0.1:8470: address already in use."
            throw new StartupException($"setting 'urls': {e.Message}", e);
        }
        finally
        {
            _starting.Value = false;
        }
        await _app.WaitForShutdownAsync().ConfigureAwait(false);
    }

    // Created here rather than by the store, so that a folder the collector cannot create or write is one line
    // naming the setting, before anything else starts.
    private static void CheckDataFolder(string data)
    {
        var full = Path.GetFullPath(data);
        try
        {
            Directory.CreateDirectory(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StartupException($"setting 'data': cannot create the folder {full}: {e.Message}", e);
        }
        try
        {
            using var probe = File.Create(Path.Combine(full, $".write-check-{Environment.ProcessId}"), 1, FileOptions.DeleteOnClose);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StartupException($"setting 'data': cannot write in the folder {full}: {e.Message}", e);
        }
    }

    /// <summary>Stops listening, and lets go of the store and the certificate.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync().ConfigureAwait(false);
        _tls?.Dispose();
    }
}
