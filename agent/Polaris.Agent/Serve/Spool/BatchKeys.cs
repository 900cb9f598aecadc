using System.Globalization;

namespace Polaris.Agent.Serve.Spool;

/// <summary>Batch keys that sort in the order they were made: UUIDv7 in hex with a counter after the milliseconds
/// (RFC 9562, section 6.2, method 1).</summary>
/// <remarks>
/// The spool ships in name order, and trims the oldest first by the same order. <see cref="Guid.CreateVersion7()"/>
/// fills everything after the milliseconds at random, so two batches made in one millisecond shipped in either
/// order: a summary closed later could reach the collector first. Here the 12 bits after the version count the
/// keys made in one millisecond; past 4,096 the key borrows the next millisecond. A clock stepped back keeps the
/// last millisecond until it catches up. The last 62 bits stay random, so two daemons never make the same key.
/// </remarks>
public sealed class BatchKeys
{
    private const int CounterBits = 12;
    private const long CounterMask = (1 << CounterBits) - 1;
    private readonly Lock _lock = new();
    // Milliseconds and counter as one number: the key's first 64 bits without the version.
    private long _last = -1;

    /// <summary>Makes every later key sort after <paramref name="key"/>, one left by an earlier run.</summary>
    public void After(string key)
    {
        if (key.Length == 32 && ulong.TryParse(key.AsSpan(0, 16), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var high))
        {
            long stamp = (long)(high >> 16) << CounterBits | ((long)high & CounterMask);
            lock (_lock)
            {
                _last = Math.Max(_last, stamp);
            }
        }
    }

    /// <summary>A new key, after every key this instance made or was shown.</summary>
    public string Next(DateTimeOffset now)
    {
        long stamp;
        lock (_lock)
        {
            stamp = Math.Max(now.ToUnixTimeMilliseconds() << CounterBits, _last + 1);
            _last = stamp;
        }
        ulong high = (ulong)(stamp >> CounterBits) << 16 | 0x7000UL | (ulong)(stamp & CounterMask);
        // Guid.NewGuid's random bits come from the runtime's own source; RandomNumberGenerator loads OpenSSL, 4.5 MB
        // more resident memory for the daemon.
        Span<byte> random = stackalloc byte[16];
        Guid.NewGuid().TryWriteBytes(random);
        ulong low = BitConverter.ToUInt64(random[8..]) >> 2 | 0x8000_0000_0000_0000UL;
        return high.ToString("x16", CultureInfo.InvariantCulture) + low.ToString("x16", CultureInfo.InvariantCulture);
    }
}
