using System.Net;
using System.Net.Http.Headers;
using Polaris.Testing;
using Polaris.Wire;

namespace Polaris.Collector.Tests;

/// <summary>The real collector process on loopback: what travels over HTTP and what /metrics shows.</summary>
public class CollectorServiceTests
{
    private static HttpContent Body(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(WireFormat.ContentType);
        return content;
    }

    [Fact]
    public async Task A_batch_is_stored_once_counted_in_metrics_and_a_retry_is_acknowledged_without_counting()
    {
        using var dir = new TempDirectory();
        using var collector = CollectorProcess.Start(dir.Path);
        var bytes = BatchCodec.Encode(CollectorStoreTests.BatchOf("retry-1", ["numpy", "numpy.core"], ["numpy", "pandas"], ["os"]));

        using var first = await collector.Http.PostAsync("v1/batches", Body(bytes));
        using var retry = await collector.Http.PostAsync("v1/batches", Body(bytes));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Contains("\"duplicate\":true", await retry.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var metrics = collector.Metrics();
        Assert.Equal(3, MetricsText.Value(metrics, "polaris_python_processes_total"));
        Assert.Equal(2, MetricsText.Value(metrics, "polaris_library_processes_total{library=\"numpy\"}"));
        Assert.Equal(1, MetricsText.Value(metrics, "polaris_library_processes_total{library=\"pandas\"}"));
        Assert.Null(MetricsText.Value(metrics, "polaris_library_processes_total{library=\"os\"}"));
        Assert.Equal(1, MetricsText.Value(metrics, "polaris_collector_batches_total{result=\"duplicate\"}"));
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("")]
    public async Task Garbage_is_refused_with_400_counted_and_the_collector_keeps_serving(string text)
    {
        using var dir = new TempDirectory();
        using var collector = CollectorProcess.Start(dir.Path);

        using var response = await collector.Http.PostAsync("v1/batches", Body(System.Text.Encoding.UTF8.GetBytes(text)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(1, collector.Metric("polaris_collector_batches_total{result=\"rejected\"}"));
        using var good = await collector.Http.PostAsync("v1/batches", Body(BatchCodec.Encode(CollectorStoreTests.BatchOf("after-garbage", ["numpy"]))));
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
    }

    [Fact]
    public async Task A_key_that_is_not_plain_text_is_refused()
    {
        using var dir = new TempDirectory();
        using var collector = CollectorProcess.Start(dir.Path);

        using var response = await collector.Http.PostAsync("v1/batches", Body(BatchCodec.Encode(CollectorStoreTests.BatchOf("../../etc/passwd", ["numpy"]))));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Metrics_start_from_the_store_after_a_restart()
    {
        using var dir = new TempDirectory();
        using (var collector = CollectorProcess.Start(dir.Path))
        {
            using var response = await collector.Http.PostAsync("v1/batches", Body(BatchCodec.Encode(CollectorStoreTests.BatchOf("before-restart", ["numpy"], ["numpy"]))));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using var restarted = CollectorProcess.Start(dir.Path);

        Assert.Equal(2, restarted.Metric("polaris_python_processes_total"));
        Assert.Equal(2, restarted.Metric("polaris_library_processes_total{library=\"numpy\"}"));
    }

    [Fact]
    public void A_bad_setting_stops_start_up_with_a_message_naming_it()
    {
        var result = CommandResult.Run("dotnet", [CollectorProcess.Dll, "serve", "--urls", "ftp://127.0.0.1:1"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("option --urls 'ftp://127.0.0.1:1' is not an http or https URL", result.StderrText, StringComparison.Ordinal);
    }
}
