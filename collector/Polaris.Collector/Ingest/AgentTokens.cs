using Polaris.Collector.Access;

namespace Polaris.Collector.Ingest;

/// <summary>The bearer tokens agents may post batches with (<see cref="CollectorOptions.TokenFile"/>).</summary>
/// <remarks>An agent's token admits posting only: reading what the collector stores takes a read or admin token.</remarks>
public sealed class AgentTokens
{
    private readonly TokenSet _tokens;

    public AgentTokens(CollectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _tokens = TokenSet.Load(options.TokenFile, nameof(CollectorOptions.TokenFile));
    }

    /// <summary>True when a request may post: no token is required, or its <c>Authorization: Bearer</c> is one of them.</summary>
    public bool Admit(HttpRequest request) => _tokens.IsEmpty || _tokens.Admits(request);
}
