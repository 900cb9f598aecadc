namespace Polaris.EndToEnd.Tests;

/// <summary>How Apptainer (or Singularity) sets a container up for a user's process.</summary>
public enum ContainerMode
{
    /// <summary>Its setuid starter makes a mount namespace as root, then runs the process as the user; the host's
    /// PID namespace is kept (the default without <c>--pid</c>).</summary>
    Setuid,

    /// <summary>As <see cref="Setuid"/>, with a PID namespace of its own (<c>--pid</c>, or <c>--containall</c>): the
    /// process has a pid there that the host does not know it by.</summary>
    SetuidWithPid,

    /// <summary>Unprivileged: the user makes a user namespace and, in it, the mount and PID namespaces; the process runs
    /// as root of its user namespace (as with <c>--fakeroot</c>), which is the user on the host.</summary>
    UserNamespaceWithPid,
}
