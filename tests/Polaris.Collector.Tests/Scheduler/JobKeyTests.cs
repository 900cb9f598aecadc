using Polaris.Collector.Scheduler;

namespace Polaris.Collector.Tests.Scheduler;

public class JobKeyTests
{
    [Theory]
    [InlineData("1234501", "1234501")]
    [InlineData("1234501.polaris-pbs-01", "1234501")]
    [InlineData("1234501.polaris-pbs-01.hsn.cm.polaris.alcf.anl.gov", "1234501")]
    [InlineData("1234[5].polaris-pbs-01", "1234[5]")]
    [InlineData("1234[5]", "1234[5]")]
    [InlineData("1234[].polaris-pbs-01", "1234[]")]
    public void Both_spellings_of_an_id_give_one_key(string id, string key) => Assert.Equal(key, JobKey.Of(id));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(".polaris-pbs-01")]
    [InlineData("12\t34")]
    [InlineData("1234\n.server")]
    [InlineData("1234\0")]
    [InlineData("1234\u007f")]
    [InlineData("1234\u0085")]
    public void Ids_without_a_usable_key_give_none(string? id) => Assert.Null(JobKey.Of(id));

    [Fact]
    public void Ids_with_a_lone_surrogate_give_none()
    {
        // Built at run time: an attribute's string is stored as UTF-8, which cannot hold a lone surrogate.
        Assert.Null(JobKey.Of("1234" + (char)0xD800 + ".server"));
        Assert.Null(JobKey.Of("1234" + (char)0xDC00));
        Assert.Equal("1234😀", JobKey.Of("1234😀.server"));
    }

    [Fact]
    public void Ids_are_bounded_in_utf8_bytes()
    {
        Assert.Equal(new string('7', 128), JobKey.Of(new string('7', 128)));
        Assert.Null(JobKey.Of(new string('7', 129)));
        Assert.Null(JobKey.Of("1." + new string('h', 127)));
        // Three bytes each: 42 fit in 128 bytes, 43 do not.
        Assert.NotNull(JobKey.Of(new string('€', 42)));
        Assert.Null(JobKey.Of(new string('€', 43)));
    }
}
