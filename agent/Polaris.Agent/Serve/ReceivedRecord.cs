using Polaris.Wire;

namespace Polaris.Agent.Serve;

/// <summary>A record on its way through the daemon, with the drop file it came from: that file is removed only
/// once the record is in the spool, so a crash in between loses nothing (the record id makes a re-read harmless).</summary>
/// <param name="Record">The record.</param>
/// <param name="DropFile">The file to remove once the record is spooled.</param>
/// <param name="OriginOf">Where a file of the record lies, asked when its summary first meets a module or shared
/// object; null when the record's origins are already set.</param>
public sealed record ReceivedRecord(ProcessRecord Record, string DropFile, Func<string, Origin>? OriginOf = null)
{
    /// <summary>Whether the process had ended when its record was read; <see cref="RecordState.Final"/> unless said.</summary>
    public RecordState State { get; init; }

    /// <summary>The drop file <paramref name="dropFile"/>'s process, read while it ran, will send no final record.</summary>
    public static ReceivedRecord Gone(string dropFile) =>
        new(new ProcessRecord { Host = "", Uid = 0, User = "", Pid = 0 }, dropFile) { State = RecordState.Gone };
}
