using System.Security.Cryptography;
using System.Text;

namespace Polaris.Collector.Ingest;

/// <summary>The bearer tokens agents may post batches with (<see cref="CollectorOptions.TokenFile"/>).</summary>
/// <remarks>Compared in constant time, so the time an answer takes tells nothing about how much of a guess was right.
/// Several lines let an admin roll a new token out to the nodes before retiring the old one.</remarks>
public sealed class AgentTokens
{
    private readonly byte[][] _tokens;

    public AgentTokens(CollectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _tokens = options.TokenFile.Length == 0
            ? []
            : File.ReadAllLines(options.TokenFile).Select(l => l.Trim()).Where(l => l.Length > 0 && l[0] != '#')
                .Select(Encoding.UTF8.GetBytes).ToArray();
        if (options.TokenFile.Length > 0 && _tokens.Length == 0)
        {
            throw new ArgumentException($"setting 'Collector:TokenFile': {options.TokenFile} holds no token");
        }
    }

    /// <summary>True when a request may post: no token is required, or its <c>Authorization: Bearer</c> is one of them.</summary>
    public bool Admit(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (_tokens.Length == 0)
        {
            return true;
        }
        var header = request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        var presented = Encoding.UTF8.GetBytes(header[scheme.Length..].Trim());
        bool admitted = false;
        foreach (var token in _tokens)
        {
            admitted |= CryptographicOperations.FixedTimeEquals(presented, token);
        }
        return admitted;
    }
}
