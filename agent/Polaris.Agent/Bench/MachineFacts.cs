using System.Globalization;

namespace Polaris.Agent.Bench;

/// <summary>The facts a reader needs to judge a timing table: where, with what, and when it was measured.</summary>
/// <param name="Cores">Logical CPUs this process may use.</param>
/// <param name="CpuModel">The CPU's model name from <c>/proc/cpuinfo</c>, when it says.</param>
/// <param name="Kernel">The kernel release.</param>
/// <param name="Date">When the measurement started (UTC).</param>
public sealed record MachineFacts(int Cores, string? CpuModel, string? Kernel, DateTimeOffset Date)
{
    public static MachineFacts OfThisMachine() =>
        new(Environment.ProcessorCount, CpuModelName(), FirstLine("/proc/sys/kernel/osrelease"), DateTimeOffset.UtcNow);

    public string DateText => Date.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static string? CpuModelName()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line?[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static string? FirstLine(string path)
    {
        try
        {
            return File.ReadLines(path).FirstOrDefault()?.Trim();
        }
        catch (IOException)
        {
            return null;
        }
    }
}
