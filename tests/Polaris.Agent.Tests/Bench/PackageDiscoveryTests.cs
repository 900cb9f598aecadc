using System.Collections.Concurrent;
using Polaris.Agent.Bench;

namespace Polaris.Agent.Tests.Bench;

public class PackageDiscoveryTests
{
    private static readonly string[] Candidates = ["a", "b", "c", "d", "e", "f", "g"];

    [Fact]
    public void Importable_keeps_the_candidates_order_whatever_order_parallel_checks_finish_in()
    {
        var importable = PackageDiscovery.Importable(Candidates, name =>
        {
            // Later names answer first.
            Thread.Sleep(('h' - name[0]) * 5);
            return name != "c";
        }, parallelism: 3);

        Assert.Equal(["a", "b", "d", "e", "f", "g"], importable);
    }

    [Fact]
    public void Importable_checks_only_as_far_as_it_is_read()
    {
        var checkedNames = new ConcurrentBag<string>();

        var first = PackageDiscovery.Importable(Candidates, name => { checkedNames.Add(name); return true; }, parallelism: 2).Take(3).ToArray();

        Assert.Equal(["a", "b", "c"], first);
        Assert.Equal(["a", "b", "c", "d"], checkedNames.Order());
    }

    [Fact]
    public void The_list_is_cut_at_the_limit()
    {
        var chosen = PackageDiscovery.ImportableTogether(Candidates, _ => null, _ => { }, limit: 4);

        Assert.Equal(["a", "b", "c", "d"], chosen);
    }

    [Fact]
    public void A_package_that_fails_after_the_others_is_dropped_and_the_next_one_taken_in()
    {
        var dropped = new List<string>();
        // "c" breaks once "a" is loaded; "e" breaks once "b" is.
        string? FirstFailure(IReadOnlyList<string> packages) =>
            packages.Contains("c") ? "c" : packages.Contains("e") ? "e" : null;

        var chosen = PackageDiscovery.ImportableTogether(Candidates, FirstFailure, dropped.Add, limit: 4);

        Assert.Equal(["a", "b", "d", "f"], chosen);
        Assert.Equal(["c", "e"], dropped);
    }

    [Fact]
    public void Fewer_candidates_than_the_limit_give_a_shorter_list_and_none_give_an_empty_one()
    {
        Assert.Equal(["a", "b"], PackageDiscovery.ImportableTogether(["a", "b"], _ => null, _ => { }, limit: 95));
        Assert.Empty(PackageDiscovery.ImportableTogether([], _ => throw new InvalidOperationException("nothing to check"), _ => { }));
    }

    [Fact]
    public void Discovery_gives_up_when_dropping_packages_does_not_end()
    {
        var many = Enumerable.Range(0, 100).Select(i => "p" + i.ToString("000", System.Globalization.CultureInfo.InvariantCulture)).ToArray();

        Assert.Throws<IOException>(() => PackageDiscovery.ImportableTogether(many, packages => packages[0], _ => { }, limit: 5));
    }
}
