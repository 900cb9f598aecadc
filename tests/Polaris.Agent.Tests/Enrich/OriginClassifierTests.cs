using Polaris.Agent.Serve.Enrich;
using Polaris.Wire;

namespace Polaris.Agent.Tests.Enrich;

public sealed class OriginClassifierTests : IDisposable
{
    // 'nobody': a user who may enter what everyone may, and nothing of root's.
    private const uint Nobody = 65534;

    private readonly FakeFacility _facility = new();

    public void Dispose() => _facility.Dispose();

    private ProcessRecord Alice(string workingDirectory = "", string script = "", string userSite = "", string? userBase = null) => new()
    {
        Host = "x3004c0s7b0n0",
        Uid = FakeFacility.AliceUid,
        User = "alice",
        Pid = 1,
        PythonVersion = FakeFacility.Python,
        WorkingDirectory = workingDirectory,
        Environment = new PythonEnvironment { Changes = new EnvironmentChanges { UserSite = userSite } },
        Job = new JobContext
        {
            Script = script,
            Variables = userBase == null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["PYTHONUSERBASE"] = userBase },
        },
    };

    private Origin Classify(string path, ProcessRecord? record = null, EnrichOptions? options = null)
    {
        var classifier = new OriginClassifier(options ?? _facility.Options, new EnvironmentRootFinder());
        record ??= Alice();
        return classifier.Classify(path, ProcessPlaces.Of(record, _facility.Home), new ProbeBudget(record.Uid));
    }

    // A record's places remember the folder classified last: one per record, as the daemon makes them.
    private ProcessPlaces Places() => ProcessPlaces.Of(Alice(), _facility.Home);

    [Fact]
    public void Each_kind_of_place_gets_its_origin()
    {
        var f = _facility;
        var record = Alice(workingDirectory: f.Home + "/runs/exp1", script: f.Projects + "/climate/train/train.py", userBase: f.UserBase);
        var lib = FakeFacility.Lib;

        Assert.Equal(Origin.BaseEnv, Classify($"{f.Base}/{lib}/numpy/__init__.py", record));
        Assert.Equal(Origin.BaseEnv, Classify($"{f.Base}/lib/python3.11/lib-dynload/_ssl.cpython-311-x86_64-linux-gnu.so", record));
        Assert.Equal(Origin.CustomEnv, Classify($"{f.Clone}/{lib}/numpy/__init__.py", record));
        Assert.Equal(Origin.CustomEnv, Classify($"{f.Custom}/{lib}/torch/__init__.py", record));
        Assert.Equal(Origin.Venv, Classify($"{f.VenvOnBase}/{lib}/pydantic/__init__.py", record));
        Assert.Equal(Origin.Home, Classify($"{f.Home}/mylib/foo.py", record));
        Assert.Equal(Origin.UserSite, Classify($"{f.Home}/.local/{lib}/rich/__init__.py", record));
        Assert.Equal(Origin.UserSite, Classify($"{f.UserBase}/{lib}/tqdm/__init__.py", record));
        Assert.Equal(Origin.Project, Classify($"{f.Projects}/climate/shared/model.py", record));
        Assert.Equal(Origin.Project, Classify(f.Path("lus/flare/other/x.py"), record));
        Assert.Equal(Origin.Cwd, Classify($"{f.Home}/runs/exp1/helpers.py", record));
        Assert.Equal(Origin.Cwd, Classify($"{f.Projects}/climate/train/data.py", record));
        Assert.Equal(Origin.System, Classify("/usr/lib/python3.11/json/__init__.py", record));
        Assert.Equal(Origin.System, Classify("/opt/cray/pe/mpich/8.1.28/ofi/gnu/12.3/lib/libmpi_gnu_123.so.12", record));
        Assert.Equal(Origin.Other, Classify(f.Path("elsewhere/tool.py"), record));
        Assert.Equal(Origin.Unknown, Classify("", record));
        Assert.Equal(Origin.Cwd, Classify("relative/module.py", record));
    }

    [Fact]
    public void A_user_site_the_hook_reported_is_user_site_wherever_it_is()
    {
        var site = _facility.Path("scratch/alice-site");

        Assert.Equal(Origin.UserSite, Classify(site + "/foo/__init__.py", Alice(userSite: site + "/")));
    }

    [Fact]
    public void Prefixes_match_whole_path_components_only()
    {
        var options = _facility.Options with { ProjectRoots = [_facility.Path("x/ab")] };

        Assert.Equal(Origin.Project, Classify(_facility.Path("x/ab/f.py"), options: options));
        Assert.Equal(Origin.Other, Classify(_facility.Path("x/abc/f.py"), options: options));
        Assert.Equal(Origin.Other, Classify(_facility.Path("homework/f.py")));
        Assert.True(PathPrefix.Covers("/home/ab", "/home/ab"));
        Assert.True(PathPrefix.Covers("/home/ab", "/home/ab/x"));
        Assert.False(PathPrefix.Covers("/home/ab", "/home/abc/x"));
        Assert.True(PathPrefix.Covers("", "/anything"));
    }

    [Fact]
    public void The_longest_prefix_wins_whatever_its_class()
    {
        // A home inside a project file system: the user's own home is longer than the project root.
        var options = _facility.Options with { HomeRoots = [], ProjectRoots = [_facility.Path("home")] };
        Assert.Equal(Origin.Home, Classify(_facility.Home + "/mylib/foo.py", options: options));
        Assert.Equal(Origin.Project, Classify(_facility.Path("home/bob/foo.py"), options: options));

        // A venv in the working directory: the venv's prefix is longer.
        var cwd = Alice(workingDirectory: _facility.Home + "/venvs");
        Assert.Equal(Origin.Venv, Classify(_facility.VenvOnBase + "/" + FakeFacility.Lib + "/pydantic/main.py", cwd));
        Assert.Equal(Origin.Cwd, Classify(_facility.Home + "/venvs/notes.py", cwd));
    }

    [Fact]
    public void On_equal_length_the_more_specific_class_wins()
    {
        // The same folder as home root and project root: project is the narrower meaning.
        var options = _facility.Options with { ProjectRoots = [_facility.Path("home")] };
        Assert.Equal(Origin.Project, Classify(_facility.Path("home/bob/foo.py"), options: options));

        // The working directory is the home: home beats cwd.
        Assert.Equal(Origin.Home, Classify(_facility.Home + "/foo.py", Alice(workingDirectory: _facility.Home)));

        // The working directory is a venv's prefix: venv beats cwd.
        Assert.Equal(Origin.Venv, Classify(_facility.VenvOnBase + "/run.py", Alice(workingDirectory: _facility.VenvOnBase)));

        // A conda env configured as a project root too: custom-env beats project.
        var clone = _facility.Options with { ProjectRoots = [_facility.Clone] };
        Assert.Equal(Origin.CustomEnv, Classify(_facility.Clone + "/bin/tool.py", options: clone));
    }

    [Fact]
    public void A_working_directory_of_root_claims_nothing()
    {
        Assert.Equal(Origin.Other, Classify(_facility.Path("elsewhere/tool.py"), Alice(workingDirectory: "/")));
    }

    [Fact]
    public void Real_venvs_are_venvs_and_their_system_site_packages_are_system()
    {
        var plain = _facility.Path("venvs/plain");
        var shared = _facility.Path("venvs/shared");
        FakeFacility.MakeVenv(plain);
        FakeFacility.MakeVenv(shared, systemSitePackages: true, withoutPip: true);

        var pip = Directory.GetDirectories(plain + "/lib/python3.11/site-packages", "pip").Single();
        Assert.Equal(Origin.Venv, Classify(pip + "/__init__.py"));
        Assert.Equal(Origin.Venv, Classify(shared + "/lib/python3.11/site-packages/mine.py"));
        Assert.Equal(Origin.System, Classify("/usr/lib/python3/dist-packages/yaml/__init__.py"));
    }

    [Fact]
    public void Folders_are_cached_so_a_warm_classification_does_not_touch_the_disk()
    {
        var classifier = new OriginClassifier(_facility.Options, new EnvironmentRootFinder());
        var file = $"{_facility.Custom}/{FakeFacility.Lib}/torch/__init__.py";
        Assert.Equal(Origin.CustomEnv, classifier.Classify(file, Places(), new ProbeBudget(FakeFacility.AliceUid)));

        // The environment disappears: the cached folder still knows what it was, and a record with no probes
        // left still gets it.
        Directory.Delete(_facility.Custom + "/conda-meta", recursive: true);

        Assert.Equal(Origin.CustomEnv, classifier.Classify(file, Places(), new ProbeBudget(0, probes: 0)));
        Assert.Equal(0, classifier.Limited);
    }

    [Fact]
    public void A_record_of_deep_distinct_folders_stops_looking_at_its_budget_and_is_counted_once()
    {
        // A forged record's files, each in a chain of its own 40 folders deep under a custom environment: every
        // folder is a probe, so 100 probes see the first two files' environment and none after.
        const int Files = 20;
        var deep = string.Concat(Enumerable.Repeat("/d", 40));
        var files = Enumerable.Range(0, Files).Select(i => $"{_facility.Custom}/x{i}{deep}/f.py").ToArray();
        foreach (var file in files)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        }
        var classifier = new OriginClassifier(_facility.Options, new EnvironmentRootFinder());
        var places = Places();
        var probes = new ProbeBudget(0, probes: 100, time: TimeSpan.FromMinutes(1));

        var origins = files.Select(file => classifier.Classify(file, places, probes)).ToArray();

        Assert.Equal([Origin.CustomEnv, Origin.CustomEnv], origins[..2]);
        // Past the budget the configured rules alone decide: the custom environment lies in alice's home.
        Assert.All(origins[2..], origin => Assert.Equal(Origin.Home, origin));
        Assert.True(probes.Exhausted);
        Assert.Equal(1, classifier.Limited);

        // What the budget refused was not cached half-walked: a record with its own budget finds the environment.
        var next = new ProbeBudget(0);
        Assert.Equal(Origin.CustomEnv, classifier.Classify(files[^1], Places(), next));
        Assert.False(next.Exhausted);
        Assert.Equal(1, classifier.Limited);
    }

    [Fact]
    public void A_real_record_of_hundreds_of_files_fits_its_budget_and_costs_nothing_once_warm()
    {
        var folders = Enumerable.Range(0, 300).Select(i => $"{_facility.Custom}/{FakeFacility.Lib}/pkg{i / 10}/sub{i % 10}").ToArray();
        foreach (var folder in folders)
        {
            Directory.CreateDirectory(folder);
        }
        var classifier = new OriginClassifier(_facility.Options, new EnvironmentRootFinder());

        Assert.All(folders, folder => Assert.Equal(Origin.CustomEnv, classifier.Classify(folder + "/m.py", Places(), new ProbeBudget(FakeFacility.AliceUid, probes: 1000, time: TimeSpan.FromMinutes(1)))));
        // Warm, a record looks at no folder: it only checks, once, that its user may enter the environment.
        var warm = new ProbeBudget(FakeFacility.AliceUid, probes: _facility.Custom.Count('/') + 1);
        Assert.All(folders, folder => Assert.Equal(Origin.CustomEnv, classifier.Classify(folder + "/m.py", Places(), warm)));
        Assert.False(warm.Exhausted);
        Assert.Equal(0, classifier.Limited);
    }

    [Fact]
    public void An_environment_under_a_folder_its_user_cannot_enter_is_not_shown_to_them_even_once_root_found_it()
    {
        // Root's own environment, in a folder of root's alone (0700): nobody may not learn it holds conda-meta. Not
        // at .../envs/NAME, whose shape alone would say custom-env to anyone (OriginRules), disk or not.
        var secret = _facility.Path("root-only");
        var prefix = secret + "/private";
        FakeFacility.WriteCondaEnv(prefix, [FakeFacility.Torch], "");
        Directory.CreateDirectory(prefix + "/" + FakeFacility.Lib + "/torch");
        File.SetUnixFileMode(secret, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var file = $"{prefix}/{FakeFacility.Lib}/torch/__init__.py";
        var classifier = new OriginClassifier(_facility.Options, new EnvironmentRootFinder());

        Assert.Equal(Origin.Other, classifier.Classify(file, Places(), new ProbeBudget(Nobody)));
        Assert.Equal(Origin.CustomEnv, classifier.Classify(file, Places(), new ProbeBudget(0)));
        // Cached as root found it, and still not shown to nobody; an environment nobody may enter still is.
        Assert.Equal(Origin.Other, classifier.Classify(file, Places(), new ProbeBudget(Nobody)));
        Assert.Equal(Origin.CustomEnv, classifier.Classify($"{_facility.Clone}/{FakeFacility.Lib}/numpy/__init__.py", Places(), new ProbeBudget(Nobody)));
        Assert.Equal(0, classifier.Limited);
    }

    [Fact]
    public void A_user_gets_the_environment_above_the_folders_they_cannot_enter()
    {
        // A venv of root's inside alice's readable custom environment: nobody sees the custom environment only.
        var hidden = _facility.Custom + "/hidden";
        Directory.CreateDirectory(hidden + "/venv/lib");
        File.WriteAllText(hidden + "/venv/pyvenv.cfg", "home = /usr/bin\n");
        File.SetUnixFileMode(hidden, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var file = hidden + "/venv/lib/mod.py";
        var classifier = new OriginClassifier(_facility.Options, new EnvironmentRootFinder());

        Assert.Equal(Origin.Venv, classifier.Classify(file, Places(), new ProbeBudget(0)));
        Assert.Equal(Origin.CustomEnv, classifier.Classify(file, Places(), new ProbeBudget(Nobody)));
    }

    [Fact]
    public void The_disk_corrects_or_disproves_what_a_path_s_shape_guessed()
    {
        var project = _facility.Projects + "/climate";
        // A venv at .../envs/NAME, which the shape calls a conda environment: pyvenv.cfg says venv.
        FakeFacility.MakeVenv(project + "/envs/v");
        // A conda environment made with -p where a venv would be: conda-meta says custom-env.
        FakeFacility.WriteCondaEnv(project + "/condaenv", [FakeFacility.Torch], "");
        // pip install --prefix into the project: the layout of a venv, with neither marker.
        Directory.CreateDirectory($"{project}/pylibs/{FakeFacility.Lib}/foo");
        var rules = new OriginRules(_facility.Options.OriginRoots);

        Assert.Equal(Origin.CustomEnv, rules.Classify($"{project}/envs/v/{FakeFacility.Lib}/x.py"));
        Assert.Equal(Origin.Venv, Classify($"{project}/envs/v/{FakeFacility.Lib}/x.py"));
        Assert.Equal(Origin.Venv, rules.Classify($"{project}/condaenv/{FakeFacility.Lib}/torch/__init__.py"));
        Assert.Equal(Origin.CustomEnv, Classify($"{project}/condaenv/{FakeFacility.Lib}/torch/__init__.py"));
        Assert.Equal(Origin.Venv, rules.Classify($"{project}/pylibs/{FakeFacility.Lib}/foo/__init__.py"));
        Assert.Equal(Origin.Project, Classify($"{project}/pylibs/{FakeFacility.Lib}/foo/__init__.py"));

        // With no probe left the rules alone decide, as the collector's do.
        var classifier = new OriginClassifier(_facility.Options, new EnvironmentRootFinder());
        Assert.Equal(Origin.Venv, classifier.Classify($"{project}/pylibs/{FakeFacility.Lib}/foo/__init__.py", Places(), new ProbeBudget(0, probes: 0)));
    }

    [Fact]
    public void That_no_environment_lies_at_a_guessed_prefix_is_shown_only_to_users_who_could_look()
    {
        // Root's pip --prefix install in a project folder of root's alone: the shape says venv, root's look says
        // none. Nobody may not learn which: they get the shape's word, before and after root looked.
        var secret = _facility.Projects + "/root-only";
        var folder = $"{secret}/pylibs/{FakeFacility.Lib}/foo";
        Directory.CreateDirectory(folder);
        File.SetUnixFileMode(secret, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var classifier = new OriginClassifier(_facility.Options, new EnvironmentRootFinder());
        var file = folder + "/__init__.py";

        Assert.Equal(Origin.Venv, classifier.Classify(file, Places(), new ProbeBudget(Nobody)));
        Assert.Equal(Origin.Project, classifier.Classify(file, Places(), new ProbeBudget(0)));
        Assert.Equal(Origin.Venv, classifier.Classify(file, Places(), new ProbeBudget(Nobody)));
        Assert.Equal(0, classifier.Limited);
    }
}
