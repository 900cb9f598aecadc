using System.Globalization;
using System.Text.RegularExpressions;
using Polaris.Testing;

namespace Polaris.Collector.Tests;

/// <summary>systemd/polaris-collector.service as systemd itself reads it.</summary>
public partial class SystemdUnitTests
{
    private static string UnitWithBuiltBinary(TempDirectory dir)
    {
        // verify checks that ExecStart exists, so point it at the collector this test run built.
        var built = Path.Combine(Path.GetDirectoryName(CollectorProcess.Dll)!, "polaris-collector");
        var text = File.ReadAllText(Path.Combine(RepoPaths.Root, "systemd", "polaris-collector.service"))
            .Replace("/usr/lib/polaris-collector/polaris-collector", built, StringComparison.Ordinal);
        var unit = dir.Combine("polaris-collector.service");
        File.WriteAllText(unit, text);
        return unit;
    }

    [Fact]
    public void The_unit_passes_systemd_analyze_verify()
    {
        using var dir = new TempDirectory();

        var result = CommandResult.Run("systemd-analyze", ["verify", UnitWithBuiltBinary(dir)]);

        Assert.True(result.ExitCode == 0 && result.Stderr.Length == 0, result.StderrText);
    }

    [Fact]
    public void The_unit_is_hardened_to_an_exposure_of_at_most_2()
    {
        using var dir = new TempDirectory();

        var result = CommandResult.Run("systemd-analyze", ["security", "--offline=true", UnitWithBuiltBinary(dir)]);

        var exposure = ExposureLine().Match(result.StdoutText);
        Assert.True(exposure.Success, result.StdoutText + result.StderrText);
        Assert.InRange(double.Parse(exposure.Groups[1].Value, CultureInfo.InvariantCulture), 0, 2.0);
    }

    [GeneratedRegex(@"Overall exposure level for \S+: (\d+\.\d+)")]
    private static partial Regex ExposureLine();
}
