using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Polaris.Testing;
using Polaris.Wire;

namespace Polaris.Collector.Tests;

/// <summary><c>POST /v1/imports</c> on the real collector: imported summaries need the admin token, an agent's token
/// cannot pass its records off as another tool's (nor post them at /v1/imports), and what is imported never moves the
/// live metrics.</summary>
public class ImportEndpointTests
{
    [Fact]
    public async Task Imports_need_the_admin_token_and_each_endpoint_refuses_the_other_sources_summaries()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("agents"), "agent-token-1\n");
        File.WriteAllText(dir.Combine("admins"), "admin-token-1\n");
        using var collector = CollectorProcess.Start(dir.Combine("data"), "--token-file", dir.Combine("agents"), "--admin-token-file", dir.Combine("admins"));
        var start = DateTime.UtcNow.AddDays(-30);
        var agent = SummaryFixtures.Job("n1", "1234501", 1001, 2, DateTime.UtcNow.AddMinutes(-5), ["numpy"]);
        var xalt = SummaryFixtures.Job("vm", "1234501", 0, 1, start, ["numpy", "scipy"]) with { Source = RecordSource.Xalt, User = "asmith", Uid = 0 };

        var byAgentToken = await PostAsync(collector, "v1/imports", "agent-token-1", "i1", xalt);
        var mixedAtBatches = await PostAsync(collector, "v1/batches", "agent-token-1", "b1", agent, xalt);
        var mixedAtImports = await PostAsync(collector, "v1/imports", "admin-token-1", "i2", agent, xalt);

        Assert.Equal(HttpStatusCode.Unauthorized, byAgentToken.Status);
        Assert.Equal((HttpStatusCode.OK, 1, 1), (mixedAtBatches.Status, mixedAtBatches.Summaries, mixedAtBatches.RefusedIndex));
        Assert.Equal((HttpStatusCode.OK, 1, 0), (mixedAtImports.Status, mixedAtImports.Summaries, mixedAtImports.RefusedIndex));
        // Only the agent's two processes are live metrics; the import is stored for the reports.
        collector.Process.WaitUntil(() => Metric(collector, "polaris_python_processes_total") == 2, "the agent's processes counted");
        await Task.Delay(1500); // a fold or more, in which the import must not count
        Assert.Equal(2, Metric(collector, "polaris_python_processes_total"));
        Assert.Equal(1, Metric(collector, "polaris_summaries_total"));
    }

    [Fact]
    public async Task With_no_admin_token_file_imports_are_refused_on_loopback_too_and_no_agent_posts_from_an_importers_node()
    {
        using var dir = new TempDirectory();
        using var collector = CollectorProcess.Start(dir.Combine("data"));
        var xalt = SummaryFixtures.Job("vm", "1", 0, 1, DateTime.UtcNow.AddDays(-3), ["numpy"]) with { Source = RecordSource.Xalt, User = "asmith", Uid = 0 };
        var agent = SummaryFixtures.Job("n1", "2", 1001, 1, DateTime.UtcNow.AddMinutes(-5), ["numpy"]);

        using var imports = await collector.Http.PostAsync("v1/imports", Body(SummaryFixtures.BatchOf("i1", "import-xalt", xalt)));
        using var pbs = await collector.Http.PostAsync("v1/pbs", new StringContent(""));
        using var fromImporterNode = await collector.Http.PostAsync("v1/batches", Body(SummaryFixtures.BatchOf("b1", "import-xalt", agent)));

        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (imports.StatusCode, pbs.StatusCode));
        Assert.Contains("adminTokenFile", await imports.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, fromImporterNode.StatusCode);
        Assert.Contains("import-", await fromImporterNode.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(1, collector.Metric("polaris_collector_batches_total{result=\"reserved_node\"}"));
        Assert.Equal(2, collector.Metric("polaris_collector_reads_denied_total"));
        Assert.Equal(0, collector.Metric("polaris_python_processes_total") ?? 0);
    }

    private static ByteArrayContent Body(Batch batch)
    {
        var content = new ByteArrayContent(BatchCodec.Encode(batch));
        content.Headers.ContentType = new MediaTypeHeaderValue(WireFormat.ContentType);
        return content;
    }

    private static double? Metric(CollectorProcess collector, string series)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "metrics");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "admin-token-1");
        using var response = collector.Http.Send(request);
        return MetricsText.Value(response.Content.ReadAsStringAsync().GetAwaiter().GetResult(), series);
    }

    private static async Task<(HttpStatusCode Status, int Summaries, int RefusedIndex)> PostAsync(CollectorProcess collector, string path, string token, string key, params ProcessSummary[] summaries)
    {
        using var content = new ByteArrayContent(BatchCodec.Encode(SummaryFixtures.BatchOf(key, "importer", summaries)));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.polaris.batch+msgpack+zstd");
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await collector.Http.SendAsync(request);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return (response.StatusCode, 0, -1);
        }
        using var receipt = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var refused = receipt.RootElement.GetProperty("refused");
        return (response.StatusCode, receipt.RootElement.GetProperty("summaries").GetInt32(), refused.GetArrayLength() == 1 ? refused[0].GetProperty("index").GetInt32() : -1);
    }
}
