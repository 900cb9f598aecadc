using System.Net.Sockets;

namespace Polaris.Agent.Serve.Receive;

/// <summary>Creates the listening socket every local user's Python processes connect to.</summary>
internal static class UnixSocket
{
    private const UnixFileMode WorldReadWrite =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite;

    public static Socket Listen(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        // A socket file left by a crashed daemon would make bind fail with EADDRINUSE.
        Remove(path);
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Bind(new UnixDomainSocketEndPoint(path));
            File.SetUnixFileMode(path, WorldReadWrite);
            socket.Listen(512);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public static void Remove(string path)
    {
        var status = Native.FileStatus.Of(path);
        // Only ever remove a socket: a misconfigured path must not delete a user's file.
        const uint SocketType = 0xC000;
        if (status is { } s && (s.Mode & 0xF000) == SocketType)
        {
            File.Delete(path);
        }
    }
}
