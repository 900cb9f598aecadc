using Polaris.Testing;

namespace Polaris.EndToEnd.Tests;

/// <summary>The hook never changes a program's stdout, stderr or exit status, whether the daemon is there or not.</summary>
public class TransparencyTests
{
    public static TheoryData<string, string> Scripts => new()
    {
        { "normal", "import sys\nprint('hello')\nsys.stderr.write('a warning\\n')\n" },
        { "exit3", "import sys\nprint('leaving')\nsys.exit(3)\n" },
        { "exception", "print('about to fail')\ndef f():\n    raise RuntimeError('boom')\nf()\n" },
        { "customize", "import sys, sitecustomize\nprint(sitecustomize.__file__, sys.excepthook.__module__, len(sys.path), sys.path[0])\n" },
        { "much-output", "import sys\nfor i in range(200000):\n    print(i, 'x' * 40)\n    if i % 1000 == 0:\n        sys.stderr.write('progress %d\\n' % i)\n" },
        // The traceback of an error raised while importing shows no frame of the hook's.
        { "failing-import", "import polaris_failing_module\n" },
        // A DeprecationWarning raised at import by a module __main__ imports is shown, attributed to the import line.
        { "import-warning", "import polaris_deprecated_module\nprint('after')\n" },
    };

    private static readonly Dictionary<string, string> Modules = new()
    {
        ["polaris_failing_module"] = "def load():\n    raise ValueError('bad configuration')\nload()\n",
        ["polaris_deprecated_module"] = "import warnings\nwarnings.warn('use something else', DeprecationWarning, stacklevel=2)\n",
    };

    // The comparisons above would pass if neither run showed what the script is about.
    private static void AssertShown(string name, CommandResult bare)
    {
        if (name == "failing-import")
        {
            Assert.Contains("ValueError: bad configuration", bare.StderrText, StringComparison.Ordinal);
        }
        if (name == "import-warning")
        {
            Assert.Matches(@"import-warning\.py:\d+: DeprecationWarning: use something else", bare.StderrText);
        }
    }

    private static void WriteModules(string folder)
    {
        foreach (var (name, source) in Modules)
        {
            File.WriteAllText(Path.Combine(folder, name + ".py"), source);
        }
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Output_and_exit_status_are_byte_identical_with_and_without_the_hook(string name, string body)
    {
        using var node = new NodeUnderTest();
        // A module next to the script, imported first, proves the hook saw this very process.
        var probe = "polaris_probe_" + name.Replace('-', '_');
        File.WriteAllText(Path.Combine(node.Folder, probe + ".py"), "");
        WriteModules(node.Folder);
        var script = Path.Combine(node.Folder, name + ".py");
        File.WriteAllText(script, $"import {probe}\n{body}");

        var bare = CommandResult.Run(RepoPaths.Python, [script]);
        var hooked = node.Daemon.Run([RepoPaths.Python, script]);

        Assert.Equal(bare.ExitCode, hooked.ExitCode);
        Assert.Equal(bare.Stdout, hooked.Stdout);
        Assert.Equal(bare.Stderr, hooked.Stderr);
        AssertShown(name, bare);
        node.Collector.WaitForMetric($"polaris_library_processes_total{{library=\"{probe}\"}}", 1);
        Assert.Equal(1, node.Collector.Metric("polaris_python_processes_total"));
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Without_a_daemon_the_hook_does_nothing_visible(string name, string body)
    {
        using var dir = new TempDirectory();
        var script = dir.Combine(name + ".py");
        File.WriteAllText(script, body);
        WriteModules(dir.Path);

        var bare = CommandResult.Run(RepoPaths.Python, [script]);
        var hooked = CommandResult.Run(AgentBinary.FilePath, ["run", "--drop", dir.Combine("no-daemon"), "--", RepoPaths.Python, script]);

        Assert.Equal(bare.ExitCode, hooked.ExitCode);
        Assert.Equal(bare.Stdout, hooked.Stdout);
        Assert.Equal(bare.Stderr, hooked.Stderr);
        AssertShown(name, bare);
    }
}
