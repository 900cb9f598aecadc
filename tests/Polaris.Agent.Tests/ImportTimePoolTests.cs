using Polaris.Agent.Serve.Receive;
using Polaris.Wire;

namespace Polaris.Agent.Tests;

/// <summary>The pool of import-time arrays stays bounded whatever lengths the records have.</summary>
public class ImportTimePoolTests
{
    [Fact]
    public void Records_of_ever_new_lengths_leave_no_more_lengths_behind_than_arrays_kept()
    {
        for (int length = 200_001; length < 200_500; length++)
        {
            ImportTimePool.Return(new ImportTime[length]);
            ImportTimePool.Rent(length);
        }

        Assert.InRange(ImportTimePool.Lengths, 0, 64);
    }
}
