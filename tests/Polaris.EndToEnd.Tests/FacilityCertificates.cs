using Polaris.Testing;

namespace Polaris.EndToEnd.Tests;

/// <summary>A facility's own certificate authority and a collector certificate it signed for 127.0.0.1, made with
/// openssl as an admin would.</summary>
/// <param name="AuthorityCertificate">The CA's certificate (PEM): what the agent's <c>caFile</c> names.</param>
/// <param name="ServerCertificate">The collector's certificate (PEM).</param>
/// <param name="ServerKey">Its private key (PEM).</param>
internal sealed record FacilityCertificates(string AuthorityCertificate, string ServerCertificate, string ServerKey)
{
    public static FacilityCertificates Create(string folder)
    {
        Directory.CreateDirectory(folder);
        string In(string name) => Path.Combine(folder, name);
        var extensions = In("server.ext");
        File.WriteAllText(extensions, "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n");
        Openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=Polaris Test Facility CA",
            "-keyout", In("ca.key"), "-out", In("ca.pem"));
        Openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", In("server.key"), "-out", In("server.csr"));
        Openssl("x509", "-req", "-in", In("server.csr"), "-CA", In("ca.pem"), "-CAkey", In("ca.key"), "-CAcreateserial",
            "-days", "2", "-extfile", extensions, "-out", In("server.pem"));
        return new FacilityCertificates(In("ca.pem"), In("server.pem"), In("server.key"));
    }

    private static void Openssl(params string[] arguments)
    {
        var result = CommandResult.Run("openssl", arguments);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"openssl {string.Join(' ', arguments)}: {result.StderrText}");
        }
    }
}
