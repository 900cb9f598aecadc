using Polaris.Agent.Cli;

namespace Polaris.Agent.Tests;

public class OptionReaderTests
{
    private static readonly HashSet<string> Known = ["config", "runs"];
    private static readonly HashSet<string> Flags = ["no-agent"];

    [Fact]
    public void A_repeated_option_keeps_every_value_in_order_and_Get_answers_the_last()
    {
        var reader = new OptionReader(["--config", "a=X=1", "--runs=3", "--config=b=Y=2"], Known);

        Assert.Equal(["a=X=1", "b=Y=2"], reader.GetAll("config"));
        Assert.Equal("b=Y=2", reader.Get("config"));
        Assert.Empty(reader.GetAll("missing"));
    }

    [Fact]
    public void A_flag_takes_no_value_and_does_not_swallow_the_next_option()
    {
        var reader = new OptionReader(["--no-agent", "--runs", "3"], Known, Flags);

        Assert.True(reader.Has("no-agent"));
        Assert.Equal("3", reader.Get("runs"));
        Assert.False(new OptionReader(["--runs", "3"], Known, Flags).Has("no-agent"));
    }

    [Fact]
    public void A_flag_given_a_value_is_a_usage_error()
    {
        var error = Assert.Throws<UsageException>(() => new OptionReader(["--no-agent=yes"], Known, Flags));

        Assert.Contains("--no-agent", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_flags_a_value_less_option_is_still_unknown()
    {
        Assert.Throws<UsageException>(() => new OptionReader(["--no-agent"], Known));
    }
}
