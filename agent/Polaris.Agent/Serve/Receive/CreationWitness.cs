using System.Globalization;
using Polaris.Agent.Native;

namespace Polaris.Agent.Serve.Receive;

/// <summary>Checks, when a record file appears, the pid its name claims: a running process of the file's owner that
/// started when the name says. Only then is the record's pid reported as verified.</summary>
/// <remarks>
/// The name is the writer's claim; the kernel can confirm it only while the writer runs, so the check is made on
/// IN_CREATE, the moment the hook creates its file. A file made while the daemon was down, or by someone naming
/// another user's process, keeps its claimed pid marked unverified. Bounded: it forgets everything past its capacity.
/// Used by the receive thread only.
/// </remarks>
public sealed class CreationWitness(int capacity = 100_000)
{
    private readonly Dictionary<string, uint?> _owners = new(StringComparer.Ordinal);

    /// <summary>Notes who runs the process a new file's name claims (null: none that matches).</summary>
    public void Witness(string name)
    {
        if (RecordFileName.Parse(name) is not { } claim)
        {
            return;
        }
        if (_owners.Count >= capacity)
        {
            _owners.Clear();
        }
        _owners[name] = OwnerOf(claim);
    }

    /// <summary>True when the file was seen created while a process of <paramref name="fileOwner"/> with its pid and
    /// start time ran.</summary>
    public bool Verified(string name, uint fileOwner) => _owners.TryGetValue(name, out var owner) && owner == fileOwner;

    /// <summary>True when the file was seen created while the process its name claims ran on the host: its writer is
    /// then found in the host's /proc, never in a PID namespace of its own (<see cref="NamespacedProcesses"/>).</summary>
    public bool Located(string name) => _owners.TryGetValue(name, out var owner) && owner != null;

    /// <summary>Forgets a file once its record is taken in.</summary>
    public void Forget(string name) => _owners.Remove(name);

    private static uint? OwnerOf(RecordFileName claim) =>
        ProcessLiveness.IsRunning(claim.Pid, claim.StartedUnixNs)
        && FileStatus.Of("/proc/" + claim.Pid.ToString(CultureInfo.InvariantCulture)) is { } process
            ? process.Uid
            : null;
}
