namespace Polaris.Testing;

/// <summary>Times for made-up records: recent enough for the collector to keep (it refuses summaries that start
/// outside its retention window), the same for a whole test run.</summary>
public static class TestClock
{
    /// <summary>Unix ms of an hour ago, at the start of the test run.</summary>
    public static readonly long BaseMs = DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeMilliseconds();
}
