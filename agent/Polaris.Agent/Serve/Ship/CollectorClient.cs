using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Polaris.Agent.Cli;

namespace Polaris.Agent.Serve.Ship;

/// <summary>HTTP to the collectors: the configured URLs in order of preference, the CA that signs them, and the
/// bearer token.</summary>
/// <remarks>
/// Fail-over: a collector that cannot be reached or answers with a server error hands over to the next URL; the
/// shipper backs off only when every URL has failed in a row, and it keeps using the one that last worked.
///
/// The HTTP client lives only while there is something to send: <see cref="Release"/> drops it when the spool is
/// empty, because an idle keep-alive connection makes .NET's connection pool wake every few seconds to look at it,
/// and an idle daemon must not wake at all.
/// </remarks>
public sealed class CollectorClient : IDisposable
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);
    private readonly IReadOnlyList<Uri> _endpoints;
    private readonly X509Certificate2Collection? _authorities;
    private HttpClient? _http;
    private int _current;

    public CollectorClient(AgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _endpoints = options.Collectors.Select(c => new Uri(c, "v1/batches")).ToArray();
        Token = new BearerToken(options.TokenFile, Environment.GetEnvironmentVariable(Wire.SystemdCredential.DirectoryVariable));
        _authorities = options.CaFile.Length > 0 ? LoadAuthorities(options.CaFile) : null;
    }

    /// <summary>The client that sends the batches, made when first needed after a <see cref="Release"/>.</summary>
    public HttpClient Http => _http ??= Create(_authorities);

    /// <summary>Closes the client and its connections; the shipper calls this when it has nothing left to send.</summary>
    public void Release()
    {
        _http?.Dispose();
        _http = null;
    }

    private static HttpClient Create(X509Certificate2Collection? authorities)
    {
        // A burst of batches shares one connection; an idle one is closed within seconds, so the pool's
        // housekeeping timer stops with it.
        var handler = new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromSeconds(8) };
        if (authorities != null)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                certificate is X509Certificate2 presented && TrustedBy(authorities, presented, errors);
        }
        return new HttpClient(handler) { Timeout = RequestTimeout };
    }

    /// <summary>The token sent with each batch.</summary>
    public BearerToken Token { get; }

    /// <summary>Where the next batch goes.</summary>
    public Uri Endpoint => _endpoints[_current];

    /// <summary>Collectors configured.</summary>
    public int Count => _endpoints.Count;

    /// <summary>Moves to the next URL after a failure of the current one.</summary>
    public void FailOver() => _current = (_current + 1) % _endpoints.Count;

    private static X509Certificate2Collection LoadAuthorities(string caFile)
    {
        var authorities = new X509Certificate2Collection();
        try
        {
            authorities.ImportFromPemFile(caFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new UsageException($"setting 'caFile': {caFile}: {e.Message}");
        }
        return authorities.Count > 0 ? authorities : throw new UsageException($"setting 'caFile': {caFile} holds no PEM certificate");
    }

    /// <summary>The name must match as usual; the chain must end at one of the configured authorities, not the system's.</summary>
    private static bool TrustedBy(X509Certificate2Collection authorities, X509Certificate2 presented, SslPolicyErrors errors)
    {
        if ((errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
        {
            return false;
        }
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(presented);
    }

    public void Dispose() => Release();
}
