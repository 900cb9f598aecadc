using Polaris.Collector.Access;

namespace Polaris.Collector.Ingest;

/// <summary>The bearer tokens agents may post batches with (<see cref="CollectorOptions.TokenFile"/>).</summary>
/// <remarks>An agent's token admits posting only: reading what the collector stores takes a read or admin token. With
/// no token file, posting is answered on loopback only, as reads are: a collector opened to the network without
/// tokens would let anyone who reaches its port forge what every report counts.</remarks>
public sealed class AgentTokens
{
    private readonly TokenSet _tokens;

    public AgentTokens(CollectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _tokens = TokenSet.Load(options.TokenFile, "tokenFile");
    }

    /// <summary>The status a post gets before its body is read: 200 (admitted), 401 (no or a wrong token) or 403 (no
    /// token file and the post is not from loopback).</summary>
    public int Check(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (_tokens.IsEmpty)
        {
            return Loopback.Is(context) ? StatusCodes.Status200OK : StatusCodes.Status403Forbidden;
        }
        return _tokens.Admits(context.Request) ? StatusCodes.Status200OK : StatusCodes.Status401Unauthorized;
    }
}
