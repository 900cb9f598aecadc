using System.Globalization;

namespace Polaris.Testing;

/// <summary>What the kernel says of a running process in <c>/proc/PID/status</c>.</summary>
public static class ProcessStatus
{
    /// <summary>A field given in kB (<c>VmRSS</c>: resident now, <c>VmHWM</c>: the peak so far), in KiB.</summary>
    public static long KiB(int pid, string field) =>
        long.Parse(File.ReadLines($"/proc/{pid}/status").Single(line => line.StartsWith(field + ":", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
}
