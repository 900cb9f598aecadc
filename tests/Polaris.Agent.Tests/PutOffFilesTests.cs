using Polaris.Agent.Serve.Receive;

namespace Polaris.Agent.Tests;

public class PutOffFilesTests
{
    [Fact]
    public void Files_come_back_oldest_first_once_their_charge_fits_and_a_file_put_off_again_ends_its_user_s_turn()
    {
        var putOff = new PutOffFiles();
        putOff.Add(1, "a1", 100);
        putOff.Add(1, "a2", 5);
        putOff.Add(2, "b1", 5);
        var taken = new List<string>();

        // Alice's oldest does not fit: her smaller later file waits behind it; Bob's comes.
        putOff.TakeWithRoom((owner, charge) => charge <= 10, name => { taken.Add(name); return true; });
        Assert.Equal(["b1"], taken);
        Assert.True(putOff.Has(1));
        Assert.False(putOff.Has(2));

        // Fits now, but is put off again on reading (the queue filled meanwhile): a2 is not read in vain.
        putOff.TakeWithRoom((_, _) => true, name =>
        {
            taken.Add(name);
            putOff.Add(1, name, 100);
            return false;
        });
        Assert.Equal(["b1", "a1"], taken);
        Assert.Equal(2, putOff.Count);
    }

    [Fact]
    public void A_file_taken_in_some_other_way_is_skipped_and_one_put_off_again_and_again_is_queued_once()
    {
        var putOff = new PutOffFiles();
        putOff.Add(1, "a1", 1);
        putOff.Add(1, "a2", 1);
        putOff.Remove("a1"); // an event took it in, and it was put off again
        putOff.Add(1, "a1", 1);
        putOff.Add(1, "a1", 1);
        var taken = new List<string>();

        putOff.TakeWithRoom((_, _) => true, name => { taken.Add(name); return true; });

        Assert.Equal(["a1", "a2"], taken);
        Assert.Equal(0, putOff.Count);
        Assert.Equal(-1, putOff.TimeoutMs);
    }
}
