using Polaris.Agent.Cli;

namespace Polaris.Agent.Tests;

public class HelpOptionTests
{
    private static readonly HashSet<string> Known = ["drop"];

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public void Help_among_the_options_is_a_help_request(string help)
    {
        Assert.Throws<HelpRequest>(() => new OptionReader(["--drop", "/d", help], Known));
    }

    [Fact]
    public void Help_after_the_double_dash_or_the_first_operand_is_an_operand()
    {
        Assert.Equal(["python", "-h"], new OptionReader(["--", "python", "-h"], Known).Operands);
        Assert.Equal(["python", "--help"], new OptionReader(["python", "--help"], Known).Operands);
    }

    [Theory]
    [InlineData("run")]
    [InlineData("serve")]
    [InlineData("status")]
    [InlineData("env")]
    [InlineData("install-hook")]
    [InlineData("bench")]
    [InlineData("version")]
    public void Every_command_has_its_usage(string command)
    {
        Assert.StartsWith($"usage: polaris-agent {command}", CommandUsage.Of(command), StringComparison.Ordinal);
        Assert.Contains($"  {command}", CommandUsage.All, StringComparison.Ordinal);
    }
}
