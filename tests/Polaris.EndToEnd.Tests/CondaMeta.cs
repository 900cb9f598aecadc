using System.Text.Json.Nodes;

namespace Polaris.EndToEnd.Tests;

/// <summary>Writes a <c>conda-meta/</c> folder in conda's own formats: one JSON record per package and the
/// <c>history</c> of transactions.</summary>
internal static class CondaMeta
{
    /// <summary>Writes <c>conda-meta/NAME-VERSION-BUILD.json</c> as conda links a package from conda-forge.</summary>
    /// <param name="prefix">The environment.</param>
    /// <param name="dist">The package as history names it, <c>name-version-build</c> (the name without dashes).</param>
    /// <param name="files">The files the package installed, relative to the prefix.</param>
    public static void AddPackage(string prefix, string dist, params string[] files)
    {
        var parts = dist.Split('-');
        var (name, version, build) = (parts[0], parts[1], parts[2]);
        var meta = Directory.CreateDirectory(Path.Combine(prefix, "conda-meta")).FullName;
        var record = new JsonObject
        {
            ["build"] = build,
            ["build_number"] = int.TryParse(build[(build.LastIndexOf('_') + 1)..], System.Globalization.CultureInfo.InvariantCulture, out var number) ? number : 0,
            ["channel"] = "https://conda.anaconda.org/conda-forge/linux-64",
            ["constrains"] = new JsonArray(),
            ["depends"] = new JsonArray("libgcc-ng >=12", "python >=3.11,<3.12.0a0"),
            ["extracted_package_dir"] = $"/soft/conda/pkgs/{dist}",
            ["files"] = new JsonArray([.. files.Select(f => (JsonNode?)f)]),
            ["fn"] = dist + ".conda",
            ["license"] = "BSD-3-Clause",
            ["link"] = new JsonObject { ["source"] = $"/soft/conda/pkgs/{dist}", ["type"] = 1 },
            ["md5"] = "0a1b2c3d4e5f60718293a4b5c6d7e8f9",
            ["name"] = name,
            ["requested_spec"] = name,
            ["size"] = 8065890,
            ["subdir"] = "linux-64",
            ["timestamp"] = 1707225421087,
            ["url"] = $"https://conda.anaconda.org/conda-forge/linux-64/{dist}.conda",
            ["version"] = version,
        };
        File.WriteAllText(Path.Combine(meta, dist + ".json"), record.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>Writes <c>conda-meta/history</c>.</summary>
    public static void WriteHistory(string prefix, string history)
    {
        var meta = Directory.CreateDirectory(Path.Combine(prefix, "conda-meta")).FullName;
        File.WriteAllText(Path.Combine(meta, "history"), history);
    }

    /// <summary>One transaction of <c>conda-meta/history</c>: header, command, and one line per package linked or unlinked.</summary>
    public static string Transaction(string when, string command, IEnumerable<string> linked, IEnumerable<string>? unlinked = null) =>
        $"==> {when} <==\n# cmd: {command}\n# conda version: 24.3.0\n" +
        string.Concat((unlinked ?? []).Select(d => $"-conda-forge/linux-64::{d}\n")) +
        string.Concat(linked.Select(d => $"+conda-forge/linux-64::{d}\n"));
}
