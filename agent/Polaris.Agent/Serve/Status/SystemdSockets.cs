using System.Globalization;
using System.Net.Sockets;

namespace Polaris.Agent.Serve.Status;

/// <summary>Socket activation: the listening socket systemd passes in (<c>sd_listen_fds</c>, without libsystemd).</summary>
public static class SystemdSockets
{
    // SD_LISTEN_FDS_START: the first passed descriptor.
    private const int FirstDescriptor = 3;

    /// <summary>The first socket systemd passed to this very process, or null when none was.</summary>
    /// <remarks>The variables are cleared afterwards, as sd_listen_fds does, so children do not take the socket for theirs.</remarks>
    public static Socket? Take()
    {
        var pid = Environment.GetEnvironmentVariable("LISTEN_PID");
        var fds = Environment.GetEnvironmentVariable("LISTEN_FDS");
        if (pid == null || fds == null
            || !int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out var listenPid) || listenPid != Environment.ProcessId
            || !int.TryParse(fds, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count < 1)
        {
            return null;
        }
        Environment.SetEnvironmentVariable("LISTEN_PID", null);
        Environment.SetEnvironmentVariable("LISTEN_FDS", null);
        Environment.SetEnvironmentVariable("LISTEN_FDNAMES", null);
        return new Socket(new SafeSocketHandle(FirstDescriptor, ownsHandle: true));
    }
}
