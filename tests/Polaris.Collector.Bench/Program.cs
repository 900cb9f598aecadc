using System.Diagnostics;
using System.Net.Http.Headers;
using Polaris.Collector.Bench;
using Polaris.Testing;

// polaris-collector-bench metrics [LIBRARIES] [KINDS] [DOMAINS]: how long /metrics takes at the label cap.
// polaris-collector-bench year DIR [JOBS] [USERS] [LIBRARIES] [REPORT,...]: a generated year of a facility into the store in DIR (kept,
// and measured again without generating when it exists), then every report and the dashboard from a real collector.
// polaris-collector-bench xalt-corpus OUT.tar RECORDS [USERS]: an admin's tar of RECORDS generated XALT run and pkg
// records of USERS users (200), for `/usr/bin/time -v polaris-collector import-xalt --data D OUT.tar` (docs/analysis.md, "What an import costs").
// polaris-collector-bench stages [NODES] [MODULES] [RANKS] [GROUP]: the CPU of each ingest stage, in process.
// polaris-collector-bench [NODES] [MODULES] [RANKS] [CLIENTS] [WARMUP]: a full-machine burst posted to a real collector
// on loopback by concurrent clients, as agents post, after another job's end of WARMUP nodes; prints the time until all are counted, the throughput, the
// collector's peak memory and the store's growth (docs/bench.md).
if (args.Length > 0 && args[0] == "metrics")
{
    int Arg(int i, int fallback) => args.Length > i ? int.Parse(args[i], System.Globalization.CultureInfo.InvariantCulture) : fallback;
    return await MetricsRenderBench.RunAsync(Arg(1, 1000), Arg(2, 3), Arg(3, 5));
}

if (args.Length > 1 && args[0] == "year")
{
    int Arg(int i, int fallback) => args.Length > i ? int.Parse(args[i], System.Globalization.CultureInfo.InvariantCulture) : fallback;
    return await Polaris.Collector.Bench.Year.YearBench.RunAsync(args[1], Arg(2, 200_000), Arg(3, 2_000), Arg(4, 1_500),
        args.Length > 5 ? args[5].Split(',') : null);
}

if (args.Length > 2 && args[0] == "xalt-corpus")
{
    return Polaris.Collector.Bench.Xalt.XaltCorpus.Run(args[1], long.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture),
        args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 200);
}

if (args.Length > 0 && args[0] == "stages")
{
    int Arg(int i, int fallback) => args.Length > i ? int.Parse(args[i], System.Globalization.CultureInfo.InvariantCulture) : fallback;
    return IngestStagesBench.Run(Arg(1, 10_000), Arg(2, 600), Arg(3, 4), Arg(4, 32));
}

int nodes = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 10_000;
int modules = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 600;
int ranks = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 4;
int clients = args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 32;
int warmup = args.Length > 4 ? int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture) : 2_000;

Console.WriteLine($"burst: {nodes} node summaries of {modules} modules and {ranks} ranks, {clients} concurrent clients, after a warm-up of {warmup}");
var batches = BurstWorkload.Batches(nodes, modules, ranks);
var warming = BurstWorkload.Batches(warmup, modules, ranks, job: 8100001);
Console.WriteLine($"burst: {batches.Sum(b => (long)b.Length) / 1024 / 1024} MiB of batches encoded ({batches[0].Length} bytes each)");

using var data = new TempDirectory();
using var collector = CollectorProcess.Start(data.Path);
var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients }) { BaseAddress = collector.Url };

// A collector in service has run for days: the warm-up is another job's end, and a quiet 5 s after it (the JIT
// optimises hot code in the background once calls settle), so that the burst meets the code a collector in service
// runs. WARMUP 0 measures a collector started into the burst: the catch-up of every agent's spool after an outage.
var (warmFailed, _) = await PostAsync(warming, (long)warmup * ranks, TimeSpan.FromMinutes(5));
if (warmup > 0)
{
    await Task.Delay(TimeSpan.FromSeconds(5));
}
long storeBefore = StoreBytes(data.Path);
double cpuBefore = CpuSeconds(collector.Process.Pid);
var threadsBefore = ThreadCpu.ByName(collector.Process.Pid);
var clock = Stopwatch.StartNew();
var (failed, posted) = await PostAsync(batches, ((long)warmup + nodes) * ranks, TimeSpan.FromMinutes(5));
var counted = clock.Elapsed;
var peak = ProcessStatus.KiB(collector.Process.Pid, "VmHWM") * 1024;
double cpu = CpuSeconds(collector.Process.Pid) - cpuBefore;
var threadsAfter = ThreadCpu.ByName(collector.Process.Pid);
await Task.Delay(3000); // a fold and its writes
long storeAfter = StoreBytes(data.Path);
Console.WriteLine($"burst: all {nodes} summaries acknowledged in {posted.TotalSeconds:F2} s, counted in {counted.TotalSeconds:F2} s: {nodes / counted.TotalSeconds:F0} summaries/s; {failed + warmFailed} failed");
Console.WriteLine($"burst: the collector used {cpu:F1} s of CPU ({cpu * 1000 / nodes:F2} ms a summary) on {Environment.ProcessorCount} cores shared with this client");
Console.WriteLine($"burst: by thread: {ThreadCpu.Difference(threadsBefore, threadsAfter)}");
Console.WriteLine($"burst: collector peak resident memory {peak / 1024 / 1024} MiB; store grew {(storeAfter - storeBefore) / 1024 / 1024} MiB ({(storeAfter - storeBefore) / nodes} bytes a summary, database and log)");
return failed + warmFailed == 0 ? 0 : 1;

// Posts every batch from concurrent clients, retrying 503s as agents do, and waits until the collector has counted
// `processes` Python processes in all; returns the failures and the time until the last acknowledgement.
async Task<(int Failed, TimeSpan Posted)> PostAsync(byte[][] all, long processes, TimeSpan limit)
{
    int next = -1, failures = 0;
    var started = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
    {
        for (int i; (i = Interlocked.Increment(ref next)) < all.Length;)
        {
            while (true)
            {
                using var content = new ByteArrayContent(all[i]);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.polaris.batch+msgpack+zstd");
                using var response = await http.PostAsync("v1/batches", content);
                if (response.IsSuccessStatusCode)
                {
                    break;
                }
                if ((int)response.StatusCode != 503)
                {
                    Interlocked.Increment(ref failures);
                    break;
                }
                await Task.Delay(100);
            }
        }
    }));
    var acknowledged = started.Elapsed;
    while (MetricsText.Value(collector.Metrics(), "polaris_python_processes_total") < processes && started.Elapsed < limit)
    {
        await Task.Delay(10);
    }
    return (failures, acknowledged);
}

static double CpuSeconds(int pid)
{
    var fields = File.ReadAllText($"/proc/{pid}/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
    return (long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture)) / 100.0;
}

static long StoreBytes(string folder) => Directory.EnumerateFiles(folder).Sum(f => new FileInfo(f).Length);
