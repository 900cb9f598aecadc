using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Polaris.Collector.Access;
using Polaris.Collector.Reports;
using Polaris.Testing;

namespace Polaris.Collector.Tests.Reports;

/// <summary><see cref="ReportRequest"/>, the code every report request runs, on a real store: a request that finds
/// every report slot taken is answered 429 with Retry-After, a refusal gives its slot back, and an abandoned request
/// stops reading the days.</summary>
public sealed class ReportRequestTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly TestStore _opened;
    private readonly ReportSlots _slots = new(1);
    private readonly ServiceProvider _services;

    public ReportRequestTests()
    {
        _opened = new TestStore(_dir.Path);
        var options = new CollectorOptions();
        _services = new ServiceCollection()
            .AddSingleton(options).AddSingleton(new ReadGuard(options)).AddSingleton(_slots).AddSingleton(_opened.Store)
            .BuildServiceProvider();
    }

    private DefaultHttpContext Request(string query, CancellationToken aborted = default)
    {
        var context = new DefaultHttpContext { RequestServices = _services, RequestAborted = aborted };
        context.Connection.RemoteIpAddress = IPAddress.Loopback;
        context.Request.QueryString = new QueryString(query);
        context.Response.Body = new MemoryStream();
        return context;
    }

    private static Task Answer(HttpContext context, IReport report) =>
        ReportRequest.AnswerAsync(context, ReportEndpoint.Parse, (data, query) => ("application/json", ReportWriter.Json(ReportRequest.Run(report, data, query))));

    private static string Body(HttpContext context) => System.Text.Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray());

    [Fact]
    public async Task A_request_that_finds_every_slot_taken_waits_then_is_told_to_come_back()
    {
        Assert.True(await _slots.EnterAsync(CancellationToken.None));
        var busy = Request("");
        var clock = Stopwatch.StartNew();

        await Answer(busy, new LibrariesReport());
        var waited = clock.Elapsed;
        _slots.Exit();
        var free = Request("");
        await Answer(free, new LibrariesReport());

        Assert.Equal(StatusCodes.Status429TooManyRequests, busy.Response.StatusCode);
        Assert.Equal("10", busy.Response.Headers.RetryAfter.ToString());
        Assert.Contains("reports are being computed", Body(busy), StringComparison.Ordinal);
        Assert.True(waited >= ReportSlots.Wait - TimeSpan.FromMilliseconds(100), $"answered after {waited}");
        Assert.Equal(StatusCodes.Status200OK, free.Response.StatusCode);
    }

    [Fact]
    public async Task A_refused_query_gives_its_slot_back()
    {
        var first = Request("");
        var second = Request("");
        var clock = Stopwatch.StartNew();

        await Answer(first, new SubmodulesReport());
        await Answer(second, new SubmodulesReport());

        Assert.Equal(StatusCodes.Status400BadRequest, first.Response.StatusCode);
        Assert.Equal(StatusCodes.Status400BadRequest, second.Response.StatusCode);
        Assert.True(clock.Elapsed < ReportSlots.Wait, $"the second waited: {clock.Elapsed}");
    }

    [Fact]
    public async Task An_abandoned_request_stops_reading_and_answers_nothing()
    {
        using var gone = new CancellationTokenSource();
        await gone.CancelAsync();
        var abandoned = Request("", gone.Token);
        var query = ReportQuery.Parse([], DateOnly.FromDateTime(DateTime.UtcNow));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Answer(abandoned, new LibrariesReport()));
        Assert.ThrowsAny<OperationCanceledException>(() => new LibrariesReport().Run(new ReportData(_opened.Store, gone.Token), query));
        Assert.ThrowsAny<OperationCanceledException>(() => new ProvisioningReport().Run(new ReportData(_opened.Store, gone.Token), query));
        Assert.Equal("", Body(abandoned));
        Assert.True(await _slots.EnterAsync(CancellationToken.None), "the slot was given back");
    }

    public void Dispose()
    {
        _services.Dispose();
        _opened.Dispose();
        _dir.Dispose();
    }
}
