using System.Net;

namespace Polaris.Collector.Cli;

/// <summary>An accounting log as a request body, streamed from its file and sent chunked.</summary>
/// <remarks>No length is claimed: PBS may be appending to the log while it is sent, and a Content-Length taken at
/// the start would no longer match what the file gives.</remarks>
internal sealed class PbsLogContent(Stream log) : HttpContent
{
    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => log.CopyToAsync(stream);

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
        log.CopyToAsync(stream, cancellationToken);

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
