using Polaris.Collector;
using Polaris.Collector.Access;
using Polaris.Collector.Aggregation;
using Polaris.Collector.Ingest;
using Polaris.Collector.Metrics;
using Polaris.Collector.Storage;
using Prometheus;

// polaris-collector [serve] [--urls URL] [--data DIR] [--config FILE] [--token-file FILE] [--read-token-file FILE] [--admin-token-file FILE]
var verbArgs = args.Length > 0 && args[0] == "serve" ? args[1..] : args;
if (verbArgs.Length > 0 && !verbArgs[0].StartsWith("--", StringComparison.Ordinal))
{
    Console.Error.WriteLine($"polaris-collector: unknown command '{verbArgs[0]}'\nusage: polaris-collector [serve] [--urls URL] [--data DIR] [--config FILE] [--token-file FILE] [--read-token-file FILE] [--admin-token-file FILE]");
    return 2;
}

var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = verbArgs,
    ContentRootPath = Directory.GetCurrentDirectory(),
    ApplicationName = "polaris-collector",
});
var switches = new Dictionary<string, string>
{
    ["--urls"] = "Collector:Urls",
    ["--data"] = "Collector:Data",
    ["--config"] = "Collector:ConfigFile",
    ["--token-file"] = "Collector:TokenFile",
    ["--read-token-file"] = "Collector:ReadTokenFile",
    ["--admin-token-file"] = "Collector:AdminTokenFile",
};
builder.Configuration.AddEnvironmentVariables("POLARIS_COLLECTOR_");
builder.Configuration.AddCommandLine(verbArgs, switches);
const string DefaultConfigFile = "/etc/polaris-collector/collector.json";
var configFile = builder.Configuration["Collector:ConfigFile"] ?? (File.Exists(DefaultConfigFile) ? DefaultConfigFile : null);
if (configFile != null)
{
    // The file goes under the command line again, so the command line still wins.
    builder.Configuration.AddJsonFile(Path.GetFullPath(configFile), optional: false);
    builder.Configuration.AddCommandLine(verbArgs, switches);
}

CollectorOptions options;
try
{
    options = CollectorOptions.From(builder.Configuration);
}
catch (Exception e) when (e is ArgumentException or InvalidDataException or FileNotFoundException)
{
    Console.Error.WriteLine($"polaris-collector: {e.Message}");
    return 2;
}

builder.Host.UseSystemd();
// Requests are counted in /metrics; a log line per request would drown the journal.
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
builder.WebHost.UseUrls(options.Urls);
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = options.MaxBatchBytes);
builder.Services.AddSingleton(options);
builder.Services.AddSingleton<CollectorMetrics>();
builder.Services.AddSingleton(services => new CollectorStore(options.Data, services.GetRequiredService<CollectorMetrics>(), retentionDays: options.RetentionDays));
builder.Services.AddSingleton<GroupCommit>();
builder.Services.AddHostedService<StoreMaintenance>();
builder.Services.AddSingleton(new IngestBudget(options.MaxBytesInFlight));
AgentTokens tokens;
ReadGuard guard;
try
{
    tokens = new AgentTokens(options);
    guard = new ReadGuard(options);
}
catch (Exception e) when (e is ArgumentException or IOException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"polaris-collector: {e.Message}");
    return 2;
}
builder.Services.AddSingleton(tokens);

var app = builder.Build();
var store = app.Services.GetRequiredService<CollectorStore>();
var metrics = app.Services.GetRequiredService<CollectorMetrics>();
store.Recover(DateTime.UtcNow, TimeSpan.FromSeconds(options.HomeJobQuietSeconds));
LogMessages.Started(app.Logger, CollectorInfo.Version, Path.GetFullPath(options.Data), store.Totals().Processes);

app.Use(guard.InvokeAsync);
BatchEndpoint.Map(app);
app.MapGet("/v1/libraries", (CollectorStore s) => Results.Ok(LibraryReport.From(s.Totals())))
    .WithMetadata(new ReadLevelMetadata(ReadLevel.Aggregates));
app.MapGet("/v1/summaries", SummaryList.WriteAsync)
    .WithMetadata(new ReadLevelMetadata(ReadLevel.UserData));
app.MapGet("/healthz", () => Results.Text("ok\n"));
app.MapMetrics("/metrics", metrics.Registry).WithMetadata(new ReadLevelMetadata(ReadLevel.Aggregates));

await app.RunAsync().ConfigureAwait(false);
return 0;
