namespace Polaris.Wire.Tests;

/// <summary>The rules both the agent and the collector classify paths by, on paths as Polaris's users have them.</summary>
public class OriginRulesTests
{
    private const string Base = "/soft/datascience/conda/2024-04-29/mconda3";

    // The defaults, with the facility's base environment: what a Polaris collector would be configured with.
    private static readonly OriginRules Polaris = new(new OriginRoots { BaseEnvironments = [Base] });

    [Theory]
    [InlineData("/home/asmith/mylib/mytool.py", Origin.Home)]
    [InlineData("/home/asmith/train.py", Origin.Home)]
    [InlineData("/home/asmith/.local/lib/python3.11/site-packages/mdtools/__init__.py", Origin.UserSite)]
    [InlineData("/home/asmith/.local/lib/python3.11/site-packages/six.py", Origin.UserSite)]
    [InlineData("/home/asmith/.local/lib/python3.13t/site-packages/rich/__init__.py", Origin.UserSite)]
    [InlineData("/home/asmith/.local/lib/python3.11/site-packages/gym/envs/classic_control/lib/cartpole.py", Origin.UserSite)]
    [InlineData("/home/asmith/.local/lib/python3.11/tool.py", Origin.Home)]
    [InlineData("/home/asmith/.local/lib/python3/site-packages/x.py", Origin.Home)]
    [InlineData("/home/asmith/.local/bin/tool.py", Origin.Home)]
    [InlineData("/home/.local/lib/python3.11/site-packages/x.py", Origin.Home)]
    [InlineData("/home/asmith/miniconda3/envs/torch/lib/python3.11/site-packages/torch/__init__.py", Origin.CustomEnv)]
    [InlineData("/home/asmith/miniconda3/lib/python3.11/site-packages/numpy/__init__.py", Origin.Home)]
    [InlineData("/home/asmith/venvs/a/lib/python3.11/site-packages/x.py", Origin.Home)]
    [InlineData("/lus/eagle/projects/P/envs/x/lib/python3.11/site-packages/numpy/__init__.py", Origin.CustomEnv)]
    [InlineData("/lus/eagle/projects/P/envs/x/lib/python3.11/lib-dynload/_ssl.cpython-311-x86_64-linux-gnu.so", Origin.CustomEnv)]
    [InlineData("/lus/eagle/projects/P/envs/x/lib/libcudart.so.12", Origin.CustomEnv)]
    [InlineData("/lus/eagle/projects/P/envs/x/lib/python3.11/site-packages/gym/envs/mujoco/lib/ant.py", Origin.CustomEnv)]
    [InlineData("/lus/eagle/projects/P/envs/x/bin/tool.py", Origin.Project)]
    [InlineData("/lus/eagle/projects/P/envs/notes.py", Origin.Project)]
    [InlineData("/lus/eagle/projects/P/venv/lib/python3.11/site-packages/climkit/__init__.py", Origin.Venv)]
    [InlineData("/lus/eagle/projects/P/venv/lib/python3.11/site-packages/_distutils_hack/__init__.py", Origin.Venv)]
    [InlineData("/lus/eagle/projects/P/venv/lib/python3.11/os.py", Origin.Project)]
    [InlineData("/lus/eagle/projects/P/shared/model.py", Origin.Project)]
    [InlineData("/grand/P/venvs/cfd/lib/python3.12/site-packages/x.py", Origin.Venv)]
    [InlineData(Base + "/lib/python3.11/site-packages/numpy/__init__.py", Origin.BaseEnv)]
    [InlineData(Base + "/lib/python3.11/json/__init__.py", Origin.BaseEnv)]
    [InlineData(Base + "/envs/aurora/lib/python3.11/site-packages/torch/__init__.py", Origin.CustomEnv)]
    [InlineData("/soft/datascience/pymodulesnooper/sitecustomize.py", Origin.Other)]
    [InlineData("/usr/lib/python3/dist-packages/numpy/__init__.py", Origin.System)]
    [InlineData("/usr/lib/python3.11/json/__init__.py", Origin.System)]
    [InlineData("/usr/lib/python3.11/lib-dynload/mmap.cpython-311-x86_64-linux-gnu.so", Origin.System)]
    [InlineData("/opt/cray/pe/mpich/8.1.28/ofi/gnu/12.3/lib/libmpi_gnu_123.so.12", Origin.System)]
    [InlineData("/usr/local/lib/python3.11/site-packages/x.py", Origin.System)]
    [InlineData("/homework/x.py", Origin.Other)]
    [InlineData("/x.py", Origin.Other)]
    [InlineData("/", Origin.Other)]
    [InlineData("mytool.py", Origin.Cwd)]
    [InlineData("./lib/helpers.py", Origin.Cwd)]
    [InlineData("", Origin.Unknown)]
    public void A_Polaris_path_gets_its_origin_from_the_rules_alone(string path, Origin origin)
    {
        Assert.Equal(origin, Polaris.Classify(path));
    }

