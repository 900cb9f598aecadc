using Polaris.Agent.Run;
using Polaris.Testing;

namespace Polaris.Agent.Tests;

public class RunCommandTests
{
    [Fact]
    public void The_hook_folder_goes_first_on_PYTHONPATH_and_the_user_s_entries_stay()
    {
        var env = RunCommand.HookEnvironment(new Dictionary<string, string> { ["PYTHONPATH"] = "/home/a/lib:/soft/x", ["HOME"] = "/home/a" }, "/opt/polaris/hook", "/tmp/drop");

        Assert.Equal("/opt/polaris/hook:/home/a/lib:/soft/x", env["PYTHONPATH"]);
        Assert.Equal("/tmp/drop", env[RunCommand.DropVariable]);
        Assert.Equal("/home/a", env["HOME"]);
    }

    [Fact]
    public void Without_a_drop_option_the_environment_s_drop_folder_is_kept()
    {
        var env = RunCommand.HookEnvironment(new Dictionary<string, string> { [RunCommand.DropVariable] = "/run/x" }, "/hook", null);

        Assert.Equal("/hook", env["PYTHONPATH"]);
        Assert.Equal("/run/x", env[RunCommand.DropVariable]);
    }

    [Fact]
    public void The_hook_shipped_beside_the_binary_is_the_one_embedded_in_it()
    {
        var onDisk = File.ReadAllBytes(Path.Combine(RepoPaths.Root, "agent", "Polaris.Agent", "Hook", "sitecustomize.py"));

        Assert.Equal(onDisk, HookFiles.Embedded());
        Assert.Equal(onDisk, File.ReadAllBytes(Path.Combine(HookFiles.Directory(), "sitecustomize.py")));
    }
}
