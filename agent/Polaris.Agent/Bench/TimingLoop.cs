using System.Diagnostics;
using Polaris.Agent.Native;

namespace Polaris.Agent.Bench;

/// <summary>Runs every workload under every configuration, round after round, interleaved, and times each run.</summary>
/// <remarks>
/// Interleaving (rather than all runs of one configuration, then all of the next) lets every configuration
/// see the same machine: on a shared node the background load changes over minutes.
/// </remarks>
public sealed class TimingLoop(IReadOnlyList<Workload> workloads, IReadOnlyList<(Configuration Configuration, IReadOnlyDictionary<string, string> Environment)> configurations)
{
    /// <summary>Exit status recorded when a workload cannot even be started, as a shell reports it.</summary>
    public const int NotStarted = 127;

    /// <summary>Runs <paramref name="warmup"/> unreported rounds, then <paramref name="runs"/> measured ones.</summary>
    /// <param name="warmup">Rounds whose timings are dropped.</param>
    /// <param name="runs">Rounds whose timings are returned.</param>
    /// <param name="progress">Told when each round starts (round, total), to show that bench is alive.</param>
    public IReadOnlyList<Timing> Run(int warmup, int runs, Action<int, int> progress)
    {
        var timings = new List<Timing>();
        var total = warmup + runs;
        for (int round = 0; round < total; round++)
        {
            progress(round + 1, total);
            foreach (var workload in workloads)
            {
                foreach (var (configuration, environment) in RoundOrder.Of(configurations, round))
                {
                    var (milliseconds, exit) = Time(workload.Command, environment);
                    if (round >= warmup)
                    {
                        timings.Add(new Timing(round - warmup, workload.Name, configuration.Name, milliseconds, exit));
                    }
                }
            }
        }
        return timings;
    }

    private static (double Milliseconds, int ExitCode) Time(IReadOnlyList<string> command, IReadOnlyDictionary<string, string> environment)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var exit = SpawnedChild.Start(command, environment).WaitForExit();
            return (Stopwatch.GetElapsedTime(started).TotalMilliseconds, exit);
        }
        catch (IOException)
        {
            return (Stopwatch.GetElapsedTime(started).TotalMilliseconds, NotStarted);
        }
    }
}
