using System.Security.Cryptography;
using System.Text;

namespace Polaris.Collector.Access;

/// <summary>The bearer tokens of one file, one per line (<c>#</c> starts a comment), kept as SHA-256 hashes.</summary>
/// <remarks>
/// A presented token is hashed and compared with every stored hash by <see cref="CryptographicOperations.FixedTimeEquals"/>:
/// hashes have one length, so the time an answer takes tells neither how much of a guess was right nor how long a
/// token is (comparing the raw bytes returned at once when the lengths differed). Several lines let an admin roll
/// a new token out before retiring the old one.
/// </remarks>
public sealed class TokenSet
{
    private readonly byte[][] _hashes;

    private TokenSet(byte[][] hashes) => _hashes = hashes;

    /// <summary>No tokens: nothing is admitted by token.</summary>
    public static TokenSet None { get; } = new([]);

    /// <summary>True when the file named no tokens (or none was configured).</summary>
    public bool IsEmpty => _hashes.Length == 0;

    /// <summary>Reads the tokens of <paramref name="path"/>; an empty path gives <see cref="None"/>.</summary>
    /// <param name="path">The token file; empty for none.</param>
    /// <param name="setting">The setting that named the file (<c>tokenFile</c>), for the message.</param>
    /// <exception cref="InvalidDataException">The file cannot be read or holds no token; the message names the setting.</exception>
    public static TokenSet Load(string path, string setting)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length == 0)
        {
            return None;
        }
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"setting '{setting}': cannot read {path}: {e.Message}", e);
        }
        var hashes = lines.Select(l => l.Trim()).Where(l => l.Length > 0 && l[0] != '#')
            .Select(l => SHA256.HashData(Encoding.UTF8.GetBytes(l))).ToArray();
        return hashes.Length > 0 ? new TokenSet(hashes) : throw new InvalidDataException($"setting '{setting}': {path} holds no token");
    }

    /// <summary>True when the request's <c>Authorization: Bearer</c> token is one of the set.</summary>
    public bool Admits(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var header = request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (_hashes.Length == 0 || !header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(header[scheme.Length..].Trim()));
        bool admitted = false;
        foreach (var hash in _hashes)
        {
            admitted |= CryptographicOperations.FixedTimeEquals(presented, hash);
        }
        return admitted;
    }
}
