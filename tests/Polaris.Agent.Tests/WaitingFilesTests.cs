using Polaris.Agent.Serve.Receive;

namespace Polaris.Agent.Tests;

public class WaitingFilesTests
{
    private static readonly RecordFileName Claim = new(4242, 1_764_000_000_000_000_000);

    [Fact]
    public void A_file_whose_writer_ran_is_looked_at_again_soon_then_less_often_up_to_ten_seconds()
    {
        var waiting = new WaitingFiles();
        long now = 1_000;

        waiting.Wait("a.rec", Claim, 1000, 10, now);

        Assert.Equal(WaitingFiles.FirstRecheckMs, waiting.TimeoutMs(now));
        Assert.Empty(waiting.Due(now + WaitingFiles.FirstRecheckMs - 1));
        var intervals = new List<int>();
        for (int i = 0; i < 12; i++)
        {
            int wait = waiting.TimeoutMs(now);
            intervals.Add(wait);
            now += wait;
            Assert.Equal([("a.rec", Claim)], waiting.Due(now));
            waiting.Again("a.rec", now);
        }

        Assert.Equal([50, 100, 200, 400, 800, 1600, 3200, 6400, 10_000, 10_000, 10_000, 10_000], intervals);
        Assert.Equal(10, waiting.LengthOf("a.rec"));
    }

    [Fact]
    public void A_new_close_starts_the_schedule_again_and_a_file_comes_up_once_however_often_it_was_scheduled()
    {
        var waiting = new WaitingFiles();
        waiting.Wait("a.rec", Claim, 1000, 10, 0);
        for (int i = 0; i < 5; i++)
        {
            waiting.Again("a.rec", 0);
        }

        waiting.Wait("a.rec", Claim, 1000, 20, 100);
        waiting.Wait("a.rec", Claim, 1000, 20, 100);

        Assert.Equal(WaitingFiles.FirstRecheckMs, waiting.TimeoutMs(100));
        Assert.Single(waiting.Due(100 + WaitingFiles.FirstRecheckMs));
        Assert.Equal(-1, waiting.TimeoutMs(200)); // until the caller says when to look again
        waiting.Remove("a.rec");
        Assert.Equal(-1, waiting.TimeoutMs(200_000));
        Assert.Equal(0, waiting.Count);
    }

    [Fact]
    public void A_user_s_waiting_files_count_against_that_user_only()
    {
        var waiting = new WaitingFiles();
        const long Half = WaitingFiles.MaxBytesPerUser / 2;

        Assert.True(waiting.Wait("a.rec", Claim, 1000, Half, 0));
        Assert.True(waiting.Wait("b.rec", Claim, 1000, Half, 0));
        Assert.False(waiting.Wait("c.rec", Claim, 1000, 1, 0));
        Assert.True(waiting.Wait("d.rec", Claim, 2000, Half, 0));
        Assert.True(waiting.Wait("a.rec", Claim, 1000, Half, 0)); // read again: its old length is not counted twice

        waiting.Remove("b.rec");

        Assert.True(waiting.Wait("c.rec", Claim, 1000, 1, 0));
        Assert.Equal(Half + 1, waiting.BytesOf(1000));
        Assert.Equal(3, waiting.Count);
    }
}
