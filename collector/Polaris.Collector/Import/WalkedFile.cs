namespace Polaris.Collector.Import;

/// <summary>A file or folder the walk met, as it was when examined: what it opens later must be this very file.</summary>
/// <param name="Path">Its path.</param>
/// <param name="Status">What examining it found (without following a link, unless <paramref name="Named"/>).</param>
/// <param name="Named">Named by the person importing: a link there is followed, since they chose it.</param>
internal sealed record WalkedFile(string Path, FileStatus Status, bool Named)
{
    /// <summary>The last component of <see cref="Path"/>.</summary>
    public string Name => System.IO.Path.GetFileName(Path.TrimEnd('/'));
}
