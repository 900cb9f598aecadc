namespace Polaris.Wire;

/// <summary>Bounds a decoder enforces so that hostile bytes cannot exhaust memory.</summary>
public sealed record WireLimits
{
    /// <summary>Largest compressed batch accepted, in bytes.</summary>
    public int MaxCompressedBytes { get; init; } = 32 * 1024 * 1024;

    /// <summary>Largest batch after decompression, in bytes.</summary>
    public int MaxDecompressedBytes { get; init; } = 256 * 1024 * 1024;

    /// <summary>Defaults suited to a collector receiving from many nodes.</summary>
    public static WireLimits Default { get; } = new();
}
