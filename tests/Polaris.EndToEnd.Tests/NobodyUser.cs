using Polaris.Testing;

namespace Polaris.EndToEnd.Tests;

/// <summary>A second, real user for the tests: nobody, through setpriv, with no supplementary groups.</summary>
public static class NobodyUser
{
    public const uint Uid = 65534;

    /// <summary>Runs a command as nobody.</summary>
    public static CommandResult Run(params string[] command) =>
        CommandResult.Run("setpriv", ["--reuid", "65534", "--regid", "65534", "--clear-groups", .. command]);
}
