using Polaris.Testing;

namespace Polaris.EndToEnd.Tests;

/// <summary>The installed layout the lead decided for issue 13, as <c>rpm -qlp -v</c> shows it: permissions,
/// owner:group, path.</summary>
public static class RpmLayout
{
    /// <summary>Every file of polaris-agent, for version <paramref name="version"/>.</summary>
    public static string[] Agent(string version) =>
    [
        "drwxr-xr-x root:root /etc/polaris-agent",
        "-rw-r--r-- root:root /etc/polaris-agent/agent.json",
        "lrwxrwxrwx root:root /usr/bin/polaris-agent",
        "drwxr-xr-x root:root /usr/lib/polaris-agent",
        "drwxr-xr-x root:root /usr/lib/polaris-agent/hook",
        "-rw-r--r-- root:root /usr/lib/polaris-agent/hook/sitecustomize.py",
        "-rwxr-xr-x root:root /usr/lib/polaris-agent/polaris-agent",
        "-rw-r--r-- root:root /usr/lib/systemd/system/polaris-agent.service",
        "-rw-r--r-- root:root /usr/lib/systemd/system/polaris-agent.socket",
        "-rw-r--r-- root:root /usr/lib/sysusers.d/polaris-agent.conf",
        "-rw-r--r-- root:root /usr/lib/tmpfiles.d/polaris-agent.conf",
        .. Docs("polaris-agent"),
        "drwxr-xr-x root:root /usr/share/modulefiles/polaris-agent",
        $"-rw-r--r-- root:root /usr/share/modulefiles/polaris-agent/{version}",
        $"-rw-r--r-- root:root /usr/share/modulefiles/polaris-agent/{version}.lua",
        "drwxr-xr-x root:root /var/lib/polaris-agent",
        "drwx--x--x polaris-agent:polaris-agent /var/spool/polaris-agent",
        "drwx------ polaris-agent:polaris-agent /var/spool/polaris-agent/batches",
        "drwx-wx-wt polaris-agent:polaris-agent /var/spool/polaris-agent/incoming",
    ];

    /// <summary>The folder of the collector's self-contained publish; <see cref="Collector"/> leaves its files out.</summary>
    public const string CollectorRuntime = "/usr/lib/polaris-collector/";

    /// <summary>Every file of polaris-collector but those inside <see cref="CollectorRuntime"/>.</summary>
    public static string[] Collector() =>
    [
        "drwxr-xr-x root:root /etc/polaris-collector",
        "-rw-r--r-- root:root /etc/polaris-collector/collector.json",
        "lrwxrwxrwx root:root /usr/bin/polaris-collector",
        "drwxr-xr-x root:root /usr/lib/polaris-collector",
        "-rw-r--r-- root:root /usr/lib/systemd/system/polaris-collector.service",
        "-rw-r--r-- root:root /usr/lib/sysusers.d/polaris-collector.conf",
        .. Docs("polaris-collector"),
        "drwxr-xr-x root:root /usr/share/polaris-collector",
        "drwxr-xr-x root:root /usr/share/polaris-collector/grafana",
        "-rw-r--r-- root:root /usr/share/polaris-collector/grafana/polaris-dashboard.json",
        "drwxr-xr-x root:root /usr/share/polaris-collector/prometheus",
        "-rw-r--r-- root:root /usr/share/polaris-collector/prometheus/polaris-rules.yml",
        "drwxr-x--- polaris-collector:polaris-collector /var/lib/polaris-collector",
    ];

    /// <summary>The files of the runtime folder that are programs or shared libraries (0755); the rest are 0644.</summary>
    public static bool IsCollectorProgram(string path) =>
        path.EndsWith(".so", StringComparison.Ordinal) || path is CollectorRuntime + "polaris-collector" or CollectorRuntime + "createdump";

    // The README, and the operator's guide once docs/ has it.
    private static IEnumerable<string> Docs(string package) =>
        new[] { "README.md", "operations.md" }
            .Where(doc => doc == "README.md" || File.Exists(Path.Combine(RepoPaths.Root, "docs", doc)))
            .Select(doc => $"-rw-r--r-- root:root /usr/share/doc/{package}/{doc}")
            .Prepend($"drwxr-xr-x root:root /usr/share/doc/{package}");
}
