namespace Polaris.Wire;

/// <summary>Values of <see cref="ProcessRecord.ExitReason"/>.</summary>
public static class ExitReasons
{
    /// <summary>Interpreter shutdown: end of the script, <c>sys.exit</c>, or an uncaught exception.</summary>
    public const string Exit = "exit";

    /// <summary>A signal the hook caught and then let end the process as it would have (SIGTERM: the walltime kill).</summary>
    public const string Signal = "signal";

    /// <summary><c>os._exit</c>, as forked <c>multiprocessing</c> workers end.</summary>
    public const string OsExit = "os-exit";

    /// <summary>No final message came (SIGKILL, a crash): the record holds the imports up to the last flush.</summary>
    public const string Lost = "lost";

    /// <summary>Not ended yet: a member of a live summary read while its process ran; its end and run times are as of
    /// that read.</summary>
    public const string Running = "running";
}
