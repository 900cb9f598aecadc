using System.Formats.Tar;
using System.Text.Json;
using Polaris.Testing;
using Polaris.Wire;
using ZstdSharp;

namespace Polaris.Collector.Tests;

/// <summary>Every module path the real XALT and PyModuleSnooper records of tests/fixtures name, classified as the
/// collector will classify imported records: by its settings' rules alone, the defaults with the fixtures' roots.</summary>
public class FixturePathOriginTests
{
    // The places the fixtures' paths were rewritten to (tests/fixtures/README.md).
    private static readonly OriginRules Rules = new CollectorOptions
    {
        ProjectRoots = [.. OriginRoots.DefaultProjectRoots, "/lus/eagle/projects"],
        BaseEnvironments = ["/soft/datascience/conda/2024-04-29/mconda3"],
    }.OriginRules();

    [Fact]
    public void Every_PyModuleSnooper_module_path_gets_an_origin_and_the_home_packages_come_from_homes()
    {
        var modules = Entries("pms.tar.zst", "pms/")
            .SelectMany(text => text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            .SelectMany(line => JsonDocument.Parse(line).RootElement.GetProperty("modules").EnumerateObject())
            .Select(m => (Name: m.Name, Path: m.Value.GetString() ?? ""))
            .ToList();

        AssertOrigins(modules, "pms");
    }

    [Fact]
    public void Every_XALT_package_path_gets_an_origin_and_the_home_packages_come_from_homes()
    {
        var packages = Entries("xalt.tar.zst", "xalt/")
            .Select(text => JsonDocument.Parse(text).RootElement)
            .Where(record => record.TryGetProperty("package_path", out _))
            .Select(record => (Name: record.GetProperty("package_name").GetString()!, Path: record.GetProperty("package_path").GetString() ?? ""))
            .ToList();

        AssertOrigins(packages, "xalt");
    }

    private static void AssertOrigins(List<(string Name, string Path)> modules, string source)
    {
        Assert.True(modules.Count > 800, $"{modules.Count} module paths");
        var origins = modules.Select(m => (m.Name, m.Path, Origin: Rules.Classify(m.Path))).ToList();

        Assert.All(origins, m => Assert.True(m.Origin != Origin.Unknown, $"{m.Name}: {m.Path}"));
        // truth.json's home_packages, the packages loaded from under /home: mdtools from a user site, mytool from a home.
        var fromHomes = origins.Where(m => m.Origin is Origin.Home or Origin.UserSite).Select(m => m.Name.Split('.')[0]).ToHashSet();
        Assert.Equal(HomePackages(source), fromHomes.Order(StringComparer.Ordinal));
        Assert.All(origins.Where(m => m.Name.Split('.')[0] == "mdtools"), m => Assert.Equal(Origin.UserSite, m.Origin));
        Assert.All(origins.Where(m => m.Name.Split('.')[0] == "climkit"), m => Assert.Equal(Origin.Venv, m.Origin));
        Assert.All(origins.Where(m => m.Path.StartsWith("/usr/", StringComparison.Ordinal)), m => Assert.Equal(Origin.System, m.Origin));
    }

    private static string[] HomePackages(string source)
    {
        using var truth = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(RepoPaths.Root, "tests", "fixtures", "truth.json")));
        var names = truth.RootElement.GetProperty(source).GetProperty("home_packages").GetProperty("names").EnumerateArray().Select(n => n.GetString()!);
        return [.. names.Order(StringComparer.Ordinal)];
    }

    /// <summary>The text of every file under <paramref name="folder"/> in a fixture's zstd tarball.</summary>
    private static List<string> Entries(string tarball, string folder)
    {
        using var file = File.OpenRead(Path.Combine(RepoPaths.Root, "tests", "fixtures", tarball));
        using var zstd = new DecompressionStream(file);
        using var tar = new TarReader(zstd);
        var texts = new List<string>();
        while (tar.GetNextEntry() is { } entry)
        {
            if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile && entry.Name.StartsWith(folder, StringComparison.Ordinal) && entry.DataStream is { } data)
            {
                using var reader = new StreamReader(data);
                texts.Add(reader.ReadToEnd());
            }
        }
        Assert.NotEmpty(texts);
        return texts;
    }
}
