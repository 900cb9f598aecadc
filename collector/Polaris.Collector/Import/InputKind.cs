namespace Polaris.Collector.Import;

/// <summary>How an input file is stored, from its name's ending.</summary>
internal enum InputKind
{
    /// <summary>Records as they are.</summary>
    Plain,

    /// <summary><c>.gz</c>: one gzip-compressed file.</summary>
    Gzip,

    /// <summary><c>.zst</c>: one zstd-compressed file.</summary>
    Zstd,

    /// <summary><c>.tar</c>.</summary>
    Tar,

    /// <summary><c>.tar.gz</c>, <c>.tgz</c>.</summary>
    TarGzip,

    /// <summary><c>.tar.zst</c>, <c>.tzst</c>.</summary>
    TarZstd,
}
