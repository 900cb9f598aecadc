using System.Text;
using Polaris.Agent.Serve.Receive;

namespace Polaris.Agent.Tests;

public class HookMessageTests
{
    private static readonly PeerCredentials Sender = new(Pid: 4242, Uid: 1001, Gid: 100);

    private static byte[] Message(params string[] fields) => Encoding.UTF8.GetBytes(string.Join('\0', fields));

    [Fact]
    public void A_message_becomes_a_record_with_modules_in_order()
    {
        var record = HookMessage.Parse(
            Message("polaris1", "py", "3.11.2", "exe", "/usr/bin/python3", "start", "1764000000000000000", "end", "1764000000250000000",
                    "m", "numpy", "/usr/lib/python3/dist-packages/numpy/__init__.py", "m", "sys", ""),
            Sender, "node01", "asmith");

        Assert.Equal("3.11.2", record.PythonVersion);
        Assert.Equal("/usr/bin/python3", record.Executable);
        Assert.Equal(1_764_000_000_000, record.StartedAtMs);
        Assert.Equal(1_764_000_000_250, record.EndedAtMs);
        Assert.Equal(["numpy", "sys"], record.Modules.Select(m => m.Name));
        Assert.Equal("", record.Modules[1].File);
        Assert.Equal("node01", record.Host);
    }

    [Fact]
    public void Identity_comes_from_the_kernel_not_from_what_the_message_claims()
    {
        var record = HookMessage.Parse(Message("polaris1", "uid", "0", "pid", "1", "user", "root", "m", "os", "/usr/lib/python3.11/os.py"), Sender, "node01", "asmith");

        Assert.Equal(1001u, record.Uid);
        Assert.Equal(4242, record.Pid);
        Assert.Equal("asmith", record.User);
        Assert.Single(record.Modules);
    }

    [Theory]
    [InlineData("")]
    [InlineData("GET / HTTP/1.1\r\n\r\n")]
    [InlineData("polaris2\0m\0x\0y")]
    public void Bytes_that_are_not_a_hook_message_are_refused(string text)
    {
        Assert.Throws<FormatException>(() => HookMessage.Parse(Encoding.UTF8.GetBytes(text), Sender, "n", "u"));
    }

    [Theory]
    [InlineData("polaris1\0m\0numpy")]
    [InlineData("polaris1\0m\0\0/x.py")]
    [InlineData("polaris1\0start\0yesterday")]
    [InlineData("polaris1\0py")]
    public void Truncated_or_malformed_fields_are_refused(string text)
    {
        Assert.Throws<FormatException>(() => HookMessage.Parse(Encoding.UTF8.GetBytes(text), Sender, "n", "u"));
    }

    [Fact]
    public void Invalid_UTF8_in_a_path_does_not_stop_the_record()
    {
        var bytes = Message("polaris1", "m", "mod", "/home/x/").Concat(new byte[] { 0xFF, 0xFE }).ToArray();

        var record = HookMessage.Parse(bytes, Sender, "n", "u");

        Assert.StartsWith("/home/x/", Assert.Single(record.Modules).File, StringComparison.Ordinal);
    }
}
