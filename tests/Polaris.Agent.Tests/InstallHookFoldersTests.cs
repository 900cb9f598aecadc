using Polaris.Agent.Install;
using Polaris.Testing;

namespace Polaris.Agent.Tests;

/// <summary>Where <c>install-hook</c> puts the .pth file, in scratch prefixes laid out as real ones (never the real /usr).</summary>
public class InstallHookFoldersTests
{
    private static string Make(TempDirectory dir, params string[] folders)
    {
        foreach (var folder in folders)
        {
            Directory.CreateDirectory(dir.Combine(folder.Split('/')));
        }
        return dir.Path;
    }

    [Fact]
    public void A_conda_or_venv_prefix_gets_each_site_packages()
    {
        using var dir = new TempDirectory();
        var prefix = Make(dir, "lib/python3.11/site-packages", "lib/python3.12/site-packages");

        Assert.Equal([dir.Combine("lib", "python3.11", "site-packages"), dir.Combine("lib", "python3.12", "site-packages")], HookInstallation.SitePackages(prefix));
    }

    [Fact]
    public void Debians_usr_gets_the_dist_packages_every_python3_reads_and_not_the_per_version_one()
    {
        using var dir = new TempDirectory();
        var prefix = Make(dir, "lib/python3/dist-packages", "lib/python3.11/dist-packages", "lib/python3.11/lib-dynload");

        Assert.Equal([dir.Combine("lib", "python3", "dist-packages")], HookInstallation.SitePackages(prefix));
    }

    [Fact]
    public void Debians_usr_local_gets_its_per_version_dist_packages()
    {
        using var dir = new TempDirectory();
        var prefix = Make(dir, "lib/python3.11/dist-packages");

        Assert.Equal([dir.Combine("lib", "python3.11", "dist-packages")], HookInstallation.SitePackages(prefix));
    }

    [Fact]
    public void A_prefix_without_python_gets_nothing()
    {
        using var dir = new TempDirectory();

        Assert.Empty(HookInstallation.SitePackages(Make(dir, "lib/other")));
    }
}
