using Polaris.Agent.Serve.Enrich;
using Polaris.Testing;
using Polaris.Wire;

namespace Polaris.Agent.Tests.Enrich;

/// <summary>The agent's classifier and the rules the collector has alone (<see cref="OriginRules"/>) agree on every
/// path whose origin needs no disk, over hundreds of paths made of the places, environment layouts and files Polaris
/// has.</summary>
public sealed class OriginAgreementTests : IDisposable
{
    private readonly TempDirectory _root = new("polaris-origins");
    private readonly EnrichOptions _options;
    private readonly OriginRules _rules;
    private readonly string[] _paths;

    public OriginAgreementTests()
    {
        var t = _root.Path;
        _options = new EnrichOptions
        {
            HomeRoots = [t + "/home"],
            ProjectRoots = [t + "/lus/eagle/projects", t + "/grand"],
            BaseEnvironments = [t + "/soft/datascience/conda/2024-04-29/mconda3"],
            SystemPrefixes = [t + "/usr", t + "/opt/cray"],
        };
        _rules = new OriginRules(_options.OriginRoots);
        string[] places =
        [
            "/home/asmith", "/home/bjones/", "/home", "/lus/eagle/projects/ClimateProj", "/lus/eagle/projects",
            "/grand/BioProj/alice", "/soft/datascience/conda/2024-04-29/mconda3", "/soft/datascience", "/usr",
            "/opt/cray/pe", "/elsewhere", "",
        ];
        string[] layouts = ["", "/.local", "/envs/x", "/miniconda3/envs/torch-2.3", "/venv", "/.local/envs/z", "/envs"];
        string[] files =
        [
            "/lib/python3.11/site-packages/numpy/core/multiarray.py", "/lib/python3.10/site-packages/six.py",
            "/lib/python3.13t/site-packages/rich/__init__.py", "/lib/python3.11/os.py",
            "/lib/python3.11/lib-dynload/_ssl.cpython-311-x86_64-linux-gnu.so", "/lib/python3/dist-packages/yaml/__init__.py",
            "/lib/libcudart.so.12", "/mylib/mytool.py", "/x.py", "/bin/tool.py",
            "/lib/python3.11/site-packages/gym/envs/classic_control/lib/cartpole.py",
            "/site-packages/envs/y/lib/python3.11/site-packages/w.py",
        ];
        _paths = [.. places.SelectMany(p => layouts.SelectMany(l => files.Select(f => t + p + l + f))), "", "relative/mod.py", "mod.py"];
    }

    public void Dispose() => _root.Dispose();

    // No home, working directory, script or user site: the process's places are the agent's, not the rules'.
    private static ProcessPlaces NoPlaces() => ProcessPlaces.Of(new ProcessRecord
    {
        Host = "x3004c0s7b0n0",
        Uid = 0,
        User = "root",
        Pid = 1,
        Environment = new PythonEnvironment { Changes = new EnvironmentChanges() },
        Job = new JobContext { Variables = new Dictionary<string, string>() },
    }, "");

    private static ProbeBudget Unbounded() => new(0, time: TimeSpan.FromMinutes(1));

    private Origin Agent(OriginClassifier classifier, string path, ProbeBudget? probes = null) =>
        classifier.Classify(path, NoPlaces(), probes ?? Unbounded());

    [Fact]
    public void With_no_environment_on_disk_they_agree_on_every_path_the_shapes_do_not_guess_at_and_the_disk_disproves_the_rest()
    {
        var classifier = new OriginClassifier(_options, new EnvironmentRootFinder());
        int guessed = 0;

        foreach (var path in _paths)
        {
            var rules = Rules(path);
            var expected = rules.Guessed.Length < 0 ? _rules.Classify(path) : OriginOf(rules.Settled);
            guessed += rules.Guessed.Length < 0 ? 0 : 1;
            Assert.True(expected == Agent(classifier, path), $"{path}: the rules say {_rules.Classify(path)}, the agent {Agent(classifier, path)}");
        }
        Assert.True(_paths.Length > 900, $"{_paths.Length} paths");
        Assert.InRange(guessed, 100, _paths.Length / 2);
    }

    [Fact]
    public void With_the_environments_the_shapes_guess_on_disk_they_agree_on_every_path_no_other_environment_holds()
    {
        // conda-meta/ where a conda environment is guessed and in the base, pyvenv.cfg where a venv is.
        var prefixes = new Dictionary<string, Origin>(StringComparer.Ordinal) { [_options.BaseEnvironments[0]] = Origin.BaseEnv };
        foreach (var path in _paths.Where(p => p.StartsWith('/')))
        {
            var folder = PathPrefix.Parent(path).ToString();
            if (Rules(path).Guessed is { Length: >= 0 } guess)
            {
                prefixes[folder[..guess.Length]] = guess.Origin;
            }
        }
        foreach (var (prefix, origin) in prefixes)
        {
            Directory.CreateDirectory(prefix);
            if (origin == Origin.Venv)
            {
                File.WriteAllText(prefix + "/pyvenv.cfg", "home = /usr/bin\n");
            }
            else
            {
                Directory.CreateDirectory(prefix + "/conda-meta");
            }
        }
        var classifier = new OriginClassifier(_options, new EnvironmentRootFinder());
        int compared = 0;

        foreach (var path in _paths)
        {
            // The innermost environment on disk around the path must be the one its own shape guessed, or the base
            // (a configured root): another's, as a venv's folder a path lies under without its shape, needs the disk.
            var rules = Rules(path);
            var folder = path.StartsWith('/') ? PathPrefix.Parent(path).ToString() : "";
            var around = prefixes.Keys.Where(p => folder.Length > 0 && PathPrefix.Covers(p, folder)).MaxBy(p => p.Length);
            bool ownGuess = around != null && rules.Guessed.Length == around.Length;
            bool noneOrBase = rules.Guessed.Length < 0 && (around == null || prefixes[around] == Origin.BaseEnv);
            if (ownGuess || noneOrBase)
            {
                compared++;
                Assert.True(_rules.Classify(path) == Agent(classifier, path), $"{path}: the rules say {_rules.Classify(path)}, the agent {Agent(classifier, path)}");
            }
        }
        Assert.True(compared > _paths.Length / 2, $"{compared} of {_paths.Length} compared");
    }

    [Fact]
    public void Past_its_probe_budget_the_agent_says_what_the_rules_alone_say_of_every_path()
    {
        var classifier = new OriginClassifier(_options, new EnvironmentRootFinder());

        Assert.All(_paths, path => Assert.Equal(_rules.Classify(path), Agent(classifier, path, new ProbeBudget(0, probes: 0))));
    }

    private RuleMatch Rules(string path) =>
        path.StartsWith('/') ? _rules.Match(PathPrefix.Parent(path)) : new RuleMatch(PrefixMatch.None, PrefixMatch.None);

    private static Origin OriginOf(PrefixMatch match) => match.Length < 0 ? Origin.Other : match.Origin;
}
