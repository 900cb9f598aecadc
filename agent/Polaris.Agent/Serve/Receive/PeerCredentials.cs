using System.Buffers.Binary;
using System.Net.Sockets;

namespace Polaris.Agent.Serve.Receive;

/// <summary>Who is on the other end of a Unix socket, as the kernel recorded it at connect time (SO_PEERCRED).</summary>
/// <param name="Pid">The connecting process.</param>
/// <param name="Uid">Its effective user id.</param>
/// <param name="Gid">Its effective group id.</param>
public readonly record struct PeerCredentials(int Pid, uint Uid, uint Gid)
{
    private const int SolSocket = 1;
    private const int SoPeerCred = 17;

    /// <summary>Reads <c>struct ucred</c> for a connected socket.</summary>
    public static PeerCredentials Of(Socket socket)
    {
        Span<byte> ucred = stackalloc byte[12];
        int length = socket.GetRawSocketOption(SolSocket, SoPeerCred, ucred);
        if (length != 12)
        {
            throw new SocketException((int)SocketError.ProtocolNotSupported);
        }
        return new PeerCredentials(
            BinaryPrimitives.ReadInt32LittleEndian(ucred),
            BinaryPrimitives.ReadUInt32LittleEndian(ucred[4..]),
            BinaryPrimitives.ReadUInt32LittleEndian(ucred[8..]));
    }
}
