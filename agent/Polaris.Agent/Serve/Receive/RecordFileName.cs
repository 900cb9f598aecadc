using System.Globalization;

namespace Polaris.Agent.Serve.Receive;

/// <summary>The hook names its record file <c>PID.START_NS.rec</c>; the pid and start time tell the daemon whether the writer still runs.</summary>
/// <param name="Pid">Process id the hook wrote (not trusted for identity; the file's owner is).</param>
/// <param name="StartedUnixNs">When the hook started in that process, Unix ns.</param>
public readonly record struct RecordFileName(int Pid, long StartedUnixNs)
{
    /// <summary>Extension of record files.</summary>
    public const string Extension = ".rec";

    public static RecordFileName? Parse(string name)
    {
        if (!name.EndsWith(Extension, StringComparison.Ordinal))
        {
            return null;
        }
        var parts = name[..^Extension.Length].Split('.');
        return parts.Length == 2 &&
            int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) &&
            long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var start)
            ? new RecordFileName(pid, start)
            : null;
    }
}
