using System.Net;

namespace Polaris.Collector.Access;

/// <summary>Whether a request came over loopback, judged from its socket's own address (a forwarded-for header is
/// anyone's to write, so none is read).</summary>
public static class Loopback
{
    /// <summary>True when the connection's remote address is a loopback one (IPv4 mapped into IPv6 included).</summary>
    public static bool Is(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Connection.RemoteIpAddress is { } address
            && IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);
    }
}
