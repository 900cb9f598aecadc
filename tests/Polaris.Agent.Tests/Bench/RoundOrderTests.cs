using Polaris.Agent.Bench;

namespace Polaris.Agent.Tests.Bench;

public class RoundOrderTests
{
    private static readonly string[] Configurations = ["bare", "agent", "xalt"];

    [Fact]
    public void Each_round_rotates_the_order_by_one_place()
    {
        Assert.Equal(["bare", "agent", "xalt"], RoundOrder.Of(Configurations, 0));
        Assert.Equal(["agent", "xalt", "bare"], RoundOrder.Of(Configurations, 1));
        Assert.Equal(["xalt", "bare", "agent"], RoundOrder.Of(Configurations, 2));
        Assert.Equal(["bare", "agent", "xalt"], RoundOrder.Of(Configurations, 3));
    }

    [Fact]
    public void Over_whole_cycles_every_configuration_holds_every_position_equally_often()
    {
        var rounds = Enumerable.Range(0, 9).Select(r => RoundOrder.Of(Configurations, r)).ToArray();

        foreach (var configuration in Configurations)
        {
            var positions = rounds.Select(order => order.ToList().IndexOf(configuration)).GroupBy(p => p).ToArray();
            Assert.Equal(3, positions.Length);
            Assert.All(positions, position => Assert.Equal(3, position.Count()));
        }
    }

    [Fact]
    public void One_configuration_and_none_are_their_own_rotations()
    {
        Assert.Equal(["bare"], RoundOrder.Of(["bare"], 5));
        Assert.Empty(RoundOrder.Of(Array.Empty<string>(), 2));
    }
}
