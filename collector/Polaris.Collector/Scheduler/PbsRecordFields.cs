namespace Polaris.Collector.Scheduler;

/// <summary>Fills a record from the attributes of its line the collector reads; a value out of its bounds makes
/// the whole line malformed, since it says the line is damaged.</summary>
/// <remarks>Keys are matched as PBS writes them, case and all; when a key comes twice the last one holds.</remarks>
internal static class PbsRecordFields
{
    /// <summary>The record with the attributes of <paramref name="message"/>; null when one is malformed
    /// (<paramref name="fault"/> says which).</summary>
    public static PbsJobRecord? Read(PbsJobRecord record, ReadOnlySpan<byte> message, out string? fault)
    {
        fault = null;
        var attributes = new PbsAttributes(message);
        while (fault == null && attributes.Next(out var key, out var value))
        {
            record = Take(record, key, value, ref fault);
        }
        if (fault == null && attributes.Unterminated)
        {
            fault = "a quoted value does not end before the line does";
        }
        return fault == null ? record : null;
    }

    // On a fault the record returned is dropped, so each field is set to whatever its reader gave.
    private static PbsJobRecord Take(PbsJobRecord record, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, ref string? fault)
    {
        if (key.SequenceEqual("user"u8))
        {
            return record with { User = Text(value, "user", ref fault) };
        }
        if (key.SequenceEqual("group"u8))
        {
            return record with { Group = Text(value, "group", ref fault) };
        }
        if (key.SequenceEqual("account"u8))
        {
            return record with { Account = Text(value, "account", ref fault) };
        }
        if (key.SequenceEqual("project"u8))
        {
            return record with { Project = Text(value, "project", ref fault) };
        }
        if (key.SequenceEqual("queue"u8))
        {
            return record with { Queue = Text(value, "queue", ref fault) };
        }
        if (key.SequenceEqual("Resource_List.nodect"u8))
        {
            return record with { NodeCount = NodeCount(value, ref fault) };
        }
        if (key.SequenceEqual("resources_used.walltime"u8))
        {
            return record with { Walltime = Walltime(value, ref fault) };
        }
        if (key.SequenceEqual("start"u8))
        {
            return record with { Start = UnixTime(value, "start", ref fault) };
        }
        if (key.SequenceEqual("end"u8))
        {
            return record with { End = UnixTime(value, "end", ref fault) };
        }
        if (key.SequenceEqual("Exit_status"u8))
        {
            return record with { ExitStatus = ExitStatus(value, ref fault) };
        }
        return record;
    }

    private static string? Text(ReadOnlySpan<byte> value, string name, ref string? fault)
    {
        if (PbsValues.TryText(value, out var text))
        {
            return text;
        }
        fault = $"{name} is longer than {PbsValues.MaxTextBytes} bytes or holds a control character";
        return null;
    }

    private static int? NodeCount(ReadOnlySpan<byte> value, ref string? fault)
    {
        if (PbsValues.TryNodeCount(value, out int nodes))
        {
            return nodes;
        }
        fault = $"Resource_List.nodect is not a whole number from 1 to {PbsValues.MaxNodeCount}";
        return null;
    }

    private static TimeSpan? Walltime(ReadOnlySpan<byte> value, ref string? fault)
    {
        if (PbsValues.TryWalltime(value, out var walltime))
        {
            return walltime;
        }
        fault = "resources_used.walltime is not H:MM:SS up to ten years";
        return null;
    }

    private static DateTimeOffset? UnixTime(ReadOnlySpan<byte> value, string name, ref string? fault)
    {
        if (PbsValues.TryUnixTime(value, out var time))
        {
            return time;
        }
        fault = $"{name} is not a Unix time from 2000 to 2100";
        return null;
    }

    private static int? ExitStatus(ReadOnlySpan<byte> value, ref string? fault)
    {
        if (PbsValues.TryExitStatus(value, out int status))
        {
            return status;
        }
        fault = "Exit_status is not a 32-bit integer";
        return null;
    }
}