    [Fact]
    public void The_defaults_are_the_agent_s()
    {
        var roots = new OriginRoots();

        Assert.Equal(["/home"], roots.HomeRoots);
        Assert.Equal(["/lus", "/eagle", "/grand", "/projects"], roots.ProjectRoots);
        Assert.Empty(roots.BaseEnvironments);
        Assert.Equal(["/usr", "/lib", "/lib64", "/bin", "/sbin", "/etc", "/opt/cray", "/opt/nvidia"], roots.SystemPrefixes);
        Assert.Equal(Origin.Other, OriginRules.Default.Classify(Base + "/lib/python3.11/site-packages/numpy/__init__.py"));
    }

    [Fact]
    public void The_longest_root_wins_and_on_equal_length_the_narrower_meaning()
    {
        // A home root inside a project file system: the longer prefix, the home, wins.
        var homes = new OriginRules(new OriginRoots { HomeRoots = ["/lus/eagle/home"], ProjectRoots = ["/lus"] });
        Assert.Equal(Origin.Home, homes.Classify("/lus/eagle/home/asmith/x.py"));
        Assert.Equal(Origin.UserSite, homes.Classify("/lus/eagle/home/asmith/.local/lib/python3.11/site-packages/x.py"));
        Assert.Equal(Origin.Project, homes.Classify("/lus/eagle/projects/P/x.py"));

        // The same folder as home root and project root: project is the narrower meaning.
        var both = new OriginRules(new OriginRoots { HomeRoots = ["/home"], ProjectRoots = ["/home"] });
        Assert.Equal(Origin.Project, both.Classify("/home/asmith/x.py"));
        Assert.Equal(Origin.UserSite, both.Classify("/home/asmith/.local/lib/python3.11/site-packages/x.py"));
    }

    [Fact]
    public void A_configured_base_environment_is_base_though_its_shape_says_custom_or_venv()
    {
        var rules = new OriginRules(new OriginRoots
        {
            BaseEnvironments = ["/lus/eagle/projects/datascience/envs/base-2024/", "/lus/eagle/projects/datascience/py311"],
        });

        Assert.Equal(Origin.BaseEnv, rules.Classify("/lus/eagle/projects/datascience/envs/base-2024/lib/python3.11/site-packages/x.py"));
        Assert.Equal(Origin.BaseEnv, rules.Classify("/lus/eagle/projects/datascience/py311/lib/python3.11/site-packages/x.py"));
        Assert.Equal(Origin.CustomEnv, rules.Classify("/lus/eagle/projects/datascience/py311/envs/mine/lib/python3.11/x.py"));
        Assert.True(rules.IsBaseEnvironment("/lus/eagle/projects/datascience/envs/base-2024"));
    }

    [Fact]
    public void Roots_match_whole_components_and_a_trailing_slash_or_the_root_folder_is_understood()
    {
        var rules = new OriginRules(new OriginRoots { HomeRoots = ["/home/"], ProjectRoots = ["/x/ab"], SystemPrefixes = ["/"] });

        Assert.Equal(Origin.Project, rules.Classify("/x/ab/f.py"));
        Assert.Equal(Origin.System, rules.Classify("/x/abc/f.py"));
        Assert.Equal(Origin.UserSite, rules.Classify("/home/a/.local/lib/python3.11/site-packages/f.py"));
        Assert.Equal(Origin.System, rules.Classify("/f.py"));
    }

    [Fact]
    public void A_relative_root_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => new OriginRules(new OriginRoots { ProjectRoots = ["lus"] }));

        Assert.Contains("'lus'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_match_tells_what_is_settled_from_what_the_shape_guesses()
    {
        var venv = Polaris.Match("/lus/eagle/projects/P/venv/lib/python3.11/site-packages/climkit");
        Assert.Equal(new PrefixMatch(Origin.Project, "/lus".Length), venv.Settled);
        Assert.Equal(new PrefixMatch(Origin.Venv, "/lus/eagle/projects/P/venv".Length), venv.Guessed);

        var site = Polaris.Match("/home/asmith/.local/lib/python3.11/site-packages");
        Assert.Equal(new PrefixMatch(Origin.UserSite, "/home/asmith/.local/lib/python3.11/site-packages".Length), site.Settled);
        Assert.Equal(PrefixMatch.None, site.Guessed);
        Assert.Equal(Origin.Other, Polaris.Match("/srv").Origin);
    }
}
