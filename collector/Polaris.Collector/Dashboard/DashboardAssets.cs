namespace Polaris.Collector.Dashboard;

/// <summary>The page's script and stylesheet, embedded in the collector (no CDN, nothing fetched at run time: the
/// collector may see no network but its nodes').</summary>
internal static class DashboardAssets
{
    /// <summary><c>Dashboard/dashboard.js</c>.</summary>
    public static byte[] Script { get; } = Load("Polaris.Collector.dashboard.js");

    /// <summary><c>Dashboard/dashboard.css</c>.</summary>
    public static byte[] Stylesheet { get; } = Load("Polaris.Collector.dashboard.css");

    private static byte[] Load(string name)
    {
        using var stream = typeof(DashboardAssets).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"the collector was built without its resource {name}");
        using var bytes = new MemoryStream();
        stream.CopyTo(bytes);
        return bytes.ToArray();
    }
}
