using System.Text.Json;
using System.Text.RegularExpressions;
using Polaris.Testing;
using Polaris.Wire;

namespace Polaris.Collector.Tests.Reports;

/// <summary><c>report provisioning --format environment-yml</c> over a store whose names, versions and domains were
/// written to break out of YAML: what a real YAML reader (PyYAML, as conda's tooling is Python) makes of the output is
/// a list of package pins and nothing else.</summary>
public class ProvisioningYamlTests
{
    private static readonly DateTime Today = DateTime.UtcNow.Date.AddHours(12);

    // Each an import name a node may send: a line break into a new list item, a flow mapping, YAML 1.1's other
    // line breaks (NEL, U+2028), a quote, a comment.
    private static readonly string[] HostileNames =
        ["x\n  - pip:\n    - evil", "evil: {a: b}", "nel\u0085- injected", "ls\u2028- injected", "q\"uote", "hash #x"];

    private static ProcessSummary Process(uint uid, params (string Name, string Version, Origin Origin)[] modules) =>
        SummaryBuilder.Summarize([new ProcessRecord
        {
            Host = "n" + uid, Uid = uid, User = "user" + uid, Pid = 100, RecordId = $"n{uid}:{uid}",
            StartedAtMs = new DateTimeOffset(Today).ToUnixTimeMilliseconds(), EndedAtMs = new DateTimeOffset(Today).ToUnixTimeMilliseconds() + 1000,
            Job = new JobContext { JobId = $"{uid}.pbs", Account = "proj" },
            Modules = [.. modules.Select(m => new ModuleImport(m.Name, $"/somewhere/{m.Name.Length}/__init__.py") { Version = m.Version, Origin = m.Origin })],
            Times = [.. modules.Select(_ => new ImportTime(1000, 1000))],
        }]).Single();

    [Fact]
    public void Hostile_names_versions_and_domains_cannot_add_anything_to_the_environment_file()
    {
        using var dir = new TempDirectory();
        using (var opened = new TestStore(dir.Path))
        {
            var summaries = new[]
            {
                Process(2001, [("torch", "2.1.0", Origin.CustomEnv), ("goodpkg", "1.0\n  - evil", Origin.Venv), ("basepkg", "3.0", Origin.UserSite),
                    .. HostileNames.Select(n => (n, "1.0", Origin.UserSite))]),
                Process(2002, ("torch", "2.1.0", Origin.UserSite), ("basepkg", "2.0\u2028- evil: 1\n  - pip", Origin.BaseEnv)),
            };
            for (int i = 0; i < summaries.Length; i++)
            {
                opened.Store.Ingest(SummaryFixtures.BatchOf($"y{i}", summaries[i].Host, summaries[i]), DateTime.UtcNow);
            }
            opened.Store.Fold();
        }

        var all = Yaml(dir, "report", "provisioning", "--format", "environment-yml", "--data", dir.Path);
        var domain = Yaml(dir, "report", "provisioning", "--format", "environment-yml", "--data", dir.Path, "--domain", "x\ndependencies: [evil]");

        var root = all.Parsed;
        Assert.Equal(["dependencies"], root.EnumerateObject().Select(p => p.Name));
        var dependencies = root.GetProperty("dependencies").EnumerateArray().Select(d => d.ValueKind == JsonValueKind.String ? d.GetString()! : d.GetRawText()).ToArray();
        Assert.All(dependencies, d => Assert.Matches(@"^[A-Za-z0-9][A-Za-z0-9._-]*(=[A-Za-z0-9][A-Za-z0-9.+!_-]*)?$", d));
        // The hostile version leaves goodpkg unpinned; basepkg's base version is in its comment, printable.
        Assert.Equal(["basepkg=3.0", "goodpkg", "pytorch=2.1.0"], dependencies.Order(StringComparer.Ordinal));
        Assert.Contains($"# {HostileNames.Length} packages skipped: their names are not package names", all.Text, StringComparison.Ordinal);
        Assert.Contains("base has 2.0?- evil: 1?  - pip", all.Text, StringComparison.Ordinal);
        Assert.DoesNotMatch(new Regex("[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u2028\u2029]"), all.Text);
        Assert.Equal(["dependencies"], domain.Parsed.EnumerateObject().Select(p => p.Name));
        Assert.Equal(JsonValueKind.Null, domain.Parsed.GetProperty("dependencies").ValueKind);
    }

    // Runs the real command, then PyYAML on what it printed: the document as JSON.
    private static (string Text, JsonElement Parsed) Yaml(TempDirectory dir, params string[] args)
    {
        var result = CommandLineTests.Run(dir.Path, null, args);
        Assert.True(result.ExitCode == 0, result.StderrText);
        var file = dir.Combine($"fragment-{Guid.NewGuid():N}.yml");
        File.WriteAllBytes(file, result.Stdout);
        var parsed = CommandResult.Run("/usr/bin/python3",
            ["-c", "import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1], encoding='utf-8'))))", file]);
        Assert.True(parsed.ExitCode == 0, parsed.StderrText);
        using var document = JsonDocument.Parse(parsed.StdoutText);
        return (result.StdoutText, document.RootElement.Clone());
    }
}
