using Polaris.Agent.Serve.Receive;

namespace Polaris.Agent.Tests;

/// <summary>When a running process's record file is read: once open for liveAfterMs, then only after it grew, a window
/// after the read before; and no wake is asked for while nothing is due.</summary>
public class LiveFilesTests
{
    private const long LiveAfter = 10_000;
    private const long Window = 60_000;
    private const uint Alice = 1001;

    [Fact]
    public void A_file_is_due_liveAfter_its_creation_and_a_file_closed_before_asks_for_no_wake()
    {
        var files = new LiveFiles(LiveAfter, Window);
        files.Created("1.1.rec", Alice, 1000);
        files.Created("2.1.rec", Alice, 2000);
        files.Forget("1.1.rec"); // ended within its first seconds, as most do

        Assert.Equal(9000, files.TimeoutMs(3000));
        Assert.Empty(files.Due(11_999));
        Assert.Equal(["2.1.rec"], files.Due(12_000));
        Assert.Equal(-1, files.TimeoutMs(12_000));
        files.Forget("2.1.rec");
        Assert.Equal(-1, files.TimeoutMs(20_000));
        Assert.Equal(0, files.Count);
    }

    [Fact]
    public void After_a_read_nothing_is_due_until_the_file_grows_and_then_not_before_a_window_after_the_read()
    {
        var files = new LiveFiles(LiveAfter, Window);
        files.Created("1.1.rec", Alice, 0);
        Assert.Equal(["1.1.rec"], files.Due(LiveAfter));
        files.Read("1.1.rec", Alice, LiveAfter, 15_000);

        Assert.Equal(-1, files.TimeoutMs(LiveAfter + 1_000_000));
        files.Grew("1.1.rec", 20_000);
        files.Grew("1.1.rec", 21_000); // a second event before the read changes nothing
        Assert.Equal(LiveAfter + Window - 20_000, files.TimeoutMs(20_000));
        Assert.Empty(files.Due(LiveAfter + Window - 1));
        Assert.Equal(["1.1.rec"], files.Due(LiveAfter + Window));
        Assert.True(files.WasRead("1.1.rec"));
        Assert.Equal(15_000, files.LengthOf("1.1.rec"));
    }

    [Fact]
    public void A_file_that_grows_long_after_its_read_is_read_liveAfter_later_so_that_a_burst_of_frames_is_read_at_once()
    {
        var files = new LiveFiles(LiveAfter, Window);
        files.Created("1.1.rec", Alice, 0);
        files.Due(LiveAfter);
        files.Read("1.1.rec", Alice, LiveAfter, 100);

        files.Grew("1.1.rec", 3_600_000);

        Assert.Equal(LiveAfter, files.TimeoutMs(3_600_000));
    }

    [Fact]
    public void A_file_found_running_when_listing_the_folder_is_read_at_once_and_a_followed_one_only_when_due()
    {
        var files = new LiveFiles(LiveAfter, Window);
        files.Created("1.1.rec", Alice, 0);

        Assert.True(files.MayReadNow("2.1.rec", Alice, 0)); // there before the daemon: its age is unknown
        Assert.False(files.MayReadNow("1.1.rec", Alice, 5000));
        Assert.True(files.MayReadNow("1.1.rec", Alice, LiveAfter));
        Assert.False(new LiveFiles(0, Window).MayReadNow("2.1.rec", Alice, 0)); // liveAfterMs 0: off
    }

    [Fact]
    public void Past_the_files_a_user_may_have_followed_their_next_is_refused_and_another_users_is_not()
    {
        var files = new LiveFiles(LiveAfter, Window);
        for (int i = 0; i < LiveFiles.MaxFilesPerUser; i++)
        {
            Assert.True(files.Created($"{i}.1.rec", Alice, 0));
        }

        Assert.False(files.Created("x.1.rec", Alice, 0));
        Assert.False(files.MayReadNow("y.1.rec", Alice, 0));
        Assert.True(files.Created("x.1.rec", 1002, 0));
        files.Forget("0.1.rec");
        Assert.True(files.Created("z.1.rec", Alice, 0));
    }

    [Fact]
    public void Past_the_files_it_may_follow_a_new_one_is_refused_and_a_read_put_off_comes_due_when_said()
    {
        var files = new LiveFiles(LiveAfter, Window);
        for (int i = 0; i < LiveFiles.MaxFiles; i++)
        {
            Assert.True(files.Created($"{i}.1.rec", (uint)(i / LiveFiles.MaxFilesPerUser), 0));
        }
        Assert.False(files.Created("x.1.rec", Alice, 0));
        var due = files.Due(LiveAfter);
        Assert.Equal(LiveFiles.MaxFiles, due.Count);

        files.PutOff("7.1.rec", LiveAfter + 500);
        Assert.Equal(500, files.TimeoutMs(LiveAfter));
        Assert.Equal(["7.1.rec"], files.Due(LiveAfter + 500));
    }
}
