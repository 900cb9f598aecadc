using Polaris.Testing;

namespace Polaris.EndToEnd.Tests;

/// <summary>What the hook brings into a process: nothing the program could trip over, and nothing newer than CPython 3.8.</summary>
public class HookFootprintTests
{
    private static string HookFile => Path.Combine(AgentBinary.Directory, "hook", "sitecustomize.py");

    [Fact]
    public void The_hook_loads_no_module_the_interpreter_had_not_loaded()
    {
        using var dir = new TempDirectory();
        const string Code = "import sys; print('\\n'.join(sorted(sys.modules)))";
        _ = AgentBinary.FilePath;

        var bare = CommandResult.Run(RepoPaths.Python, ["-c", Code]).StdoutText.Split('\n').ToHashSet();
        var hooked = CommandResult.Run(RepoPaths.Python, ["-c", Code], new Dictionary<string, string?>
        {
            ["PYTHONPATH"] = Path.GetDirectoryName(HookFile),
            ["POLARIS_AGENT_DROP"] = dir.Path,
        }).StdoutText.Split('\n').ToHashSet();

        // Not even atexit, built into the interpreter: on 3.10 and later the hook registers through a private
        // instance of it, which shares the interpreter's callbacks.
        Assert.Equal(bare.Order(StringComparer.Ordinal), hooked.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_hook_is_valid_python_3_8()
    {
        _ = AgentBinary.FilePath;

        var result = CommandResult.Run(RepoPaths.Python,
            ["-c", "import ast, sys; ast.parse(open(sys.argv[1]).read(), feature_version=(3, 8))", HookFile]);

        Assert.True(result.ExitCode == 0, result.StderrText);
    }
}
