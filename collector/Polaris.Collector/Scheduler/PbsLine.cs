using System.Text;
using System.Text.Unicode;

namespace Polaris.Collector.Scheduler;

/// <summary>Reads one line of an accounting log: <c>MM/DD/YYYY HH:MM:SS;type;job id;key=value ...</c>.</summary>
/// <remarks>The date, the type and the id are split at the first three <c>;</c>; the message keeps any further
/// <c>;</c> (a quoted job name may hold one).</remarks>
internal static class PbsLine
{
    /// <summary>Reads <paramref name="line"/>.</summary>
    /// <returns>The record of a start or end line; null when the line is of another type (<paramref name="skipped"/>
    /// is its letter) or malformed (<paramref name="fault"/> says why).</returns>
    public static PbsJobRecord? Parse(ReadOnlySpan<byte> line, TimeZoneInfo zone, out char skipped, out string? fault)
    {
        skipped = '\0';
        fault = Frame(line, out var date, out var type, out var id, out var message);
        if (fault != null)
        {
            return null;
        }
        if (type.Length != 1 || !char.IsAsciiLetter((char)type[0]))
        {
            fault = "the record type is not one letter";
            return null;
        }
        if (!PbsValues.TryRecordTime(date, zone, out var time))
        {
            fault = "the date is not MM/DD/YYYY HH:MM:SS of a real time from 2000 to 2100";
            return null;
        }
        if (type[0] is not ((byte)PbsRecordType.End or (byte)PbsRecordType.Start))
        {
            skipped = (char)type[0];
            return null;
        }
        var jobId = Encoding.UTF8.GetString(id);
        if (JobKey.Of(jobId) is not { } key)
        {
            fault = $"the job id is empty, longer than {JobKey.MaxIdBytes} bytes or holds a control character";
            return null;
        }
        var record = new PbsJobRecord(key, jobId, (PbsRecordType)type[0], time);
        return PbsRecordFields.Read(record, message, out fault);
    }

    private static string? Frame(ReadOnlySpan<byte> line, out ReadOnlySpan<byte> date, out ReadOnlySpan<byte> type,
        out ReadOnlySpan<byte> id, out ReadOnlySpan<byte> message)
    {
        date = type = id = message = default;
        if (!Utf8.IsValid(line))
        {
            return "the line is not valid UTF-8";
        }
        int first = line.IndexOf((byte)';');
        int second = first < 0 ? -1 : line[(first + 1)..].IndexOf((byte)';');
        int third = second < 0 ? -1 : line[(first + second + 2)..].IndexOf((byte)';');
        if (third < 0)
        {
            return "the line has fewer than four ';'-separated fields (date;type;id;message)";
        }
        date = line[..first];
        type = line.Slice(first + 1, second);
        id = line.Slice(first + second + 2, third);
        message = line[(first + second + third + 3)..];
        return null;
    }
}
