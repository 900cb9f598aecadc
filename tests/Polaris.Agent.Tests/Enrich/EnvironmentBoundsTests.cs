using Polaris.Agent.Serve.Enrich;
using Polaris.Wire;

namespace Polaris.Agent.Tests.Enrich;

/// <summary>An environment is read as the record's user could read it, and within bounds of bytes, files and time.</summary>
public sealed class EnvironmentBoundsTests : IDisposable
{
    // 'nobody': a user who may read what everyone may, and nothing of root's.
    private const uint Nobody = 65534;

    private readonly FakeFacility _facility = new();

    public void Dispose() => _facility.Dispose();

    private static PythonEnvironment Raw(string prefix) => new() { Implementation = "cpython", Prefix = prefix, BasePrefix = prefix };

    [Fact]
    public void A_folder_its_user_cannot_read_is_not_analysed_for_that_user_and_root_s_analysis_is_not_shared_with_them()
    {
        // Everything readable by all, but the custom environment: made root's alone, mode 0700.
        File.SetUnixFileMode(_facility.Custom, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var analyzer = new EnvironmentAnalyzer(_facility.Options);

        var forNobody = analyzer.Analyze(Raw(_facility.Custom), "3.12.3", [], Nobody);
        var forRoot = analyzer.Analyze(Raw(_facility.Custom), "3.12.3", [], 0);
        var forNobodyAgain = analyzer.Analyze(Raw(_facility.Custom), "3.12.3", [], Nobody);
        var cloneForNobody = analyzer.Analyze(Raw(_facility.Clone), FakeFacility.Python, [], Nobody);

        Assert.NotEqual(EnvironmentKind.CondaEnv, forNobody.Kind);
        Assert.True(forNobody.Changes.IsEmpty, "root's private package list is not shown under another user's name");
        Assert.Equal(EnvironmentKind.CondaEnv, forRoot.Kind);
        Assert.NotEmpty(forRoot.Changes.CondaAdded);
        Assert.Equal(forNobody, forNobodyAgain);
        Assert.Equal(EnvironmentKind.BaseClone, cloneForNobody.Kind);
        Assert.NotEmpty(cloneForNobody.Changes.CondaAdded);
    }

    [Fact]
    public void An_environment_of_huge_package_records_is_read_only_up_to_its_budget_and_counted()
    {
        // Sparse files: 16 MiB each on disk costs nothing; reading them all would be 320 MiB.
        var prefix = _facility.Path("home/mallory/envs/huge");
        var meta = Directory.CreateDirectory(prefix + "/conda-meta").FullName;
        File.WriteAllText(meta + "/history", "==> 2024-06-01 12:00:00 <==\n# cmd: conda create -p x\n");
        for (int i = 0; i < 20; i++)
        {
            using var file = File.Create($"{meta}/pkg{i}-1.0-0.json");
            file.SetLength(CondaEnvironment.MaxRecordBytes);
        }
        var analyzer = new EnvironmentAnalyzer(_facility.Options);

        var environment = analyzer.Analyze(Raw(prefix), FakeFacility.Python, [], FakeFacility.AliceUid);

        Assert.Equal(1, analyzer.Limited);
        Assert.Equal(EnvironmentKind.CondaEnv, environment.Kind);
        Assert.True(environment.Changes.IsEmpty, "changes from a half-read environment would be wrong");
    }

    [Fact]
    public void A_user_past_their_analysis_time_waits_for_it_to_refill()
    {
        var allowance = new AnalysisAllowance();
        long now = 1_000_000;
        long second = System.Diagnostics.Stopwatch.Frequency;

        Assert.True(allowance.Allows(7, now));
        allowance.Charge(7, now, now + (long)(AnalysisAllowance.BurstSeconds * second));
        now += (long)(AnalysisAllowance.BurstSeconds * second);

        Assert.False(allowance.Allows(7, now));
        Assert.True(allowance.Allows(8, now), "another user's allowance is their own");
        Assert.True(allowance.Allows(7, now + 60 * second / (long)AnalysisAllowance.SecondsPerMinute + second / 10));
    }
}
