namespace Polaris.EndToEnd.Tests;

/// <summary>A registry of hooked environments private to this test run: <c>install-hook</c> lists its prefix there, not in
/// the machine's <c>/var/lib/polaris-agent/hook-prefixes</c>, which a package upgrade would then try to refresh.</summary>
public static class TestHookRegistry
{
    /// <summary>The registry file of this test process.</summary>
    public static string FilePath { get; } = Create();

    /// <summary><paramref name="args"/> with <c>--registry</c> naming <see cref="FilePath"/>.</summary>
    public static string[] Args(params string[] args) => [.. args, "--registry", FilePath];

    // Gone with the test process, so that runs do not pile files up in /tmp.
    private static string Create()
    {
        var path = Path.Combine(Path.GetTempPath(), $"polaris-e2e-hook-prefixes-{Environment.ProcessId}");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => File.Delete(path);
        return path;
    }
}
