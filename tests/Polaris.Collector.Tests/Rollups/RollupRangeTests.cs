using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Polaris.Collector.Rollups;

namespace Polaris.Collector.Tests.Rollups;

/// <summary>The query of <c>GET /v1/rollups</c>: its defaults, and libraries named (<c>""</c> for all Python).</summary>
public class RollupRangeTests
{
    private static readonly DateOnly Today = new(2025, 3, 31);

    private static RollupRange Parse(Dictionary<string, StringValues> query)
    {
        Assert.True(RollupRange.TryParse(new QueryCollection(query), Today, out var range, out var reason), reason);
        return range;
    }

    [Fact]
    public void With_no_parameters_it_is_the_30_days_ending_today_and_every_library()
    {
        Assert.Equal(new RollupRange(new DateOnly(2025, 3, 2), Today, null), Parse([]));
    }

    [Fact]
    public void Since_alone_ends_today_and_until_alone_starts_29_days_before()
    {
        Assert.Equal(new DateOnly(2025, 1, 1), Parse(new() { ["since"] = "2025-01-01" }).Since);
        Assert.Equal(Today, Parse(new() { ["since"] = "2025-01-01" }).Until);
        Assert.Equal(new DateOnly(2025, 1, 2), Parse(new() { ["until"] = "2025-01-31" }).Since);
    }

    [Fact]
    public void Libraries_may_repeat_and_an_empty_one_is_all_python()
    {
        var range = Parse(new() { ["library"] = new StringValues(["", "numpy", "numpy"]) });

        Assert.Equal(["", "numpy"], range.Libraries!);
        Assert.Equal(30, range.DayCount);
    }

    [Fact]
    public void More_than_100_libraries_are_refused()
    {
        var query = new QueryCollection(new Dictionary<string, StringValues> { ["library"] = new(Enumerable.Range(0, 101).Select(i => "l" + i).ToArray()) });

        Assert.False(RollupRange.TryParse(query, Today, out _, out var reason));
        Assert.Equal("101 library parameters, more than 100", reason);
    }
}
