using System.Buffers;
using System.Text;

namespace Polaris.Collector.Scheduler;

/// <summary>The key that makes one job of the spellings a job id comes in.</summary>
/// <remarks>
/// PBS names a job <c>sequence.server</c> (<c>1234501.polaris-pbs-01</c>), but <c>PBS_JOBID</c>, <c>qstat</c> and
/// the accounting log do not all carry the server part, so the collector keys jobs on the id up to its first
/// <c>.</c>: <c>1234501</c> and <c>1234501.polaris-pbs-01</c> are one job. An array job's subjob keeps its index,
/// <c>1234[5].server</c> becoming <c>1234[5]</c> and the array itself <c>1234[]</c> (PBS indices are integers, so
/// the first <c>.</c> is never inside the brackets). The key becomes a database id and a label value, so ids are
/// bounded before anything is kept of them.
/// </remarks>
public static class JobKey
{
    /// <summary>The longest job id taken, in UTF-8 bytes: a sequence number, an array index and a server's host name
    /// fit several times over.</summary>
    public const int MaxIdBytes = 128;

    /// <summary>The key of <paramref name="jobId"/>, or null when there is no usable id.</summary>
    /// <returns>
    /// The id up to its first <c>.</c>, or the whole id when it has none; null when the id is null
    /// or empty, longer than <see cref="MaxIdBytes"/> UTF-8 bytes, holds a control character or a lone surrogate,
    /// or starts with <c>.</c> (which leaves an empty key).
    /// </returns>
    public static string? Of(string? jobId)
    {
        if (string.IsNullOrEmpty(jobId) || jobId.Length > MaxIdBytes || !IsWellFormed(jobId))
        {
            return null;
        }
        int end = jobId.IndexOf('.', StringComparison.Ordinal);
        return end switch
        {
            < 0 => jobId,
            0 => null,
            _ => jobId[..end],
        };
    }

    // Walks runes rather than counting with Encoding.UTF8, which would take a lone surrogate for U+FFFD.
    private static bool IsWellFormed(string jobId)
    {
        int bytes = 0;
        var rest = jobId.AsSpan();
        while (!rest.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(rest, out var rune, out int used) != OperationStatus.Done || Rune.IsControl(rune))
            {
                return false;
            }
            bytes += rune.Utf8SequenceLength;
            if (bytes > MaxIdBytes)
            {
                return false;
            }
            rest = rest[used..];
        }
        return true;
    }
}
