using Microsoft.Extensions.Configuration;

namespace Polaris.Collector.Tests;

public class CollectorOptionsTests
{
    private static CollectorOptions From(params (string Key, string Value)[] settings) =>
        CollectorOptions.From(new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>("Collector:" + s.Key, s.Value)))
            .Build());

    [Fact]
    public void The_memory_budget_defaults_to_512_MiB_and_the_decompressed_limit_to_the_shared_batch_bound()
    {
        var options = From();

        Assert.Equal(512L * 1024 * 1024, options.MaxBytesInFlight);
        Assert.Equal(Polaris.Wire.SummaryBounds.MaxBatchBytes, options.MaxDecompressedBytes);
        Assert.True(options.LargestRequestBytes <= options.MaxBytesInFlight);
    }

    [Fact]
    public void A_budget_smaller_than_one_largest_request_is_refused_naming_the_setting()
    {
        // A batch that can never fit would be answered 503 for ever, and the agent would retry it for ever.
        var e = Assert.Throws<ArgumentException>(() => From(("MaxBytesInFlight", (64 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture))));

        Assert.Contains("Collector:MaxBytesInFlight", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_read_token_file_that_does_not_exist_is_refused_naming_the_setting()
    {
        var e = Assert.Throws<ArgumentException>(() => From(("AdminTokenFile", "/nonexistent/admins")));

        Assert.Contains("Collector:AdminTokenFile", e.Message, StringComparison.Ordinal);
    }
}
