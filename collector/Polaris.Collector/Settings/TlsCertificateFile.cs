using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Polaris.Collector.Cli;

namespace Polaris.Collector.Settings;

/// <summary>The certificate https URLs serve, read from the PEM files of <see cref="CollectorOptions.TlsCertificate"/>
/// and <see cref="CollectorOptions.TlsKey"/>; the certificates after the first in the file are its chain, sent with it.</summary>
/// <remarks>Read before the host starts, so that a file that holds no certificate or no matching key stops start-up
/// with one line naming the setting, instead of Kestrel's exception at the first https connection.</remarks>
public sealed class TlsCertificateFile : IDisposable
{
    private TlsCertificateFile(X509Certificate2 certificate, X509Certificate2Collection chain)
    {
        Certificate = certificate;
        Chain = chain;
    }

    /// <summary>The server's certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The intermediate certificates that follow it in the file; may be empty.</summary>
    public X509Certificate2Collection Chain { get; }

    /// <summary>Reads the certificate the options name, or returns null when they name none.</summary>
    /// <exception cref="UsageException">The files cannot be read, or hold no certificate or no key that matches it.</exception>
    public static TlsCertificateFile? Load(CollectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.TlsCertificate.Length == 0)
        {
            return null;
        }
        var chain = new X509Certificate2Collection();
        try
        {
            var certificate = X509Certificate2.CreateFromPemFile(options.TlsCertificate, options.TlsKey.Length > 0 ? options.TlsKey : null);
            chain.ImportFromPemFile(options.TlsCertificate);
            chain.RemoveAt(0);
            return new TlsCertificateFile(certificate, chain);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            foreach (var link in chain)
            {
                link.Dispose();
            }
            var key = options.TlsKey.Length > 0 ? $" with the key of setting 'tlsKey' ({options.TlsKey})" : " (with its key: setting 'tlsKey' is empty)";
            throw new UsageException($"setting 'tlsCertificate': cannot load {options.TlsCertificate}{key}: {e.Message}");
        }
    }

    /// <summary>Lets go of the certificates.</summary>
    public void Dispose()
    {
        Certificate.Dispose();
        foreach (var link in Chain)
        {
            link.Dispose();
        }
    }
}
