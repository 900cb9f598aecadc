using Polaris.Testing;

namespace Polaris.EndToEnd.Tests;

/// <summary>Both RPMs installed together, scriptlets and all, into one <see cref="ScratchRoot"/>.</summary>
public sealed class InstalledPackages : IDisposable
{
    public InstalledPackages()
    {
        // The packages first: a missing one must not leave a root mounted behind.
        string[] packages = [RpmPackage.Agent.FilePath, RpmPackage.Collector.FilePath];
        Root = new ScratchRoot();
        // --nodeps: the scratch root's rpm database is empty, so libc and /bin/sh are nobody's there.
        Install = Root.Rpm(["-i", "--nodeps", .. packages]);
    }

    public ScratchRoot Root { get; }

    /// <summary>How rpm -i ended.</summary>
    public CommandResult Install { get; }

    public void Dispose() => Root.Dispose();
}
