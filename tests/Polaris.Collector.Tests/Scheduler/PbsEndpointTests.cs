using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Polaris.Collector.Scheduler;
using Polaris.Testing;
using Polaris.Wire;

namespace Polaris.Collector.Tests.Scheduler;

/// <summary><c>POST /v1/pbs</c> on the real collector (with the admin token it takes): what an accounting record
/// does to a running job's series.</summary>
public class PbsEndpointTests
{
    private static readonly Dictionary<string, string> Utc = new() { ["POLARIS_COLLECTOR_PBS_TIME_ZONE"] = "UTC" };

    private static async Task<PbsImportReport> PostAsync(CollectorProcess collector, string log)
    {
        using var content = new StringContent(log);
        using var response = await collector.Http.PostAsync("v1/pbs", content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<PbsImportReport>())!;
    }

    [Fact]
    public async Task A_home_loading_series_takes_the_accounted_nodes_and_goes_when_its_end_record_is_posted()
    {
        using var dir = new TempDirectory();
        // POST /v1/pbs takes an admin token, and with one configured /metrics does too.
        File.WriteAllText(dir.Combine("admins"), "admin-token-1\n");
        using var collector = CollectorProcess.StartOn(new Uri("http://127.0.0.1:0"), dir.Combine("data"), Utc, "--admin-token-file", dir.Combine("admins"));
        collector.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "admin-token-1");
        var now = DateTime.UtcNow;
        var batch = SummaryFixtures.BatchOf("home", "n1", SummaryFixtures.Job("n1", "4242.polaris-pbs-01", 7, 3, now.AddMinutes(-1), ["scipy@home"], nodes: 1));
        using var body = new ByteArrayContent(BatchCodec.Encode(batch));
        body.Headers.ContentType = new MediaTypeHeaderValue(WireFormat.ContentType);
        using (var stored = await collector.Http.PostAsync("v1/batches", body))
        {
            Assert.Equal(HttpStatusCode.OK, stored.StatusCode);
        }
        Assert.Equal(3, collector.Metric("polaris_home_loading_job_processes{pbs_job=\"4242\",nodes=\"1\"}"));

        var start = await PostAsync(collector, PbsImportStoreTests.Line(now, 'S', "4242", "queue=prod Resource_List.nodect=4"));

        Assert.Equal((1, 1), (start.StartRecords, start.JobsUpdated));
        var metrics = collector.Metrics();
        Assert.Null(MetricsText.Value(metrics, "polaris_home_loading_job_processes{pbs_job=\"4242\",nodes=\"1\"}"));
        Assert.Equal(3, MetricsText.Value(metrics, "polaris_home_loading_job_processes{pbs_job=\"4242\",nodes=\"4\"}"));
        Assert.Equal(4, MetricsText.Value(metrics, "polaris_home_loading_job_nodes{pbs_job=\"4242\"}"));

        var end = await PostAsync(collector, "damaged line\n" + PbsImportStoreTests.Line(now, 'E', "4242.polaris-pbs-01", "Resource_List.nodect=4 Exit_status=0"));

        Assert.Equal((1, 1, 1), (end.EndRecords, end.JobsUpdated, end.MalformedLines));
        Assert.Equal(1, Assert.Single(end.FirstErrors).Line);
        metrics = collector.Metrics();
        Assert.Null(MetricsText.Value(metrics, "polaris_home_loading_job_processes{pbs_job=\"4242\"}"));
        Assert.Null(MetricsText.Value(metrics, "polaris_home_loading_job_nodes{pbs_job=\"4242\"}"));
        Assert.Null(MetricsText.Value(metrics, "polaris_home_loading_job_uid{pbs_job=\"4242\"}"));
    }
}
